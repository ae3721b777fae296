"""Production assets: fingerprinted scripts and minified HTML.

Templates reference scripts plainly, as
``{{ SITEURL }}/{{ THEME_STATIC_DIR }}/js/<name>.js``.  In production this plugin

1. names every script of the fingerprinted folders ``<name>.<hash>.js`` (the
   first 10 hex digits of its SHA-256, as the stylesheet plugin names the
   stylesheet), so hosts may cache scripts for a year and template authors
   do nothing special (references from inside other scripts, such as module
   imports, are not rewritten: load each script from the page);
2. points every reference in the HTML at the new name and minifies the HTML
   with minify-html.

Both are done to each page as the writer renders it (a text transform
declared to the core's output service), so the work is spread over the
render workers and kept in the memo with the page; a rebuild minifies only
the pages it renders again.  The names are computed from the theme's
sources before anything is rendered; the copied scripts are renamed once the
output is complete.  compressed_copies then writes ``.gz`` and ``.br`` of the
final bytes.

Minifying: minify-html, the library pelican-minify calls, called directly with
pelican-minify's settings: HTML only, with inline CSS.  The stylesheet
plugin already minifies the stylesheet before naming it by its hash
(minifying again would make the name lie about the content); JavaScript
stays as its authors tested it.

Signals: ``initialized`` (the scripts' names, at the core's ``PREPARE``),
``finalized`` (renames the copied scripts, at ``REWRITE``); the transform of
``.html`` files through ``plugins.core.output``.

Settings (defaults in ``DEFAULTS``):
  ASSET_PIPELINE_FINGERPRINT_DIRS  folders under the output whose ``*.js``
                                   files are fingerprinted; ``{THEME_STATIC_DIR}``
                                   is filled in (``["{THEME_STATIC_DIR}/js"]``)
  ASSET_PIPELINE_MINIFY_HTML       minify HTML (True)
  HTML_MIN, INLINE_CSS_MIN,        pelican-minify's settings for HTML, inline
  INLINE_JS_MIN                    CSS and inline JavaScript (True, True, False)

Why not pelican-webassets or pelican-fingerprint-style plugins: webassets is
unreleased since 2020 and needs every template to wrap its asset URLs in an
``{% assets %}`` tag; the contract here is that templates write plain URLs.
"""

import hashlib
import logging
import re
from pathlib import Path

import minify_html

from plugins import core
from plugins.core import config, output, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "ASSET_PIPELINE_FINGERPRINT_DIRS": ["{THEME_STATIC_DIR}/js"],
        "ASSET_PIPELINE_MINIFY_HTML": True,
        "HTML_MIN": True,
        "INLINE_CSS_MIN": True,
        "INLINE_JS_MIN": False,
    },
    prefixes=("ASSET_PIPELINE_",),
)
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.js$")

# The build's {script's path in the output: its fingerprinted path}, and the
# pattern that finds references to them.
_NAMES = {"renamed": {}, "pattern": None}


def fingerprinted_name(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"{path.stem}.{digest}{path.suffix}"


def script_names(settings):
    """{output path of each script: its fingerprinted output path}, from the
    theme's static folders, which Pelican copies to THEME_STATIC_DIR."""
    theme, static_dir = Path(settings["THEME"]), settings["THEME_STATIC_DIR"]
    renamed = {}
    for pattern in settings["ASSET_PIPELINE_FINGERPRINT_DIRS"]:
        folder = pattern.format(THEME_STATIC_DIR=static_dir).strip("/")
        inside = folder.removeprefix(static_dir).strip("/")
        if inside == folder:
            continue  # not a folder of the theme's static files
        for source_folder in settings.get("THEME_STATIC_PATHS", ["static"]):
            for script in sorted((theme / source_folder / inside).glob("*.js")):
                if not FINGERPRINTED.search(script.name):
                    renamed[f"{folder}/{script.name}"] = f"{folder}/{fingerprinted_name(script)}"
    return renamed


def reference_pattern(renamed):
    """A reference to a renamed file: its path from the output root, after a
    slash (so absolute URLs under any SITEURL sub-path match) and before a
    quote, query, fragment, space or the end of an unquoted attribute."""
    if not renamed:
        return None
    names = "|".join(re.escape(old) for old in sorted(renamed))
    return re.compile(rf"(?<=/)({names})(?=[\"'?#\s>])")


def prepare(pelican):
    renamed = script_names(pelican.settings)
    _NAMES.update(renamed=renamed, pattern=reference_pattern(renamed))


def finish_html(text, settings):
    """A page as published: references to scripts renamed, then minified."""
    pattern = _NAMES["pattern"]
    if pattern is not None:
        text = pattern.sub(lambda m: _NAMES["renamed"][m.group(1)], text)
    if settings["ASSET_PIPELINE_MINIFY_HTML"] and settings["HTML_MIN"]:
        text = minify_html.minify(
            text, minify_css=settings["INLINE_CSS_MIN"], minify_js=settings["INLINE_JS_MIN"]
        )
    return text


def rename_scripts(pelican):
    """The copied scripts take their fingerprinted names."""
    root = Path(pelican.output_path)
    for old, new in _NAMES["renamed"].items():
        if (root / old).is_file():
            (root / old).replace(root / new)
    logger.info("Fingerprinted %s scripts", len(_NAMES["renamed"]))


def register():
    core.register()
    # Once the settings are complete, before any page is rendered.
    pipeline.on("initialized", prepare, Order.PREPARE)
    # Last of the page transforms: minifying must see the final references.
    output.add_transform(__name__, ".html", finish_html, order=90)
    # After Pelican copied the theme's scripts, before compressed copies.
    pipeline.on("finalized", rename_scripts, Order.REWRITE)
