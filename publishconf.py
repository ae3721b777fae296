"""Production settings: pelicanconf plus absolute URLs and production output.

SITEURL comes from the SITEURL environment variable (no trailing slash), so the
same commit can be published to any host or sub-path; the default is the
project's GitHub Pages address.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *

SITEURL = os.environ.get("SITEURL", "https://bzdww.github.io").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

DELETE_OUTPUT_DIRECTORY = True
STYLESHEET_MINIFY = True

# Authoring: drafts and scheduled essays ---------------------------------------
# Drafts are never written, not even under drafts/, and there is no drafts
# listing. An essay dated in the future is treated as a draft until a build
# runs after its date (the scheduled daily publish, see README).
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
DRAFT_PAGE_LANG_SAVE_AS = ""
DRAFTS_SAVE_AS = ""

# Lean assets ---------------------------------------------------------------
# asset_pipeline fingerprints scripts and minifies HTML after every other
# plugin has written its files; compressed_copies then writes .gz and .br
# next to every text file (their steps say so: plugins/core/pipeline.py).
PLUGINS = [*PLUGINS, "plugins.asset_pipeline", "plugins.compressed_copies"]
