"""Read Markdown titles as text, so a title can never inject markup.

Pelican's Markdown reader passes the ``Title:`` line through untouched and
typogrify then treats it as HTML, so ``Title: <script>…`` would reach every
page, feed and ``<title>``.  This plugin swaps in a reader that HTML-escapes the
raw title before typogrify runs; typogrify still adds its quotes, dashes and
``caps`` spans, and templates can then print the title as rendered HTML.

Summaries (and any other of Pelican's FORMATTED_FIELDS) are Markdown, so
emphasis and links work, but raw HTML in them is shown as text too (the same
reader renders them with Python-Markdown's raw-HTML handlers removed), and a
link or image whose URL uses a script scheme (``javascript:``, ``vbscript:``,
``data:``) loses that URL.  Essay bodies are checked by ``content_guard``.

Signals: ``readers_init`` (replaces the reader for every Markdown extension).
Settings: none.  Attributes: none added; ``title`` becomes escaped HTML and
``summary`` HTML without author-supplied markup.

Why not a maintained plugin: none escapes metadata; Jinja autoescape alone
cannot tell typogrify's markup from an author's.
"""

import html
import logging
import re

from pelican import signals
from pelican.readers import MarkdownReader

logger = logging.getLogger(__name__)


def escape_title(metadata):
    """Escape the raw title in a reader's metadata dict, in place."""
    title = metadata.get("title")
    if isinstance(title, str):
        metadata["title"] = html.escape(title, quote=False)
    return metadata


_URL_ATTRIBUTE = re.compile(r'(?P<name>\s(?:href|src))="(?P<value>[^"]*)"')
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def drop_script_urls(markup):
    """Empty every href/src whose URL runs script; Markdown quotes them with "."""

    def replace(match):
        squeezed = re.sub(r"[\x00-\x20]+", "", html.unescape(match["value"])).lower()
        if squeezed.startswith(_SCRIPT_SCHEMES):
            return f'{match["name"]}=""'
        return match[0]

    return _URL_ATTRIBUTE.sub(replace, markup)


class TextTitleMarkdownReader(MarkdownReader):
    """Python-Markdown reader whose ``title`` is escaped text, not raw HTML,
    and whose summary is Markdown without raw HTML."""

    def read(self, source_path):
        content, metadata = super().read(source_path)
        return content, escape_title(metadata)

    def _parse_metadata(self, meta):
        # The body is already converted; from here on the Markdown instance
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
                metadata[name] = drop_script_urls(metadata[name])
        return metadata


def use_text_title_reader(readers):
    for ext in MarkdownReader.file_extensions:
        if readers.reader_classes.get(ext) is MarkdownReader:
            readers.reader_classes[ext] = TextTitleMarkdownReader


def register():
    signals.readers_init.connect(use_text_title_reader)
