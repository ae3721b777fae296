"""The site's one Markdown reader: Pelican's, composed in one place.

Every ``.md`` file (essays and pages) is read by ``SiteMarkdownReader``, which
the core installs on ``readers_init`` in place of Pelican's MarkdownReader.
Reading a file is one step, memoised as a whole:

1. **Pelican's reader**: Python-Markdown with the ``MARKDOWN`` settings, and
   metadata through Pelican's own processors (dates, tags, authors…).  A value
   Pelican cannot process (a date it cannot read) is kept as a problem for the
   content checks instead of ending the read, so every problem in the site
   is reported at once.
2. **Metadata as text**: the raw title is HTML-escaped, so ``Title: <script>``
   is shown, never run; summaries (and Pelican's other ``FORMATTED_FIELDS``)
   are Markdown without raw HTML, and a link or image whose URL uses a script
   scheme (``javascript:``, ``vbscript:``, ``data:``) loses that URL.
3. **Typography**: typogrify's quotes, dashes, ``caps`` spans and ``widont``
   (with Pelican's ``TYPOGRIFY_IGNORE_TAGS``, ``TYPOGRIFY_OMIT_FILTERS`` and
   ``TYPOGRIFY_DASHES``) on the body, title and summary, except for essays in
   a language of ``TYPOGRAPHY_VERBATIM_LANGS`` (Chinese, Japanese, Korean):
   smartypants guesses wrong after CJK punctuation, ``widont`` glues whole
   clauses, ``caps`` is a Latin convention, and CJK authors type their own
   punctuation (“”, ——, ……).
4. **Memo and workers**: the result is one memo entry keyed by the file's
   bytes, its path and the settings above; the files the memo lacks are read
   ahead by worker processes.
5. **Handed on**: the content checks read every file before Pelican's
   generators do.  Each reading they load is held (``HELD``) until the
   generator's reader reads the same file, which takes it, and releases it,
   instead of loading the memo entry again: the bytes are hashed again, so a
   file changed in between is read again, and the messages of the reading
   are logged then, as a memo hit logs them.  The readings held are the
   ones whose content the checks' objects hold already.

Why not Pelican's ``TYPOGRIFY``: Pelican typesets after the reader, in every
language alike, and through smartypants' module-wide default, which it
reassigns on every read; here the options are passed per call, the result
is cached with the reading, and CJK text is left as typed.  ``TYPOGRIFY``
must therefore stay False (the settings check says so).  Why not a plugin
per concern: each used to subclass whatever reader was installed, so the
order of ``PLUGINS`` decided whether titles were escaped.
"""

from __future__ import annotations

import functools
import html
import logging
import os
import re
from dataclasses import dataclass, field

from pelican import readers
from pelican.readers import MarkdownReader
from pelican.urlwrappers import URLWrapper

from . import html as bzhtml
from . import memo as memos
from .errors import stop

logger = logging.getLogger(__name__)

# Settings the reading of a file depends on (besides the file itself).
READ_SETTINGS = (
    "FORMATTED_FIELDS", "DEFAULT_LANG", "TYPOGRAPHY", "TYPOGRAPHY_VERBATIM_LANGS",
    "TYPOGRIFY_IGNORE_TAGS", "TYPOGRIFY_OMIT_FILTERS", "TYPOGRIFY_DASHES",
)  # fmt: skip
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


@dataclass
class Reading:
    """What reading one file gave: as Pelican's reader returns it, plus what
    the content checks need."""

    content: str
    metadata: dict  # portable: see ``portable``
    raw_metadata: dict = field(default_factory=dict)  # key -> [lines], as Markdown's meta saw them
    problems: list = field(default_factory=list)  # (key, value, what Pelican said)
    dropped: list = field(default_factory=list)  # (field, tag, attribute, URL) emptied
    repeated: list = field(default_factory=list)  # keys given twice; the first value counts


# Metadata values that hold the settings (URLWrappers) or are compared by
# identity (Pelican's placeholder for an empty field) travel as markers.
_WRAPPER = "\0urlwrapper"
_DISCARDED = "\0discard"


