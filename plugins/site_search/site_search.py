"""Build the Pagefind search index of every build, into that build's output, in shards.

Pagefind indexes the finished HTML: it reads ``<html lang>`` and writes one
index per language (the extended binary from PyPI's ``pagefind[extended]``
segments Chinese and Japanese into words), plus the ``pagefind.js`` API that
the search page (``theme/static/js/search.js``) loads.  Only what templates mark
with ``data-pagefind-body`` is indexed (essay bodies), with the title and date
taken from ``data-pagefind-meta``.

Pagefind cannot update an index, so the pages are split into shards
(``shards.py`` says how and why by a hash of the path), each its own bundle
in ``<bundle>/<shard>/``, listed with its digest in ``<bundle>/shards.json``.
The search page loads one shard's ``pagefind.js`` and merges every other
shard and language into it.  A shard whose pages kept their bytes is linked
from the last good output; the rest are indexed, ``SITE_SEARCH_JOBS`` at a
time, each by its own Pagefind run, so memory is bounded by the shard size
rather than the site's.

Measured on ``tools.bench`` corpora (2 CPUs, shared, so CPU seconds of the
Pagefind runs rather than wall time; largest Pagefind process):

  1,000 essays (1,003 pages)  one bundle: 5.7 s, 452 MB
                              4 shards, cold: 4.2-5.5 s, 128-133 MB
                              one essay edited: 1 shard, 1.3-1.6 s, 132 MB
  5,000 pages (that site's    one bundle: 17.9 s, 1,638 MB
  pages under five paths)     16 shards, cold: 22.1 s, 178 MB
                              one essay edited: 1 shard, 1.3 s, 178 MB

Reading and hashing the pages to find the dirty shards costs the build
0.65 CPU-seconds at 5,000 essays, with nothing to index or not (1.6 s
while the body mark was searched for from the top of each page).

Signals: the site's ``essays_written`` and ``finalized``, twice.  On a
rebuild of few essays (``pages.few_changed``) indexing starts as soon as the
essays' pages are written, on a folder of links to them, with the pages not
written yet taken as the last good output has them; at ``INDEX`` the index
is planned again from every page and any shard that differs is indexed again
(``index_written_essays``).  Otherwise, at the core's ``INDEX`` step (every
page is written) the shards are planned, the unchanged ones linked and
Pagefind started on the others, in a process of its own (``runner.py`` says
why); the build goes on meanwhile (fingerprinting scripts, compressing every
file outside the bundle folder, which ``plugins.core.output`` marks as still
being written).  At ``SETTLE`` the build waits for Pagefind and puts each
new shard in place: its languages in ``pagefind-entry.json`` in name order
(Pagefind writes them in hash-map order, the one part of its output that
differs between two runs on the same input), the ready-made interfaces the
site does not use removed, and ``shards.json`` written.  The bundle's
compressed copies follow (``COMPRESS_LATE``), then ``_headers``.  After one
edit at 5,000 essays, Pagefind's run on the dirty shard (about 1.3 s) now
overlaps compression's check of 18,000 unchanged files; on a cold build at
1,000 essays the shards' runs overlap the compression of every file, and
search plus compression took 13.5 s instead of 20.5 s (2 CPUs, shared).

Settings (defaults in ``DEFAULTS``):
  SITE_SEARCH_ENABLED     build the index (True)
  SITE_SEARCH_BUNDLE_DIR  folder under the output path for the shards and
                          ``shards.json`` ("pagefind"); templates link to it
  SITE_SEARCH_EXCLUDE     CSS selectors inside indexed regions to leave out
                          ([]); ``data-pagefind-ignore`` works as well
  SITE_SEARCH_GLOB        which files under the output path are indexed, in
                          Pagefind's glob syntax (None: every HTML file);
                          naming only the pages that carry
                          ``data-pagefind-body`` gives the same index sooner
  SITE_SEARCH_SHARD_SIZE  pages a shard holds on average, at most (500):
                          Pagefind's memory grows with it, and each shard
                          costs a start of the binary and a request or two
                          more on the search page
  SITE_SEARCH_JOBS        shards indexed at the same time (2)
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
log.  The API was measured too: one long-lived process indexing the shards
in turn (``add_directory`` with the same glob) took 4.4 CPU-seconds and
119 MB where separate runs took 5.2 s and 100 MB (1,000 essays, eight
shards), no gain worth an event loop; handing it the pages one by one
(``add_html_file``) took nearly two minutes.
"""

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from plugins import core
from plugins.core import config, output, pages, pipeline
from plugins.core import memo as memos
from plugins.core.pipeline import Order

from . import shards

logger = logging.getLogger(__name__)

RUNNER = Path(__file__).with_name("runner.py")

