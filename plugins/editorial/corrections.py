"""Keep a public log of corrections: per essay, site-wide, and as an Atom feed.

An essay lists its corrections as repeated metadata lines, one per
correction, the date first::

    Correction: 2026-12-02 — The 2023 figure is CNY 1.3 trillion, not 3.1.
    Correction: 2026-12-09 14:00 — Named the second bank correctly.

(a dash, a hyphen or ``:`` may separate the date from the text; the date is
ISO 8601 in the site's time zone, with an optional time.)  Python-Markdown
gathers repeated keys into a list, so no numbering is needed.

After the essays are read, the plugin:

- appends a "Corrections" section (newest first) to the essay's rendered
  content, so the feeds carry it too;
- sets ``article.modified`` (and ``locale_modified``) to the latest
  correction when that is later than the essay's date or ``Modified:``, so
  the visible "Updated" date, the feed entry's ``<updated>`` and structured
  data's ``dateModified`` all follow it;
- puts every correction of every published essay, newest first, in the
  shared context as ``corrections_log`` for the page with
  ``Template: corrections``; and
- writes an Atom feed with one entry per correction.

A correction without a date or text, or dated before the essay, is an error
naming the file and line, so ``--fatal errors`` fails the build.

Called from ``editorial.py``: ``record_corrections`` after the essays are
read, ``write_feed`` after they are written.

Settings (defaults in ``DEFAULTS``):
  CORRECTIONS_FEED_ATOM   output path of the feed (``feeds/corrections.atom.xml``);
                          None to write none
  CORRECTIONS_PAGE        source path, relative to PATH, of the corrections
                          page (``pages/corrections.md``); essays link to it
                          when it exists
  CORRECTIONS_FEED_TITLE  the feed's title (``"<SITENAME>: corrections"``)

Metadata read: ``correction`` (repeatable).  Attributes: ``article.corrections``
(a list of ``Correction``, newest first).

Why a project plugin: no maintained Pelican plugin records corrections, and
Pelican's ``Modified:`` alone neither says what changed nor feeds a log.
"""

import html
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from babel.dates import format_date
from feedgenerator import get_tag_uri
from pelican.utils import get_date, sanitised_join, set_date_tzinfo

from plugins.core import config, essays, interface, output
from plugins.core.feeds import SiteAtomFeed, plain_text

from .common import metadata_lines, set_content

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "CORRECTIONS_FEED_ATOM": "feeds/corrections.atom.xml",
        "CORRECTIONS_PAGE": "pages/corrections.md",
        "CORRECTIONS_FEED_TITLE": None,
    },
    prefixes=("CORRECTIONS_",),
)

CORRECTION = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?)"
    r"\s*(?:\u2014|\u2013|-|:)?\s*(?P<text>.*)$",
    re.S,
)


@dataclass
class Correction:
    date: object
    locale_date: str
    text: str
    article: object
    number: int

    @property
    def anchor(self):
        return f"correction-{self.number}"


def parse_corrections(article, timezone):
    """Return (corrections newest first, errors as (line, message))."""
    raw = article.metadata.get("correction")
    if not raw:
        return [], []
    values = [raw] if isinstance(raw, str) else list(raw)
    lines = metadata_lines(article.source_path, "correction")
    corrections, errors = [], []
    for index, value in enumerate(values):
        line = lines[index] if index < len(lines) else 1
        match = CORRECTION.match(value.strip())
        if not match:
            errors.append(
                (
                    line,
                    f"correction {value.strip()!r} does not start with a date — write "
                    "'Correction: YYYY-MM-DD — what was corrected'",
                )
            )
            continue
        text = match.group("text").strip()
        if not text:
            errors.append((line, "correction has a date but no text — say what was corrected"))
            continue
        try:
            when = set_date_tzinfo(get_date(match.group("date")), timezone)
        except ValueError:
            errors.append((line, f"{match.group('date')!r} is not a date — write YYYY-MM-DD"))
            continue
        if when.date() < article.date.date():
            errors.append(
                (
                    line,
                    f"correction dated {when.date().isoformat()} is before the essay's date "
                    f"{article.date.date().isoformat()} — fix the date of the correction "
                    "or of the essay",
                )
            )
            continue
        corrections.append(
            Correction(
                date=when,
                locale_date=when.strftime(article.date_format),
                text=text,
                article=article,
                number=index + 1,
            )
        )
    corrections.sort(key=lambda c: (c.date, c.number), reverse=True)
    return corrections, errors


# The section's words, in English; ``record_corrections`` passes them in the
# essay's language (the interface catalogs), and the dates as it writes them.
SECTION_TEXT = {"title": "Corrections", "every": "Every correction on this site"}