def portable(value):
    if value is readers._DISCARD:
        return (_DISCARDED,)
    if isinstance(value, URLWrapper):
        return (_WRAPPER, type(value), value.name)
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    return value


def restore(value, settings):
    if value == (_DISCARDED,):
        return readers._DISCARD
    if isinstance(value, tuple) and len(value) == 3 and value[0] == _WRAPPER:
        return value[1](value[2], settings)
    if isinstance(value, list):
        return [restore(v, settings) for v in value]
    if isinstance(value, dict):
        return {k: restore(v, settings) for k, v in value.items()}
    return value


# Metadata as text ---------------------------------------------------------------


def escape_title(metadata):
    """Escape the raw title in a reader's metadata dict, in place."""
    title = metadata.get("title")
    if isinstance(title, str):
        metadata["title"] = html.escape(title, quote=False)
    return metadata


_URL_ATTRIBUTES = ("href", "src")


def runs_script(url):
    """Whether a URL runs script.  Browsers drop tabs and newlines anywhere in
    a URL, and control characters and spaces around it: with all of them
    squeezed out, none hides the scheme."""
    return re.sub(r"[\x00-\x20]+", "", url).lower().startswith(SCRIPT_SCHEMES)


def script_urls(markup):
    """(tag, attribute) of every href and src whose URL runs script."""
    return [
        (tag, attribute)
        for tag in bzhtml.start_tags(markup)
        # A scheme needs its ":", written out or as a character reference.
        if ":" in tag.attributes or "&" in tag.attributes
        for attribute in tag.attribute_items()
        if attribute.name in _URL_ATTRIBUTES and runs_script(attribute.value)
    ]


def drop_script_urls(markup, found=None):
    """Empty every href and src attribute whose URL runs script."""
    found = script_urls(markup) if found is None else found
    edits = [(attribute.start, attribute.end, f'{attribute.name}=""') for _, attribute in found]
    return bzhtml.apply_edits(markup, edits) if edits else markup


class _FileReader(MarkdownReader):
    """Pelican's Markdown reader for one read: problems kept, metadata as text."""

    def __init__(self, settings):
        super().__init__(settings)
        self.problems = []
        self.dropped = []
        self.repeated = []
        self.raw = {}

    def _parse_metadata(self, meta):
        # Python-Markdown's meta extension read these; rendering a formatted
        # field below resets the Markdown instance, and its copy with it.
        self.raw = {key.lower(): list(lines) for key, lines in meta.items()}
        # A key that takes one value, given twice: Pelican keeps the first and
        # warns; the warning is said by SiteMarkdownReader (or the checks).
        once = {
            key: lines[:1]
            for key, lines in meta.items()
            if not readers.DUPLICATES_DEFINITIONS_ALLOWED.get(key.lower(), True) and len(lines) > 1
        }
        self.repeated = sorted(key.lower() for key in once)
        meta = {**meta, **once}
        # The body is converted by now; from here on the Markdown instance
        # only renders formatted metadata, which must not carry raw HTML.
        for registry, name in (
            (self._md.preprocessors, "html_block"),
            (self._md.inlinePatterns, "html"),
        ):
            if name in registry:
                registry.deregister(name)
        metadata = super()._parse_metadata(meta)
        for name in self.settings["FORMATTED_FIELDS"]:
            if isinstance(metadata.get(name), str):
                found = script_urls(metadata[name])
                self.dropped += [(name, tag.name, a.name, a.value) for tag, a in found]
                metadata[name] = drop_script_urls(metadata[name], found)
        return metadata

    def process_metadata(self, name, value):
        try:
            return super().process_metadata(name, value)
        except Exception as error:  # Pelican's processors raise what they raise
            self.problems.append((name, value, str(error) or type(error).__name__))
            return readers._DISCARD


# Typography ---------------------------------------------------------------------


def is_verbatim(lang, langs):
    lang = (lang or "").lower()
    return any(lang == code or lang.startswith(code + "-") for code in langs)


