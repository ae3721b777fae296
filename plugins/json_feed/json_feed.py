"""Write JSON Feed 1.1 files beside Pelican's Atom and RSS feeds.

One feed of every essay (with translations), and one per category, tag and
author when their path patterns are set; each item carries the full content
with absolute links, as the Atom feeds do.  Spec: https://jsonfeed.org/version/1.1

Signals: ``article_writer_finalized`` (writes the
feeds after the essays, so every change plugins made to ``_content`` during
generation is in them).

Settings (defaults in ``DEFAULTS``; a path of None writes no feed):
  JSON_FEED_ALL        path of the feed of every essay
  JSON_FEED_CATEGORY   path pattern per category, ``{slug}`` filled in
  JSON_FEED_TAG        path pattern per tag
  JSON_FEED_AUTHOR     path pattern per author
  JSON_FEED_MAX_ITEMS  newest items per feed (None: all); FEED_MAX_ITEMS if set
  JSON_FEED_ICON       site-relative path of a 512x512 image, or None
  JSON_FEED_FAVICON    site-relative path of a 64x64 image, or None

Links are made absolute with FEED_DOMAIN (else SITEURL), as Pelican does for
Atom and RSS, and every other relative URL in an item's content against the
item's own URL; titles and summaries are plain text (both as the site's Atom
and RSS feeds do it, ``plugins/core/feeds.py``).  Attributes added: none.
Item ``image`` is the essay's ``social_image`` (set by the social_image
plugin) when there is one.

Why not a maintained plugin: none is published on PyPI.  The two public
repositories write JSON Feed 1.0 (``author``, not ``authors``) and are
unmaintained: ``pelican-jsonfeed`` imports ``jinja2.Markup``, removed in
Jinja 3.1, so it cannot load under Pelican 4.12, and ``pelican_json_feed``
writes only the feed of every essay.
"""

import json
import logging
import os

from pelican.utils import order_content, sanitised_join, set_date_tzinfo

from plugins import core
from plugins.core import config, essays, output, pages, pipeline
from plugins.core import memo as memos
from plugins.core.feeds import absolute_content, plain_text
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"

DEFAULTS = config.declare(
    __name__,
    {
        "JSON_FEED_ALL": "feeds/all.json",
        "JSON_FEED_CATEGORY": "feeds/category/{slug}.json",
        "JSON_FEED_TAG": None,
        "JSON_FEED_AUTHOR": None,
        "JSON_FEED_MAX_ITEMS": None,  # None: FEED_MAX_ITEMS
        "JSON_FEED_ICON": "theme/img/icon-512.png",
        "JSON_FEED_FAVICON": "theme/img/favicon-64.png",
    },
    prefixes=("JSON_FEED_",),
)


def max_items(settings):
    configured = settings.get("JSON_FEED_MAX_ITEMS")
    return settings.get("FEED_MAX_ITEMS") if configured is None else configured


def _absolute(base, path):
    return essays.absolute_url(base, path)


def _date(value, settings):
    return set_date_tzinfo(value, settings.get("TIMEZONE")).isoformat()


def feed_item(article, settings, base):
    """One JSON Feed item for an essay, with absolute links."""
    url = _absolute(base, article.url)
    item = {
        "id": url,
        "url": url,
        "title": plain_text(article.title),
        "content_html": absolute_content(article.get_content(base), url),
    }
    summary = plain_text(getattr(article, "summary", "") or "")
    if summary:
        item["summary"] = summary
    image = getattr(article, "social_image", None)
    if image:
        item["image"] = _absolute(base, image)
    item["date_published"] = _date(article.date, settings)
    modified = getattr(article, "modified", None)
    if modified:
        item["date_modified"] = _date(modified, settings)
    authors = getattr(article, "authors", [])
    if authors:
        item["authors"] = [
            {"name": str(author), "url": _absolute(base, author.url)} for author in authors
        ]
    tags = getattr(article, "tags", None)
    if tags:
        item["tags"] = [str(tag) for tag in tags]
    item["language"] = article.lang
    return item


