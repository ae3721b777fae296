"""Write a `_headers` file: HTTP headers for hosts that read one (Netlify, Cloudflare Pages).

Every page already carries its Content-Security-Policy and referrer policy in
<meta> tags; hosts that honour ``_headers`` also send them as real headers,
which can do what a <meta> cannot: ``frame-ancestors`` (no framing),
``X-Content-Type-Options``, HSTS, and cache lifetimes.

Cache rules never overlap, because both hosts merge the values of a header
that several matching rules set: fingerprinted files (``name.<10 hex>.css``
or ``.js``, as the stylesheet and asset_pipeline plugins write them) get one
rule each with a year-long immutable lifetime; every other top-level file and
folder of the output (pages, feeds, listings) gets the short lifetime, except
the theme's static folder, whose other files keep the host's default.

Signals: ``finalized``, after every other output step (minification and
compression included), so the file describes the finished output.

Settings (defaults in ``DEFAULTS``):
  HOST_HEADERS_PATH           file written under the output (``_headers``)
  HOST_HEADERS_CSP_EXTRA      directives added to CONTENT_SECURITY_POLICY
                              that only a header can carry
  HOST_HEADERS_CSP_SOURCES    {directive: [sources]} added to the header's
                              policy because some page's <meta> policy adds
                              them (the search page's 'wasm-unsafe-eval'):
                              the header covers every path and a page obeys
                              both policies, so each <meta> stays as strict
                              as its page allows
  HOST_HEADERS                headers sent with every response
  HOST_HEADERS_CACHE_LONG     Cache-Control for fingerprinted files
  HOST_HEADERS_CACHE_SHORT    Cache-Control for pages, feeds and the rest
Reads CONTENT_SECURITY_POLICY, REFERRER_POLICY and THEME_STATIC_DIR. Paths
are from the root of the published folder, where hosts read the file.

Why a project plugin: no maintained Pelican plugin writes ``_headers``.
"""

import logging
import os
import re
from pathlib import Path

from plugins import core
from plugins.core import config, csp, output, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "HOST_HEADERS_PATH": "_headers",
        "HOST_HEADERS_CSP_EXTRA": "frame-ancestors 'none'",
        "HOST_HEADERS_CSP_SOURCES": {},
        "HOST_HEADERS": {
            "X-Content-Type-Options": "nosniff",
            # No includeSubDomains: other hosts under the same domain may not speak HTTPS.
            "Strict-Transport-Security": "max-age=63072000",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        },
        "HOST_HEADERS_CACHE_LONG": "public, max-age=31536000, immutable",
        "HOST_HEADERS_CACHE_SHORT": "public, max-age=300, must-revalidate",
    },
    prefixes=("HOST_HEADERS_",),
)
FINGERPRINTED = re.compile(r"\.[0-9a-f]{10}\.(css|js)$")


def security_headers(settings):
    """The headers every response carries, in a fixed order."""
    page_policy = csp.widen(
        settings["CONTENT_SECURITY_POLICY"], settings["HOST_HEADERS_CSP_SOURCES"]
    )
    policy = "; ".join(
        part.strip()
        for part in (page_policy, settings["HOST_HEADERS_CSP_EXTRA"])
        if part and part.strip()
    )
    return {
        "Content-Security-Policy": policy,
        "Referrer-Policy": settings["REFERRER_POLICY"],
        **settings["HOST_HEADERS"],
    }


def cache_rules(output, theme_dir):
    """(long-lived paths, short-lived paths) under the output root, sorted."""
    output = Path(output)
    return fingerprinted_files(output), short_lived(output, theme_dir)


def fingerprinted_files(output):
    """The fingerprinted files anywhere under ``output``, sorted.

    os.walk's directory entries know which names are files and which are
    folders, so only the few fingerprinted names are looked at (symbolic
    links are followed to files, as before, and not into folders): at
    5,000 essays (78,000 entries) rglob and a stat of each took 1.3-1.9 s of
    the build, this walk 0.25-0.45 s.
    """
    root = os.fspath(output)
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if FINGERPRINTED.search(name) and os.path.isfile(os.path.join(folder, name)):
                found.append(os.path.relpath(os.path.join(folder, name), root).replace(os.sep, "/"))
    return sorted(found)


def short_lived(output, theme_dir):
    """Top-level files and folders that get the short lifetime, with the root."""
    short = [""]
    for entry in sorted(output.iterdir(), key=lambda p: p.name):
        hidden = entry.name.startswith(("_", "."))
        if entry.name == theme_dir or hidden or entry.suffix in (".gz", ".br", ".zst"):
            continue
        short.append(f"{entry.name}/*" if entry.is_dir() else entry.name)
    return short


def render(settings, output):
    """The file's text: rules for paths from the root of the folder the host publishes."""
    lines = ["# Written by the host_headers plugin from the site's settings.", "/*"]
    lines += [f"  {name}: {value}" for name, value in security_headers(settings).items()]
    long_lived, short = cache_rules(output, settings["THEME_STATIC_DIR"])
    for path in long_lived:
        lines += ["", f"/{path}", f"  Cache-Control: {settings['HOST_HEADERS_CACHE_LONG']}"]
    for path in short:
        lines += ["", f"/{path}", f"  Cache-Control: {settings['HOST_HEADERS_CACHE_SHORT']}"]
    return "\n".join(lines) + "\n"


def write_headers(pelican):
    settings = pelican.settings
    config.apply_defaults(settings)
    path = settings["HOST_HEADERS_PATH"]
    output.write(path, render(settings, pelican.output_path), base=pelican.output_path)
    logger.info("Wrote %s", path)


def register():
    core.register()
    # Last of the output steps: the file names the finished files.
    pipeline.on("finalized", write_headers, Order.DEPLOY)
