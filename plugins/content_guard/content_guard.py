"""Check every essay and page before Pelican reads any of them.

Stock Pelican forgives too much: an essay without a title or with an
unparseable date is dropped with one log line, a misspelled ``Status:`` key
publishes a draft, a ``{filename}`` link to a missing file is published broken.
This plugin reads the raw source files itself, before any generator runs,
collects *every* problem in the site and logs each one as

    path:line: what is wrong — how to fix it

then stops the build (``ContentErrors``), so no author mistake reaches Pelican's
readers (where some become tracebacks) or the output.  ``make check`` runs the
same checks alone, without building (``python -m plugins.content_guard``).

Checks, for each Markdown file under ARTICLE_PATHS (essays) and PAGE_PATHS
(any other format Pelican would read there is itself an error): valid UTF-8
without control characters; a metadata block whose keys are all in
``METADATA_KEYS`` (unknown keys get the closest known key as a suggestion),
each given once; the required keys present and not empty; full ISO 8601
dates; ``status``, ``lang`` and ``translation`` values the site knows; tag,
category and author names that give a URL; a well-formed slug, unique (per
language) across essays and pages, output paths inside the site that no other
file or listing uses, and an original for every translation; every
``{filename}``, ``{static}`` and ``{attach}`` link resolving to a file; a page
``template`` that exists; a non-empty body; in the rendered body (and
summary), no ``<script>``, no event-handler attributes, no
``javascript:``/``vbscript:`` URLs, and images only from the site's own files,
each with alt text.

Signals: ``initialized`` (applies the defaults, then checks the whole site).
Settings (defaults in ``DEFAULTS``):
  CONTENT_GUARD_ENABLED    run in every build (True)
  CONTENT_GUARD_REQUIRED   required keys by kind: {"essay": [...], "page": [...]}
  CONTENT_GUARD_LANGUAGES  languages the site publishes in (["en", "zh"])
  CONTENT_GUARD_STATUSES   allowed ``status`` values (published, draft, hidden)
  CONTENT_GUARD_REPEATABLE keys an author may give more than once, one value a
                           line (none; the editorial plugin's ``correction``)
Reads ``METADATA_KEYS`` (the known keys) and Pelican's path, slug and URL
settings.  Attributes added: none.

``ContentErrors`` subclasses ``SystemExit``: Pelican's ``main()`` logs any
``Exception`` with its traceback, while a ``SystemExit`` ends the run with
status 1 and nothing more, so even a bare ``pelican`` run shows the author only
the messages above.

Why a project plugin: no maintained Pelican plugin validates metadata or
content (the pelican-plugins organisation has none, and Pelican itself only
logs, one problem at a time, often after dropping the file).
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import functools
import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from pelican.utils import slugify

from plugins import core
from plugins.core import config, pipeline, urls
from plugins.core import html as bzhtml
from plugins.core.errors import BuildStop, report
from plugins.core.pipeline import Order

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
# Other formats Pelican would read from the same folders.
OTHER_READABLE = (".html", ".htm", ".rst")
DATE_KEYS = ("date", "modified")
PAGE_ONLY_KEYS = ("template", "save_as", "url")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
ISO_DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:[ T](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d{1,6})?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\Z"
)
# Python-Markdown's meta extension, which Pelican's reader uses.
META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^[ ]{4,}(?P<value>.*)")
BEGIN_RE = re.compile(r"^-{3}(\s.*)?")
END_RE = re.compile(r"^(-{3}|\.{3})(\s.*)?")
LINK_RE = re.compile(r"[{|](?P<what>filename|static|attach)[|}](?P<target>[^\s)\"'>]+)")
# C0 controls but tab, newline and carriage return; DEL and the C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Rendering a body only to scan it is the slow part of a check: skip it when
# the text has no raw HTML, no image, no character reference and no "script".
# (The plain substrings are looked for first: one regex for all of it is slower.)
MARKUP_HINTS = ("<", "![", "&#")
ENTITY_HINT_RE = re.compile(r"&[a-z]+;", re.IGNORECASE)
SCRIPT_HINT_RE = re.compile(r"script", re.IGNORECASE)
# Image sources that are the site's own files (pages load nothing from other
# sites, and the Content-Security-Policy would block it).
LINKED_SRC_RE = re.compile(r"([{|](static|attach|filename)[|}]|data:image/)", re.IGNORECASE)
IMAGE_OPENING_RE = re.compile(r"!\[[^\]]*\]\(\s*<?\Z")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
NO_SCRIPT = "remove it: essays may not carry scripts"


class ContentErrors(BuildStop):
    """The content has problems; each was logged. Ends a run with status 1."""

    def __init__(self, problems):
        super().__init__(problems, "problem")


@dataclass(order=True)
class Problem:
    path: str
    line: int
    what: str
    fix: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what} — {self.fix}"


@dataclass
class Source:
    """One essay or page as written: its metadata with line numbers, its body."""

    path: Path
    shown: str  # the path as messages show it
    kind: str  # "essay" or "page"
    meta: dict = field(default_factory=dict)  # key -> (value, line)
    body: str = ""
    body_line: int = 1
    text: str = ""


def apply_defaults(settings):
    config.apply_defaults(settings)


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it."""
    try:
        return (
            os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
        )
    except ValueError:
        return str(path)


