"""Writing the build's files: only what changed is written, the rest is linked.

``tools.build`` builds into a staging folder and swaps it in when the build
succeeds.  Writing every page, feed, card and compressed copy anew costs more
than rendering most of them (creating a file costs about a quarter of a
millisecond of CPU here, linking one a tenth of that), so every file the
site's own code writes goes through ``write``: when the last good output
(``OUTPUT_REUSE_PATH``, which ``tools.build`` sets) holds the same bytes at
the same path, the new file is a hard link to it; otherwise it is written.
Files are always replaced by a rename, never rewritten in place, so the last
good output, which may share them, is never changed by a build that fails.

Each build knows which of its files are new or changed (``changed``), so the
steps that work on finished files (compressed copies, the search index) do
their work on those only and link the rest.

Work beside the build (``in_background``): a step may leave a folder being
written by a process of its own (the search index's Pagefind runs) while
later steps go on; the steps that read finished files leave that folder
alone (``unfinished``), and the step that started the work waits for it
(``settle``) at its own place in the pipeline.  ``settle_all`` waits for
whatever a failed build left running, so no process outlives its build.

Files not for the site's readers (``not_for_readers``): a step that writes
files people other than readers fetch (e-mail editions, which authors import
into their list tool) names them, and the steps that prepare files for
readers' browsers (compressed copies) leave the files
``files_not_for_readers`` holds alone.

Text transforms (``add_transform``): a step that changes every file of a
kind before it is written (minifying HTML, naming fingerprinted scripts)
declares it here; the writer applies them to each page as it renders it, so
the work is done once a page, in parallel, and kept in the memo with the page.

Settings (declared in ``plugins.core``): ``OUTPUT_REUSE_PATH`` (None).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from .files import atomic_write
from .pipeline import owner_of_module, takes_part

logger = logging.getLogger(__name__)


class Output:
    """The files one build writes under ``folder``."""

    def __init__(self, folder, previous=None):
        self.folder = Path(folder)
        self._prefix = os.path.join(os.path.abspath(self.folder), "")
        self.previous = Path(previous) if previous else None
        if self.previous is not None and self.previous.resolve() == self.folder.resolve():
            self.previous = None  # building in place: nothing to link from
        self.changed = set()  # relative paths written with new bytes
        self.linked = set()  # relative paths linked from the last good output
        # {folder (relative): function that waits for the work writing it}
        self._background = {}
        self._not_for_readers = set()  # relative paths
        self._lock = threading.Lock()

    def relative(self, path):
        path = os.fspath(path)
        if path.startswith(self._prefix) and "/." not in path and "//" not in path:
            return path[len(self._prefix) :]  # the usual case, without relpath's work
        return Path(os.path.relpath(path, self.folder)).as_posix()

    def write(self, path, data):
        """Write ``data`` (bytes or text, UTF-8) at ``path`` (absolute, or
        relative to the output folder); True when its bytes are new."""
        path = self.folder / path
        if isinstance(data, str):
            data = data.encode("utf-8")
        relative = self.relative(path)
        if self.previous is not None and self._link_same(relative, data):
            return False
        atomic_write(path, data)
        with self._lock:
            # A file written again (a page, then its minified bytes) is
            # whatever the last write made of it.
            self.linked.discard(relative)
            self.changed.add(relative)
        return True

    def _link_same(self, relative, data):
        """Link the last good output's file when it has exactly ``data``."""
        before = self.previous / relative
        try:
            if before.stat().st_size != len(data) or before.read_bytes() != data:
                return False
        except OSError:
            return False
        return self.link_unchanged(relative)

    def is_unchanged(self, relative):
        """Whether a file of this build is the last good output's, unchanged."""
        return relative in self.linked

    def unchanged(self, pattern):
        """Whether the files matching ``pattern`` (a glob under the output) are
        the last good output's, the same files with the same bytes."""
        if self.previous is None:
            return False
        now = {self.relative(p) for p in self.folder.glob(pattern) if p.is_file()}
        before = {Path(os.path.relpath(p, self.previous)).as_posix()
                  for p in self.previous.glob(pattern) if p.is_file()}  # fmt: skip
        return now == before and all(relative in self.linked for relative in now)

    def link_folder(self, relative):
        """Link a whole folder of the last good output into this build."""
        source = self.previous / relative
        for folder, _, names in os.walk(source):
            inside = Path(folder).relative_to(self.previous)
            if not all(self.link_unchanged((inside / name).as_posix()) for name in names):
                return False
        return source.is_dir()

    def link_unchanged(self, relative):
        """Link a file of the last good output into this build as it was
        (a compressed copy of an unchanged page); False when there is none."""
        if self.previous is None:
            return False
        # Joined as strings: a rebuild at 5,000 essays links 28,000 files.
        before = os.path.join(self.previous, relative)
        path = os.path.join(self._prefix, relative)
        try:
            try:
                os.link(before, path)
            except FileExistsError:  # written earlier in this build
                _remove(path)
                os.link(before, path)
            except FileNotFoundError:
                if not os.path.exists(before):
                    raise
                os.makedirs(os.path.dirname(path), exist_ok=True)
                os.link(before, path)
        except OSError:
            return False
        with self._lock:
            self.changed.discard(relative)
            self.linked.add(relative)
        return True

    def link_unchanged_files(self, relatives):
        """Link each of ``relatives`` from the last good output, as
        ``link_unchanged`` does one; the ones that could not be linked.

        For many files at once (the compressed copies of every unchanged
        page): a file is linked first and removed only when one is in the
        way, which in a fresh staging folder none is, so it costs one system
        call, not two; paths are joined as strings.
        """
        if self.previous is None:
            return list(relatives)
        before_root, root = os.fspath(self.previous), os.fspath(self.folder)
        linked, missed = [], []
        for relative in relatives:
            before, path = os.path.join(before_root, relative), os.path.join(root, relative)
            try:
                os.link(before, path)
            except OSError:
                # A file in the way, no folder for it yet, or none before:
                # the general case.
                if not self.link_unchanged(relative):
                    missed.append(relative)
                continue
            linked.append(relative)
        with self._lock:
            self.changed.difference_update(linked)
            self.linked.update(linked)
        return missed

    def forget(self, folder):
        """The files under ``folder`` (relative) are replaced by work outside
        this output's writes (a search shard indexed again after it was
        linked): none of them is the last good output's any more."""
        prefix = folder.rstrip("/") + "/"
        with self._lock:
            self.linked.difference_update([n for n in self.linked if n.startswith(prefix)])

    def in_background(self, folder, finish):
        """``folder`` (relative) is being written by work beside the build
        until ``finish()``, which waits for it, has been called by ``settle``."""
        with self._lock:
            self._background[folder] = finish

    def unfinished(self):
        """The folders (relative) still being written beside the build, sorted."""
        with self._lock:
            return sorted(self._background)

    def not_for_readers(self, relative):
        """The file at ``relative`` is fetched by people other than the
        site's readers: no step prepares it for browsers."""
        with self._lock:
            self._not_for_readers.add(relative)

    def files_not_for_readers(self):
        """The files (relative paths) ``not_for_readers`` named."""
        with self._lock:
            return frozenset(self._not_for_readers)

    def settle(self, folder):
        """Wait for the work writing ``folder``; what its ``finish`` returns
        (None when no work was writing it)."""
        with self._lock:
            finish = self._background.pop(folder, None)
        return None if finish is None else finish()


