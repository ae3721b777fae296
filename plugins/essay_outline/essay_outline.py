"""Help readers find their way through long essays.

- Every section heading gets a permalink: the ``heading_anchors`` Jinja filter
  puts each ``h2`` to ``h4`` that has an id in a ``<div class="section-heading">``
  with ``<a class="heading-anchor" href="#id" aria-label="Link to section:
  …">#</a>`` after the heading, when the page is written, so feeds stay free
  of them.  The link is beside the heading, not in it, so the heading's
  accessible name is its own text; the stylesheet shows it on hover and focus
  only.  The label is given by the template, in the page's language.  The
  headings of the notes the site appends (disclosure, terms, corrections)
  are not sections and get none.
- The ``outline`` filter returns the essay's ``h2``/``h3`` headings as a tree
  (``[{"id", "text", "children"}]``) for the table of contents, which the
  theme shows when an essay has ``OUTLINE_TOC_MIN_HEADINGS`` headings or more.
- Each essay gets ``word_count`` and ``reading_minutes``, right for Chinese
  and English alike: as Hugo does with ``hasCJKLanguage``, every CJK character
  counts as one word and is read at 501 a minute, other words at 213 a minute
  (CJK punctuation, which Hugo counts too, is not counted here).

Both filters run on every essay page, so they find headings with the shared
HTML reader (``core.html``), which stops only at heading tags instead of
parsing the whole essay, and ``heading_anchors`` inserts its links into the
essay's HTML as written instead of serialising a parsed tree again: the rest
of the essay is left byte for byte.  A heading that is never closed gets no
link.

Signals: ``article_generator_finalized`` (counts words of articles,
translations and drafts); the filters are declared to the core's template
service, which gives them to every generator's Jinja environment.

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

from markupsafe import Markup

from plugins import core
from plugins.core import config, essays, pipeline, templates
from plugins.core import html as bzhtml
from plugins.core import memo as memos
from plugins.core.languages import count_words
from plugins.core.pipeline import Order

DEFAULTS = config.declare(
    __name__,
    {
        "OUTLINE_TOC_MIN_HEADINGS": 3,
        "OUTLINE_WORDS_PER_MINUTE": 213,
        "OUTLINE_CJK_PER_MINUTE": 501,
    },
    prefixes=("OUTLINE_",),
)

# The headings each filter reads: anchors on h2 to h4, the outline of h2 and h3.
HEADINGS = {"234": ("h2", "h3", "h4"), "23": ("h2", "h3")}


def reading_minutes(words, cjk, words_per_minute=213, cjk_per_minute=501):
    minutes = (words - cjk) / words_per_minute + cjk / cjk_per_minute
    return max(1, math.ceil(minutes))


def _is_site_note(tag):
    # Blocks the site appends to an essay (the editorial plugin's glossary
    # notes, corrections and disclosure) are not the author's text: they are
    # neither counted nor listed in the table of contents.
    return tag.has_class("editorial-note")


def _is_footnote_mark(tag):
    # Footnote numbers and "jump back" arrows are furniture, not words.
    if tag.name == "sup":
        return (tag.get("id") or "").startswith("fnref")
    return tag.has_class("footnote-backref")


def _is_not_text(tag):
    # Both kinds go in one pass over the essay: one search, one copy.
    return _is_footnote_mark(tag) if tag.name in ("sup", "a") else _is_site_note(tag)


def author_text(content):
    """Rendered content without the blocks the site appends."""
    return bzhtml.replace_elements(str(content), ("aside", "section"), _is_site_note, " ")


def html_text(content):
    """The visible text of the author's rendered HTML, entities decoded."""
    names = ("aside", "section", "sup", "a")
    return bzhtml.text_of(bzhtml.replace_elements(str(content), names, _is_not_text, " "), " ")


def plain_text(fragment):
    """The text of an HTML fragment, entities decoded and spaces collapsed."""
    return " ".join(bzhtml.text_of(fragment).split())


def _heading_spans(content, levels):
    """(level, id, text, start, close) of each heading of ``levels`` that has
    an id: where its start tag begins and its end tag as (start, end).  A
    heading that is never closed is left out."""
    for tag in bzhtml.start_tags(content, HEADINGS[levels]):
        heading_id = tag.get("id")
        if heading_id is None:
            continue
        close = bzhtml.end_tag(content, tag.name, tag.end)
        if close is not None:
            text = plain_text(content[tag.end : close[0]])
            yield int(tag.name[1]), heading_id, text, tag.start, close