# Finding the files --------------------------------------------------------------


def _ignored(name, settings):
    return any(fnmatch.fnmatch(name, pattern) for pattern in settings.get("IGNORE_FILES", []))


def _walk(root: Path, folders, excludes, settings):
    excluded = [(root / e).resolve() for e in excludes]
    for folder in folders:
        base = root / folder
        if base.is_file():
            yield base
            continue
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            here = Path(dirpath)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not _ignored(d, settings) and (here / d).resolve() not in excluded
            )
            for name in sorted(filenames):
                if not _ignored(name, settings):
                    yield here / name


def find_sources(settings):
    """Yield (path, kind) for every file Pelican would read as essay or page."""
    root = Path(settings["PATH"])
    page_paths = settings.get("PAGE_PATHS", [])
    article_excludes = [*settings.get("ARTICLE_EXCLUDES", []), *page_paths]
    seen = set()
    for kind, folders, excludes in (
        ("essay", settings.get("ARTICLE_PATHS", []), article_excludes),
        ("page", page_paths, settings.get("PAGE_EXCLUDES", [])),
    ):
        for path in _walk(root, folders, excludes, settings):
            if path in seen or not path.name.lower().endswith(MARKDOWN_EXTENSIONS + OTHER_READABLE):
                continue
            seen.add(path)
            yield path, kind


# Reading one file -----------------------------------------------------------------


def parse_source(path: Path, kind: str, problems: list, repeatable=()) -> Source | None:
    source = Source(path=path, shown=shown_path(path), kind=kind)
    if not path.name.lower().endswith(MARKDOWN_EXTENSIONS):
        problems.append(
            Problem(
                source.shown,
                1,
                f"{path.suffix} files are not read as Markdown",
                "write the essay in Markdown and rename the file to end in .md",
            )
        )
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                source.shown,
                line,
                f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {column})",
                "save the file with UTF-8 encoding in your editor",
            )
        )
        return None
    source.text = text
    check_characters(source, problems)
    # Line numbers as editors count them: only newlines end a line.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    if lines and BEGIN_RE.match(lines[0]):
        index = 1
    key = None
    while index < len(lines):
        line = lines[index]
        if not line.strip() or (index > 0 and END_RE.match(line)):
            index += 1
            break
        match = META_RE.match(line)
        if match:
            key = match["key"].lower()
            if key in source.meta and key not in repeatable:
                problems.append(
                    Problem(
                        source.shown,
                        index + 1,
                        f"{match['key']!r} is given twice (first on line {source.meta[key][1]})",
                        "keep one line for each key",
                    )
                )
            else:
                source.meta[key] = (match["value"].strip(), index + 1)
        elif (more := META_MORE_RE.match(line)) and key:
            value, first = source.meta[key]
            source.meta[key] = ((value + " " + more["value"].strip()).strip(), first)
        else:
            break
        index += 1
    source.body_line = index + 1
    source.body = "\n".join(lines[index:])
    return source


def check_characters(source: Source, problems):
    """Control characters cannot be written to XML feeds, and no reader sees them."""
    if not CONTROL_RE.search(source.text):
        return
    for number, line in enumerate(source.text.split("\n"), start=1):
        match = CONTROL_RE.search(line)
        if match:
            problems.append(
                Problem(
                    source.shown,
                    number,
                    f"invisible control character U+{ord(match[0]):04X} "
                    f"at column {match.start() + 1}",
                    "delete it (it often comes with copied text)",
                )
            )


# Checks on one file -------------------------------------------------------------------


