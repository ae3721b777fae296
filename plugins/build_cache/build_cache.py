"""Make builds of a large archive faster without changing a byte of output.

Two things, both keyed by content so that they are always safe:

- **A build cache.** The results of the build's pure, expensive steps are kept
  in ``<CACHE_PATH>/build_cache/<fingerprint>.pickle`` and reused when the same
  input comes back: reading an essay (Markdown conversion and its metadata,
  keyed by the file's bytes and path), typogrify (keyed by the text and its
  options), linking glossary terms (keyed by the essay's HTML and the
  glossary), the Jinja filters that rewrite essay HTML at render time
  (``sidenotes``, ``heading_anchors``, ``outline``: keyed by their input), and
  every rendered page and feed (``page_memo``: kept with the essays its
  render read, and reused only while they are unchanged, so an edit to one
  essay renders again only the pages that show it).
  The fingerprint covers every setting (but where the output goes and how
  many workers there are), the source of every project plugin, the versions
  of the libraries that shape output and Python's, so a change to any of
  them starts an empty cache; pages are also keyed by every file of the
  theme.  Messages a step logged are logged again when its result is reused,
  so a warm build fails where a cold one does.  A build keeps only the
  entries it used.
- **Work in parallel.** What the cache lacks is computed by worker processes
  (one fewer than the CPUs) beside the build, forked from it (the reader
  classes, the glossary, the templates and the essays exist only there): the
  essays are read (Markdown and typogrify) and their glossary terms linked,
  and then the essay pages rendered.  Workers take the essays from the last,
  the build from the first, and the build takes each result from the cache
  when it gets there: whichever reaches an essay first does its work.  With
  ``BUILD_CACHE_RENDER`` off, workers started from a fork server compute the
  filter chains of ``BUILD_CACHE_PRECOMPUTE`` instead.

Output is byte-identical with or without the cache and the workers: every
reused value is what the step returns for that input (the test suite builds
the fixture site plainly and with both, and compares every file).

Signals: ``initialized`` (defaults, fingerprint, loads the cache, wraps
typogrify and the editorial plugin's glossary linker), ``readers_init`` (wraps
the reader classes: this plugin comes last in PLUGINS, so it wraps the
others' wrappers; the first read starts the reading workers),
``generator_init`` (wraps the filters), ``content_object_init`` (notes every
essay and page for ``page_memo``), ``all_generators_finalized`` (starts the
render or filter workers), ``get_writer`` (the writer that renders through
the cache), ``finalized`` (stops the workers, saves the cache).

Settings (defaults in ``DEFAULTS``):
  BUILD_CACHE_ENABLED       keep and reuse results across builds (True)
  BUILD_CACHE_PATH          folder; None: <CACHE_PATH>/build_cache
  BUILD_CACHE_KEEP          cache files of other fingerprints to keep (3)
  BUILD_CACHE_FILTERS       Jinja filters to cache (one argument, pure)
  BUILD_CACHE_PRECOMPUTE    filter chains the theme applies to essay content,
                            computed by the workers when render workers are off
  BUILD_CACHE_RENDER        render essay pages in the workers (True)
  BUILD_CACHE_WORKERS       worker processes; None: one fewer than the CPUs;
                            0: none
  BUILD_CACHE_PARALLEL_MIN  fewer essays to do than this (32): no workers

Attributes added: none.

Why not Pelican's own cache: ``CACHE_CONTENT`` keeps reader results per file
but checks only the file (not settings or plugins), still runs typogrify on
every build, and keeps none of the plugins' work; Pelican has no parallel
build, and its only partial writing (``WRITE_SELECTED``) needs the author to
name the outputs an edit changes.
"""

import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import os
import pickle
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pelican import readers, signals
from pelican.urlwrappers import URLWrapper
from pelican.utils import get_relative_path, path_to_url

from . import page_memo

logger = logging.getLogger(__name__)

DEFAULTS = {
    "BUILD_CACHE_ENABLED": True,
    "BUILD_CACHE_PATH": None,
    "BUILD_CACHE_KEEP": 3,
    "BUILD_CACHE_FILTERS": ["sidenotes", "heading_anchors", "outline"],
    "BUILD_CACHE_PRECOMPUTE": [["sidenotes", "heading_anchors"], ["outline"]],
    "BUILD_CACHE_WORKERS": None,
    "BUILD_CACHE_PARALLEL_MIN": 32,
    "BUILD_CACHE_RENDER": True,
}

