"""Show Markdown footnotes as sidenotes on essay pages, without JavaScript.

Authors write standard footnotes (``text[^1]`` and ``[^1]: the note``).  The
``sidenotes`` Jinja filter rewrites an essay's rendered HTML when the page is
written, after Tufte CSS's label + checkbox + note pattern: each reference
becomes a visually hidden but focusable checkbox, a ``<label>`` showing the
note's number, and the note itself as a ``<span class="sidenote">``.  The
stylesheet puts the note in the margin on wide screens and shows it inline
when the checkbox is ticked (by mouse, touch or keyboard) on narrow ones.  The
numbered endnote list stays in the page, hidden on screen and printed instead
of the sidenotes.

Only the page changes: ``_content`` keeps Python-Markdown's footnotes, so
feeds carry ordinary numbered endnotes.

Signals: ``generator_init`` (adds the ``sidenotes`` filter to each
generator's Jinja environment).
Settings: none.  Attributes: none.

Why not a maintained plugin: ``pelican-simple-footnotes`` and the footnote
plugins rewrite ``_content``, which would change the feeds too; none renders
the margin-note pattern.
"""

import logging

from bs4 import BeautifulSoup, NavigableString
from markupsafe import Markup
from pelican import signals

logger = logging.getLogger(__name__)


def _drop_backrefs(tag):
    """Remove the "jump back" links and the no-break space before each."""
    for backref in tag.select("a.footnote-backref"):
        previous = backref.previous_sibling
        if isinstance(previous, NavigableString) and previous.endswith("\xa0"):
            previous.replace_with(previous[:-1])
        backref.decompose()


def _note_parts(item):
    """The paragraphs of one endnote, or None when it holds other blocks."""
    _drop_backrefs(item)
    blocks = [child for child in item.children if getattr(child, "name", None)]
    if not blocks or any(block.name != "p" for block in blocks):
        return None
    return blocks


def sidenotes(html):
    """Return essay HTML with footnote references turned into sidenotes."""
    html = str(html)
    if 'class="footnote-ref"' not in html:
        return Markup(html)
    soup = BeautifulSoup(html, "html.parser")
    endnotes = soup.select_one("div.footnote")
    if endnotes is None:
        return Markup(html)
    notes = {}
    for item in endnotes.select("ol > li[id]"):
        parts = _note_parts(BeautifulSoup(str(item), "html.parser").li)
        if parts is None:
            # A list or code block cannot sit inside a paragraph: keep endnotes.
            return Markup(html)
        notes[item["id"]] = parts
    # The printed endnotes keep their numbers; the links back lead nowhere.
    _drop_backrefs(endnotes)
    for count, ref in enumerate(soup.select("sup > a.footnote-ref[href^='#']"), start=1):
        parts = notes.get(ref["href"][1:])
        if parts is None:
            continue
        sup = ref.parent
        number = ref.get_text()
        toggle_id = f"sidenote-{count}"
        anchor = soup.new_tag("span", attrs={"class": "sidenote-anchor"})
        if sup.get("id"):
            anchor["id"] = sup["id"]
        toggle = soup.new_tag(
            "input", attrs={"type": "checkbox", "id": toggle_id, "class": "sidenote-toggle"}
        )
        # Numbers are furniture: the search index keeps only the note's words.
        label = soup.new_tag(
            "label",
            attrs={"for": toggle_id, "class": "sidenote-ref", "data-pagefind-ignore": ""},
        )
        hidden = soup.new_tag("span", attrs={"class": "visually-hidden"})
        hidden.string = "Note "
        label.append(hidden)
        label.append(number)
        note = soup.new_tag("span", attrs={"class": "sidenote"})
        note_number = soup.new_tag(
            "span", attrs={"class": "sidenote-number", "data-pagefind-ignore": ""}
        )
        note_number.string = number
        note.append(note_number)
        note.append(" ")
        for index, paragraph in enumerate(parts):
            para = soup.new_tag("span", attrs={"class": "sidenote-para"})
            for child in list(BeautifulSoup(str(paragraph), "html.parser").p.contents):
                para.append(child)
            if index:
                note.append(" ")
            note.append(para)
        anchor.extend([toggle, label, note])
        sup.replace_with(anchor)
    endnotes["class"] = ["footnote", "endnotes"]
    endnotes["data-pagefind-ignore"] = ""
    return Markup(soup.decode(formatter="html5"))


def add_filter(generator):
    generator.env.filters["sidenotes"] = sidenotes


def register():
    signals.generator_init.connect(add_filter)
