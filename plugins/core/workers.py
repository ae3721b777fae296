"""The build's worker processes: memo entries computed ahead of the build.

A step that has many items to do (files to read, essays to link, pages to
render, cards to draw, files to compress) hands them to ``ahead()`` as tasks
``(task key, function, args)`` before doing them itself in its own order.
Workers take the tasks from the last, the build from the first; each worker
stores its result in the memo (one file an entry) and the build, reaching a
task, takes it through ``Memo.compute`` (which calls ``claim``): a task no
worker has started is cancelled and done by the build, one under way is
waited for, one finished is read from the memo.  Whichever gets to a task
first does it, and the result does not depend on which process did.

Workers are forked from the build at the moment work is handed out, because
what they need (the reader classes, the glossary, the templates, every
essay) exists only in the build process by then and fork copies it for
nothing; the functions and arguments are inherited, never pickled.  Each
phase (reading, linking, cards, pages, compression) forks its own processes,
since a process forked earlier would not see what was made since; phases may
overlap (cards are drawn while pages render), and a phase's processes end
once all its tasks are done.  Workers log
nothing themselves: what a task logs is stored with its result and logged by
the build when it takes it.

Settings (declared in ``plugins.core``): ``WORKERS`` (None: one fewer than
the CPUs, at least one; 0: none) and ``WORKERS_MIN_TASKS`` (32: fewer tasks
than this are done by the build alone; starting processes costs more).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from . import memory
from .memo import run_captured

logger = logging.getLogger(__name__)

# What forked processes inherit: each phase's tasks, and the memo.
_PHASES = {"tasks": {}, "memo": None}


def worker_count(settings):
    workers = settings.get("WORKERS")
    return max((os.cpu_count() or 1) - 1, 1) if workers is None else max(int(workers), 0)


def can_fork():
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods()


def is_memo_key(key):
    return isinstance(key, str) and len(key) == 64


def _quiet_child():
    """A worker logs nothing itself: what it logs goes with its results.  It
    computes what it is given and waits for no other process."""
    logging.getLogger().handlers = []
    if _PHASES["memo"] is not None:
        _PHASES["memo"].pool = None
        _PHASES["memo"].journal = []


def _run(phase, index):
    """In a worker: do one task.  A task keyed by a memo key stores its value
    under it; any other task stores what it computes through the memo itself."""
    key, function, args = _PHASES["tasks"][phase][index]
    memo = _PHASES["memo"]
    memo.journal = []
    value, records = run_captured(function, *args)
    if is_memo_key(key):
        memo.store(key, value, records)
    return memo.journal


class Pool:
    """Worker processes of one build; see the module docstring."""

    def __init__(self, memo, workers, at_least=32):
        self.memo = memo
        self.workers = workers
        self.at_least = at_least
        self.pending = {}  # task key -> future
        self.phases = []  # (phase number, executor, its futures)
        self.started = 0

    def ahead(self, tasks, *, force=False):
        """Hand ``tasks`` [(task key, function, args)] to new worker processes.

        Tasks keyed by a memo key the memo already holds are left out (a task
        keyed otherwise checks the memo itself); with fewer than
        WORKERS_MIN_TASKS left (unless ``force``), nothing starts.  Returns
        the number of tasks handed out.
        """
        todo = [task for task in tasks if not (is_memo_key(task[0]) and self.memo.has(task[0]))]
        if (
            not self.workers
            or not self.memo.enabled
            or not can_fork()
            or not todo
            or (len(todo) < self.at_least and not force)
        ):
            return 0
        self._retire_finished()
        phase = len(_PHASES["tasks"]) + 1
        _PHASES["tasks"][phase] = todo
        _PHASES["memo"] = self.memo
        # A forked worker shares the build's pages until either writes to
        # them: the heap's free pages, handed back first, are shared by none.
        memory.release()
        executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_child
        )
        futures = []
        for index in reversed(range(len(todo))):
            futures.append(executor.submit(_run, phase, index))
            self.pending[todo[index][0]] = futures[-1]
        self.phases.append((phase, executor, futures))
        self.started += len(todo)
        logger.debug("workers: %d tasks to %d processes", len(todo), self.workers)
        return len(todo)

    def claim(self, key):
        """Before the build does task ``key``: cancel it if no worker started
        it, wait for it if one did.  The memo keys a worker stored for it
        (empty when the build is to do it)."""
        future = self.pending.pop(key, None)
        if future is None or future.cancel():
            return []
        try:
            stored = future.result()
        except Exception as error:  # a worker died: the build does the task itself
            logger.info("workers: a worker failed on a task (%s); the build does it", error)
            return []
        self.memo.by_workers += 1
        return stored

    def claim_all(self, keys):
        return [stored for key in keys for stored in self.claim(key)]

    def _retire_finished(self):
        """Let the processes of phases whose every task is done or taken go."""
        for entry in list(self.phases):
            phase, executor, futures = entry
            if all(future.done() for future in futures):
                executor.shutdown(wait=False)
                self.phases.remove(entry)
                _PHASES["tasks"].pop(phase, None)

    def stop(self):
        """Stop every phase's processes; tasks not started are dropped."""
        phases, self.phases, self.pending = self.phases, [], {}
        for _, executor, _ in phases:
            executor.shutdown(cancel_futures=True)
        _PHASES["tasks"].clear()
        _PHASES["memo"] = None