DEFAULTS = config.declare(
    __name__,
    {
        "SITE_SEARCH_ENABLED": True,
        "SITE_SEARCH_BUNDLE_DIR": "pagefind",
        "SITE_SEARCH_EXCLUDE": [],
        "SITE_SEARCH_KEEP_PAGEFIND_UI": False,
        "SITE_SEARCH_GLOB": None,
        "SITE_SEARCH_SHARD_SIZE": 500,
        "SITE_SEARCH_JOBS": 2,
    },
    prefixes=("SITE_SEARCH_",),
)

MANIFEST = "shards.json"
# Bumped when the layout of the bundles changes, so no old shard is reused.
LAYOUT = 1

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


def pagefind_version():
    for package in ("pagefind_bin_extended", "pagefind_bin", "pagefind"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            return f"{package} {metadata.version(package)}"
    return "unknown"


def pagefind_config(site, bundle, pages, exclude=()):
    """Pagefind's configuration for indexing ``pages`` of ``site`` into ``bundle``.

    Given as a configuration file, not as arguments: a shard's list of pages
    can be longer than one command-line argument may be (128 kB on Linux).
    """
    return {
        # Absolute: Pagefind runs in the folder of its configuration file.
        "site": str(Path(site).resolve()),
        "output_path": str(Path(bundle).resolve()),
        "glob": "{" + ",".join(shards.glob_literal(page) for page in pages) + "}",
        "exclude_selectors": list(exclude),
    }


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
    """Start indexing the finished pages; ``finish_index`` waits for the end."""
    settings = pelican.settings
    config.apply_defaults(settings)
    if not settings["SITE_SEARCH_ENABLED"]:
        return
    out = output.current()
    if out is not None and out.folder.resolve() != Path(pelican.output_path).resolve():
        out = None  # not this build's output (a test indexing a copy)
    if out is None:
        index_folder(settings, pelican.output_path)
        return
    early = _EARLY.pop("indexing", None)
    if early is not None and early.out is out:
        # Started on the essays' pages (``index_written_essays``): kept when
        # what every page is now is what it indexed.
        planned, _ = plan_index(settings, pelican.output_path)
        if early.covers(planned):
            logger.debug("site_search: the index started on the essays' pages stands")
            return
        logger.debug("site_search: pages changed since the index was started; indexing again")
        out.settle(settings["SITE_SEARCH_BUNDLE_DIR"])
        installed = {name: shard.digest for name, shard in early.planned.items()}
        indexing = start_indexing(settings, pelican.output_path, out=out, planned=planned,
                                  installed=installed)  # fmt: skip
    else:
        indexing = start_indexing(settings, pelican.output_path, out=out)
    if indexing is not None:
        # Pagefind indexes while the next steps work on other files; the
        # steps that read finished files leave the bundle folder alone until
        # finish_index has waited for it.
        out.in_background(settings["SITE_SEARCH_BUNDLE_DIR"], indexing.finish)


# The indexing ``index_written_essays`` started in this build, for ``build_index``.
_EARLY = {}


def index_written_essays(generator):
    """essays_written, on a rebuild of few essays (``pages.few_changed``):
    start indexing now, while the listings, pages, editions and cards are
    written, rather than once every page is (0.3 s of a rebuild at 1,000
    essays, Pagefind's run then being the last thing it waited for).

    Pages that are not written yet (About, the glossary) are taken as the
    last good output has them, and every page is read from a folder of
    links to the files as they are now, which later writes leave alone.
    ``build_index`` plans the index again once every page is written and
    indexes again whatever shard differs (an edited About page).  A cold
    build does not start early: its render workers are at work then, and
    Pagefind should not run alongside the build's peak."""
    settings = generator.settings
    config.apply_defaults(settings)
    out = output.current()
    if (
        not settings["SITE_SEARCH_ENABLED"]
        or not pages.few_changed()
        or out is None
        or out.previous is None
        or out.folder.resolve() != Path(generator.output_path).resolve()
    ):
        return
    planned, sources = plan_index(settings, generator.output_path, previous=out.previous)
    indexing = start_indexing(settings, generator.output_path, out=out, planned=planned,
                              sources=sources)  # fmt: skip
    if indexing is not None:
        logger.debug("site_search: indexing %d shards on the essays' pages", len(indexing.dirty))
        _EARLY["indexing"] = indexing
        out.in_background(settings["SITE_SEARCH_BUNDLE_DIR"], indexing.finish)


def finish_index(pelican):
    """Wait for the Pagefind runs ``build_index`` started; install their shards."""
    settings = pelican.settings
    config.apply_defaults(settings)
    out = output.current()
    if settings["SITE_SEARCH_ENABLED"] and out is not None:
        out.settle(settings["SITE_SEARCH_BUNDLE_DIR"])


def index_folder(settings, folder, priority="normal", out=None):
    """Index the pages under ``folder`` into its bundle folder; False on failure.

    ``out``: the build's ``Output``; shards unchanged since its last good
    output are linked from there.  Without it the folder is indexed in place
    and shards unchanged since its own last index are left as they are (the
    preview).  ``priority="low"``: as a background job (the preview refreshing
    its index while the author works), at the lowest CPU priority.
    """
    indexing = start_indexing(settings, folder, priority=priority, out=out)
    return False if indexing is None else indexing.finish()


def index_key(settings):
    """What shapes an index besides its pages: a shard made with another is not reused."""
    return json.dumps(
        [LAYOUT, pagefind_version(), settings["SITE_SEARCH_EXCLUDE"],
         settings["SITE_SEARCH_KEEP_PAGEFIND_UI"]]
    )  # fmt: skip


def plan_index(settings, folder, previous=None):
    """(the shards of the pages under ``folder``, {path: the file to index}).

    ``previous`` (the last good output, while pages are still being
    written): the pages it indexed that ``folder`` does not hold yet are
    planned as it has them.  What each page was last time (``site_pages``'
    identities) is kept in the memo, so an unchanged page is not read.
    """
    config.apply_defaults(settings)
    folder = Path(folder)
    bundle_dir = settings["SITE_SEARCH_BUNDLE_DIR"]
    memo = memos.current()
    identities = memo.key("search pages seen", LAYOUT)
    found, known, _ = memo.load(identities)
    known = known if found and isinstance(known, dict) else {}
    seen = {}
    pages = shards.site_pages(folder, settings["SITE_SEARCH_GLOB"], skip=bundle_dir,
                              known=known, seen=seen)  # fmt: skip
    sources = {path: folder / path for path in pages}
    if previous is not None:
        for path, (*_, digest, marked) in known.items():
            before = Path(previous) / path
            if marked and path not in seen and before.is_file():
                pages[path], sources[path] = digest, before
    else:
        memo.store(identities, seen, what="the search index's pages")
    del seen
    return shards.plan(pages, settings["SITE_SEARCH_SHARD_SIZE"], index_key(settings)), sources


def start_indexing(
    settings, folder, priority="normal", out=None, *, planned=None, sources=None, installed=None
):
    """Link or keep the unchanged shards and start indexing the others: the
    ``Indexing`` under way, or None when Pagefind is not installed.

    ``planned``: the shards, when ``plan_index`` was asked already;
    ``sources``: {path: file} to read the pages from, through a folder of
    links, when they are not all in ``folder`` yet; ``installed``: {shard:
    digest} of shards this build has put in the bundle already, kept when
    they are still right.
    """
    config.apply_defaults(settings)
    executable = pagefind_executable()
    if executable is None:
        logger.error(
            "site_search: the Pagefind binary is not installed — "
            "run `make setup` (it installs pagefind[extended] from requirements.txt)"
        )
        return None
    folder = Path(folder)
    bundle_dir = settings["SITE_SEARCH_BUNDLE_DIR"]
    bundle = folder / bundle_dir
    if planned is None:
        planned, _ = plan_index(settings, folder)
    previous = out.previous if out is not None and out.previous is not None else None
    before = read_manifest((previous or folder) / bundle_dir / MANIFEST)
    installed = installed or {}
    bundle.mkdir(parents=True, exist_ok=True)
    # Whatever is not a shard of this index goes: shards of an older layout
    # or count, a manifest that may be a link into the last good output.
    for path in bundle.iterdir():
        if path.name not in planned:
            forget(out, bundle_dir, path.name)
            remove(path)
    dirty = []
    for name, shard in planned.items():
        entry = bundle / name / "pagefind-entry.json"
        if installed.get(name) == shard.digest and entry.is_file():
            continue
        if before.get(name) == shard.digest and keep_shard(out, previous, bundle, bundle_dir, name):
            continue
        # Pagefind writes its files where files of the last good output may
        # be linked (an index started on the essays' pages kept the shard
        # that is now changed): never into them.
        forget(out, bundle_dir, name)
        remove(bundle / name)
        dirty.append(shard)
    return Indexing(settings, executable, folder, planned, dirty, out=out, priority=priority,
                    sources=sources)  # fmt: skip


class Indexing:
    """The Pagefind runs of one index's dirty shards, under way in a process
    of their own (``runner.py``), ``SITE_SEARCH_JOBS`` at a time."""

    def __init__(
        self, settings, executable, folder, planned, dirty, *, out, priority, sources=None
    ):
        self.settings, self.folder, self.planned, self.dirty = settings, folder, planned, dirty
        self.out = out
        self.bundle = folder / settings["SITE_SEARCH_BUNDLE_DIR"]
        self.work = tempfile.TemporaryDirectory(prefix="site-search-")
        self.links = None
        self.process = None
        if not dirty:
            return
        site = folder
        if sources is not None:
            # Beside the output, so the links are on its file system.
            self.links = tempfile.TemporaryDirectory(prefix=f".{folder.name}.search-",
                                                     dir=folder.parent)  # fmt: skip
            site = Path(self.links.name)
            link_pages(site, {page: sources[page] for shard in dirty for page in shard.pages})
        runs = []
        for shard in dirty:
            # Each run in its own folder, which holds its configuration file.
            here = Path(self.work.name) / shard.name
            here.mkdir()
            (here / "pagefind.json").write_text(
                json.dumps(pagefind_config(site, self.bundle / f".{shard.name}.new",
                                           shard.pages, settings["SITE_SEARCH_EXCLUDE"])),
                encoding="utf-8",
            )  # fmt: skip
            runs.append(str(here))
        low = ["--low"] if priority == "low" else []
        jobs = str(max(1, settings["SITE_SEARCH_JOBS"]))
        with open(Path(self.work.name) / "runner.log", "wb") as log:
            # -I -S: the standard library only, whatever the environment says.
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(RUNNER), *low, jobs, executable, *runs],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def finish(self):
        """Wait for the runs, put each shard in place and write the manifest;
        False if a shard could not be indexed."""
        try:
            if self.process is not None:
                self.process.wait()
            runner_log = self._read("runner.log")
            ok = True
            for shard in self.dirty:
                ok = self._install(shard, runner_log) and ok
            manifest = {
                "layout": LAYOUT,
                "shards": {name: shard.digest for name, shard in self.planned.items()
                           if (self.bundle / name / "pagefind-entry.json").is_file()},
            }  # fmt: skip
            text = json.dumps(manifest, sort_keys=True, separators=(",", ":"))
            bundle_dir = self.settings["SITE_SEARCH_BUNDLE_DIR"]
            if self.out is not None:
                self.out.write(f"{bundle_dir}/{MANIFEST}", text)
            else:
                (self.bundle / MANIFEST).write_text(text, encoding="utf-8")
            logger.info(
                "Search index in %s/%s: %d shards, %d indexed again, %d kept",
                self.folder, bundle_dir, len(self.planned), len(self.dirty),
                len(self.planned) - len(self.dirty),
            )  # fmt: skip
            return ok
        finally:
            self.work.cleanup()
            if self.links is not None:
                self.links.cleanup()

    def covers(self, planned):
        """Whether this index is of exactly the shards ``planned``."""
        return planned.keys() == self.planned.keys() and all(
            shard.digest == self.planned[name].digest for name, shard in planned.items()
        )

    def _read(self, *parts):
        try:
            return Path(self.work.name, *parts).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def _install(self, shard, runner_log):
        """Put the shard Pagefind wrote in place; False (logged) if it failed."""
        shard_bundle = self.bundle / shard.name
        # Written beside the shard and swapped in whole, so a search page open in
        # the preview never finds a shard half-written.
        written = shard_bundle.with_name(f".{shard.name}.new")
        status = self._read(shard.name, "status").strip()
        if status != "0" or not (written / "pagefind-entry.json").is_file():
            log = self._read(shard.name, "log").strip() or runner_log.strip()
            logger.error(
                "site_search: Pagefind could not index %s — %s",
                shard_bundle,
                log or f"exit code {status or 'unknown'}",
            )
            remove(written)
            return False
        sort_entry_languages(written)
        if not self.settings["SITE_SEARCH_KEEP_PAGEFIND_UI"]:
            for name in PAGEFIND_UI_FILES:
                (written / name).unlink(missing_ok=True)
        remove(shard_bundle)
        os.replace(written, shard_bundle)
        return True


def forget(out, bundle_dir, name):
    if out is not None:
        out.forget(f"{bundle_dir}/{name}")


def link_pages(site, sources):
    """A folder of the pages to index: each page's file, linked (copied
    where a link cannot be made) at its path under ``site``."""
    for page, source in sources.items():
        target = site / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)


def read_manifest(path):
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest.get("shards", {}) if manifest.get("layout") == LAYOUT else {}


def keep_shard(out, previous, bundle, bundle_dir, name):
    """Whether the last index's shard ``name`` is now in ``bundle``."""
    if previous is not None:
        return out.link_folder(f"{bundle_dir}/{name}")
    return out is None and (bundle / name / "pagefind-entry.json").is_file()


def remove(path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def register():
    core.register()
    # After every page and the stylesheet are written, before HTML is minified.
    # On a rebuild of few essays, once their pages are written (while the
    # listings are); else once every page is.
    pipeline.on("essays_written", index_written_essays, Order.INDEX)
    pipeline.on("finalized", build_index, Order.INDEX)
    # Pagefind indexed while the steps between worked on other files; the
    # index is complete before its files are compressed (Order.COMPRESS_LATE)
    # and the host configuration is written.
    pipeline.on("finalized", finish_index, Order.SETTLE)
