"""Help readers find their way through long essays.

- Every section heading gets a permalink: the ``heading_anchors`` Jinja filter
  appends ``<a class="heading-anchor" href="#id" aria-label="Link to section:
  …">#</a>`` to each ``h2`` to ``h4`` that has an id, when the page is written,
  so feeds stay free of them.
- The ``outline`` filter returns the essay's ``h2``/``h3`` headings as a tree
  (``[{"id", "text", "children"}]``) for the table of contents, which the
  theme shows when an essay has ``OUTLINE_TOC_MIN_HEADINGS`` headings or more.
- Each essay gets ``word_count`` and ``reading_minutes``, right for Chinese
  and English alike: as Hugo does with ``hasCJKLanguage``, every CJK character
  counts as one word and is read at 501 a minute, other words at 213 a minute
  (CJK punctuation, which Hugo counts too, is not counted here).

Signals: ``initialized`` (defaults), ``generator_init`` (adds the filters to
each generator's Jinja environment) and ``article_generator_finalized``
(counts words of articles, translations and drafts).

Settings (defaults in ``DEFAULTS``):
  OUTLINE_TOC_MIN_HEADINGS   headings an essay needs for a table of contents (3)
  OUTLINE_WORDS_PER_MINUTE   reading speed for words in spaced scripts (213)
  OUTLINE_CJK_PER_MINUTE     reading speed for CJK characters (501)

Attributes added to articles: ``word_count`` (int), ``cjk_count`` (int, the
part of ``word_count`` that is CJK characters) and ``reading_minutes`` (int,
at least 1).

Why not a maintained plugin: ``pelican-readtime`` and ``pelican-statistics``
count whitespace-separated tokens, so a Chinese paragraph counts as one word;
``pelican-toc`` rewrites ``_content`` (the anchors would reach the feeds) and
the Markdown ``toc`` extension's permalinks are links named only "¶".
"""

import html
import math
import re

from bs4 import BeautifulSoup
from markupsafe import Markup
from pelican import signals

DEFAULTS = {
    "OUTLINE_TOC_MIN_HEADINGS": 3,
    "OUTLINE_WORDS_PER_MINUTE": 213,
    "OUTLINE_CJK_PER_MINUTE": 501,
}

# Han (with extension A and compatibility ideographs), kana and Hangul.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af]")
WORD = re.compile(r"[^\W_]")
TAG = re.compile(r"<[^>]+>")
# Footnote numbers and "jump back" arrows are furniture, not words.
FOOTNOTE_MARKS = re.compile(
    r'<sup id="fnref[^"]*">.*?</sup>|<a class="footnote-backref".*?</a>', re.DOTALL
)


def count_words(text):
    """Return (words, cjk): CJK characters count one each, other words by spaces."""
    cjk = len(CJK.findall(text))
    spaced = CJK.sub(" ", text)
    words = sum(1 for token in spaced.split() if WORD.search(token))
    return words + cjk, cjk


def reading_minutes(words, cjk, words_per_minute=213, cjk_per_minute=501):
    minutes = (words - cjk) / words_per_minute + cjk / cjk_per_minute
    return max(1, math.ceil(minutes))


# Blocks the site appends to an essay (the editorial plugin's glossary notes,
# corrections and disclosure) are not the author's text: they are neither
# counted nor listed in the table of contents.
SITE_NOTES = re.compile(r'<(aside|section) class="[^"]*\beditorial-note\b[^"]*".*?</\1>', re.DOTALL)


def author_text(content):
    """Rendered content without the blocks the site appends."""
    return SITE_NOTES.sub(" ", str(content))


def html_text(content):
    """The visible text of the author's rendered HTML, entities decoded."""
    return html.unescape(TAG.sub(" ", FOOTNOTE_MARKS.sub(" ", author_text(content))))


def heading_anchors(content):
    """Append a named permalink to every h2 to h4 with an id."""
    content = str(content)
    if "<h" not in content:
        return Markup(content)
    soup = BeautifulSoup(content, "html.parser")
    for heading in soup.find_all(["h2", "h3", "h4"], id=True):
        title = " ".join(heading.get_text().split())
        link = soup.new_tag(
            "a",
            attrs={
                "class": "heading-anchor",
                "href": f"#{heading['id']}",
                "aria-label": f"Link to section: {title}",
                "data-pagefind-ignore": "",
            },
        )
        link.string = "#"
        heading.append(" ")
        heading.append(link)
    return Markup(soup.decode(formatter="html5"))


def outline(content):
    """The h2/h3 headings with ids, as a tree for a table of contents."""
    soup = BeautifulSoup(author_text(content), "html.parser")
    tree = []
    for heading in soup.find_all(["h2", "h3"], id=True):
        entry = {"id": heading["id"], "text": " ".join(heading.get_text().split())}
        entry["children"] = []
        if heading.name == "h3" and tree:
            tree[-1]["children"].append(entry)
        else:
            tree.append(entry)
    return tree


def heading_count(tree):
    return sum(1 + len(entry["children"]) for entry in tree)


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    apply_defaults(pelican.settings)


def add_filters(generator):
    apply_defaults(generator.settings)
    generator.env.filters["heading_anchors"] = heading_anchors
    generator.env.filters["outline"] = outline
    generator.env.filters["heading_count"] = heading_count


def add_reading_time(generator):
    settings = generator.settings
    apply_defaults(settings)
    everything = [
        *generator.articles,
        *generator.translations,
        *getattr(generator, "drafts", []),
        *getattr(generator, "drafts_translations", []),
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
    ]
    for article in everything:
        words, cjk = count_words(html_text(article._content or ""))
        article.word_count = words
        article.cjk_count = cjk
        article.reading_minutes = reading_minutes(
            words, cjk, settings["OUTLINE_WORDS_PER_MINUTE"], settings["OUTLINE_CJK_PER_MINUTE"]
        )


def register():
    signals.initialized.connect(initialized)
    signals.generator_init.connect(add_filters)
    signals.article_generator_finalized.connect(add_reading_time)
