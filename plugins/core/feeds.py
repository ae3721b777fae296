"""The site's Atom and RSS feeds: Pelican's feed writer, subclassed once, here.

``pages.MemoWriter`` (the site's writer) inherits from ``FeedWriter``, so
whatever the feeds need beyond Pelican's own writing is written here and
nowhere else.  What Pelican 4.12's ``Writer`` writes, and what feed readers
then get wrong, is changed in its two feed hooks:

- **One ``<id>`` per feed.**  Pelican gives every feed the site's address as
  its ``<id>``, so a reader that keys subscriptions by id takes the feed of
  a tag for the feed of the whole site.  Each feed's id is its own URL.
- **Absolute URLs in entry content.**  Pelican makes ``{filename}`` links
  absolute but leaves the rest as written: a fragment (``#note``) or a
  relative link resolves against the feed, not the essay, in a reader.
  Every ``href``, ``src``, ``srcset`` and ``poster`` in an entry's content
  and summary is resolved against the entry's own URL, as the essay's page
  resolves it.
- **The entry's language.**  Each entry says ``xml:lang`` (a Chinese essay
  in an English site's feed is read, hyphenated and spoken as Chinese), and
  the feed says the site's ``DEFAULT_LANG``.
- **Plain text titles.**  Titles are text in Atom and RSS: the reader's
  typography (``&nbsp;`` before the last word, ``<span class="caps">``) is
  for pages, so titles are the words alone.

``plain_text`` and ``absolute_content`` are used by the JSON Feed too
(``plugins/json_feed``), so all the site's feeds say the same.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

from feedgenerator import Atom1Feed, Rss201rev2Feed
from markupsafe import Markup
from pelican.writers import Writer

from . import html as bzhtml

# Attributes holding one URL, and srcset, which holds several.
URL_ATTRIBUTES = ("href", "src", "poster")
SRCSET = re.compile(r"(\s*)([^\s,]+)")
# A URL with a scheme (http:, mailto:, data:) or a host (//cdn) is left alone.
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def plain_text(markup):
    """A title or name as plain words: tags dropped, references decoded, every
    run of spaces (no-break ones too) one space."""
    return " ".join(Markup(str(markup)).striptags().split())


def _resolved(value, base):
    value = value.strip()
    if not value or ABSOLUTE.match(value):
        return None
    return urljoin(base, value)


def _srcset(value, base):
    candidates = []
    changed = False
    for candidate in value.split(","):
        match = SRCSET.match(candidate)
        resolved = _resolved(match.group(2), base) if match else None
        if resolved is not None:
            candidates.append(candidate[: match.start(2)] + resolved + candidate[match.end(2) :])
            changed = True
        else:
            candidates.append(candidate)
    return ",".join(candidates) if changed else None


def absolute_content(markup, base):
    """``markup`` with every relative URL resolved against ``base`` (the entry's URL)."""
    if not markup:
        return markup
    edits = []
    for tag in bzhtml.start_tags(markup):
        if "=" not in tag.attributes:
            continue
        for attribute in tag.attribute_items():
            if attribute.name in URL_ATTRIBUTES:
                resolved = _resolved(attribute.value, base)
            elif attribute.name == "srcset":
                resolved = _srcset(attribute.value, base)
            else:
                continue
            if resolved is not None:
                written = f'{attribute.name}="{html.escape(resolved)}"'
                edits.append((attribute.start, attribute.end, written))
    return bzhtml.apply_edits(markup, edits) if edits else markup


class _EntryLanguage:
    """Each entry's ``xml:lang`` (given to ``add_item`` as ``lang``)."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("lang"):
            attributes = {**attributes, "xml:lang": item["lang"]}
        return attributes


class SiteAtomFeed(_EntryLanguage, Atom1Feed):
    pass


class SiteRssFeed(_EntryLanguage, Rss201rev2Feed):
    pass


class FeedWriter(Writer):
    """Pelican's writer; the feed-writing methods the site changes live here."""

    def _create_new_feed(self, feed_type, feed_title, context):
        feed_class = SiteRssFeed if feed_type == "rss" else SiteAtomFeed
        title = context["SITENAME"] + (f" - {feed_title}" if feed_title else "")
        return feed_class(
            title=plain_text(title),
            link=self.site_url + "/",
            feed_url=self.feed_url,
            # The feed's own address: each feed is a feed of its own.
            feed_guid=self.feed_url,
            description=context.get("SITESUBTITLE", ""),
            subtitle=context.get("SITESUBTITLE", None),
            language=context.get("DEFAULT_LANG"),
        )

    def _add_item_to_the_feed(self, feed, item):
        # Pelican's entry (link, id, dates, authors, categories, summary or not),
        # then what the site says differently about it.
        super()._add_item_to_the_feed(feed, item)
        entry = feed.items[-1]
        entry["title"] = plain_text(item.title)
        for name in ("content", "description"):
            entry[name] = absolute_content(entry[name], entry["link"])
        entry["lang"] = getattr(item, "lang", None)