def smartypants_attributes(dashes):
    """smartypants' attributes for Pelican's TYPOGRIFY_DASHES, with &quot; curled."""
    import smartypants  # noqa: PLC0415

    attr = {
        "oldschool": smartypants.Attr.set2,
        "oldschool_inverted": smartypants.Attr.set3,
    }.get(dashes, smartypants.Attr.set1)
    return attr | smartypants.Attr.w


def typeset(text, settings):
    """typogrify(text) with the site's options, smartypants' attributes passed in.

    What ``typogrify.filters.typogrify`` does, filter by filter: its
    ``smartypants`` step reads smartypants' module-wide default, which this
    project never changes.
    """
    import smartypants  # noqa: PLC0415
    from typogrify import filters  # noqa: PLC0415

    omit = set(settings.get("TYPOGRIFY_OMIT_FILTERS") or ())
    attr = smartypants_attributes(settings.get("TYPOGRIFY_DASHES", "default"))
    steps = [
        step
        for name, step in (
            ("amp", filters.amp),
            ("smartypants", lambda text: smartypants.smartypants(text, attr)),
            ("caps", filters.caps),
            ("initial_quotes", filters.initial_quotes),
            ("widont", filters.widont),
        )
        if name not in omit
    ]
    parts = []
    for part, process in filters.process_ignores(text, settings.get("TYPOGRIFY_IGNORE_TAGS")):
        done = part
        if process:
            for step in steps:
                done = step(done)
        parts.append(done)
    return "".join(parts)


# Reading ------------------------------------------------------------------------


def read_uncached(settings, source_path):
    """Read one file: Pelican's reader, metadata as text, typography."""
    reader = _FileReader(settings)
    content, metadata = reader.read(source_path)
    escape_title(metadata)
    lang = metadata.get("lang") or settings.get("DEFAULT_LANG")
    if settings.get("TYPOGRAPHY") and not is_verbatim(
        lang, settings.get("TYPOGRAPHY_VERBATIM_LANGS", ())
    ):
        if content:
            content = typeset(content, settings)
        for key in ("title", "summary"):
            if isinstance(metadata.get(key), str):
                metadata[key] = typeset(metadata[key], settings)
    return Reading(
        content, portable(metadata), reader.raw, reader.problems, reader.dropped, reader.repeated
    )


def markdown_config(settings):
    """MARKDOWN as Pelican's reader completes it on first use (every configured
    extension listed, plus ``meta``), so a key made before and after is the same."""
    config = dict(settings.get("MARKDOWN") or {})
    extensions = list(config.get("extensions") or [])
    for name in [*(config.get("extension_configs") or {}), "markdown.extensions.meta"]:
        if name not in extensions:
            extensions.append(name)
    return {**config, "extensions": extensions}


# The settings part of the last settings object a key was made for: the same
# for every file of a build, and costly enough to make once.
_SETTINGS_PART = {"settings": None, "part": ""}


def _settings_part(settings):
    if _SETTINGS_PART["settings"] is not settings:
        part = memos.settings_part(settings, READ_SETTINGS) + repr(
            memos.stable(markdown_config(settings))
        )
        _SETTINGS_PART.update(settings=settings, part=part)
    return _SETTINGS_PART["part"]


