"""Write a .gz and a .br copy next to every text file of the production output.

Hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``,
Caddy ``precompressed``) then send the smaller copy without compressing on
each request.

Files a step said are not for the site's readers (``output.not_for_readers``:
e-mail editions, which authors fetch to import into a list tool) get no
copies: no browser asks for them.

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
- a file linked unchanged from the last good output (``plugins.core.output``)
  gets that output's copies, linked all at once without reading the file;
- every other result (both copies) is kept in the build's memo under the
  SHA-256 of the file and the settings, so a rebuild compresses only the
  files that changed;
- what the memo lacks is compressed by the build's worker processes beside
  the build itself.

Signals: ``finalized``, at the core's ``COMPRESS`` step (every file but those
in folders still being written beside the build: the search index, which
Pagefind writes meanwhile) and at ``COMPRESS_LATE`` (those folders, after
the steps that wrote them have waited for that work at ``SETTLE``).

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


def text_files(output_path, suffixes, skip=()):
    """The files under ``output_path`` with one of ``suffixes``, as paths
    relative to it (``/``-separated), sorted; none under the folders ``skip``
    (relative)."""
    root = os.fspath(output_path)
    strip = len(os.path.join(root, ""))  # the root and one separator
    skipped = {os.path.join(root, *folder.split("/")) for folder in skip}
    found = []
    # os.walk's directory entries know which are files: no stat per file.
    for folder, dirs, names in os.walk(root):
        if skipped:
            dirs[:] = [name for name in dirs if os.path.join(folder, name) not in skipped]
        # os.walk gives each folder as root + its path: no relpath needed.
        prefix = folder[strip:].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        found += [prefix + name for name in names if os.path.splitext(name)[1] in suffixes]
    return sorted(found)


def quality_for(path: Path, quality: int, best: set):
    return BEST_QUALITY if path.suffix in best else quality


# The folders the first pass left to the second (written beside the build).
_LATE = {"folders": []}


def write_copies(pelican):
    """Copies of every text file but those in folders still being written
    beside the build (the search index), which ``write_late_copies`` does."""
    out = output.current()
    late = out.unfinished() if out is not None else []
    _LATE["folders"] = late
    copy_files(pelican, skip=late)


def write_late_copies(pelican):
    """Copies of the files in the folders ``write_copies`` left, now finished."""
    folders, _LATE["folders"] = _LATE["folders"], []
    root = Path(pelican.output_path)
    for folder in folders:
        if (root / folder).is_dir():
            copy_files(pelican, under=folder)


def copy_files(pelican, under=None, skip=()):
    """Write the copies of the text files under the output (or its folder
    ``under``), but those in the folders ``skip``."""
    settings = pelican.settings
    config.apply_defaults(settings)
    suffixes = set(settings["COMPRESSED_COPIES_EXTENSIONS"])
    best = set(settings["COMPRESSED_COPIES_BEST_EXTENSIONS"])
    memo, out = memos.current(), output.current()
    root = Path(pelican.output_path)
    base = root / under if under else root
    found = text_files(base, suffixes, skip)
    if under:
        found = [f"{under}/{relative}" for relative in found]
    if out is not None and out.folder.resolve() != root.resolve():
        out = None  # not this build's output (a test compressing a copy)
    if out is not None:
        not_served = out.files_not_for_readers()
        found = [relative for relative in found if relative not in not_served]
    # A file the last good output already had: its copies are those too.
    # Linked all at once, the .gz then the .br of those whose .gz was
    # there; a file whose copies could not both be linked (it has none) goes
    # to the memo.
    kept = set()
    if out is not None and _made_as_before(memo, out, settings):
        kept = {relative for relative in found if out.is_unchanged(relative)}
        for suffix in (".gz", ".br"):
            copies = [relative + suffix for relative in sorted(kept)]
            kept -= {copy.removesuffix(suffix) for copy in out.link_unchanged_files(copies)}
    jobs = []
    for relative in found:
        if relative in kept:
            continue
        path = root / relative
        quality = quality_for(path, settings["COMPRESSED_COPIES_BROTLI_QUALITY"], best)
        digest = hashlib.sha256(path.read_bytes()).digest()
        jobs.append((memo.key("compressed copies", digest, METHOD, quality), path, quality))
    compressed = sum(not memo.has(key) for key, _, _ in jobs) if memo.enabled else len(jobs)
    batches = [jobs[start : start + BATCH] for start in range(0, len(jobs), BATCH)]
    if memo.pool is not None:
        memo.pool.ahead(
            [(("compressed copies", under, index), _compress_batch, (batch,))
             for index, batch in enumerate(batches)],
            force=len(jobs) >= memo.pool.at_least,
        )  # fmt: skip
    written = 0
    for index, batch in enumerate(batches):
        for key, path, quality in batch:
            copies = memo.compute(
                key, compress_file, str(path), quality, what=str(path),
                task=("compressed copies", under, index),
            )  # fmt: skip
            written += _write_pair(path, copies)
    logger.info(
        "Wrote .gz and .br copies of %d files%s (%d compressed, %d from the memo, "
        "%d unchanged since the last build)",
        written + len(kept),
        f" in {under}" if under else "",
        compressed,
        len(jobs) - compressed,
        len(kept),
    )


def _made_as_before(memo, out, settings):
    """Whether the last good output's copies were made as this build makes
    them (the same method and qualities), so an unchanged file's copies can
    be linked from it; notes for the next build how this one makes them.

    Kept in the memo under the identity of the output folder (a build's
    staging folder keeps its inode when it is renamed into place): a change
    to the brotli quality then compresses every file again, as a clean build
    does, instead of linking copies made at the old quality.
    """
    if not memo.enabled:
        return False
    made_with = METHOD + memos.settings_part(settings, MADE_WITH)
    memo.store(_folder_key(memo, out.folder), made_with)
    if out.previous is None:
        return False
    try:
        found, before, _ = memo.load(_folder_key(memo, out.previous))
    except OSError:
        return False
    return found and before == made_with


# The settings the copies of a file depend on (besides METHOD).
MADE_WITH = ("COMPRESSED_COPIES_BROTLI_QUALITY", "COMPRESSED_COPIES_BEST_EXTENSIONS")


def _folder_key(memo, folder):
    status = os.stat(folder)
    return memo.key("compressed copies made with", status.st_dev, status.st_ino)


def _write_pair(path, copies):
    """Write a file's .gz and .br copies (1), or none when they would not be
    smaller (0)."""
    if copies is None:
        return 0
    output.write(path.with_name(path.name + ".gz"), copies[0])
    output.write(path.with_name(path.name + ".br"), copies[1])
    return 1


# Files a worker task compresses.  A task a file would take 18,000 of them
# at 5,000 essays, and the workers' queue holds a future of about 2 kB for
# each: 38 MB on top of the build at its largest.
BATCH = 64


def _compress_batch(batch):
    """In a worker: the copies of a batch of files, each into the memo."""
    memo = memos.current()
    for key, path, quality in batch:
        memo.compute(key, compress_file, str(path), quality, what=str(path))


def register():
    core.register()
    # After the HTML is rewritten, before the host configuration names the files.
    pipeline.on("finalized", write_copies, Order.COMPRESS)
    # The folders written beside the build, once the steps writing them have
    # waited for that work to end (Order.SETTLE).
    pipeline.on("finalized", write_late_copies, Order.COMPRESS_LATE)