# Libraries whose version can change what the cached steps return.
LIBRARIES = [
    "pelican", "markdown", "typogrify", "smartypants", "beautifulsoup4", "lxml",
    "pygments", "markupsafe", "jinja2",
]  # fmt: skip


# Fingerprint -----------------------------------------------------------------


def _stable(value):
    """A JSON-able form of a settings value that is the same in every process."""
    if isinstance(value, dict):
        return {str(k): _stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(v)) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


# Settings that say where and how fast to build, not what: a build into a new
# (staging) folder, or with more workers, still reuses the cache.
NOT_FINGERPRINTED = {
    "OUTPUT_PATH", "CACHE_PATH", "DELETE_OUTPUT_DIRECTORY", "OUTPUT_RETENTION",
    "WRITE_SELECTED", "SOCIAL_IMAGE_WORKERS", "SOCIAL_IMAGE_PARALLEL_MIN",
}  # fmt: skip


def shapes_output(key):
    """Whether a setting (or context entry) is part of what a build makes."""
    return key not in NOT_FINGERPRINTED and not key.startswith("BUILD_CACHE_")


def fingerprint(settings):
    digest = hashlib.sha256()
    relevant = {key: value for key, value in settings.items() if shapes_output(key)}
    digest.update(json.dumps(_stable(relevant), sort_keys=True).encode())
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    for folder in settings.get("PLUGIN_PATHS", []):
        for path in sorted(Path(folder).rglob("*.py")):
            digest.update(path.as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key_for(*parts):
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


# The cache -------------------------------------------------------------------


class _Capture(logging.Handler):
    """Keeps the messages logged while a step runs, to log them again on reuse."""

    def __init__(self):
        super().__init__(level=logging.INFO)
        self.records = []

    def emit(self, record):
        if record.name == __name__:
            return
        args = record.args
        try:
            pickle.dumps(args)
        except Exception:  # any unpicklable argument
            args = ()
            record = logging.makeLogRecord({**record.__dict__, "msg": record.getMessage()})
        self.records.append((record.name, record.levelno, record.msg, args))


class BuildCache:
    """Results by key, each pickled on its own so every reuse gets fresh objects."""

    def __init__(self, path=None, fingerprint=""):
        self.path = path
        self.fingerprint = fingerprint
        self.entries = {}
        self.used = {}
        self.hits = self.misses = self.by_workers = 0
        self.recording = None  # keys a page's render used, while it renders
        self.journal = None  # (key, blob) put, in a render worker
        if path is not None and path.is_file():
            try:
                with path.open("rb") as handle:
                    self.entries = pickle.load(handle)
            except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
                logger.debug("build_cache: starting afresh, %s could not be read", path)
                self.entries = {}

    def peek(self, key):
        """(found, value) without replaying its messages or keeping it."""
        blob = self.used.get(key) or self.entries.get(key)
        return (False, None) if blob is None else (True, pickle.loads(blob)[0])

    def keep(self, keys):
        """Keep these entries for the next build though this one does not read them."""
        for key in keys:
            if key not in self.used and key in self.entries:
                self.used[key] = self.entries[key]

    def get(self, key):
        """(found, value): the value is unpickled afresh and its messages replayed."""
        if self.recording is not None:
            self.recording.add(key)
        blob = self.used.get(key)
        if blob is None:
            blob = self.entries.get(key)
            if blob is None:
                return False, None
            self.used[key] = blob
            self.hits += 1
        value, records = pickle.loads(blob)
        for name, level, msg, args in records:
            logging.getLogger(name).log(level, msg, *args)
        return True, value

    def put(self, key, blob):
        """Keep a result computed in this build (here or by a worker)."""
        if self.recording is not None:
            self.recording.add(key)
        if self.journal is not None:
            self.journal.append((key, blob))
        self.used[key] = blob
        self.misses += 1

    def compute(self, key, function, *args):
        """Return function(*args), from the cache when this key was seen."""
        found, value = self.get(key)
        if found:
            return value
        blob = run_captured(function, *args)
        self.put(key, blob)
        return pickle.loads(blob)[0]

    def save(self, keep):
        if self.path is None:
            return
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, self.path)
        others = [p for p in folder.glob("*.pickle") if p != self.path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in others[keep:]:
            stale.unlink(missing_ok=True)


def run_captured(function, *args):
    """Pickled (result, messages logged while computing it)."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        value = function(*args)
    finally:
        root.removeHandler(capture)
    return pickle.dumps((value, capture.records), protocol=pickle.HIGHEST_PROTOCOL)


# The cache of the build running in this process (None: no cache).
_CURRENT = {"cache": None, "settings": None, "pending": {}, "executors": [], "preread": False}


def current():
    return _CURRENT["cache"]


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    settings = pelican.settings
    apply_defaults(settings)
    _stop_workers()
    _CURRENT["settings"] = settings
    _CURRENT["preread"] = False
    if not settings["BUILD_CACHE_ENABLED"]:
        _CURRENT["cache"] = None
        page_memo.reset()
        return
    folder = settings["BUILD_CACHE_PATH"] or os.path.join(settings["CACHE_PATH"], "build_cache")
    stamp = fingerprint(settings)
    _CURRENT["cache"] = BuildCache(Path(folder) / f"{stamp}.pickle", stamp)
    page_memo.reset()
    _wrap_typogrify()
    _wrap_glossary()


def finalized(pelican):
    _stop_workers()
    page_memo.reset()
    cache = current()
    if cache is None:
        return
    cache.save(pelican.settings["BUILD_CACHE_KEEP"])
    logger.info(
        "build_cache: %d results reused, %d computed (%d by workers), kept in %s",
        cache.hits,
        cache.misses,
        cache.by_workers,
        cache.path,
    )
    # `make serve` builds again in this process without a new `initialized`:
    # the next build starts from what this one kept.
    following = BuildCache(None, cache.fingerprint)
    following.path, following.entries = cache.path, cache.used
    _CURRENT["cache"] = following
    _CURRENT["preread"] = False


# Readers ---------------------------------------------------------------------

_WRAPPER = "\0urlwrapper"
_DISCARDED = "\0discard"


def _portable(value):
    """Metadata without URLWrappers, which hold the settings: (class, name) instead.

    Pelican marks an empty field (``Tags:`` with nothing after it) with its
    own ``_DISCARD`` object and drops it by identity, so it travels as a marker.
    """
    if value is readers._DISCARD:
        return (_DISCARDED,)
    if isinstance(value, URLWrapper):
        return (_WRAPPER, type(value), value.name)
    if isinstance(value, list):
        return [_portable(v) for v in value]
    return value


def _restore(value, settings):
    if value == (_DISCARDED,):
        return readers._DISCARD
    if isinstance(value, tuple) and len(value) == 3 and value[0] == _WRAPPER:
        return value[1](value[2], settings)
    if isinstance(value, list):
        return [_restore(v, settings) for v in value]
    return value


def _cached_reader(base):
    class CachedReader(base):
        """``base`` whose results are kept in the build cache."""

        build_cache_wrapped = True

        def read(self, source_path):
            cache = current()
            if cache is None:
                return super().read(source_path)
            key = read_key(cache, base, source_path)
            _preread(self, base)
            _collect(key)
            content, metadata = cache.compute(key, self.build_cache_read_portable, source_path)
            return content, {k: _restore(v, self.settings) for k, v in metadata.items()}

        def build_cache_read_portable(self, source_path):
            content, metadata = super().read(source_path)
            return content, {k: _portable(v) for k, v in metadata.items()}

    CachedReader.__name__ = base.__name__
    CachedReader.__qualname__ = base.__qualname__
    return CachedReader


def read_key(cache, base, source_path):
    return key_for("read", cache.fingerprint, base.__qualname__, source_path,
                   Path(source_path).read_bytes())  # fmt: skip


def typogrify_key(text, ignore_tags, options, attr):
    return key_for("typogrify", text, repr(ignore_tags), sorted(options.items()), attr)


def typogrify_options(settings):
    """(ignore_tags, options, smartypants attributes) as Pelican's reader passes them."""
    import smartypants  # noqa: PLC0415

    attr = {
        "oldschool": smartypants.Attr.set2,
        "oldschool_inverted": smartypants.Attr.set3,
    }.get(settings["TYPOGRIFY_DASHES"], smartypants.Attr.set1)
    attr |= smartypants.Attr.w
    options = dict.fromkeys(settings["TYPOGRIFY_OMIT_FILTERS"], False)
    return settings["TYPOGRIFY_IGNORE_TAGS"], options, int(attr)


# What the reading workers inherit when they are forked: the reader, and how
# typogrify will be called on what it returns.
_PREREAD = {"reader": None, "typogrify": None}


def _quiet_child():
    """A forked worker logs nothing itself: what it logs goes back with its results."""
    logging.getLogger().handlers = []


def _read_in_worker(source_path, key):
    """In a forked worker: [(key, blob)] for reading one file and typogrifying it."""
    reader = _PREREAD["reader"]
    blob = run_captured(reader.build_cache_read_portable, source_path)
    results = [(key, blob)]
    if _PREREAD["typogrify"] is not None:
        import smartypants  # noqa: PLC0415
        from typogrify import filters  # noqa: PLC0415

        original = getattr(filters.typogrify, "__wrapped__", filters.typogrify)
        ignore_tags, options, attr = _PREREAD["typogrify"]
        smartypants.Attr.default = attr
        content, metadata = pickle.loads(blob)[0]
        for text in (content, metadata.get("title"), metadata.get("summary")):
            if text:
                results.append(
                    (
                        typogrify_key(text, ignore_tags, options, attr),
                        run_captured(original, text, ignore_tags, **options),
                    )
                )
    return results


def _preread(reader, base):
    """Once per build: read the files no cache holds in forked workers.

    Workers take the last files first and the build, reading in its own
    order, the first: together they meet in the middle.  The reader classes
    are made at run time by the plugins' wrappers, so workers are forked
    from the build (a fork server could not rebuild them); they log nothing
    themselves, and the build process runs no other thread of its own but a
    progress display, whose lock the workers never touch.
    """
    if _CURRENT["preread"]:
        return
    _CURRENT["preread"] = True
    settings = _CURRENT["settings"]
    cache = current()
    workers = worker_count(settings)
    if (
        not workers
        or not hasattr(os, "fork")
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return
    extensions = set(reader.file_extensions)
    paths = []
    for folder, dirs, files in os.walk(settings["PATH"]):
        dirs.sort()
        paths += [os.path.abspath(os.path.join(folder, name)) for name in sorted(files)
                  if name.rpartition(".")[2] in extensions]  # fmt: skip
    todo = []
    for path in paths:
        key = read_key(cache, base, path)
        if key not in cache.entries:
            todo.append((path, key))
    if len(todo) < settings["BUILD_CACHE_PARALLEL_MIN"]:
        return
    _PREREAD["reader"] = reader
    _PREREAD["typogrify"] = typogrify_options(settings) if settings.get("TYPOGRIFY") else None
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_child
    )
    _CURRENT["executors"].append(executor)
    for path, key in reversed(todo):
        _CURRENT["pending"][key] = executor.submit(_read_in_worker, path, key)
    logger.debug("build_cache: reading %d files in %d workers", len(todo), workers)


def wrap_readers(readers):
    wrapped = {}
    for ext, cls in list(readers.reader_classes.items()):
        if cls is None or getattr(cls, "build_cache_wrapped", False):
            continue
        if cls not in wrapped:
            wrapped[cls] = _cached_reader(cls)
        readers.reader_classes[ext] = wrapped[cls]


# typogrify and the glossary --------------------------------------------------


def _wrap_typogrify():
    try:
        import smartypants  # noqa: PLC0415
        from typogrify import filters  # noqa: PLC0415
    except ImportError:
        return
    original = getattr(filters.typogrify, "__wrapped__", filters.typogrify)

    def typogrify(text, ignore_tags=None, **options):
        cache = current()
        if cache is None:
            return original(text, ignore_tags, **options)
        key = key_for("typogrify", text, repr(ignore_tags), sorted(options.items()),
                      int(smartypants.Attr.default))  # fmt: skip
        return cache.compute(key, lambda: original(text, ignore_tags, **options))

    typogrify.__wrapped__ = original
    filters.typogrify = typogrify


def glossary_key(markup, terms, matcher, link_for):
    described = [(t.slug, t.term, t.aliases, t.chinese, t.definition, link_for(t))
                 for t in terms]  # fmt: skip
    return key_for("glossary", markup, matcher.pattern, repr(described))


def _link_portable(original, markup, terms, matcher, link_for):
    linked_markup, used = original(markup, terms, matcher, link_for)
    return linked_markup, [terms.index(term) for term in used]


def _wrap_glossary():
    module = sys.modules.get("editorial.glossary")
    if module is None or not hasattr(module, "link_first_uses"):
        return
    original = getattr(module.link_first_uses, "__wrapped__", module.link_first_uses)
    original_link_essays = getattr(module.link_essays, "__wrapped__", module.link_essays)

    def link_first_uses(markup, terms, matcher, link_for):
        cache = current()
        if cache is None or matcher is None or not markup:
            return original(markup, terms, matcher, link_for)
        key = glossary_key(markup, terms, matcher, link_for)
        _collect(key)
        linked_markup, used = cache.compute(
            key, _link_portable, original, markup, terms, matcher, link_for
        )
        return linked_markup, [terms[index] for index in used]

    def link_essays(generator):
        _prelink(module, original, generator)
        return original_link_essays(generator)

    link_first_uses.__wrapped__ = original
    link_essays.__wrapped__ = original_link_essays
    module.link_first_uses = link_first_uses
    module.link_essays = link_essays


# What the linking workers inherit when they are forked.
_PRELINK = {"link": None, "markups": []}


def _link_in_worker(index, key):
    link, markups = _PRELINK["link"], _PRELINK["markups"]
    return [(key, run_captured(link, markups[index]))]


def _prelink(module, original, generator):
    """Link glossary terms of the essays no cache holds in forked workers.

    Does what ``link_essays`` is about to do essay by essay, with the same
    glossary, so that its calls find the results ready (see ``_preread`` on
    forking the build).
    """
    settings = generator.settings
    cache = current()
    workers = worker_count(settings)
    if cache is None or not workers or "fork" not in multiprocessing.get_all_start_methods():
        return
    # Its messages are the build's own to log, when link_essays reads it.
    terms = pickle.loads(run_captured(module.read_site_glossary, settings))[0]
    matcher = module.build_matcher(terms)
    if matcher is None:
        return
    page_path = settings["GLOSSARY_PAGE"]

    def link_for(term):
        return module.term_link(term, page_path)

    todo = []
    for article in module.all_articles(generator):
        markup = article._content
        if markup:
            key = glossary_key(markup, terms, matcher, link_for)
            if key not in cache.entries and key not in cache.used:
                todo.append((markup, key))
    if len(todo) < settings["BUILD_CACHE_PARALLEL_MIN"]:
        return

    def link(markup):
        return _link_portable(original, markup, terms, matcher, link_for)

    _PRELINK["link"] = link
    _PRELINK["markups"] = [markup for markup, _ in todo]
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_child
    )
    _CURRENT["executors"].append(executor)
    for index in reversed(range(len(todo))):
        _CURRENT["pending"][todo[index][1]] = executor.submit(
            _link_in_worker, index, todo[index][1]
        )
    logger.debug(
        "build_cache: linking glossary terms of %d essays in %d workers", len(todo), workers
    )


