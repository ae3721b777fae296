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

The filter runs on every essay page, so it does not parse the essay into a
tree and write all of it out again: it finds the elements' tags with one
regular expression, nests them as html.parser does, and edits the footnote
markup in place, leaving the rest of the essay byte for byte as rendered.
Footnote markup that Markdown does not write (two references in one
``<sup>``) keeps the ordinary endnotes.

Signals: ``generator_init`` (adds the ``sidenotes`` filter to each
generator's Jinja environment).
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
from plugins.core import pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

# A tag, or what holds no tags: quoted attribute values may hold ">";
# comments, declarations and the raw text of script and style are not markup.
ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>"
    rf"|<(script|style)(?=[\s/>])({ATTRIBUTES})>.*?</\1\s*>"
    r"|</([a-zA-Z][^\s/>]*)[^>]*>"
    rf"|<([a-zA-Z][^\s/>]*)({ATTRIBUTES})>",
    re.S | re.I,
)
ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")
# Elements without content, as BeautifulSoup knows them.
VOID = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr",
    "image", "img", "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid",
    "param", "source", "spacer", "track", "wbr",
})  # fmt: skip
# The no-break space Python-Markdown puts before each "jump back" link, in the
# forms HTML may write it.
TRAILING_NBSP = re.compile(r"(?:\xa0|&nbsp;|&#0*160;|&#[xX]0*[aA]0;)\Z")


class Element:
    """Where one element's tags are in the essay, and its child elements."""

    __slots__ = (
        "attributes",
        "before",
        "children",
        "close",
        "end",
        "inner",
        "name",
        "parent",
        "start",
    )

    def __init__(self, name, attributes, parent, *, before, start, inner):
        self.name, self.attributes, self.parent = name, attributes, parent
        self.children = []
        # Text before the start tag begins at ``before``; the start tag spans
        # start..inner, the content inner..close and the end tag close..end.
        # An element that is never closed ends where its parent does.
        self.before, self.start, self.inner = before, start, inner
        self.close = self.end = None

    def attribute_values(self):
        """The attributes' decoded values by name (as in html.parser, the last repeat wins)."""
        return {
            match.group(1).lower(): html.unescape(
                match.group(2) or match.group(3) or match.group(4) or ""
            )
            for match in ATTRIBUTE.finditer(self.attributes)
        }

    def get(self, name):
        return self.attribute_values().get(name)

    def has_class(self, name):
        return name in (self.get("class") or "").split()

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()


def parse(text):
    """The elements of the HTML ``text``, in document order."""
    root = Element(None, "", None, before=0, start=0, inner=0)
    elements, open_elements, before = [], [root], 0
    for token in TOKEN.finditer(text):
        raw_text_name, end_name, start_name = token.group(1, 3, 4)
        if end_name is not None:
            end_name = end_name.lower()
            # An end tag closes the latest open element of its name and every
            # element opened after it; an end tag with none open is ignored.
            for depth in range(len(open_elements) - 1, 0, -1):
                if open_elements[depth].name == end_name:
                    for unclosed in open_elements[depth + 1 :]:
                        unclosed.close = unclosed.end = token.start()
                    open_elements[depth].close, open_elements[depth].end = token.span()
                    del open_elements[depth:]
                    break
        elif raw_text_name or start_name:
            name = (raw_text_name or start_name).lower()
            attributes = token.group(2) if raw_text_name else token.group(5)
            parent = open_elements[-1]
            element = Element(
                name, attributes, parent, before=before, start=token.start(), inner=token.end()
            )
            parent.children.append(element)
            elements.append(element)
            # Script and style hold no elements; <br>, <hr/> hold nothing.
            if raw_text_name or name in VOID or attributes.endswith("/"):
                element.close = element.end = token.end()
            else:
                open_elements.append(element)
        before = token.end()
    for unclosed in open_elements[1:]:
        unclosed.close = unclosed.end = len(text)
    return elements


def _text(text, element):
    """The element's text with entities decoded, as BeautifulSoup's get_text gives it."""
    return html.unescape(TOKEN.sub("", text[element.inner : element.close]))


def _apply(text, start, end, edits):
    """``text[start:end]`` with the ``(start, end, replacement)`` edits made."""
    parts = []
    for edit_start, edit_end, replacement in sorted(edits):
        parts.append(text[start:edit_start])
        parts.append(replacement)
        start = edit_end
    parts.append(text[start:end])
    return "".join(parts)


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
    return [_apply(text, p.inner, p.close, _backref_edits(text, p)) for p in item.children]


def _start_tag(name, attributes):
    """A start tag with its attributes in name order, as BeautifulSoup wrote them."""
    written = [
        key if value == "" else f'{key}="{html.escape(value)}"'
        for key, value in sorted(attributes.items())
    ]
    return "<" + " ".join([name, *written]) + ">"


def _sidenote(count, number, anchor_id, parts):
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
        f'<span class="visually-hidden">Note </span>{number}</label>'
        '<span class="sidenote">'
        f'<span class="sidenote-number" data-pagefind-ignore>{number}</span> {paragraphs}'
        "</span></span>"
    )


def _with_sidenotes(text):
    """``text`` with sidenotes, or as it is when it has no footnotes to turn."""
    if 'class="footnote-ref"' not in text:
        return text
    elements = parse(text)
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
            edits.append(
                (sup.start, sup.end, _sidenote(count, _text(text, ref), sup.get("id"), parts))
            )
    if _overlap(edits):
        # Markup that Markdown does not write, such as two references in one
        # <sup>: keep the endnotes rather than guess.
        return text
    return _apply(text, 0, len(text), edits)


def sidenotes(content):
    """Return essay HTML with footnote references turned into sidenotes."""
    return Markup(_with_sidenotes(str(content)))


def add_filter(generator):
    generator.env.filters["sidenotes"] = sidenotes


def register():
    core.register()
    pipeline.on("generator_init", add_filter, Order.PREPARE)
