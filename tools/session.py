"""A long-lived build of the site for the preview: an edit to an essay's text
writes again only the files that show that essay.

The first build is a full one (``tools.build``), recorded
(``plugins.core.pages.Recording``): which writer call made each file, which
essays and pages each file read, the generators with every essay, and the
build's digests.  When an essay's file changes and its metadata does not, the
session

1. checks the file as a build does (its own checks, and its links resolved by
   Pelican against the site as built), and stops with the problems, leaving
   the output as it was, when there are any;
2. puts the essay's new text into the essay as built, and sends the site's
   ``essay_changed`` signal, on which each step that derives something from an
   essay's text (charts, glossary links, corrections and disclosure notes,
   reading time, the JSON Feeds) does it again for that essay;
3. makes again the writer calls of every file that read the essay (its page,
   the listings and feeds that show it, its neighbours, related essays), each
   page from the memo when it did not change, and writes them straight into
   the served output, a file at a time, by renames.

Anything else (a new or deleted file, changed metadata, a page, the glossary,
data, an essay that now uses other glossary terms) is a full build, in this
process: the preview starts a new process for a change to the theme, a plugin
or the settings.  The search index is refreshed after the update, by the
caller.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tools.build import BuildResult, _Collector, build


@dataclass
class Update:
    ok: bool
    messages: list = field(default_factory=list)
    in_place: bool = False  # False: a full build
    seconds: float = 0.0


class SiteSession:
    def __init__(self, settings_file, output, content=None, stream=sys.stderr, **override):
        self.settings_file = settings_file
        self.output = Path(output).absolute()
        self.content = content
        self.stream = stream
        self.override = override
        self.recording = None
        self.snapshots = {}  # source path -> the metadata its last reading gave

    # Full builds ----------------------------------------------------------------

    def build(self) -> BuildResult:
        from plugins.core import pages, reading  # noqa: PLC0415

        recording = pages.Recording()
        pages.record_into(recording)
        try:
            result = build(
                self.settings_file, self.output, self.content, stream=self.stream, **self.override
            )
        finally:
            pages.record_into(None)
        self.recording = recording if result.ok and recording.generators else None
        self.snapshots = {}
        if self.recording is not None:
            settings = self.settings
            for item in self.essays():
                found = reading.read_source(settings, item.source_path)
                self.snapshots[item.source_path] = found.metadata
        return result

    @property
    def settings(self):
        return self.recording.generators[0].settings

    @property
    def articles_generator(self):
        return next(g for g in self.recording.generators if hasattr(g, "articles"))

    def essays(self):
        from plugins.core import essays  # noqa: PLC0415

        return essays.every(self.articles_generator)

    # Updates ----------------------------------------------------------------------

    def update(self, paths) -> Update:
        """Bring the output up to date with the changed ``paths``."""
        from plugins.core import pipeline  # noqa: PLC0415

        started = time.monotonic()
        by_path = {item.source_path: item for item in self.essays()} if self.recording else {}
        changed = [str(Path(p).absolute()) for p in paths]
        if self.recording is None or not all(p in by_path for p in changed):
            return self._full(started)
        try:
            result = self._in_place([(p, by_path[p]) for p in changed])
        except pipeline.Rebuild as why:
            logging.getLogger(__name__).debug("a full build: %s", why)
            return self._full(started)
        result.seconds = time.monotonic() - started
        return result

    def _full(self, started):
        result = self.build()
        return Update(result.ok, result.messages, False, time.monotonic() - started)

    def _in_place(self, items) -> Update:
        from plugins import core  # noqa: PLC0415
        from plugins.core import output, pages  # noqa: PLC0415

        collector = _Collector(self.stream, False)
        root = logging.getLogger()
        root.addHandler(collector)
        try:
            core.open_services(self.settings)
            output.start(self.output)
            # What the update renders again is recorded too; closing the
            # services keeps the build's state in the recording.
            pages.record_into(self.recording)
            try:
                return self._update(items, collector)
            finally:
                core.close_services(None)
                pages.record_into(None)
        finally:
            root.removeHandler(collector)

    def _update(self, items, collector):
        from plugins.content_guard.content_guard import SiteCheck  # noqa: PLC0415
        from plugins.content_guard.site import may_link, unresolved_links  # noqa: PLC0415
        from plugins.core import pages, pipeline, reading  # noqa: PLC0415
        from plugins.editorial.common import set_content  # noqa: PLC0415

        recording, settings = self.recording, self.settings
        check = SiteCheck(settings)
        problems, readings = [], []
        for path, item in items:
            found, readable = check.file_problems(Path(path), "essay")
            problems += [str(problem) for problem in found]
            if not readable:
                continue
            new = reading.read_source(settings, path)
            if new.metadata != self.snapshots.get(path):
                raise pipeline.Rebuild(f"the metadata of {path} changed")
            if may_link(new.content, settings):
                for what, target in unresolved_links(item, item._update_content(new.content, "")):
                    problems.append(f"{path}: {what} target {target} does not exist — fix the path")
            readings.append((item, new))
        if problems or collector.problems:
            messages = problems + collector.problems
            for message in problems:
                print(message, file=self.stream, flush=True)
            return Update(False, messages, True)
        changed = [item for item, _ in readings]
        pages.resume(recording, changed)
        generator = self.articles_generator
        for item, new in readings:
            set_content(item, new.content)
            pipeline.send("essay_changed", item, generator=generator)
        calls = recording.affected({item.source_path for item in changed})
        writer = pages.MemoWriter(str(self.output), settings=settings)
        recording.write_again(calls, writer)
        if collector.problems:
            # A page that fails to render: the next change builds it all again.
            self.recording = None
        return Update(not collector.problems, list(collector.problems), True)
