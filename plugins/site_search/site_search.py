"""Build the Pagefind search index of every build, into that build's output.

Pagefind indexes the finished HTML: it reads ``<html lang>`` and writes one
index per language (the extended binary from PyPI's ``pagefind[extended]``
segments Chinese and Japanese into words), plus the ``pagefind.js`` API that
the search page (``theme/static/js/search.js``) loads.  Only what templates mark
with ``data-pagefind-body`` is indexed (essay bodies), with the title and date
taken from ``data-pagefind-meta``.

Signals: ``finalized`` (runs the
Pagefind binary that the ``pagefind`` package ships on ``pelican.output_path``,
after every page is written, then puts the languages in
``pagefind-entry.json`` in name order: Pagefind writes them in hash-map order,
the one part of its output that differs between two runs on the same input,
and removes the ready-made interfaces the site does not use).

Settings (defaults in ``DEFAULTS``):
  SITE_SEARCH_ENABLED     build the index (True)
  SITE_SEARCH_BUNDLE_DIR  folder under the output path for the index and its
                          scripts ("pagefind"); templates link to it
  SITE_SEARCH_EXCLUDE     CSS selectors inside indexed regions to leave out
                          ([]); ``data-pagefind-ignore`` works as well
  SITE_SEARCH_GLOB        which files under the output path Pagefind reads
                          (None: every HTML file); naming only the pages
                          that carry ``data-pagefind-body`` gives the same
                          index sooner
  SITE_SEARCH_KEEP_PAGEFIND_UI
                          keep the ready-made search interfaces Pagefind
                          writes beside its index (False: the site has its
                          own, and they are 400 kB that nothing loads)

Attributes: none.  Adds ``SITE_SEARCH_BUNDLE_DIR`` to the template context
through the settings.

Why not a maintained plugin: ``pelican-search`` (1.1.1) drives Stork, which
its author has stopped developing, which splits no Chinese into words and
whose binary is not on PyPI; no maintained Pelican plugin runs Pagefind.  The
binary is run as a subprocess rather than through the package's asyncio API,
so a build needs no event loop and its errors come back as one exit code and
log.
"""

import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

from plugins import core
from plugins.core import config, output, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "SITE_SEARCH_ENABLED": True,
        "SITE_SEARCH_BUNDLE_DIR": "pagefind",
        "SITE_SEARCH_EXCLUDE": [],
        "SITE_SEARCH_KEEP_PAGEFIND_UI": False,
        "SITE_SEARCH_GLOB": None,
    },
    prefixes=("SITE_SEARCH_",),
)

# Pagefind's own interfaces; the search page uses pagefind.js (and the worker,
# index and WebAssembly files it loads) only.
PAGEFIND_UI_FILES = [
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
]


def pagefind_executable():
    """Path to the Pagefind binary: the extended one when installed."""
    from pagefind.service import get_executable  # noqa: PLC0415

    found = get_executable()
    return str(found) if found else None


def pagefind_command(executable, site, bundle_dir, exclude=(), glob=None):
    command = [executable, "--site", str(site), "--output-subdir", bundle_dir, "--silent"]
    if glob:
        command += ["--glob", glob]
    for selector in exclude:
        command += ["--exclude-selectors", selector]
    return command


def sort_entry_languages(bundle):
    """Write pagefind-entry.json with its languages in name order.

    Pagefind writes the languages in hash-map order, which changes from run to
    run; everything else in the bundle is already the same for the same input.
    """
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"] = dict(sorted(entry["languages"].items()))
    entry_path.write_text(
        json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def build_index(pelican):
    settings = pelican.settings
    config.apply_defaults(settings)
    if not settings["SITE_SEARCH_ENABLED"]:
        return
    out = output.current()
    bundle_dir = settings["SITE_SEARCH_BUNDLE_DIR"]
    # The same pages with the same bytes give the same index (Pagefind's output
    # is the same for the same input, once its languages are sorted).  Every
    # page counts, not only SITE_SEARCH_GLOB's: that is Pagefind's glob syntax
    # (braces), which Python's glob does not read.
    if out is not None and out.unchanged("**/*.html") and out.link_folder(bundle_dir):
        logger.info("The pages are unchanged: the search index is the last build's")
        return
    # Pagefind writes its files where files of the last good output may be
    # linked: never into them.
    shutil.rmtree(Path(pelican.output_path) / bundle_dir, ignore_errors=True)
    index_folder(settings, pelican.output_path)


def index_folder(settings, folder, priority="normal"):
    """Index the pages under ``folder`` into its bundle folder; False on failure.

    ``priority="low"``: as a background job (the preview refreshing its index
    while the author works), at the lowest CPU priority.
    """
    config.apply_defaults(settings)
    executable = pagefind_executable()
    if executable is None:
        logger.error(
            "site_search: the Pagefind binary is not installed — "
            "run `make setup` (it installs pagefind[extended] from requirements.txt)"
        )
        return False
    command = pagefind_command(
        executable,
        folder,
        settings["SITE_SEARCH_BUNDLE_DIR"],
        settings["SITE_SEARCH_EXCLUDE"],
        settings["SITE_SEARCH_GLOB"],
    )
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=(lambda: os.nice(19)) if priority == "low" else None,
    )
    if result.returncode != 0:
        logger.error(
            "site_search: Pagefind could not index %s — %s",
            folder,
            (result.stdout + result.stderr).strip() or f"exit code {result.returncode}",
        )
        return False
    bundle = Path(folder) / settings["SITE_SEARCH_BUNDLE_DIR"]
    sort_entry_languages(bundle)
    if not settings["SITE_SEARCH_KEEP_PAGEFIND_UI"]:
        for name in PAGEFIND_UI_FILES:
            (bundle / name).unlink(missing_ok=True)
    logger.info("Wrote the search index to %s/%s", folder, settings["SITE_SEARCH_BUNDLE_DIR"])
    return True


def register():
    core.register()
    # After every page and the stylesheet are written, before HTML is minified.
    pipeline.on("finalized", build_index, Order.INDEX)
