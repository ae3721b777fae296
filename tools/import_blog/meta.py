"""A post's metadata as this site's keys, filled from what the post and its blog imply.

Every required key gets a value: the author from the post, else the blog's
settings (``AUTHOR``, Hugo's ``author``/``params.author``, Jekyll's
``author``), else this site's ``AUTHOR``; the category from the post, else
Pelican's folder, else the blog's ``DEFAULT_CATEGORY``, else this site's; the
summary from the post (``Summary``, ``description``, ``excerpt``), else its
first sentence; the slug from the post's slug, else its file name, through
the site's one slug rule (``make new``'s).  Dates are written as ISO 8601 in
the site's time zone, read as Pelican reads them (month first when a date
could be either).  ``Update``/``lastmod`` become ``Modified``; a
mostly-Chinese post gets ``Lang: zh`` by the content checks' own rule.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil import parser as dateparser

from plugins.content_guard.body import prose_text
from plugins.content_guard.metadata import SYNONYMS, first_sentence
from plugins.core.languages import mostly_chinese
from plugins.core.urls import make_slug

from .blog import DATED_NAME

# Keys written in this order; the rest the site knows follow.
ORDER = ["title", "date", "modified", "author", "authors", "category", "tags", "slug", "lang",
         "status", "translation", "series", "series_part", "summary"]  # fmt: skip
MODIFIED = ("modified", "update", "updated", "lastmod", "last_modified", "last_modified_at",
            "modified_date")  # fmt: skip
PAGE_ONLY = ("template", "save_as", "url")
LIST_SEPARATOR = re.compile(r"\s*[,;，、]\s*")
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Keys whose repeated lines are a list, not a key given twice.
LISTS = {"tags", "tag", "keywords", "categories", "authors", "author", "aliases", "correction"}


def as_list(value):
    """A YAML list, or a comma-separated (or, Jekyll, space-separated) string, as a list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip().strip("[]")
    parts = LIST_SEPARATOR.split(text) if re.search(r"[,;，、]", text) else [text]
    return [p.strip().strip("'\"") for p in parts if p.strip().strip("'\"")]


def normal_date(value, timezone):
    """(ISO 8601 in the site's time zone or None, a note) of a date as Pelican reads it."""
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        return value.isoformat(), None
    else:
        text = " ".join(str(value).replace("_", " ").split())
        if not text:
            return None, None
        try:
            moment = dateparser.parse(text, default=datetime.datetime(2000, 1, 1))
        except (ValueError, OverflowError):
            return None, f"date {text!r} is not a date"
    note = None
    if not isinstance(value, datetime.datetime):
        year_first = re.match(r"\s*\d{4}\D", text)
        if not year_first and dateparser.parse(text, dayfirst=True) != moment:
            note = f"date {text!r} read month first, as Pelican read it"
    if moment.tzinfo is not None:
        local = moment.astimezone(ZoneInfo(timezone))
        if local.utcoffset() != moment.utcoffset():
            note = note or "dates put in the site's time zone"
        moment = local.replace(tzinfo=None)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0) and not _has_time(value):
        return moment.strftime("%Y-%m-%d"), note
    return moment.strftime("%Y-%m-%d %H:%M"), note


def _has_time(value):
    return isinstance(value, datetime.datetime) or bool(re.search(r"\d:\d", str(value)))


def one_line(value):
    return " ".join(str(value).split())


def author_names(value):
    """Names from a string, a list, or YAML's {name: …} tables."""
    if isinstance(value, dict):
        value = value.get("name") or ""
    if isinstance(value, list):
        return [n for v in value for n in author_names(v)]
    return as_list(value)