def suggest_key(key, known):
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def check_metadata(source: Source, settings, problems):
    known = sorted(settings.get("METADATA_KEYS", {}))
    say = problems.append
    meta = source.meta
    for key, (_, line) in meta.items():
        if key not in known:
            best = suggest_key(key, known)
            fix = (
                f"did you mean {best!r}? Write '{best.capitalize()}:'"
                if best
                else "remove it, or add it to METADATA_KEYS in pelicanconf.py with what it means"
            )
            say(Problem(source.shown, line, f"unknown metadata key {key!r}", fix))
        elif source.kind == "essay" and key in PAGE_ONLY_KEYS:
            say(
                Problem(
                    source.shown,
                    line,
                    f"{key!r} is for pages only",
                    "remove it: essays get their URL and template from the site settings",
                )
            )

    check_required(source, settings, problems)
    check_values(source, settings, problems)
    check_terms(source, settings, problems)


TERM_KEYS = {"tags": "Tag", "category": "Category", "author": "Author", "authors": "Author"}


def check_terms(source: Source, settings, problems):
    """Tags, categories and authors need a name that gives a URL slug."""
    for key, kind in TERM_KEYS.items():
        value, line = source.meta.get(key, ("", 0))
        names = [n.strip() for n in value.split(",")] if key in ("tags", "authors") else [value]
        for name in names:
            if name and not term_slug(name, kind, settings):
                problems.append(
                    Problem(
                        source.shown,
                        line,
                        f"{kind.lower()} {name!r} has no letters or digits to make its URL from",
                        "use a name with letters or digits (markup in it is dropped from URLs)",
                    )
                )


def term_slug(name, kind, settings):
    subs = settings.get(
        f"{kind.upper()}_REGEX_SUBSTITUTIONS", settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
    )
    return cached_slugify(
        name,
        tuple(map(tuple, subs)),
        settings.get("SLUGIFY_PRESERVE_CASE", False),
        settings.get("SLUGIFY_USE_UNICODE", False),
    )


@functools.lru_cache(maxsize=4096)
def cached_slugify(name, regex_subs, preserve_case, use_unicode):
    """Pelican's slugify, remembered: the same tags and authors recur in every file."""
    return slugify(
        name, regex_subs=regex_subs, preserve_case=preserve_case, use_unicode=use_unicode
    )


def check_required(source: Source, settings, problems):
    say = problems.append
    meta = source.meta
    required = settings["CONTENT_GUARD_REQUIRED"].get(source.kind, [])
    known = sorted(settings.get("METADATA_KEYS", {}))
    # A misspelt key already says which key it should be ("Titel" → title).
    misspelt = {suggest_key(k, known) for k in meta if k not in known}
    for key in required:
        present = [k for k in ([key, "authors"] if key == "author" else [key]) if k in meta]
        if not present:
            if key in misspelt:
                continue
            say(
                Problem(
                    source.shown,
                    1,
                    f"required key {key!r} is missing",
                    f"add a line '{key.capitalize()}: {example_value(key, meta)}' "
                    "to the metadata at the top",
                )
            )
        elif not any(meta[k][0] for k in present):
            say(
                Problem(
                    source.shown,
                    meta[present[0]][1],
                    f"{present[0]!r} is empty",
                    f"give the {present[0]} a value after the colon",
                )
            )


def example_value(key, meta):
    if key == "slug" and meta.get("title", ("", 0))[0]:
        return suggest_slug(meta["title"][0])
    return "…"


def check_values(source: Source, settings, problems):
    say = problems.append
    meta = source.meta
    for key in DATE_KEYS:
        if key in meta and meta[key][0] and parse_iso(meta[key][0]) is None:
            say(
                Problem(
                    source.shown,
                    meta[key][1],
                    f"{key} {meta[key][0]!r} is not a full ISO 8601 date",
                    "write it as YYYY-MM-DD, optionally with a time: 2026-11-28 or "
                    "2026-11-28 09:30 (or 2026-11-28T09:30+08:00)",
                )
            )

    checks = (
        ("translation", ["true", "false"]),
        ("status", settings["CONTENT_GUARD_STATUSES"]),
        ("lang", settings["CONTENT_GUARD_LANGUAGES"]),
    )
    for key, allowed in checks:
        if key in meta and meta[key][0].lower() not in allowed:
            value, line = meta[key]
            say(
                Problem(
                    source.shown,
                    line,
                    f"{key} {value!r} is not one of {', '.join(allowed)}",
                    f"write one of: {', '.join(allowed)}",
                )
            )

    if "slug" in meta and meta["slug"][0] and not SLUG_RE.match(meta["slug"][0]):
        value, line = meta["slug"]
        say(
            Problem(
                source.shown,
                line,
                f"slug {value!r} is not lower-case letters, digits and hyphens",
                f"write it like {suggest_slug(value)!r}",
            )
        )

    for key in ("save_as", "url"):
        value, line = meta.get(key, ("", 0))
        parts = value.replace("\\", "/").split("/")
        if (
            source.kind == "page"
            and value
            and (value.startswith("/") or ".." in parts or ":" in value)
        ):
            say(
                Problem(
                    source.shown,
                    line,
                    f"{key} {value!r} is not a path inside the site",
                    "write a relative path such as 'colophon/index.html' (no leading /, no ..)",
                )
            )

    if source.kind == "page" and meta.get("template", ("", 0))[0]:
        value, line = meta["template"]
        theme = Path(settings.get("THEME", ""))
        if not (theme / "templates" / f"{value}.html").is_file():
            say(
                Problem(
                    source.shown,
                    line,
                    f"template {value!r} does not exist in the theme",
                    "remove the Template line, or name a file in theme/templates/ without .html",
                )
            )


