"""Check every essay and page, as Pelican reads them, before anything is built.

Stock Pelican forgives too much: an essay without a title or with an
unparseable date is dropped with one log line, a misspelled ``Status:`` key
publishes a draft, a ``{filename}`` link to a missing file is published broken.
This plugin reads every essay and page before the generators do, collects
*every* problem in the site and logs each one as

    path:line: what is wrong — how to fix it

then stops the build (``ContentErrors``), so no author mistake reaches the
output.  ``make check`` runs the same checks alone, without building
(``python -m plugins.content_guard``).

It asks Pelican rather than shadowing it: the files are the ones Pelican's
generators find (``Generator.get_files``), read by the site's reader
(Pelican's MarkdownReader and metadata processors, through the memo, so the
build reads them again for nothing); the content objects are Pelican's,
grouped into translations by Pelican and placed by the site's URL rule; links
are resolved by Pelican's link replacement; slugs are Pelican's.  Only the
line numbers come from the raw file (``source``).

Checks, for each file under ARTICLE_PATHS (essays) and PAGE_PATHS (pages):
Markdown (another format Pelican reads, such as ``.html``, has its title and
summary used as raw HTML, so it is refused); valid UTF-8 without control
characters; metadata keys that are in ``METADATA_KEYS`` (unknown keys get the
closest known key as a suggestion), each given once; the required keys
present and not empty; dates Pelican can read, with a day, and not readable
either day or month first; every other value Pelican can process;
``status``, ``lang`` and ``translation`` values the site knows; tag,
category and author names that give a URL; a well-formed slug, unique (per
language) across essays and pages, output paths inside the site that no
other file or listing uses, and an original for every translation; every
``{filename}``, ``{static}`` and ``{attach}`` link resolving, and every
other link of a body (root-relative, relative, absolute under ``SITEURL``)
leading to a page, file or listing of the site, with its fragment among the
target's ids (``links``); a page ``template`` that exists; a non-empty body;
in the rendered body and summary, no ``<script>`` (each at its own line, a
gist embed with the link to write instead), no event-handler attributes, no
``style`` attributes or elements (the Content-Security-Policy ignores them),
no ``javascript:``/``vbscript:`` URLs, images only from the site's own files,
each with alt text (an ``<img>`` named in the text is told apart), nothing
loaded from another site, no level-one heading (the title is one), no formula
the converter could not read and no TeX outside a formula; a mostly-Chinese
body marked ``Lang: zh``.  Keys other engines use get the site's name for
them (``Update`` and ``lastmod`` are ``Modified``), and a missing required key
says why it is required.

Signals: ``initialized`` (checks the whole site, once the settings, the memo
and the worker processes are ready).
Settings (defaults in ``DEFAULTS``):
  CONTENT_GUARD_ENABLED    run in every build (True)
  CONTENT_GUARD_REQUIRED   required keys by kind: {"essay": [...], "page": [...]}
  CONTENT_GUARD_LANGUAGES  languages the site publishes in (["en", "zh"])
  CONTENT_GUARD_STATUSES   allowed ``status`` values (published, draft, hidden)
  CONTENT_GUARD_REPEATABLE keys an author may give more than once, one value a
                           line (none; the editorial plugin's ``correction``)
Reads ``METADATA_KEYS`` (the known keys) and Pelican's path, slug and URL
settings.  Attributes added: none.

Why a project plugin: no maintained Pelican plugin validates metadata or
content (the pelican-plugins organisation has none, and Pelican itself only
logs, one problem at a time, often after dropping the file).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from pelican.readers import Readers

from plugins import core
from plugins.core import config, pipeline, reading
from plugins.core import memo as memos
from plugins.core.errors import BuildStop, report
from plugins.core.pipeline import Order

from . import body, links, metadata, site
from .source import Problem, Source, load, pelican_quiet, shown_path

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "CONTENT_GUARD_ENABLED": True,
        "CONTENT_GUARD_REQUIRED": {
            # The slug is the essay's address: derived from the title, it would
            # change (and break links) whenever the title is edited.
            "essay": ["title", "date", "author", "category", "summary", "slug"],
            "page": ["title"],
        },
        "CONTENT_GUARD_LANGUAGES": ["en", "zh"],
        "CONTENT_GUARD_STATUSES": ["published", "draft", "hidden"],
        "CONTENT_GUARD_REPEATABLE": [],
    },
    prefixes=("CONTENT_GUARD_",),
    reads=("METADATA_KEYS",),
)
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# What the checks of one file read besides the file itself.
CHECK_SETTINGS = (
    "CONTENT_GUARD_REQUIRED", "CONTENT_GUARD_LANGUAGES", "CONTENT_GUARD_STATUSES",
    "CONTENT_GUARD_REPEATABLE", "METADATA_KEYS", "THEME", "FORMATTED_FIELDS", "DEFAULT_LANG",
    "AUTHOR", "DEFAULT_CATEGORY",
)  # fmt: skip


class ContentErrors(BuildStop):
    """The content has problems; each was logged. Ends a run with status 1."""

    def __init__(self, problems):
        super().__init__(problems, "problem")


def find_sources(settings, readers):
    """(path, kind) of every file Pelican's generators would read, in path order."""
    finder = site.SourceFinder(settings, readers)
    pages = finder.get_files(settings["PAGE_PATHS"], exclude=settings["PAGE_EXCLUDES"])
    essays = finder.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    root = Path(settings["PATH"])
    found = [(root / path, "essay") for path in essays - pages]
    found += [(root / path, "page") for path in pages]
    return sorted(found)