class Metadata:
    """The metadata of one post, made for this site, with what was done and not done."""

    def __init__(self, blog, post, raw, site):
        self.blog, self.post, self.raw, self.site = blog, post, raw, site
        self.values = {}
        self.notes = []
        self.dropped = []

    def get(self, *keys):
        """The first of ``keys`` the post gives; of a key it gives twice, the
        first value (as Pelican takes it), except for lists of names."""
        for key in keys:
            value = self.raw.get(key)
            if isinstance(value, list) and key not in LISTS and self.blog.engine == "pelican":
                value = value[0] if value else None
            if value not in (None, "", []):
                return value
        return None

    def build(self, html):
        """Fill every key; ``html`` is the post's body rendered by the site's Markdown.
        A page needs only its title and slug (and keeps its dates if it has them)."""
        self.title()
        if self.post.kind == "essay":
            self.dates()
            self.people_and_topics()
        else:
            if self.get("date") is not None:
                self.dates()
            self.values["slug"] = self.slug()
        self.status_and_language(html)
        if self.post.kind == "essay" or self.get("summary", "description") is not None:
            self.summary(html)
        self.rest()
        return self

    def title(self):
        title = self.get("title")
        if title is None:
            title = self.post.name.replace("-", " ").replace("_", " ").strip() or "Untitled"
            self.notes.append("title from the file name")
        self.values["title"] = one_line(title)

    def dates(self):
        timezone = self.site["TIMEZONE"]
        value = self.get("date", "publishdate", "published_at", "pubdate", "created")
        dated = DATED_NAME.match(self.post.path.stem)
        if value is None and dated:
            value = dated.group(1)
            self.notes.append("date from the file name")
        date, note = normal_date(value, timezone) if value is not None else (None, None)
        if date is None:
            mtime = datetime.datetime.fromtimestamp(self.post.path.stat().st_mtime)
            date = mtime.strftime("%Y-%m-%d %H:%M")
            self.notes.append(
                f"{note or 'no date'}: took the file's modification time, {date} — check it"
            )
        elif note:
            self.notes.append(note)
        self.values["date"] = date
        for key in MODIFIED:
            value = self.raw.get(key)
            if value in (None, ""):
                continue
            modified, _ = normal_date(value, timezone)
            if modified is not None and modified >= date:
                self.values["modified"] = modified
                if key != "modified":
                    self.notes.append(f"{key.capitalize()} written as Modified")
            break

    def people_and_topics(self):
        names = author_names(self.get("authors", "author"))
        if not names:
            names = author_names(self.blog.setting("AUTHOR", "author", "params.author"))
            names = names or [self.site.get("AUTHOR") or "Author"]
            self.notes.append(f"author {', '.join(names)} from the settings")
        self.values["authors" if len(names) > 1 else "author"] = ", ".join(names)
        categories = as_list(self.get("category", "categories"))
        if isinstance(self.get("categories"), str) and "," not in self.get("categories"):
            categories = self.get("categories").split()  # Jekyll: space-separated
        tags = as_list(self.get("tags", "tag", "keywords"))
        if isinstance(self.get("tags"), str) and self.blog.engine == "jekyll":
            tags = tags if "," in self.get("tags") else self.get("tags").split()
        if categories:
            category, tags = categories[0], [*tags, *categories[1:]]
        elif self.post.folder_category:
            category = self.post.folder_category
            self.notes.append(f"category {category!r} from its folder")
        else:
            category = self.blog.setting("DEFAULT_CATEGORY") or self.site["DEFAULT_CATEGORY"]
            self.notes.append(f"category {category!r} by default")
        if not re.search(r"\w", str(category)):
            self.notes.append(f"category {category!r} has no letters: the default instead")
            category = self.site["DEFAULT_CATEGORY"]
        self.values["category"] = one_line(category)
        kept = [t for t in dict.fromkeys(tags) if re.search(r"\w", t)]
        if kept:
            self.values["tags"] = ", ".join(one_line(t) for t in kept)
        self.values["slug"] = self.slug()

    def slug(self):
        written = self.get("slug")
        address = str(self.get("permalink", "url") or "").strip("/").rsplit("/", 1)[-1]
        base = str(written) if written else (address.split(".")[0] or self.post.name)
        slug = make_slug(base) or make_slug(self.values["title"]) or "post"
        if written and slug != written:
            self.notes.append(f"slug {written!r} written as {slug!r}")
        elif not written:
            self.notes.append("slug from the address" if address else "slug from the file name")
        return slug

    def status_and_language(self, html):
        draft = self.get("draft")
        published = self.raw.get("published")
        status = str(self.get("status") or "").lower()
        if self.post.draft or draft is True or str(draft).lower() == "true" or published is False:
            status = "draft"
        if status in ("draft", "hidden"):
            self.values["status"] = status
        elif status and status != "published":
            self.notes.append(f"status {status!r} dropped")
        written = str(self.get("lang", "language", "languagecode") or "").lower()
        if not written and "." in self.post.path.stem:
            written = self.post.path.stem.rsplit(".", 1)[1].lower()  # Hugo: post.zh.md
        lang = written.replace("_", "-").split("-")[0]
        chinese, _, _ = mostly_chinese(prose_text(html))
        languages = self.site.get("CONTENT_GUARD_LANGUAGES", ["en", "zh"])
        if chinese and lang != "zh":
            lang = "zh"
            self.notes.append("Lang: zh (mostly Chinese)")
        elif lang not in languages:
            if written:
                self.notes.append(f"lang {written!r} is not one the site publishes: written as en")
            lang = "en" if not chinese else "zh"
        self.values["lang"] = lang
        if str(self.get("translation") or "").lower() == "true":
            self.values["translation"] = "true"

    def summary(self, html):
        written = self.get("summary", "description", "excerpt")
        if written is not None:
            # Listings show the summary at other addresses: links keep their text only.
            text = MARKDOWN_LINK.sub(r"\1", one_line(written))
            text = HTML_TAG.sub("", text)
            if text != one_line(written):
                self.notes.append("links and markup in the summary kept as text")
            self.values["summary"] = text
            return
        sentence = first_sentence(html, limit=300) or self.values["title"]
        self.values["summary"] = MARKDOWN_SPECIAL.sub(r"\\\1", sentence)
        self.notes.append("summary from the first sentence")

    def rest(self):
        known = self.site["METADATA_KEYS"]
        used = {"title", "date", "slug", "lang", "status", "summary", "translation", "draft",
                "published", "category", "categories", "tags", "tag", "keywords", "author",
                "authors", "description", "excerpt", "language", "languagecode", "publishdate",
                "published_at", "pubdate", "created", "permalink", "url", "save_as", "aliases",
                *MODIFIED}  # fmt: skip
        for key, value in self.raw.items():
            if key in used:
                continue
            target = SYNONYMS.get(key, (key,))[0]
            if target == "template" and not self.template_exists(value):
                self.dropped.append(key)
                continue
            if target in known and target not in self.values and value not in (None, ""):
                if self.post.kind == "essay" and target in PAGE_ONLY:
                    self.dropped.append(key)
                    continue
                self.values[target] = one_line(", ".join(as_list(value)) if isinstance(value, list)
                                               else value)  # fmt: skip
            else:
                self.dropped.append(key)
        if self.dropped:
            self.notes.append(f"dropped keys the site does not use: {', '.join(self.dropped)}")

    def template_exists(self, name):
        return (Path(self.site["THEME"]) / "templates" / f"{name}.html").is_file()

    def text(self):
        """The metadata lines, in the site's order."""
        keys = [k for k in ORDER if k in self.values] + [k for k in self.values if k not in ORDER]
        return "".join(f"{key.capitalize()}: {self.values[key]}\n" for key in keys)