def suggest_slug(value: str) -> str:
    """The slug ``make new`` would give this title."""
    return urls.make_slug(value) or "my-essay-title"


def parse_iso(value: str):
    match = ISO_DATE_RE.match(value.strip())
    if not match:
        return None
    try:
        return datetime.datetime(
            int(match["y"]),
            int(match["m"]),
            int(match["d"]),
            int(match["H"] or 0),
            int(match["M"] or 0),
            int(match["S"] or 0),
        )
    except ValueError:
        return None


def line_of(source: Source, needle: str) -> int:
    """The first body line that contains ``needle`` (case-insensitive)."""
    needle = needle.lower()
    for offset, line in enumerate(source.body.split("\n")):
        if needle in line.lower():
            return source.body_line + offset
    return source.body_line


def check_links(source: Source, content_root: Path, problems):
    """Every {filename}, {static} and {attach} target exists (body and summary)."""
    if not LINK_RE.search(source.body) and not LINK_RE.search(
        source.meta.get("summary", ("", 0))[0]
    ):
        return
    lines = [
        (source.body_line + offset, line) for offset, line in enumerate(source.body.split("\n"))
    ]
    if "summary" in source.meta:
        lines.append((source.meta["summary"][1], source.meta["summary"][0]))
    for number, line in lines:
        for match in LINK_RE.finditer(line):
            target = unquote(html.unescape(match["target"]).split("#", 1)[0].split("?", 1)[0])
            if target.startswith("/"):
                resolved = content_root / target.lstrip("/")
            else:
                resolved = source.path.parent / target
            if not target or not resolved.is_file():
                what = "image" if IMAGE_OPENING_RE.search(line[: match.start()]) else "link"
                problems.append(
                    Problem(
                        source.shown,
                        number,
                        f"{what} target {{{match['what']}}}{match['target']} does not exist",
                        "fix the path (relative to this file, or starting with / for the "
                        "content folder) or add the missing file",
                    )
                )


def _tag_findings(tag, where):
    """Script, event handlers, script URLs and images without alt text or from
    elsewhere, in one start tag: (what, needle to find its line, fix) each."""
    findings = []
    name = tag.name
    if name == "script":
        findings.append((f"{where} has a <script> element", "<script", NO_SCRIPT))
    attributes = tag.attribute_items()
    for attribute in attributes:
        if attribute.name.startswith("on"):
            findings.append(
                (
                    f"{where} has an event-handler attribute {attribute.name}= on <{name}>",
                    attribute.name,
                    NO_SCRIPT,
                )
            )
        elif attribute.name in URL_ATTRIBUTES and attribute.value:
            squeezed = re.sub(r"[\x00-\x20]+", "", attribute.value).lower()
            if squeezed.startswith(SCRIPT_SCHEMES):
                scheme = squeezed.split(":", 1)[0]
                findings.append(
                    (
                        f"{where} has a {scheme}: URL in <{name} {attribute.name}>",
                        scheme,
                        "link to a web address or another essay: essays may not carry scripts",
                    )
                )
    if name != "img":
        return findings
    # Of repeated attributes the last counts, as html.parser reads them.
    values = {attribute.name: attribute.value for attribute in attributes}
    src = values.get("src", "")
    if not values.get("alt", "").strip():
        findings.append(
            (
                f"image {src!r} in {where} has no alt text",
                src or "![",
                "describe the image in the brackets: ![What the chart shows](…)",
            )
        )
    src = src.strip()
    if src and not LINKED_SRC_RE.match(src):
        findings.append(
            (
                f"image {src!r} in {where} is not linked with {{static}} or {{attach}}",
                src,
                "put the file in content/images/ and write ![alt]({static}/images/name.png)"
                " (pages load nothing from other sites)",
            )
        )
    return findings


