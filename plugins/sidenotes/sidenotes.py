"""Show Markdown footnotes as sidenotes on essay pages, without JavaScript.

Authors write standard footnotes (``text[^1]`` and ``[^1]: the note``).  The
``sidenotes`` Jinja filter rewrites an essay's rendered HTML when the page is
written, after Tufte CSS's label + checkbox + note pattern: each reference
becomes a visually hidden but focusable checkbox, a ``<label>`` showing the
note's number, and the note itself as a ``<span class="sidenote">``.  The
stylesheet puts the note in the margin from 64rem (1024px), where the
checkbox leaves the tab order, and shows it inline when the checkbox is
ticked (by mouse, touch or keyboard) on narrower screens.  The label's
hidden word before the number ("Note") is given by the template, in the
page's language.  The
numbered endnote list stays in the page, hidden on screen and printed instead
of the sidenotes.

Only the page changes: ``_content`` keeps Python-Markdown's footnotes, so
feeds carry ordinary numbered endnotes.

The filter runs on every essay page, so it does not parse the essay into a
tree and write all of it out again: it finds the elements' tags with the
shared HTML reader (``core.html.parse``: one regular expression, elements
nested as html.parser nests them) and edits the footnote markup in place,
leaving the rest of the essay byte for byte as rendered.
Footnote markup that Markdown does not write (two references in one
``<sup>``) keeps the ordinary endnotes.

Signals: none; the ``sidenotes`` filter is declared to the core's template
service, which gives it to every generator's Jinja environment.
Settings: none.  Attributes: none.

Why not a maintained plugin: ``pelican-simple-footnotes`` and the footnote
plugins rewrite ``_content``, which would change the feeds too; none renders
the margin-note pattern.
"""

import html
import itertools
import logging
import re

from markupsafe import Markup

from plugins import core
from plugins.core import html as bzhtml
from plugins.core import templates

logger = logging.getLogger(__name__)

# The no-break space Python-Markdown puts before each "jump back" link, in the
# forms HTML may write it.
TRAILING_NBSP = re.compile(r"(?:\xa0|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)\Z")


def _overlap(edits):
    return any(later[0] < earlier[1] for earlier, later in itertools.pairwise(sorted(edits)))


def _backref_edits(text, scope):
    """Edits that remove the "jump back" links in ``scope`` and the no-break space before each.

    As with BeautifulSoup, each removed link takes one no-break space off the
    text before it, which for links next to each other is the same text.
    """
    edits, runs, removed_end = [], [], None
    pending = list(reversed(scope.children))
    while pending:
        element = pending.pop()
        if not (element.name == "a" and element.has_class("footnote-backref")):
            pending.extend(reversed(element.children))
            continue
        if element.before != element.start or removed_end != element.start:
            # Where the text before this link starts and ends, and that text as trimmed.
            runs.append([element.before, element.start, text[element.before : element.start]])
        run = runs[-1]
        if html.unescape(run[2]).endswith("\xa0"):
            if nbsp := TRAILING_NBSP.search(run[2]):
                run[2] = run[2][: nbsp.start()]
            else:
                run[2] = html.escape(html.unescape(run[2])[:-1], quote=False)
        edits.append((element.start, element.end, ""))
        removed_end = element.end
    edits.extend((start, end, trimmed) for start, end, trimmed in runs if start != end)
    return edits


def _note_parts(text, item):
    """The paragraphs of one endnote, or None when it holds other blocks."""
    if not item.children or any(block.name != "p" for block in item.children):
        return None
    return [
        bzhtml.apply_edits(text, _backref_edits(text, p), p.inner, p.close) for p in item.children
    ]


def _start_tag(name, attributes):
    """A start tag with its attributes in name order, as BeautifulSoup wrote them."""
    written = [
        key if value == "" else f'{key}="{html.escape(value)}"'
        for key, value in sorted(attributes.items())
    ]
    return "<" + " ".join([name, *written]) + ">"


def _sidenote(count, number, anchor_id, parts, label):
    """Checkbox, label and note in place of one footnote reference."""
    toggle_id = f"sidenote-{count}"
    number = html.escape(number, quote=False)
    anchor_id = f' id="{html.escape(anchor_id)}"' if anchor_id else ""
    paragraphs = " ".join(f'<span class="sidenote-para">{part}</span>' for part in parts)
    # Numbers are furniture: the search index keeps only the note's words.
    return (
        f'<span class="sidenote-anchor"{anchor_id}>'
        f'<input class="sidenote-toggle" id="{toggle_id}" type="checkbox">'
        f'<label class="sidenote-ref" data-pagefind-ignore for="{toggle_id}">'
        f'<span class="visually-hidden">{html.escape(label, quote=False)} </span>{number}</label>'
        '<span class="sidenote">'
        f'<span class="sidenote-number" data-pagefind-ignore>{number}</span> {paragraphs}'
        "</span></span>"
    )


def _with_sidenotes(text, label="Note"):
    """``text`` with sidenotes, or as it is when it has no footnotes to turn."""
    if 'class="footnote-ref"' not in text:
        return text
    elements = bzhtml.parse(text)
    endnotes = next((e for e in elements if e.name == "div" and e.has_class("footnote")), None)
    if endnotes is None:
        return text
    notes = {}
    for item in endnotes.descendants():
        if item.name == "li" and item.parent.name == "ol" and item.get("id") is not None:
            parts = _note_parts(text, item)
            if parts is None:
                # A list or code block cannot sit inside a paragraph: keep endnotes.
                return text
            notes[item.get("id")] = parts
    # The printed endnotes keep their numbers; the links back lead nowhere.
    edits = _backref_edits(text, endnotes)
    attributes = endnotes.attribute_values()
    attributes.update({"class": "footnote endnotes", "data-pagefind-ignore": ""})
    edits.append((endnotes.start, endnotes.inner, _start_tag("div", attributes)))
    # Every reference counts, so the checkboxes' ids follow the note numbers.
    references = [
        element
        for element in elements
        if element.name == "a"
        and element.parent.name == "sup"
        and element.has_class("footnote-ref")
        and (element.get("href") or "").startswith("#")
    ]
    for count, ref in enumerate(references, start=1):
        parts = notes.get(ref.get("href")[1:])
        if parts is not None:
            sup = ref.parent
            number = bzhtml.text_of(text[ref.inner : ref.close])
            edits.append(
                (sup.start, sup.end, _sidenote(count, number, sup.get("id"), parts, label))
            )
    if _overlap(edits):
        # Markup that Markdown does not write, such as two references in one
        # <sup>: keep the endnotes rather than guess.
        return text
    return bzhtml.apply_edits(text, edits)


def sidenotes(content, label="Note"):
    """Return essay HTML with footnote references turned into sidenotes;
    ``label`` is the word screen readers hear before a note's number, in the
    page's language (the template passes it through gettext)."""
    return Markup(_with_sidenotes(str(content), label))


def register():
    core.register()
    templates.add_filter(__name__, "sidenotes", sidenotes)