def build_feed(articles, settings, path, title=None):
    """The JSON Feed document (a dict) for ``articles``, newest first."""
    base = settings.get("FEED_DOMAIN") or settings["SITEURL"]
    sitename = settings["SITENAME"]
    feed = {
        "version": VERSION,
        "title": f"{sitename} - {title}" if title else sitename,
        "home_page_url": _absolute(base, ""),
        "feed_url": _absolute(base, path),
    }
    if settings.get("SITESUBTITLE"):
        feed["description"] = settings["SITESUBTITLE"]
    if settings.get("JSON_FEED_ICON"):
        feed["icon"] = _absolute(base, settings["JSON_FEED_ICON"])
    if settings.get("JSON_FEED_FAVICON"):
        feed["favicon"] = _absolute(base, settings["JSON_FEED_FAVICON"])
    if settings.get("AUTHOR"):
        feed["authors"] = [{"name": settings["AUTHOR"]}]
    feed["language"] = settings.get("DEFAULT_LANG", "en")
    items = articles[: max_items(settings)]
    feed["items"] = [feed_item(article, settings, base) for article in items]
    return feed


def feed_text(articles, settings, path, title=None):
    """The JSON Feed file's text for ``articles``."""
    return _json(build_feed(articles, settings, path, title))


def _json(feed):
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def write_feed(output_path, path, feed):
    write_text(output_path, path, _json(feed))


def write_text(output_path, path, text):
    """Write a feed's text; its path in the output."""
    target = sanitised_join(output_path, path)  # refuses a path outside the output
    relative = os.path.relpath(target, output_path)
    output.write(relative, text, base=output_path)
    logger.info('Writing "%s"', target)
    return relative


def _newest_first(articles, settings):
    return order_content(list(articles), order_by=settings["ARTICLE_ORDER_BY"])


def feeds_to_write(generator):
    """Yield (path, title, articles) for every configured feed."""
    settings = generator.settings
    if settings["JSON_FEED_ALL"]:
        everything = list(generator.articles)
        for article in generator.articles:
            everything.extend(article.translations)
        yield settings["JSON_FEED_ALL"], None, _newest_first(everything, settings)
    groups = [
        ("JSON_FEED_CATEGORY", generator.categories),
        ("JSON_FEED_AUTHOR", generator.authors),
        ("JSON_FEED_TAG", list(generator.tags.items())),
    ]
    for key, terms in groups:
        pattern = settings[key]
        if not pattern:
            continue
        for term, articles in terms:
            yield (
                str(pattern).format(slug=term.slug),
                term.name,
                _newest_first(articles, settings),
            )


def write_feeds(generator, writer=None, only=None):
    """Every feed, or only those that hold the essay ``only``.

    Each feed is kept in the pages' memo, keyed by the site (its settings,
    and every essay by URL) and checked against the essays it holds, as the
    Atom feeds are: a rebuild writes again only the feeds whose essays
    changed, and links the others from the last good output."""
    settings = generator.settings
    config.apply_defaults(settings)
    memo_on = memos.current().enabled
    for path, title, articles in feeds_to_write(generator):
        included = articles[: max_items(settings)]
        if only is not None and not any(article is only for article in included):
            continue
        if not memo_on:
            write_feed(generator.output_path, path, build_feed(articles, settings, path, title))
            continue
        site, _ = pages.site_digest(generator.context)
        key = memos.key_for("json feed", site, path, title or "")
        made = pages.memoised(
            key, feed_text, articles, settings, path, title,
            reads=included, reusable=True,  # made again on essay_changed, not recorded
        )  # fmt: skip
        if isinstance(made, pages.Reused):
            if made.link():
                continue
            made = made.text()
        relative = write_text(generator.output_path, path, made)
        pages.written_file(made.memo_key, relative)


def write_feeds_of(article, generator):
    """essay_changed: the feeds that carry the essay."""
    write_feeds(generator, only=article)


def register():
    core.register()
    pipeline.on("article_writer_finalized", write_feeds, Order.WRITE)
    pipeline.on("essay_changed", write_feeds_of, Order.WRITE)