def render_markdown(text, settings, raw_html=True):
    """Markdown as Pelican renders it; without raw HTML as summaries are."""
    import markdown  # noqa: PLC0415

    config = settings.get("MARKDOWN", {})
    key = (repr(config), raw_html)
    md = _converters.get(key)
    if md is None:
        md = markdown.Markdown(
            extensions=list(config.get("extension_configs", {})),
            extension_configs=config.get("extension_configs", {}),
            output_format=config.get("output_format", "html5"),
        )
        if not raw_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        if len(_converters) > 8:
            _converters.clear()
        _converters[key] = md
    md.reset()
    return md.convert(text)


_converters = {}


def may_carry_markup(text):
    """False when no rendering of ``text`` can hold a tag, an image or a script URL."""
    return (
        any(hint in text for hint in MARKUP_HINTS)
        or ("&" in text and ENTITY_HINT_RE.search(text) is not None)
        or SCRIPT_HINT_RE.search(text) is not None
    )


def scan_html(markup, where):
    """What a body or summary rendered as ``markup`` must not carry, in document order."""
    return [finding for tag in bzhtml.start_tags(markup) for finding in _tag_findings(tag, where)]


def check_body(source: Source, settings, problems):
    if not source.body.strip():
        problems.append(
            Problem(
                source.shown,
                source.body_line,
                "the body is empty",
                "write the text after the metadata lines and one blank line",
            )
        )
        return
    if may_carry_markup(source.body):
        for what, needle, fix in scan_html(render_markdown(source.body, settings), "the body"):
            problems.append(Problem(source.shown, line_of(source, needle), what, fix))
    summary, line = source.meta.get("summary", ("", 0))
    if summary and may_carry_markup(summary):
        # Raw HTML in a summary is shown as text (safe_metadata); links are Markdown.
        markup = render_markdown(summary, settings, raw_html=False)
        for what, _needle, fix in scan_html(markup, "the summary"):
            problems.append(Problem(source.shown, line, what, fix))


# Checks across files ------------------------------------------------------------------


def slug_of(source: Source, settings):
    value = source.meta.get("slug", ("", 0))[0]
    if value:
        return value
    title = source.meta.get("title", ("", 0))[0]
    if not title:
        return ""
    return slugify(
        html.escape(title, quote=False),
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=settings.get("SLUGIFY_PRESERVE_CASE", False),
        use_unicode=settings.get("SLUGIFY_USE_UNICODE", False),
    )


def lang_of(source: Source, settings):
    return source.meta.get("lang", ("", 0))[0] or settings.get("DEFAULT_LANG", "en")


def translations_among(sources, settings):
    """ids of the sources Pelican will treat as translations.

    Pelican groups files by kind, status and slug and takes as original the
    one not marked ``Translation: true`` (any, when all are), preferring the
    site's language (pelican.utils.get_original_items); the others are
    translations."""
    default = settings.get("DEFAULT_LANG", "en")
    groups = {}
    for source in sources:
        slug = slug_of(source, settings)
        status = source.meta.get("status", ("", 0))[0] or "published"
        if slug:
            groups.setdefault((source.kind, status, slug), []).append(source)
    translated = set()
    for group in groups.values():
        marked = [s for s in group if s.meta.get("translation", ("", 0))[0].lower() == "true"]
        candidates = [s for s in group if s not in marked] or group
        originals = [s for s in candidates if lang_of(s, settings) == default] or candidates
        translated |= {id(s) for s in group if s not in originals}
    return translated


def output_path_of(source: Source, slug, settings, is_translation=False):
    meta = source.meta
    lang = lang_of(source, settings)
    status = meta.get("status", ("", 0))[0] or "published"
    if source.kind == "page" and meta.get("save_as", ("", 0))[0]:
        return meta["save_as"][0]
    prefix = {"essay": "ARTICLE", "page": "PAGE"}[source.kind]
    if status == "draft":
        prefix = "DRAFT" if source.kind == "essay" else "DRAFT_PAGE"
    # As the language_urls plugin places them: an original at the plain
    # pattern whatever its language, a translation at the _LANG_ one.
    key = f"{prefix}_LANG_SAVE_AS" if is_translation else f"{prefix}_SAVE_AS"
    pattern = settings.get(key)
    if not pattern:
        return None
    date = parse_iso(meta.get("date", ("", 0))[0]) or datetime.datetime(1970, 1, 1)
    try:
        return pattern.format(
            slug=slug,
            lang=lang,
            date=date,
            category=slugify(meta.get("category", ("", 0))[0] or "misc"),
            author=slugify(meta.get("author", ("", 0))[0] or ""),
        )
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


