"""Write a .gz and a .br copy next to every text file of the production output.

Hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``,
Caddy ``precompressed``) then send the smaller copy without compressing on
each request.

Runs on ``finalized`` at the core's ``COMPRESS`` step, after every file is
written and asset_pipeline has fingerprinted and minified the output, so the
copies match the files as published.

- gzip at level 9 with no timestamp, brotli in text mode: the same file always
  gives the same bytes;
- brotli's window is the smallest that holds the whole file, not its 4 MB
  default: at quality 9 brotli's set-up for each file grows with the window,
  and for pages of 20-60 KB it was four fifths of the work; a fitted window
  gives the same copies (a few bytes smaller) five times faster;
- the files on a first view of any page besides its HTML (the stylesheet,
  scripts, the SVG icon) are few, small and long-lived, so they are
  compressed at brotli's best quality, 11;
- a file whose gzip or brotli copy would not be smaller (a few hundred bytes
  or less) gets no copies;
- every result (both copies) is kept in the build's memo under the SHA-256 of
  the file and the settings, so a rebuild compresses only the files that
  changed;
- what the memo lacks is compressed by the build's worker processes beside
  the build itself.

Signals: ``finalized`` (at the core's ``COMPRESS`` step).

Settings (defaults in ``DEFAULTS``):
  COMPRESSED_COPIES_EXTENSIONS      suffixes of the text files to compress
  COMPRESSED_COPIES_BROTLI_QUALITY  brotli quality, 0-11 (9)
  COMPRESSED_COPIES_BEST_EXTENSIONS suffixes compressed at brotli quality 11
                                    (.css, .js, .mjs, .svg)

Why not pelican-precompress: it always compresses every file again and at
brotli quality 11, which on a 1,000-essay build (77 MB of text) took 47 of the
build's 97 seconds; quality 9 compresses that sample eight times faster for
copies about 12% larger (measured on a tenth of the files: 82 s and 680 KB at
quality 11, 10.7 s and 769 KB at quality 9), and the cache makes rebuilds
compress only what changed.  (Those figures were taken with brotli's default
window; with a fitted one, quality 9 compresses the 1,000-essay build's
1,786 text files in 1.8 CPU-seconds instead of 9.8.)
"""

import gzip
import hashlib
import logging
import os
from pathlib import Path

import brotli

from plugins import core
from plugins.core import config, output, pipeline
from plugins.core import memo as memos
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "COMPRESSED_COPIES_EXTENSIONS": [
            ".atom",
            ".css",
            ".html",
            ".js",
            ".json",
            ".map",
            ".mjs",
            ".rss",
            ".svg",
            ".txt",
            ".webmanifest",
            ".xml",
            ".xsl",
        ],
        "COMPRESSED_COPIES_BROTLI_QUALITY": 9,
        "COMPRESSED_COPIES_BEST_EXTENSIONS": [".css", ".js", ".mjs", ".svg"],
    },
    prefixes=("COMPRESSED_COPIES_",),
)
GZIP_LEVEL = 9
BEST_QUALITY = 11
# Part of the cache key: change it when the same settings give other bytes.
METHOD = f"gzip{GZIP_LEVEL}|brotli-text-fitted-window"


def brotli_window(size: int):
    """The smallest window (log2 of its size, 10-24) that holds ``size`` bytes."""
    # Brotli's window holds 16 bytes fewer than its power of two.
    return min(max((size + 15).bit_length(), 10), 24)


def compress(data: bytes, quality: int):
    """(gzip, brotli) copies of ``data``, or None when either would not shrink it."""
    gz = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    if len(gz) >= len(data):
        return None
    br = brotli.compress(
        data, mode=brotli.MODE_TEXT, quality=quality, lgwin=brotli_window(len(data))
    )
    if len(br) >= len(data):
        return None
    return gz, br


def compress_file(path, quality):
    return compress(Path(path).read_bytes(), quality)


def text_files(output_path, suffixes):
    """The files under ``output_path`` with one of ``suffixes``, sorted."""
    found = []
    # os.walk's directory entries know which are files: no stat per file.
    for folder, _, names in os.walk(output_path):
        found += [Path(folder, name) for name in names if os.path.splitext(name)[1] in suffixes]
    return sorted(found)


def quality_for(path: Path, quality: int, best: set):
    return BEST_QUALITY if path.suffix in best else quality


def write_copies(pelican):
    settings = pelican.settings
    config.apply_defaults(settings)
    suffixes = set(settings["COMPRESSED_COPIES_EXTENSIONS"])
    best = set(settings["COMPRESSED_COPIES_BEST_EXTENSIONS"])
    memo, out = memos.current(), output.current()
    jobs, kept = [], 0
    for path in text_files(pelican.output_path, suffixes):
        relative = out.relative(path) if out is not None else None
        # A file the last good output already had: its copies are those too.
        if (
            out is not None
            and out.is_unchanged(relative)
            and out.link_unchanged(relative + ".gz")
            and out.link_unchanged(relative + ".br")
        ):
            kept += 1
            continue
        quality = quality_for(path, settings["COMPRESSED_COPIES_BROTLI_QUALITY"], best)
        digest = hashlib.sha256(path.read_bytes()).digest()
        jobs.append((memo.key("compressed copies", digest, METHOD, quality), path, quality))
    if memo.pool is not None:
        memo.pool.ahead([(key, compress_file, (str(path), quality)) for key, path, quality in jobs])
    computed_before = memo.computed + memo.by_workers
    written = 0
    for key, path, quality in jobs:
        copies = memo.compute(key, compress_file, str(path), quality, what=str(path))
        if copies is None:
            continue
        output.write(path.with_name(path.name + ".gz"), copies[0])
        output.write(path.with_name(path.name + ".br"), copies[1])
        written += 1
    compressed = memo.computed + memo.by_workers - computed_before
    logger.info(
        "Wrote .gz and .br copies of %d files (%d compressed, %d from the memo, "
        "%d unchanged since the last build)",
        written + kept,
        compressed,
        len(jobs) - compressed,
        kept,
    )


def register():
    core.register()
    # After the HTML is rewritten, before the host configuration names the files.
    pipeline.on("finalized", write_copies, Order.COMPRESS)
