"""Read Markdown titles as text, so a title can never inject markup.

Pelican's Markdown reader passes the ``Title:`` line through untouched and
typogrify then treats it as HTML, so ``Title: <script>…`` would reach every
page, feed and ``<title>``.  This plugin swaps in a reader that HTML-escapes the
raw title before typogrify runs; typogrify still adds its quotes, dashes and
``caps`` spans, and templates can then print the title as rendered HTML.

Signals: ``readers_init`` (replaces the reader for every Markdown extension).
Settings: none.  Attributes: none added; ``title`` becomes escaped HTML.

Why not a maintained plugin: none escapes metadata; Jinja autoescape alone
cannot tell typogrify's markup from an author's.
"""

import html
import logging

from pelican import signals
from pelican.readers import MarkdownReader

logger = logging.getLogger(__name__)


def escape_title(metadata):
    """Escape the raw title in a reader's metadata dict, in place."""
    title = metadata.get("title")
    if isinstance(title, str):
        metadata["title"] = html.escape(title, quote=False)
    return metadata


class TextTitleMarkdownReader(MarkdownReader):
    """Python-Markdown reader whose ``title`` is escaped text, not raw HTML."""

    def read(self, source_path):
        content, metadata = super().read(source_path)
        return content, escape_title(metadata)


def use_text_title_reader(readers):
    for ext in MarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = TextTitleMarkdownReader


def register():
    signals.readers_init.connect(use_text_title_reader)