def reserved_outputs(settings):
    reserved = {}
    for template in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            reserved[save_as] = f"the {template} listing"
    if settings.get("INDEX_SAVE_AS"):
        reserved[settings["INDEX_SAVE_AS"]] = "the index listing"
    return reserved


def check_translations(sources, settings, problems):
    """A file marked ``Translation: true`` needs an original with its slug."""
    groups = {}
    for source in sources:
        slug = slug_of(source, settings)
        if slug:
            groups.setdefault((source.kind, slug), []).append(source)
    for (_, slug), group in groups.items():
        flagged = [s for s in group if s.meta.get("translation", ("false", 0))[0].lower() == "true"]
        if flagged and len(flagged) == len(group):
            for source in flagged:
                problems.append(
                    Problem(
                        source.shown,
                        source.meta["translation"][1],
                        f"it is marked as a translation, but no original has the slug {slug!r}",
                        "give it the original's Slug, or remove the 'Translation: true' line",
                    )
                )


def check_uniqueness(sources, settings, problems):
    """Each (slug, language) and each output path belongs to one file only.

    Every file of a clash gets its own message naming the others."""
    reserved = reserved_outputs(settings)
    translated = translations_among(sources, settings)
    by_slug = {}
    for source in sources:
        slug = slug_of(source, settings)
        if slug:
            lang = lang_of(source, settings)
            by_slug.setdefault((slug, lang), []).append(source)
    by_output = {}
    for (slug, _), group in by_slug.items():
        for source in group:
            line = source.meta.get("slug", source.meta.get("title", ("", 1)))[1]
            others = [o.shown for o in group if o is not source]
            if others:
                problems.append(
                    Problem(
                        source.shown,
                        line,
                        f"slug {slug!r} is also used by {', '.join(others)}",
                        "give one of them a different 'Slug:' (never change a published one)",
                    )
                )
            output = output_path_of(source, slug, settings, id(source) in translated)
            if not output:
                continue
            if output in reserved:
                problems.append(
                    Problem(
                        source.shown,
                        line,
                        f"its output {output!r} would overwrite {reserved[output]}",
                        "give it a different 'Slug:'",
                    )
                )
            else:
                by_output.setdefault(output, []).append((source, line, group))
    for output, entries in by_output.items():
        for source, line, group in entries:
            # Files that share a slug were told so already.
            others = [o.shown for o, _, _ in entries if o is not source and o not in group]
            if others:
                problems.append(
                    Problem(
                        source.shown,
                        line,
                        f"its output {output!r} is also written by {', '.join(others)}",
                        "give one of them a different 'Slug:' or 'Save_as:'",
                    )
                )


# The whole site ---------------------------------------------------------------------------


def check_site(settings):
    """Return (every problem in the site's essays and pages, in file order,
    the number of files checked)."""
    apply_defaults(settings)
    problems = []
    sources = []
    found = 0
    for path, kind in find_sources(settings):
        found += 1
        try:
            source = parse_source(path, kind, problems, settings["CONTENT_GUARD_REPEATABLE"])
        except OSError as error:
            problems.append(
                Problem(shown_path(path), 1, f"cannot be read ({error.strerror})", "check the file")
            )
            continue
        if source is None:
            continue
        sources.append(source)
        check_metadata(source, settings, problems)
        check_links(source, Path(settings["PATH"]), problems)
        check_body(source, settings, problems)
    check_uniqueness(sources, settings, problems)
    check_translations(sources, settings, problems)
    problems.sort()
    return problems, found


def initialized(pelican):
    apply_defaults(pelican.settings)
    if not pelican.settings["CONTENT_GUARD_ENABLED"]:
        return
    problems, _ = check_site(pelican.settings)
    if problems:
        report(problems)
        raise ContentErrors(problems)


def register():
    core.register()
    # Before anything is read for the build, after the settings that say
    # which folders are published.
    pipeline.on("initialized", initialized, Order.GUARD)