# Filters and the workers -----------------------------------------------------


def _filter_key(name, value):
    return key_for("filter", name, str(value))


def _cached_filter(name, function):
    def cached(value):
        cache = current()
        if cache is None:
            return function(value)
        key = _filter_key(name, value)
        found, result = cache.get(key)
        if found:
            return result
        _collect(key_for("text", str(value)))
        found, result = cache.get(key)
        if found:
            return result
        blob = run_captured(function, value)
        cache.put(key, blob)
        return pickle.loads(blob)[0]

    cached.__wrapped__ = function
    cached.__name__ = getattr(function, "__name__", name)
    return cached


def wrap_filters(generator):
    settings = generator.settings
    apply_defaults(settings)
    env = getattr(generator, "env", None)
    if env is None:
        return
    for name in settings["BUILD_CACHE_FILTERS"]:
        function = env.filters.get(name)
        if function is not None and not hasattr(function, "__wrapped__"):
            env.filters[name] = _cached_filter(name, function)


def _precompute(chains, text):
    """In a worker: [(key, blob)] for every filter of every chain applied to text."""
    results = []
    for chain in chains:
        value = text
        for name, function in chain:
            blob = run_captured(function, value)
            results.append((_filter_key(name, value), blob))
            value = pickle.loads(blob)[0]
    return results


