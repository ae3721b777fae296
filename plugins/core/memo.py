"""Results of the build's pure, expensive steps, kept on disk one file each.

A feature says where it does the work what it caches and by which key, in
the spirit of Hugo's ``partialCached``::

    memo = current()
    key = memo.key("sidenotes", text)
    return memo.compute(key, with_sidenotes, text)

    key = memo.key("read", source_bytes, path, settings=settings_part(settings, READ_SETTINGS))

A key is made of its namespace, the parts given (the content itself or its
hash), the settings the step reads, and a salt shared by every entry:
Python's version, the versions of the libraries that shape output and the
source of every project plugin, so a change to any of them starts afresh.

Each entry is one file, ``<MEMO_PATH>/<2 hex>/<62 hex>``: a pickle of the
value and the messages logged while it was computed.  It is read only when a
step asks for it, so a build holds in memory what it uses, not the whole
archive.  Messages are logged again when an entry is reused, so a warm build
fails where a cold one does.  Entries are written through a temporary file
and a rename; one that is missing, partial or unreadable is computed again.
Storing or reading an entry never stops the build: the step is computed
without the memo, and the message (at info level, so a production build
does not fail over it) names what the step was for.

When the folder holds more than three times the entries the last build
used, the entries that build did not use are deleted.

Worker processes (``workers``) compute entries ahead of the build; the build
takes a worker's result, or waits for it, when it reaches the same key.

Settings (declared in ``plugins.core``): ``MEMO_ENABLED`` (True) and
``MEMO_PATH`` (None: ``<CACHE_PATH>/memo``).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import sys
from pathlib import Path

from .files import atomic_write

logger = logging.getLogger(__name__)

# Libraries whose version can change what a memoised step returns.
LIBRARIES = [
    "pelican", "markdown", "typogrify", "smartypants", "beautifulsoup4", "lxml",
    "pygments", "markupsafe", "jinja2", "pillow", "brotli", "leather",
]  # fmt: skip
# Entries kept beyond those the last build used, as a multiple of them.
KEEP_FACTOR = 3


def stable(value):
    """A JSON-able form of a settings value that is the same in every process."""
    if isinstance(value, dict):
        return {str(k): stable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [stable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(stable(v)) for v in value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    text = repr(value)
    return type(value).__qualname__ if " at 0x" in text else text


def settings_part(settings, names):
    """The settings a step reads, as one key part."""
    return json.dumps({name: stable(settings.get(name)) for name in sorted(names)})


def key_for(*parts):
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def code_salt(plugin_root=None):
    """Python, the libraries that shape output and every project plugin's source."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    root = Path(plugin_root or Path(__file__).resolve().parent.parent)
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
        except Exception:  # any unpicklable argument: keep the message as text
            args = ()
            record = logging.makeLogRecord({**record.__dict__, "msg": record.getMessage()})
        extra = {k: v for k, v in record.__dict__.items() if k in REPLAYED_EXTRA}
        self.records.append((record.name, record.levelno, record.msg, args, extra))


# Attributes of a log record that say how to show it (kept on replay).
REPLAYED_EXTRA = ("content_guard", "limit_msg")


def run_captured(function, *args):
    """(function(*args), the messages logged meanwhile); they are logged as usual too."""
    capture = _Capture()
    root = logging.getLogger()
    root.addHandler(capture)
    try:
        value = function(*args)
    finally:
        root.removeHandler(capture)
    return value, capture.records


def replay(records):
    for name, level, msg, args, extra in records:
        logging.getLogger(name).log(level, msg, *args, extra=extra)


class Memo:
    """The entries of one build: read on demand, written as computed."""

    def __init__(self, folder, salt=""):
        self.folder = Path(folder) if folder else None
        self._root = os.fspath(self.folder) if folder else ""
        self.salt = salt
        self.pool = None  # the build's workers.Pool, when it has one
        self.journal = None  # in a worker: the keys it stored for its current task
        self.done = set()  # steps of this build that run once ("read ahead")
        self.used = set()
        self.hits = self.computed = self.by_workers = 0

    @property
    def enabled(self):
        return self.folder is not None

    def key(self, namespace, *parts, settings=None):
        return key_for(self.salt, namespace, *parts, settings or "")

    def path(self, key):
        # Strings, not Path objects: a build asks for tens of thousands.
        return os.path.join(self._root, key[:2], key[2:])

    def has(self, key):
        return self.enabled and isinstance(key, str) and os.path.isfile(self.path(key))

    def load(self, key):
        """(found, value, messages) without replaying the messages."""
        if not self.enabled:
            return False, None, []
        try:
            with open(self.path(key), "rb") as handle:
                value, records = pickle.load(handle)
        except FileNotFoundError:
            return False, None, []
        except Exception as error:  # a partial or stale entry: compute it again
            logger.debug("memo: entry %s is unreadable (%s); computing it again", key, error)
            return False, None, []
        self.used.add(key)
        return True, value, records

    def get(self, key):
        """(found, value), the messages of its computation logged again."""
        found, value, records = self.load(key)
        if found:
            self.hits += 1
            replay(records)
        return found, value

    def store(self, key, value, records=(), what=None):
        """Keep a computed value; False when it could not be kept."""
        if not self.enabled:
            return False
        try:
            data = pickle.dumps((value, list(records)), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write(self.path(key), data)
            if self.journal is not None:
                self.journal.append(key)
        except Exception as error:
            logger.info(
                "memo: could not keep a result%s (%s: %s); it is computed again next build",
                f" for {what}" if what else "",
                type(error).__name__,
                error,
            )
            return False
        self.used.add(key)
        return True

    def compute(self, key, function, *args, what=None, task=None):
        """function(*args), from the memo when this key was computed before.

        ``task`` names the worker task that computes this key, when it is not
        the key itself; ``what`` (a source path) names the step in messages.
        """
        if not self.enabled:
            return function(*args)
        if self.pool is not None:
            self.pool.claim(task or key)
        found, value = self.get(key)
        if found:
            return value
        value, records = run_captured(function, *args)
        self.computed += 1
        self.store(key, value, records, what)
        return value

    def prune(self):
        """Delete the entries this build did not use, when there are many more."""
        if not self.enabled or not self.folder.is_dir():
            return 0
        entries = []
        for shard in os.scandir(self.folder):
            if shard.is_dir() and len(shard.name) == 2:
                entries += [(shard.name + e.name, e.path) for e in os.scandir(shard.path)]
        if len(entries) <= KEEP_FACTOR * max(len(self.used), 1):
            return 0
        removed = 0
        for key, path in entries:
            if key not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    removed += 1
        return removed


# The memo of the build under way (a build without one computes everything).
_CURRENT = {"memo": Memo(None)}


def current() -> Memo:
    return _CURRENT["memo"]


def start(memo):
    _CURRENT["memo"] = memo
    return memo