def content_readers(settings):
    """Pelican's readers as the build makes them, told to keep reading past a
    value Pelican cannot process, so every problem is found, and to read the
    readings the checks hold for the build (``reading.HELD``)."""
    readers = Readers(settings)
    for reader in readers.readers.values():
        if isinstance(reader, reading.SiteMarkdownReader):
            reader.strict = False
            reader.hands_on = True
    return readers


class SiteCheck:
    """One run of the checks over the whole site."""

    def __init__(self, settings, hand_on=False):
        config.apply_defaults(settings)
        self.settings = settings
        # In a build, each reading loaded here is held for the generators
        # (``reading.HELD``); ``make check`` has no generator to take them.
        self.hand_on = hand_on
        self.readers = content_readers(settings)
        self.context = site.new_context(settings)
        self.problems = []
        self.objects = []  # (source, Pelican's content object) of each readable file
        self.ids = {}  # id(object) -> the ids in its content, kept with the file's checks

    def run(self):
        """(every problem in the site's essays and pages, in file order, the
        number of files checked)."""
        sources = find_sources(self.settings, self.readers)
        # Each file is read and hashed once for its keys: (read key, check key).
        keys = {path: self.keys(path, kind) for path, kind in sources if is_markdown(path)}
        memo = memos.current()
        if memo.pool is not None:
            # Workers read and check the files the memo lacks, from the last
            # (so the build's reader need not hand out the reading).
            memo.done.add("read ahead")
            memo.pool.ahead(
                [
                    (key[1], self.file_checks, (path, kind))
                    for path, kind in sources
                    if (key := keys.get(path)) is not None
                ]
            )
        readable = []
        for path, kind in sources:
            try:
                ids = self.check_file(path, kind, keys.get(path))
                if ids is not None:
                    readable.append((path, kind, keys[path], ids))
            except OSError as error:
                self.cannot_read(path, error)
        # Then Pelican's objects, all at once: making them says nothing the
        # checks do not say better (Pelican's empty-alt warning, the reader's
        # messages again), and silencing the log once costs less than per file.
        with pelican_quiet():
            for path, kind, key, ids in readable:
                try:
                    self.make_object(path, kind, key[0], ids)
                except OSError as error:
                    self.cannot_read(path, error)
        addresses = site.place(self.objects, self.settings)
        site.check_uniqueness(self.objects, self.settings, self.problems, addresses)
        site.check_translations(self.objects, self.problems)
        static = site.static_files(self.settings, {path for path, _ in sources})
        site.check_links(
            self.objects,
            self.settings,
            self.context,
            static,
            self.problems,
            addresses=addresses,
            ids=self.ids,
        )
        self.problems.sort()
        return self.problems, len(sources)

    def cannot_read(self, path, error):
        self.problems.append(
            Problem(shown_path(path), 1, f"cannot be read ({error.strerror})", "check the file")
        )

    def check_file(self, path, kind, keys):
        """The file's own checks (one memo entry, keyed by the file and the
        settings they read); when Pelican can make a content object of it,
        the ids in its content (else None)."""
        shown = shown_path(path)
        if not is_markdown(path):
            self.problems.append(
                Problem(
                    shown,
                    1,
                    f"{path.suffix} files are not read as Markdown",
                    "write the essay in Markdown and rename the file to end in .md (the title "
                    "and summary of other formats are used as raw HTML)",
                )
            )
            return None
        if keys is None:
            raise OSError(f"{path} cannot be read")
        found, ids = memos.current().compute(keys[1], self.file_checks, path, kind, what=shown)
        self.problems += found
        return ids

    def make_object(self, path, kind, read_key, ids):
        """Pelican's content object of a readable file joins ``objects``."""
        if self.hand_on and memos.current().enabled:
            reading.HELD.hold(str(path), read_key)
        item = self.readers.read_file(
            base_path=self.settings["PATH"],
            path=str(path.relative_to(self.settings["PATH"])),
            content_class=site.KINDS[kind][1],
            context=self.context,
        )
        # Pelican skips a file without a title, and cannot group one whose
        # Translation is given twice (the checks said so): so do the checks
        # across files.
        if all(hasattr(item, name) for name in (*item.mandatory_properties, "slug")) and (
            isinstance(item.metadata.get("translation", ""), str)
        ):
            self.objects.append((Source(path=path, shown=shown_path(path), kind=kind), item))
            self.ids[id(item)] = ids

    def keys(self, path, kind):
        """(the file's reading key, the memo key of its own checks: the
        reading's key, so the entry holds for the same reading, its path and
        what the checks read besides); None when the file cannot be read."""
        memo = memos.current()
        read_key = reading.read_key(memo, self.settings, str(path))
        if read_key is None:
            return None
        check_key = memo.key("content checks", read_key, shown_path(path), kind, self.checks_part)
        return read_key, check_key

    def file_problems(self, path, kind):
        """(the file's own problems, whether Pelican can read it)."""
        problems, ids = self.file_checks(path, kind)
        return problems, ids is not None

    def file_checks(self, path, kind):
        """(the file's own problems, the ids in its content: None when Pelican
        cannot read it).  The ids are for the checks of links to it
        (``links.SiteMap``), which would otherwise scan every file's content
        for them in every build."""
        problems = []
        source = load(path, kind, problems)
        if source is None:
            return problems, None
        try:
            # What reading logs (Markdown's own warnings) is said here, once.
            result = reading.read_source(self.settings, str(path))
        except Exception as error:  # what Pelican's reader raises for this file
            problems.append(
                Problem(
                    source.shown,
                    1,
                    f"Pelican cannot read the file ({type(error).__name__}: {error})",
                    "correct the Markdown or metadata it names",
                )
            )
            return problems, None
        with pelican_quiet():  # Pelican warns of a name with no slug: this says where
            metadata.check_metadata(source, result, self.settings, problems)
        body.check_body(source, result, self.settings, problems)
        return problems, links.content_ids(result.content)

    @functools.cached_property
    def checks_part(self):
        """What the file's own checks read besides the file: settings, templates."""
        templates = sorted(p.name for p in (Path(self.settings["THEME"]) / "templates").glob("*"))
        return memos.settings_part(self.settings, CHECK_SETTINGS) + repr(templates)


def is_markdown(path):
    return path.name.lower().endswith(MARKDOWN_EXTENSIONS)


def check_site(settings, hand_on=False):
    """(every problem in the site's essays and pages, in file order, the
    number of files checked); with ``hand_on``, the readings are held for
    the build's generators."""
    return SiteCheck(settings, hand_on).run()


def initialized(pelican):
    settings = pelican.settings
    if not settings["CONTENT_GUARD_ENABLED"]:
        return
    problems, _ = check_site(settings, hand_on=True)
    if problems:
        report(problems)
        raise ContentErrors(problems)


def register():
    core.register()
    # Once the settings are checked and the memo and workers are ready
    # (Order.SERVICES), and the folders to publish are known (Order.PREPARE).
    pipeline.on("initialized", initialized, Order.GUARD)
