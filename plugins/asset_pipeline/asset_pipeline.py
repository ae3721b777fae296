"""Production post-processing of the output: fingerprinted scripts, minified HTML.

Templates reference scripts plainly, as
``{{ SITEURL }}/{{ THEME_STATIC_DIR }}/js/<name>.js``. After everything else
has written its files, this plugin

1. renames every script in the fingerprinted folders to ``<name>.<hash>.js``
   (the first 10 hex digits of its SHA-256, as the stylesheet plugin names the
   stylesheet) and rewrites every reference to it in the HTML output, so hosts
   may cache scripts for a year and template authors do nothing special
   (references from inside other scripts, such as module imports, are not
   rewritten: load each script from the page);
2. minifies every HTML file with pelican-minify (minify-html).

compressed_copies then writes ``.gz`` and ``.br`` next to every text file.

Order is the point of this plugin: anything that rewrites finished files must
run after every step that writes them (the stylesheet, the search index),
and compression after that.  The core's pipeline runs it at ``REWRITE``, after
``INDEX`` and before ``COMPRESS``, whatever the order of ``PLUGINS``.
pelican-minify itself connects to ``finalized``, so it is not listed in
``PLUGINS``: its ``Minify`` class is called from here instead. Its CSS
minification stays off, because the stylesheet plugin already minifies the
stylesheet before naming it by its hash (minifying again would make the
name lie about the content); JavaScript minification stays off so scripts
are served exactly as their authors tested them.

Signals: ``finalized`` (at the core's ``REWRITE`` step).

Settings (defaults in ``DEFAULTS``):
  ASSET_PIPELINE_FINGERPRINT_DIRS  folders under the output whose ``*.js``
                                   files are fingerprinted; ``{THEME_STATIC_DIR}``
                                   is filled in (``["{THEME_STATIC_DIR}/js"]``)
  ASSET_PIPELINE_MINIFY_HTML       minify HTML with pelican-minify (True)
  HTML_MIN, CSS_MIN, JS_MIN,      pelican-minify's own settings, declared here
  INLINE_CSS_MIN, INLINE_JS_MIN   with the defaults this site needs

Why not pelican-webassets or pelican-fingerprint-style plugins: webassets is
unreleased since 2020 and needs every template to wrap its asset URLs in an
``{% assets %}`` tag; the contract here is that templates write plain URLs.
"""

import hashlib
import logging
import re
from pathlib import Path

from plugins import core
from plugins.core import config, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "ASSET_PIPELINE_FINGERPRINT_DIRS": ["{THEME_STATIC_DIR}/js"],
        "ASSET_PIPELINE_MINIFY_HTML": True,
        # pelican-minify's settings: HTML only (see the module docstring).
        "HTML_MIN": True,
        "CSS_MIN": False,
        "JS_MIN": False,
        "INLINE_CSS_MIN": True,
        "INLINE_JS_MIN": False,
    },
    prefixes=("ASSET_PIPELINE_",),
)
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.js$")


def fingerprinted_name(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return f"{path.stem}.{digest}{path.suffix}"


def fingerprint_scripts(output_path, folders):
    """Rename each script to carry its hash; return {old URL path: new URL path}."""
    output = Path(output_path)
    renamed = {}
    for folder in folders:
        for script in sorted((output / folder).glob("*.js")):
            if FINGERPRINTED.search(script.name):
                continue
            target = script.with_name(fingerprinted_name(script))
            script.replace(target)
            renamed[script.relative_to(output).as_posix()] = target.relative_to(output).as_posix()
    return renamed


def rewrite_references(output_path, renamed):
    """Point every HTML reference to a renamed file at its new name.

    A reference is the file's path from the output root, after a slash (so
    absolute URLs under any SITEURL sub-path match) and before a quote, query,
    fragment, space or the end of an unquoted attribute.
    """
    if not renamed:
        return 0
    pattern = re.compile(
        r"(?<=/)(" + "|".join(re.escape(old) for old in sorted(renamed)) + r")(?=[\"'?#\s>])"
    )
    changed = 0
    for page in sorted(Path(output_path).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = pattern.sub(lambda m: renamed[m.group(1)], text)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def process_output(pelican):
    settings = pelican.settings
    config.apply_defaults(settings)
    folders = [
        folder.format(THEME_STATIC_DIR=settings["THEME_STATIC_DIR"])
        for folder in settings["ASSET_PIPELINE_FINGERPRINT_DIRS"]
    ]
    renamed = fingerprint_scripts(pelican.output_path, folders)
    pages = rewrite_references(pelican.output_path, renamed)
    logger.info("Fingerprinted %s scripts, referenced from %s pages", len(renamed), pages)
    if settings["ASSET_PIPELINE_MINIFY_HTML"]:
        from pelican.plugins.minify.minify import Minify  # noqa: PLC0415

        Minify(pelican)


def register():
    core.register()
    # After every step that writes pages or reads them unminified (the search
    # index), before the compressed copies are made of the final bytes.
    pipeline.on("finalized", process_output, Order.REWRITE)