def _collect(text_key):
    """Take a worker's results for this text: wait if it is at work on it."""
    take(_CURRENT["pending"].pop(text_key, None))


def take(future):
    """Put a worker's results in the cache, waiting if it is at work on them
    (a task not yet started is cancelled: the build does it); their keys."""
    if future is None or future.cancel():
        return []
    cache = current()
    keys = []
    for key, blob in future.result():
        cache.put(key, blob)
        cache.by_workers += 1
        keys.append(key)
    return keys


def _init_worker(level):
    logging.getLogger().setLevel(level)


def worker_pool(workers, plugin_paths):
    """Worker processes that can import the plugins whose filters they run.

    They start from a fork server, a fresh single-threaded process: forking
    the build itself could deadlock a worker on a lock that another of its
    threads (a progress display, a test server) held at that moment.
    """
    for folder in [str(Path(__file__).resolve().parent.parent), *map(str, plugin_paths)]:
        if folder not in sys.path:
            sys.path.append(folder)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_init_worker,
        initargs=(logging.getLogger().getEffectiveLevel(),),
    )


def start_workers(generators):
    settings = _CURRENT["settings"]
    cache = current()
    if cache is None or settings is None:
        return
    _stop_workers()  # the reading workers are done
    workers = worker_count(settings)
    articles_generator = next((g for g in generators if hasattr(g, "articles")), None)
    if articles_generator is not None:
        page_memo.use_context(articles_generator.context)
    if not workers or articles_generator is None:
        return
    forking = "fork" in multiprocessing.get_all_start_methods()
    if settings["BUILD_CACHE_RENDER"] and forking:
        executor = page_memo.start_render_workers(
            articles_generator, workers, settings["BUILD_CACHE_PARALLEL_MIN"], _forked_pool
        )
        if executor:
            _CURRENT["executors"].append(executor)
            return
    _start_filter_workers(articles_generator, settings, cache, workers)


