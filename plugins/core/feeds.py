"""The site's Atom and RSS feeds: Pelican's feed writer, subclassed once, here.

``pages.MemoWriter`` (the site's writer) inherits from ``FeedWriter``, so
whatever the feeds need beyond Pelican's own writing is written here and
nowhere else.
"""

from pelican.writers import Writer


class FeedWriter(Writer):
    """Pelican's writer; the feed-writing methods the site changes live here."""
