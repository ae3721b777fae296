"""The order of the plugins' work, written here and not by the order of ``PLUGINS``.

Pelican 4.12 calls a signal's receivers in the order they were connected,
which is the order of ``PLUGINS``: moving one plugin used to change what the
site published (with the CJK plugin first, an unescaped title reached nine
pages).  So features do not connect to Pelican's signals themselves.  They
hand each receiver to ``on()`` with an ``Order``, and the core connects one
dispatcher per signal that calls them by order, then by name: any order of
``PLUGINS`` runs the same steps in the same sequence.  Each step says, where
it is handed over, why it needs its place (as mkdocs-material's
``@event_priority`` does).

Only the plugins of the build under way take part: a process that builds
twice with different ``PLUGINS`` (the tests, an in-process preview) does not
run the first build's steps in the second, though blinker keeps every
connection for the life of the process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import IntEnum

from pelican import signals

logger = logging.getLogger(__name__)


class Order(IntEnum):
    """Bands of work, in the order a build needs them done."""

    SETTINGS = 0  # defaults and the settings check: before anything reads a setting
    SERVICES = 10  # the memo and the workers: before any step caches or forks
    PREPARE = 20  # settings derived from others (folders to publish)
    GUARD = 30  # the content checks: before anything is built
    URLS = 40  # where content goes: before anything uses a URL
    CONTENT = 50  # rewrite essays' rendered content: pages and feeds both carry it
    DERIVED = 60  # read the finished content (reading time, series, related essays, cards)
    WRITE = 70  # files written beside the pages (stylesheet, cards, feeds)
    INDEX = 80  # the search index reads the finished pages (and indexes them beside the build)
    BESIDE_INDEX = 85  # files search does not read (cards, e-mail editions): made while it indexes
    REWRITE = 90  # fingerprint scripts, minify HTML: every page is written
    COMPRESS = 100  # compressed copies of the final bytes (of folders no longer being written)
    SETTLE = 104  # work started beside the build ends (the search index is complete)
    COMPRESS_LATE = 107  # compressed copies of what that work wrote
    DEPLOY = 110  # host configuration naming the final files
    CLOSE = 200  # stop the workers, keep the memo


@dataclass(frozen=True)
class Step:
    order: int
    name: str  # module.function: ties in an order band are broken by name
    owner: str  # the plugin package as PLUGINS names it ("plugins.sidenotes")
    receiver: object


_STEPS: dict[str, dict[str, Step]] = {}
_DISPATCHERS: dict[str, object] = {}
# Plugin names of the build under way (None: no build has started: every step runs).
_ACTIVE: dict[str, frozenset | None] = {"plugins": None}


def owner_of_module(module_name):
    """The plugin package a module belongs to: ``plugins.<name>``."""
    parts = module_name.split(".")
    return ".".join(parts[:2]) if parts[0] == "plugins" else parts[0]


def on(signal_name, receiver, order):
    """Run ``receiver`` on Pelican's ``signal_name`` at ``order`` (see ``Order``),
    or on one of the site's own signals (``SITE_SIGNALS``), which ``send`` sends.

    Registering the same receiver again (Pelican calls ``register()`` on every
    build) changes nothing.
    """
    name = f"{receiver.__module__}.{receiver.__qualname__}"
    steps = _STEPS.setdefault(signal_name, {})
    steps[name] = Step(int(order), name, owner_of_module(receiver.__module__), receiver)
    if signal_name not in _DISPATCHERS:
        dispatcher = _dispatcher_for(signal_name)
        _DISPATCHERS[signal_name] = dispatcher
        if signal_name not in SITE_SIGNALS:
            # Strong reference: the dispatcher is made here, not defined at module level.
            getattr(signals, signal_name).connect(dispatcher, weak=False)


# Signals of the site's own, sent by ``send``:
#   essay_changed(article, generator=…)  a long-lived preview changed one
#       essay's text in place (its metadata did not change); each step that
#       derives something from an essay's content does it again for it.
#   essays_written(generator)  every essay's page is written as this build
#       has it (``plugins.core.pages``): after the last one, before the
#       listings; on a rebuild of few essays, once those that changed are
#       (the others are the last good output's, as they will be written).
SITE_SIGNALS = frozenset({"essay_changed", "essays_written"})


class Rebuild(Exception):
    """A step cannot update the site in place for this change: build it whole."""


def send(signal_name, sender, **kwargs):
    """Run the steps of one of the site's own signals."""
    dispatcher = _DISPATCHERS.get(signal_name)
    return None if dispatcher is None else dispatcher(sender, **kwargs)


def _active(step):
    return takes_part(step.owner, _ACTIVE["plugins"])


def takes_part(owner, plugins):
    """Whether a plugin package takes part in a build of ``plugins`` (None: any build)."""
    if plugins is None:
        return True
    if owner == "plugins.core":  # the core serves every build that has a project plugin
        return any(name.startswith("plugins.") for name in plugins)
    return any(name == owner or name.startswith(owner + ".") for name in plugins)


def steps(signal_name):
    """The steps this build runs on ``signal_name``, in order."""
    found = sorted(_STEPS.get(signal_name, {}).values(), key=lambda s: (s.order, s.name))
    return [step for step in found if _active(step)]


def _dispatcher_for(signal_name):
    def dispatch(sender, **kwargs):
        if signal_name == "initialized":
            _ACTIVE["plugins"] = frozenset(sender.settings.get("PLUGINS") or ())
        result = None
        for step in steps(signal_name):
            started = time.perf_counter()
            value = step.receiver(sender, **kwargs)
            logger.debug(
                "step %s on %s: %.3f s", step.name, signal_name, time.perf_counter() - started
            )
            # get_writer and get_generators answer with a value: the first one counts.
            if result is None:
                result = value
        return result

    dispatch.__name__ = dispatch.__qualname__ = f"dispatch_{signal_name}"
    return dispatch


def active_plugins():
    """Plugin names of the build under way, or None before any build."""
    return _ACTIVE["plugins"]