def _start_filter_workers(articles_generator, settings, cache, workers):
    """Compute the filter chains of the essays' pages in fork-server workers."""
    env = articles_generator.env
    chains = []
    for chain in settings["BUILD_CACHE_PRECOMPUTE"]:
        if all(name in env.filters for name in chain):
            chains.append([(name, env.filters[name].__wrapped__) for name in chain])
    items = [
        *articles_generator.translations, *articles_generator.articles,
        *articles_generator.hidden_translations, *articles_generator.hidden_articles,
        *articles_generator.drafts_translations, *articles_generator.drafts,
    ]  # fmt: skip
    if not chains or len(items) < settings["BUILD_CACHE_PARALLEL_MIN"]:
        return
    texts = {}
    for item in items:
        # The text the page will render: links in it are relative to the
        # page when RELATIVE_URLS is on, as Pelican's writer makes them.
        if settings.get("RELATIVE_URLS"):
            siteurl = path_to_url(get_relative_path(item.save_as))
        else:
            siteurl = settings.get("SITEURL", "")
        text = str(item.get_content(siteurl))
        texts.setdefault(key_for("text", text), text)
    todo = [(k, t) for k, t in texts.items() if not cache.get(_filter_key(chains[0][0][0], t))[0]]
    if len(todo) < settings["BUILD_CACHE_PARALLEL_MIN"]:
        return
    executor = worker_pool(workers, settings.get("PLUGIN_PATHS", []))
    _CURRENT["executors"].append(executor)
    for text_key, text in reversed(todo):
        _CURRENT["pending"][text_key] = executor.submit(_precompute, chains, text)
    logger.debug("build_cache: %d essays to %d workers", len(todo), workers)


def _forked_pool(workers):
    """Workers forked from the build (see ``_preread`` on forking it)."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_child
    )


def worker_count(settings):
    workers = settings["BUILD_CACHE_WORKERS"]
    return max((os.cpu_count() or 1) - 1, 1) if workers is None else max(int(workers), 0)


def _stop_workers():
    executors = _CURRENT["executors"]
    _CURRENT["pending"] = {}
    _CURRENT["executors"] = []
    for executor in executors:
        executor.shutdown(cancel_futures=True)


def register():
    signals.initialized.connect(initialized)
    signals.readers_init.connect(wrap_readers)
    signals.generator_init.connect(wrap_filters)
    signals.all_generators_finalized.connect(start_workers)
    signals.content_object_init.connect(page_memo.remember)
    signals.get_writer.connect(page_memo.writer_class)
    signals.finalized.connect(finalized)