def corrections_section(corrections, page_path, text=None, date_of=None):
    text = {**SECTION_TEXT, **(text or {})}
    date_of = date_of or (lambda correction: correction.locale_date)
    items = "\n".join(
        f'<li id="{c.anchor}"><time datetime="{c.date.isoformat()}">'
        f"{html.escape(date_of(c))}</time>: {html.escape(c.text)}</li>"
        for c in corrections
    )
    link = (
        f'\n<p><a href="{{filename}}/{html.escape(page_path)}">{html.escape(text["every"])}</a></p>'
        if page_path
        else ""
    )
    return (
        '\n<section class="corrections editorial-note" id="essay-corrections" '
        'aria-labelledby="corrections-title">\n'
        f'<h2 id="corrections-title">{html.escape(text["title"])}</h2>\n'
        f'<ul class="corrections-list">\n{items}\n</ul>{link}\n</section>'
    )


def _section_in_language(corrections, page_path, settings, lang):
    """The section with its words and dates in the essay's language."""
    words = interface.translator(settings, lang)
    locale = interface.babel_locale(settings, lang)
    return corrections_section(
        corrections,
        page_path,
        {
            "title": words.gettext("Corrections"),
            "every": words.gettext("Every correction on this site"),
        },
        lambda correction: format_date(correction.date, format="long", locale=locale),
    )


def corrections_page(settings):
    page = settings["CORRECTIONS_PAGE"]
    return page if page and (Path(settings["PATH"]) / page).is_file() else None


def record_essay(article, settings, page_path):
    """One essay's corrections: parsed, its modified date set, the log appended."""
    corrections, errors = parse_corrections(article, settings.get("TIMEZONE"))
    for line, message in errors:
        logger.error("%s:%s: %s", article.source_path, line, message)
    article.corrections = corrections
    if not corrections:
        return corrections
    latest = corrections[0].date
    current = getattr(article, "modified", None) or article.date
    if latest > current:
        article.modified = max(latest, article.date)
        article.locale_modified = article.modified.strftime(article.date_format)
        article.metadata["modified"] = article.modified
    section = _section_in_language(corrections, page_path, settings, article.lang)
    set_content(article, (article._content or "") + section)
    return corrections


def record_corrections(generator):
    settings = generator.settings
    page_path = corrections_page(settings)
    listed = {id(a) for a in essays.published(generator)}
    log = []
    for article in essays.every(generator):
        corrections = record_essay(article, settings, page_path)
        if corrections and id(article) in listed:
            log.extend(corrections)
    log.sort(key=lambda c: (c.date, c.article.date, c.article.slug, c.number), reverse=True)
    generator.context["corrections_log"] = log
    generator.context["CORRECTIONS_FEED_ATOM"] = settings["CORRECTIONS_FEED_ATOM"]


class CorrectionsFeed(SiteAtomFeed):
    """The site's Atom feed (each entry in its essay's language), whose
    <updated> never falls back to the build clock."""

    def __init__(self, *args, fallback_date=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback_date = fallback_date

    def latest_post_date(self):
        dates = [item["updateddate"] for item in self.items if item.get("updateddate")]
        return max(dates) if dates else self.fallback_date


def absolute(base, path):
    return f"{base.rstrip('/')}/{path.lstrip('/')}"


def build_feed(settings, log, page_url, fallback_date):
    domain = settings.get("FEED_DOMAIN") or settings["SITEURL"]
    feed = CorrectionsFeed(
        title=settings["CORRECTIONS_FEED_TITLE"],
        link=absolute(settings["SITEURL"], page_url or ""),
        feed_url=absolute(domain, settings["CORRECTIONS_FEED_ATOM"]),
        description=f"Corrections to essays published on {settings['SITENAME']}",
        feed_guid=absolute(domain, settings["CORRECTIONS_FEED_ATOM"]),
        language=settings.get("DEFAULT_LANG"),
        fallback_date=fallback_date,
    )
    for correction in log:
        article = correction.article
        title = plain_text(article.title)
        essay_link = absolute(settings["SITEURL"], article.url)
        link = f"{essay_link}#{correction.anchor}"
        feed.add_item(
            title=f"Correction to “{title}”",
            link=link,
            unique_id=get_tag_uri(link, correction.date),
            description=html.escape(correction.text),
            content=(
                f"<p>{html.escape(correction.text)}</p>"
                f'<p>Corrected in <a href="{html.escape(essay_link)}">{html.escape(title)}</a>.</p>'
            ),
            author_name=getattr(article, "author", "") and str(article.author),
            pubdate=correction.date,
            updateddate=correction.date,
            lang=getattr(article, "lang", None),
        )
    return feed


def write_feed(generator, writer=None):
    settings = generator.settings
    target = settings.get("CORRECTIONS_FEED_ATOM")
    if not target:
        return
    log = generator.context.get("corrections_log", [])
    pages = generator.context.get("pages", []) + generator.context.get("hidden_pages", [])
    page_url = next(
        (p.url for p in pages if p.relative_source_path == settings["CORRECTIONS_PAGE"]), ""
    )
    dates = [a.date for a in generator.articles]
    fallback = max(dates) if dates else set_date_tzinfo(get_date("2000-01-01"), "UTC")
    feed = build_feed(settings, log, page_url, fallback)
    sanitised_join(generator.output_path, target)  # refuses a path outside the output
    text = io.StringIO()
    feed.write(text, "utf-8")
    output.write(target, text.getvalue(), base=generator.output_path)
    logger.info("Writing %s", target)