def read_key(memo, settings, source_path):
    """The memo key of reading ``source_path``; None when it cannot be read."""
    try:
        with open(source_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return memo.key("read", data, os.path.abspath(source_path), settings=_settings_part(settings))


def read_source(settings, source_path) -> Reading:
    """Read one file through the memo (and whatever a worker read ahead)."""
    memo = memos.current()
    key = read_key(memo, settings, source_path) if memo.enabled else None
    if key is None:
        return read_uncached(settings, source_path)
    return memo.compute(key, read_uncached, settings, source_path, what=source_path)


class HeldReadings:
    """The readings the content checks loaded, held for Pelican's generators.

    Entries belong to one build's memo; a build with another memo (the next
    run of a long-lived preview) starts with none.
    """

    def __init__(self):
        self.memo = None
        self.entries = {}  # absolute path -> (memo key, Reading, messages)

    def _of(self, memo):
        if self.memo is not memo:
            self.memo, self.entries = memo, {}
        return self.entries

    def hold(self, source_path, key):
        """Load the reading of ``source_path`` (``key``: its memo key, made
        from the bytes just read) and hold it; False when the memo lacks it."""
        memo = memos.current()
        found, value, records = memo.load(key)
        if not found:
            return False
        memo.hits += 1
        self._of(memo)[os.path.abspath(source_path)] = (key, value, records)
        return True

    def peek(self, source_path):
        """The reading held for ``source_path``, its messages logged; None when none is."""
        entry = self._of(memos.current()).get(os.path.abspath(source_path))
        if entry is None:
            return None
        memos.replay(entry[2])
        return entry[1]

    def take(self, settings, source_path):
        """The reading held for ``source_path``, released and its messages
        logged, when the file is as it was when it was held; else None."""
        memo = memos.current()
        entries = self._of(memo)
        entry = entries.pop(os.path.abspath(source_path), None) if entries else None
        if entry is None or read_key(memo, settings, source_path) != entry[0]:
            return None
        memos.replay(entry[2])
        return entry[1]

    def __len__(self):
        return len(self._of(memos.current()))


HELD = HeldReadings()


def read_ahead_once(settings):
    """At a build's first read (when the content checks, which read ahead
    themselves, are off): every Markdown file under PATH to the workers."""
    memo = memos.current()
    if memo.pool is None or "read ahead" in memo.done:
        return
    memo.done.add("read ahead")
    paths = []
    for folder, dirs, names in os.walk(settings["PATH"]):
        dirs.sort()
        paths += [os.path.join(folder, name) for name in sorted(names)
                  if name.rpartition(".")[2] in MarkdownReader.file_extensions]  # fmt: skip
    read_ahead(settings, paths)


def read_ahead(settings, paths):
    """Hand the files the memo lacks to worker processes (the build reads from
    the first file, the workers from the last)."""
    memo = memos.current()
    if memo.pool is None:
        return 0
    tasks = []
    for path in paths:
        key = read_key(memo, settings, path)
        if key is not None:
            tasks.append((key, read_uncached, (settings, path)))
    return memo.pool.ahead(tasks)


class SiteMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, composed as the module docstring says.

    A value Pelican cannot process fails the read, as in Pelican, unless the
    reader is told not to be ``strict``: the content checks read every file
    to report every problem at once, the faulty value left out.
    """

    strict = True
    # The content checks' reader reads what they hold (``HELD.hold``) and
    # leaves it held; the build's reader takes it.
    hands_on = False

    def read(self, source_path):
        read_ahead_once(self.settings)
        held = HELD.peek if self.hands_on else functools.partial(HELD.take, self.settings)
        reading = held(source_path)
        if reading is None:
            reading = read_source(self.settings, source_path)
        if self.strict:
            # Reached only when the content checks are off: do as Pelican would.
            for key in reading.repeated:
                logger.warning(
                    "Duplicate definition of `%s` for %s. Using first one.", key, source_path
                )
            if reading.problems:
                key, value, said = reading.problems[0]
                raise ValueError(f"{key} {value!r}: {said}")
        return reading.content, restore(reading.metadata, self.settings)


def install(readers_object):
    """readers_init: SiteMarkdownReader for every Markdown extension."""
    for ext in MarkdownReader.file_extensions:
        installed = readers_object.reader_classes.get(ext)
        if installed is None or installed is SiteMarkdownReader:
            continue
        if installed is not MarkdownReader:
            stop(
                [
                    f"the reader for .{ext} files is {installed.__module__}."
                    f"{installed.__qualname__}, not Pelican's MarkdownReader — the site's "
                    "reader (plugins/core/reading.py) escapes titles, sets type and caches in "
                    "one place; remove the plugin that replaces it from PLUGINS"
                ],
                "setting problem",
            )
        readers_object.reader_classes[ext] = SiteMarkdownReader
