"""Write a .gz and a .br copy next to every text file of the production output.

Hosts that serve precompressed files (nginx ``gzip_static``/``brotli_static``,
Caddy ``precompressed``) then send the smaller copy without compressing on
each request.

Runs on pelican-granular-signals' ``compress`` signal, after every
``finalized`` receiver and after asset_pipeline has fingerprinted and minified
the output, so the copies match the files as published.

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
- every result (both copies, in one file) is kept in ``<CACHE_PATH>/compressed/``
  under the SHA-256 of the file and the settings, so a rebuild compresses only
  the files that changed;
- what the cache lacks is compressed by worker processes, one per CPU.

Signals: ``initialized`` (defaults), granular-signals' ``compress``.

Settings (defaults in ``DEFAULTS``):
  COMPRESSED_COPIES_EXTENSIONS      suffixes of the text files to compress
  COMPRESSED_COPIES_BROTLI_QUALITY  brotli quality, 0-11 (9)
  COMPRESSED_COPIES_BEST_EXTENSIONS suffixes compressed at brotli quality 11
                                    (.css, .js, .mjs, .svg)
  COMPRESSED_COPIES_CACHE           folder; None: <CACHE_PATH>/compressed;
                                    False: no cache
  COMPRESSED_COPIES_WORKERS         processes; None: one per CPU; 0: none

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
import struct
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import blinker
import brotli
import pelican.plugins.granular_signals  # noqa: F401  (defines the ordered signals)
from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
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
    "COMPRESSED_COPIES_CACHE": None,
    "COMPRESSED_COPIES_WORKERS": None,
}
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


def _compress_file(args):
    path, quality = args
    return path, compress(Path(path).read_bytes(), quality)


# One cache file a result, both copies in it: creating and opening files, not
# compressing, is most of what a rebuild spends here.  Empty: no copies.
_GZIP_LENGTH = struct.Struct(">I")
_MISSING = object()


def pack(copies):
    if copies is None:
        return b""
    gz, br = copies
    return _GZIP_LENGTH.pack(len(gz)) + gz + br


def unpack(entry: bytes):
    if not entry:
        return None
    end = _GZIP_LENGTH.size + _GZIP_LENGTH.unpack_from(entry)[0]
    return entry[_GZIP_LENGTH.size : end], entry[end:]


def _store(path: Path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename: a build running beside this one never reads half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, path)


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    apply_defaults(pelican.settings)


def cache_dir(settings):
    configured = settings["COMPRESSED_COPIES_CACHE"]
    if configured is False:
        return None
    return Path(configured or os.path.join(settings["CACHE_PATH"], "compressed"))


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
    apply_defaults(settings)
    suffixes = set(settings["COMPRESSED_COPIES_EXTENSIONS"])
    best = set(settings["COMPRESSED_COPIES_BEST_EXTENSIONS"])
    files = text_files(pelican.output_path, suffixes)
    cache = cache_dir(settings)
    results, missing = {}, []
    for path in files:
        quality = quality_for(path, settings["COMPRESSED_COPIES_BROTLI_QUALITY"], best)
        data = path.read_bytes()
        key = hashlib.sha256(data + f"|{METHOD}|br{quality}".encode()).hexdigest()
        cached = cache / key[:2] / key if cache else None
        try:
            results[path] = unpack(cached.read_bytes()) if cached else _MISSING
        except FileNotFoundError:
            results[path] = _MISSING
        if results[path] is _MISSING:
            missing.append((path, cached, quality))
    workers = settings["COMPRESSED_COPIES_WORKERS"]
    workers = (os.cpu_count() or 1) if workers is None else workers
    jobs = [(str(path), quality) for path, _, quality in missing]
    if workers > 1 and len(jobs) > 1:
        with ProcessPoolExecutor(workers) as pool:
            done = dict(pool.map(_compress_file, jobs, chunksize=16))
    else:
        done = dict(map(_compress_file, jobs))
    for path, cached, _ in missing:
        copies = done[str(path)]
        results[path] = copies
        if cached:
            _store(cached, pack(copies))
    written = 0
    for path, copies in results.items():
        if copies is None:
            continue
        path.with_name(path.name + ".gz").write_bytes(copies[0])
        path.with_name(path.name + ".br").write_bytes(copies[1])
        written += 1
    logger.info(
        "Wrote .gz and .br copies of %d files (%d compressed, %d from the cache)",
        written,
        len(missing),
        len(files) - len(missing),
    )


def register():
    signals.initialized.connect(initialized)
    blinker.signal("compress").connect(write_copies)
