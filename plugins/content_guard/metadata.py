"""The checks of one file's metadata, on the values Pelican read from it.

``reading`` is what the site's reader (Pelican's MarkdownReader and its
metadata processors) made of the file: ``raw_metadata`` holds each key's
lines as Python-Markdown's meta extension read them, ``metadata`` the values
Pelican made of them, ``problems`` the values Pelican could not process.
"""

from __future__ import annotations

import datetime
import difflib
import re
from pathlib import Path

from dateutil import parser as dateparser

from plugins.core import html as bzhtml
from plugins.core import urls
from plugins.core.reading import restore

from .source import Problem

DATE_KEYS = ("date", "modified")
PAGE_ONLY_KEYS = ("template", "save_as", "url")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# What most dates look like, and dateutil reads one way: no need to ask it.
FULL_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?\Z")
TERM_KEYS = {"tags": "Tag", "category": "Category", "author": "Author", "authors": "Author"}
DATE_FIX = (
    "write it as YYYY-MM-DD, optionally with a time: 2026-11-28 or "
    "2026-11-28 09:30 (or 2026-11-28T09:30+08:00)"
)
# Two days that differ in every field: a date read with each as its default
# takes a field from the default when the author left it out.
_DEFAULTS = (datetime.datetime(2001, 2, 3, 4, 5, 6), datetime.datetime(2002, 4, 5, 6, 7, 8))


# Keys other blog engines use for what this site calls otherwise (Pelican's
# own "update" plugins, Hugo, Jekyll), with what to write instead.
SYNONYMS = {
    name: (key, meaning)
    for names, key, meaning in (
        (("update", "updated", "lastmod", "last_modified", "last_modified_at", "modified_date"),
         "modified", "a last-modified date"),
        (("description", "excerpt"), "summary", "the sentence or two listings and feeds show"),
        (("categories",), "category", "an essay's section, and an essay has one"),
        (("keywords", "tag"), "tags", "the essay's topics"),
        (("language",), "lang", "the essay's language"),
        (("series_index",), "series_part", "the essay's part number in its series"),
    )
    for name in names
}  # fmt: skip
# Why each required key is required (Pelican itself would do without most).
REQUIRED_BECAUSE = {
    "title": "every listing, feed and the page itself show it",
    "date": "Pelican cannot date the essay without it",
    "author": "the byline, feeds and search name the author, and Pelican would sign the "
    "essay with the settings' AUTHOR",
    "category": "listings and feeds group essays by it, and Pelican would file the essay "
    "under the settings' DEFAULT_CATEGORY",
    "summary": "listings, feeds and search show it, and Pelican would cut the body's first "
    "words instead, mid-sentence",
    "slug": "it is the essay's address, and one derived from the title would change, and "
    "break links, whenever the title is edited",
}
SENTENCE_END = re.compile(r"(?<=[.!?])\s|(?<=[\u3002\uff01\uff1f])")


