"""Join the theme's CSS sources into one fingerprinted stylesheet.

The theme keeps its CSS split by role (tokens, base, layout, components,
print) in ``theme/css/``; readers get one file whose name carries a hash of its
content, so hosts can cache it for a year and a page costs one CSS request.

Signals: ``generator_init`` (computes the bundle and puts its path in the
shared template context as ``STYLESHEET_PATH``, on every build, so the preview
picks up CSS edits) and ``finalized`` (writes the file into the output, before
the search index and the HTML rewriting read the output).

Settings (defaults in ``DEFAULTS``):
  STYLESHEET_SOURCE_DIR  folder of the sources (``<THEME>/css``)
  STYLESHEET_SOURCES     file names in the order they are joined
  STYLESHEET_OUTPUT      output path pattern under OUTPUT_PATH; ``{hash}`` is
                         the first 10 hex digits of the bundle's SHA-256
  STYLESHEET_MINIFY      minify with rcssmin (on in production)

Why not pelican-webassets: it depends on webassets, unreleased since 2020,
and needs a separate minifier; joining five files and hashing them is a few
lines with nothing to configure.
"""

import hashlib
import logging
import os
from pathlib import Path

from plugins import core
from plugins.core import config, output, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "STYLESHEET_SOURCE_DIR": None,  # None: <THEME>/css
        "STYLESHEET_SOURCES": [
            "tokens.css",
            "base.css",
            "layout.css",
            "components.css",
            "print.css",
        ],
        "STYLESHEET_OUTPUT": "theme/css/site.{hash}.css",
        "STYLESHEET_MINIFY": False,
    },
    prefixes=("STYLESHEET_",),
)

_bundles = {}


class StylesheetError(Exception):
    """A stylesheet source is missing; the message says which and how to fix it."""


def build_bundle(source_dir, names, minify=False):
    """Return the joined (and optionally minified) CSS as bytes."""
    parts = []
    for name in names:
        path = Path(source_dir) / name
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise StylesheetError(
                f"{path}: stylesheet source not found — create it or remove "
                f"{name!r} from STYLESHEET_SOURCES"
            ) from None
        parts.append(f"/* {name} */\n{text.strip()}\n")
    css = "\n".join(parts)
    if minify:
        import rcssmin  # noqa: PLC0415  (only production builds minify)

        css = rcssmin.cssmin(css) + "\n"
    return css.encode("utf-8")


def output_path_for(css, pattern):
    digest = hashlib.sha256(css).hexdigest()[:10]
    return pattern.format(hash=digest)


def source_dir(settings):
    return settings["STYLESHEET_SOURCE_DIR"] or os.path.join(settings["THEME"], "css")


def add_to_context(generator):
    # Every generator of one build shares one context, built anew each build.
    if "STYLESHEET_PATH" in generator.context:
        return
    settings = generator.settings
    config.apply_defaults(settings)
    css = build_bundle(
        source_dir(settings),
        settings["STYLESHEET_SOURCES"],
        settings["STYLESHEET_MINIFY"],
    )
    rel_path = output_path_for(css, settings["STYLESHEET_OUTPUT"])
    generator.context["STYLESHEET_PATH"] = rel_path
    _bundles[generator.output_path] = (rel_path, css)


def write_bundle(pelican):
    rel_path, css = _bundles.pop(pelican.output_path, (None, None))
    if rel_path is None:
        return
    output.write(rel_path, css, base=pelican.output_path)
    logger.debug("Wrote stylesheet %s", rel_path)


def register():
    core.register()
    pipeline.on("generator_init", add_to_context, Order.PREPARE)
    # The stylesheet is in the output before the search index and the HTML
    # rewriting read it.
    pipeline.on("finalized", write_bundle, Order.WRITE)
