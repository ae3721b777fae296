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

try:
    from plugins.core import html as bzhtml
except ImportError:  # loaded as a top-level plugin package
    from core import html as bzhtml

logger = logging.getLogger(__name__)


def escape_title(metadata):
    """Escape the raw title in a reader's metadata dict, in place."""
    title = metadata.get("title")
    if isinstance(title, str):
        metadata["title"] = html.escape(title, quote=False)
    return metadata


_URL_ATTRIBUTES = ("href", "src")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")


def _runs_script(url):
    # Browsers drop tabs and newlines anywhere in a URL, and control characters
    # and spaces around it: with all of them squeezed out, none hides the scheme.
    return re.sub(r"[\x00-\x20]+", "", url).lower().startswith(_SCRIPT_SCHEMES)


def drop_script_urls(markup):
    """Empty every href and src attribute whose URL runs script."""
    edits = [
        (attribute.start, attribute.end, f'{attribute.name}=""')
        for tag in bzhtml.start_tags(markup)
        # A scheme needs its ":", written out or as a character reference.
        if ":" in tag.attributes or "&" in tag.attributes
        for attribute in tag.attribute_items()
        if attribute.name in _URL_ATTRIBUTES and _runs_script(attribute.value)
    ]
    return bzhtml.apply_edits(markup, edits) if edits else markup


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