def suggest_key(key, known):
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def date_problem(value):
    """Why Pelican cannot take ``value`` as a date, or None.

    Pelican reads dates with dateutil and fills a missing field from the day
    it builds: a date without a day would change from build to build, so it
    is refused, as is one whose day and month can be read either way.
    """
    if FULL_ISO.match(value):
        try:
            datetime.datetime.fromisoformat(value)
            return None
        except ValueError:
            pass  # 2026-02-30: dateutil says why
    text = re.sub(" +", " ", value.replace("_", " "))
    try:
        first, second = (dateparser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return "is not a date Pelican can read"
    missing = [
        name for name in ("year", "month", "day") if getattr(first, name) != getattr(second, name)
    ]
    if missing:
        return f"has no {' or '.join(missing)}, so Pelican would take the build's"
    # A date that starts with its year is read year, month, day; any other
    # order of numbers (03/02/2026) may be either day or month first.
    year_first = re.match(r"\s*\d{4}\D", text)
    if not year_first and dateparser.parse(text, dayfirst=True, default=_DEFAULTS[0]) != first:
        return "can be read day first or month first"
    return None


def check_metadata(source, reading, settings, problems):
    """Every check of the file's own metadata."""
    say = problems.append
    known = sorted(settings.get("METADATA_KEYS", {}))
    repeatable = settings["CONTENT_GUARD_REPEATABLE"]
    for key, lines in source.key_lines.items():
        if key not in known:
            synonym, meaning = SYNONYMS.get(key, (None, None))
            best = synonym if synonym in known else suggest_key(key, known)
            if synonym in known:
                fix = f"it is {meaning}, which this site calls {synonym!r}: write "
                fix += f"'{synonym.capitalize()}:'"
            elif best:
                fix = f"did you mean {best!r}? Write '{best.capitalize()}:'"
            else:
                fix = "remove it, or add it to METADATA_KEYS in pelicanconf.py with what it means"
            what = f"unknown metadata key {key!r} (no part of the site reads it, so its value "
            what += "would be lost without a word)"
            say(Problem(source.shown, lines[0], what, fix))
        elif source.kind == "essay" and key in PAGE_ONLY_KEYS:
            say(
                Problem(
                    source.shown,
                    lines[0],
                    f"{key!r} is for pages only",
                    "remove it: essays get their URL and template from the site settings",
                )
            )
        if len(lines) > 1 and key not in repeatable:
            for line in lines[1:]:
                say(
                    Problem(
                        source.shown,
                        line,
                        f"{key!r} is given twice (first on line {lines[0]})",
                        "keep one line for each key",
                    )
                )
    check_required(source, reading, settings, problems)
    check_values(source, reading, settings, problems)
    check_terms(source, reading, settings, problems)


def raw_value(reading, key):
    """The key's value as written (its first line), or ""."""
    return (reading.raw_metadata.get(key) or [""])[0]


def check_required(source, reading, settings, problems):
    meta = reading.raw_metadata
    required = settings["CONTENT_GUARD_REQUIRED"].get(source.kind, [])
    known = sorted(settings.get("METADATA_KEYS", {}))
    # A misspelt key already says which key it should be ("Titel" → title).
    misspelt = {SYNONYMS.get(k, (suggest_key(k, known),))[0] for k in meta if k not in known}
    for key in required:
        present = [k for k in ([key, "authors"] if key == "author" else [key]) if k in meta]
        if not present:
            if key not in misspelt:
                because = f" ({REQUIRED_BECAUSE[key]})" if key in REQUIRED_BECAUSE else ""
                problems.append(
                    Problem(
                        source.shown,
                        1,
                        f"required key {key!r} is missing{because}",
                        f"add a line '{key.capitalize()}: "
                        f"{example_value(key, reading, settings)}' to the metadata at the top",
                    )
                )
        elif not any(raw_value(reading, k) for k in present):
            problems.append(
                Problem(
                    source.shown,
                    source.line_of_key(present[0]),
                    f"{present[0]!r} is empty",
                    f"give the {present[0]} a value after the colon",
                )
            )


def example_value(key, reading, settings=None):
    settings = settings or {}
    if key == "slug" and raw_value(reading, "title"):
        return suggest_slug(raw_value(reading, "title"))
    if key == "author" and settings.get("AUTHOR"):
        return settings["AUTHOR"]
    if key == "category" and settings.get("DEFAULT_CATEGORY"):
        return settings["DEFAULT_CATEGORY"]
    if key == "summary":
        return first_sentence(reading.content) or "…"
    return "…"


def first_sentence(markup, limit=200):
    """The first sentence of a rendered body's first paragraph, as plain text."""
    for tag in bzhtml.start_tags(markup or "", ("p",)):
        close = bzhtml.end_tag(markup, "p", tag.end)
        text = " ".join(bzhtml.text_of(markup[tag.end : close[0] if close else None]).split())
        if text:
            sentence = SENTENCE_END.split(text, maxsplit=1)[0].strip()
            return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"
    return ""


def suggest_slug(value: str) -> str:
    """The slug ``make new`` would give this title."""
    return urls.make_slug(value) or "my-essay-title"


def check_values(source, reading, settings, problems):
    say = problems.append
    pelican_said = {key: said for key, _, said in reading.problems}
    for key in DATE_KEYS:
        value = raw_value(reading, key)
        why = date_problem(value) if value else None
        if not why and key in pelican_said:
            why = f"is not a date Pelican can read ({pelican_said[key]})"
        if why:
            say(Problem(source.shown, source.line_of_key(key), f"{key} {value!r} {why}", DATE_FIX))
    for key, value, said in reading.problems:
        if key not in DATE_KEYS:
            say(
                Problem(
                    source.shown,
                    source.line_of_key(key),
                    f"Pelican cannot read {key} {value!r} ({said})",
                    f"correct the value after '{key.capitalize()}:'",
                )
            )
    checks = (
        ("translation", ["true", "false"]),
        ("status", settings["CONTENT_GUARD_STATUSES"]),
        ("lang", settings["CONTENT_GUARD_LANGUAGES"]),
    )
    for key, allowed in checks:
        value = raw_value(reading, key)
        if key in reading.raw_metadata and value.lower() not in allowed:
            say(
                Problem(
                    source.shown,
                    source.line_of_key(key),
                    f"{key} {value!r} is not one of {', '.join(allowed)}",
                    f"write one of: {', '.join(allowed)}",
                )
            )
    slug = raw_value(reading, "slug")
    if slug and not SLUG_RE.match(slug):
        say(
            Problem(
                source.shown,
                source.line_of_key("slug"),
                f"slug {slug!r} is not lower-case letters, digits and hyphens",
                f"write it like {suggest_slug(slug)!r}",
            )
        )
    for key in ("save_as", "url"):
        value = raw_value(reading, key)
        parts = value.replace("\\", "/").split("/")
        if (
            source.kind == "page"
            and value
            and (value.startswith("/") or ".." in parts or ":" in value)
        ):
            say(
                Problem(
                    source.shown,
                    source.line_of_key(key),
                    f"{key} {value!r} is not a path inside the site",
                    "write a relative path such as 'colophon/index.html' (no leading /, no ..)",
                )
            )
    template = raw_value(reading, "template")
    if source.kind == "page" and template:
        theme = Path(settings.get("THEME", ""))
        if not (theme / "templates" / f"{template}.html").is_file():
            say(
                Problem(
                    source.shown,
                    source.line_of_key("template"),
                    f"template {template!r} does not exist in the theme",
                    "remove the Template line, or name a file in theme/templates/ without .html",
                )
            )


def check_terms(source, reading, settings, problems):
    """Tags, categories and authors need a name that gives a URL slug (Pelican's)."""
    metadata = restore(reading.metadata, settings)
    for key, kind in TERM_KEYS.items():
        value = metadata.get(key)
        for term in value if isinstance(value, list) else [value]:
            # Pelican warns of an empty slug (called within pelican_quiet).
            if getattr(term, "name", "") and not term.slug:
                problems.append(
                    Problem(
                        source.shown,
                        source.line_of_key(key),
                        f"{kind.lower()} {term.name!r} has no letters or digits to make its "
                        "URL from",
                        "use a name with letters or digits (markup in it is dropped from URLs)",
                    )
                )