def _remove(path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


# Text transforms --------------------------------------------------------------


@dataclass(frozen=True)
class Transform:
    order: int
    name: str
    owner: str
    suffix: str
    function: object  # function(text, settings) -> text


_TRANSFORMS: dict[str, Transform] = {}


def add_transform(module_name, suffix, function, order):
    """Have ``function(text, settings)`` change every ``suffix`` file the writer
    writes, at ``order`` among the transforms (lower first)."""
    name = f"{function.__module__}.{function.__qualname__}"
    _TRANSFORMS[name] = Transform(order, name, owner_of_module(module_name), suffix, function)


def transform(text, suffix, settings, plugins=None):
    """``text`` with the transforms of the build's plugins for ``suffix`` applied."""
    for step in sorted(_TRANSFORMS.values(), key=lambda t: (t.order, t.name)):
        if step.suffix == suffix and takes_part(step.owner, plugins):
            text = step.function(text, settings)
    return text


# The build's output ------------------------------------------------------------

_CURRENT = {"output": None}


def current():
    return _CURRENT["output"]


def start(folder, previous=None):
    settle_all()  # a build that failed may have left work running
    _CURRENT["output"] = Output(folder, previous)
    return _CURRENT["output"]


def settle_all():
    """Wait for every piece of work the current build left running beside it
    (a build that stopped before the steps that wait for it)."""
    found = current()
    if found is None:
        return
    for folder in found.unfinished():
        try:
            found.settle(folder)
        except Exception as error:  # the build already failed; this is tidying up
            logger.info("output: work on %s ended with %s", folder, error)


def write(path, data, base=None):
    """Write ``path`` (relative to the output folder, or absolute) through the
    build's output; plainly, under ``base``, when no build is under way."""
    found = current()
    if found is None:
        atomic_write(
            Path(base or "") / path, data.encode("utf-8") if isinstance(data, str) else data
        )
        return True
    return found.write(path, data)