def headings(content, levels):
    """(level, id, text, end) of each heading of ``levels`` that has an id;
    ``end`` is where the heading's closing tag starts."""
    for level, heading_id, text, _, close in _heading_spans(content, levels):
        yield level, heading_id, text, close[0]


def _site_note_spans(content):
    """[start, end) of each note the site appends (its headings are no sections)."""
    spans = []
    for tag in bzhtml.start_tags(content, ("aside", "section")):
        if _is_site_note(tag):
            close = bzhtml.end_tag(content, tag.name, tag.end)
            spans.append((tag.start, close[1] if close else len(content)))
    return spans


def heading_anchors(content, label="Link to section: %(title)s"):
    """Put every h2 to h4 with an id, outside the site's notes, beside a
    named permalink; ``label`` names it, with ``%(title)s`` for the heading."""
    content = str(content)
    if "<h" not in content:
        return Markup(content)
    notes = _site_note_spans(content) if "editorial-note" in content else []
    edits = []
    for _, heading_id, text, start, close in _heading_spans(content, "234"):
        if any(begin <= start < end for begin, end in notes):
            continue
        name = html.escape(label % {"title": text})
        edits.append((start, start, '<div class="section-heading">'))
        edits.append(
            (close[1], close[1], f' <a aria-label="{name}" class="heading-anchor"'
             f' data-pagefind-ignore href="#{html.escape(heading_id)}">#</a></div>')
        )  # fmt: skip
    # Insertions only: where one heading ends as the next begins, the sort
    # puts the first's " <a…></div>" before the second's "<div…>".
    return Markup(bzhtml.apply_edits(content, edits))


def outline(content):
    """The h2/h3 headings with ids, as a tree for a table of contents."""
    tree = []
    for level, heading_id, text, _ in headings(author_text(content), "23"):
        entry = {"id": heading_id, "text": text, "children": []}
        if level == 3 and tree:
            tree[-1]["children"].append(entry)
        else:
            tree.append(entry)
    return tree


def heading_count(tree):
    return sum(1 + len(entry["children"]) for entry in tree)


def word_count_of(content):
    """(words, cjk) of an essay's rendered content."""
    return count_words(html_text(content))


def add_reading_time(generator):
    """Count every essay's words, each count kept in the memo by the essay's
    HTML (walking the HTML costs about 1 ms an essay; a memo entry is read in
    a tenth of that) and, on a cold build, made ahead by the workers."""
    settings = generator.settings
    config.apply_defaults(settings)
    memo = memos.current()
    everything = essays.every(generator)
    # Each essay's key is made once, for the workers and the build.
    keys = [_count_key(a) for a in everything]
    if memo.pool is not None:
        tasks = zip(keys, everything, strict=True)
        memo.pool.ahead([(key, word_count_of, (a._content or "",)) for key, a in tasks])
    for article, key in zip(everything, keys, strict=True):
        count_essay(article, settings, key)


def _count_key(article):
    return memos.current().key("word-count", article._content or "")


def count_essay(article, settings, key=None):
    words, cjk = memos.current().compute(
        key or _count_key(article), word_count_of, article._content or "", what=article.source_path
    )
    article.word_count = words
    article.cjk_count = cjk
    article.reading_minutes = reading_minutes(
        words, cjk, settings["OUTLINE_WORDS_PER_MINUTE"], settings["OUTLINE_CJK_PER_MINUTE"]
    )


def recount_essay(article, generator):
    """essay_changed: count the essay whose text changed."""
    count_essay(article, generator.settings)


def register():
    core.register()
    for name, function in (
        ("heading_anchors", heading_anchors),
        ("outline", outline),
        ("heading_count", heading_count),
    ):
        templates.add_filter(__name__, name, function)
    # After the editorial notes and charts are in the content (Order.CONTENT):
    # the count leaves the notes out by their class.
    pipeline.on("article_generator_finalized", add_reading_time, Order.DERIVED)
    pipeline.on("essay_changed", recount_essay, Order.DERIVED)
