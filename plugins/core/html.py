"""Read and edit rendered HTML in place, without building a document tree.

The features that work on an essay's rendered HTML (sidenotes, heading
permalinks and the outline, word counts, glossary links, the content checks,
the summaries' URLs) find its tags here, with one set of regular expressions,
and change it at the offsets they are given: whatever a feature does not
change stays byte for byte as Markdown and typogrify wrote it, and reading an
essay costs a pass of ``re`` instead of a parse into a tree and a
serialisation of it afterwards (html.parser alone takes twice as long, and
BeautifulSoup far longer).  The filters among them run on every essay page.

What counts as markup, as a browser's tokenizer reads HTML (where
html.parser reads it otherwise, the browser is followed):

- a quote opens a quoted attribute value only right after "=", and a quoted
  value may hold ">" (elsewhere in a tag a quote is part of a name or value);
- comments, declarations, processing instructions and CDATA sections
  (``<!…>``, ``<?…>``) are no elements and hold none; all but comments end
  at the first ">", a CDATA section too, as outside SVG and MathML;
- the text of ``script`` and ``style`` is raw text, up to the first end tag
  of the element's name: no tag in it counts (but one never closed holds
  none, and what follows it is read as markup);
- only HTML's own whitespace separates names and values, not a no-break
  space;
- attribute names are lower-cased and values decoded (``&amp;`` is "&");
  of repeated attributes the last wins, as in html.parser.

Elements nest as html.parser nests them: an end tag closes the latest open
element of its name and every element opened after it, an end tag with none
open is ignored, and an element never closed ends where its parent does.
Void elements (``<br>``, ``<img>``) and self-closed tags (``<x/>``) hold
nothing.  No other repair is made (a ``<div>`` does not close an open
``<p>``): the HTML read here is what Markdown writes, and well formed.

Offsets are into the text as given, so a caller can edit at them, or count
the newlines before one for a line number.
"""

import functools
import html
import re
from typing import NamedTuple

# HTML's own whitespace: \s would take in no-break and other Unicode spaces,
# which a browser reads as part of a name or value.
_SPACE = r"\t\n\f\r "
# A start tag's attributes as written, as a browser reads them: names
# (which may hold quotes) and separators, each name with its value when "="
# follows; a quoted value may hold ">".  The same grammar as ATTRIBUTE, so
# both agree on where a tag ends.  Possessive, so a "<" that starts no tag
# fails at once instead of trying every way of splitting the text after it
# (there is only one way).
ATTRIBUTES = (
    rf"""(?:[{_SPACE}/]++|[^{_SPACE}/>][^{_SPACE}/>=]*+"""
    rf"""(?:[{_SPACE}]*+=[{_SPACE}]*+(?:"[^"]*+"|'[^']*+'|[^{_SPACE}>]*+))?+)*+"""
)
# What holds no elements.  (Each follows a "<"; groups: 1 the raw-text
# element's name, 2 its attributes.)  As a browser reads HTML:
_NO_ELEMENTS = (
    # a comment ("<!-->" and "<!--->" are empty ones, one never closed runs to
    # the end), or else what a browser takes for a comment up to the first ">":
    # a declaration, a CDATA section (as outside SVG and MathML), a processing
    # instruction, "</" without a name;
    r"!(?:--(?:-?>|.*?(?:--!?>|\Z))|[^>]*>)|\?[^>]*>|/(?:>|[^a-zA-Z>][^>]*>)"
    # a script or style element with its raw text, up to the first end tag of its name.
    rf"|(script|style)(?=[{_SPACE}/>])({ATTRIBUTES})>.*?</\1(?=[{_SPACE}/>])[^>]*>"
)
# Every token: what holds no elements, an end tag (group 3: its name) or a
# start tag (4: its name, 5: its attributes).  The leading "<" is written once
# so that re looks for that character before trying the alternatives.
TOKEN = re.compile(
    rf"<(?:{_NO_ELEMENTS}|/([a-zA-Z][^{_SPACE}/>]*)[^>]*>"
    rf"|([a-zA-Z][^{_SPACE}/>]*)({ATTRIBUTES})>)",
    re.S | re.I,
)
# One attribute: its name, then its value double-quoted, single-quoted or bare.
ATTRIBUTE = re.compile(
    rf"""([^{_SPACE}/>][^{_SPACE}/>=]*)"""
    rf"""(?:[{_SPACE}]*=[{_SPACE}]*(?:"([^"]*)"|'([^']*)'|([^{_SPACE}>]*)))?"""
)
# Elements without content, as BeautifulSoup knows them.
VOID_ELEMENTS = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "command", "embed", "frame", "hr",
    "image", "img", "input", "isindex", "keygen", "link", "menuitem", "meta", "nextid",
    "param", "source", "spacer", "track", "wbr",
})  # fmt: skip


# Attributes ------------------------------------------------------------------


class Attribute(NamedTuple):
    """One attribute as written: its lower-cased name, its decoded value ("" when
    it has none) and where it is, from its name to the end of its value."""

    name: str
    value: str
    start: int
    end: int


def _value(match):
    return html.unescape(match.group(2) or match.group(3) or match.group(4) or "")


# (findall's tuples cost less than match objects: these run for most tags read.)


def attribute_values(attributes):
    """The decoded values of a start tag's attributes (as written) by name; the last repeat wins."""
    return {
        name.lower(): html.unescape(double or single or bare)
        for name, double, single, bare in ATTRIBUTE.findall(attributes)
    }


def attribute_value(attributes, wanted):
    """The decoded value of the attribute named ``wanted`` (the last, if repeated), or None."""
    for name, double, single, bare in reversed(ATTRIBUTE.findall(attributes)):
        if name.lower() == wanted:
            return html.unescape(double or single or bare)
    return None


def attribute_items(attributes, offset=0):
    """Every attribute of a start tag, repeats included, in the order written.

    ``offset`` is where ``attributes`` begins in the source, so that each
    attribute's ``start`` and ``end`` point into the source.
    """
    return [
        Attribute(
            match.group(1).lower(), _value(match), offset + match.start(), offset + match.end()
        )
        for match in ATTRIBUTE.finditer(attributes)
    ]


class _Attributes:
    """Reading the attributes of a start tag that ends (with its ">") at ``_tag_end()``."""

    __slots__ = ()

    def attribute_values(self):
        """The decoded values by name; of repeated attributes the last wins."""
        return attribute_values(self.attributes)

    def attribute_items(self):
        """Every attribute, repeats included, in order, with its offsets in the source."""
        return attribute_items(self.attributes, self._tag_end() - 1 - len(self.attributes))

    def get(self, name):
        return attribute_value(self.attributes, name)

    def has_class(self, name):
        # Most tags are asked about classes they do not have: without the name
        # written out, or a "&" to spell it in references, it is not there.
        if name not in self.attributes and "&" not in self.attributes:
            return False
        return name in (self.get("class") or "").split()


# Start tags ----------------------------------------------------------------------


class StartTag(_Attributes):
    """One start tag: its lower-cased name, its attributes as written, and its span."""

    __slots__ = ("attributes", "end", "name", "start")

    def __init__(self, name, attributes, start, end):
        self.name, self.attributes, self.start, self.end = name, attributes, start, end

    def _tag_end(self):
        return self.end

    def __eq__(self, other):
        if not isinstance(other, StartTag):
            return NotImplemented
        return (self.name, self.attributes, self.start, self.end) == (
            other.name,
            other.attributes,
            other.start,
            other.end,
        )

    __hash__ = None

    def __repr__(self):
        return f"StartTag({self.name!r}, {self.attributes!r}, {self.start}, {self.end})"


@functools.lru_cache(maxsize=32)
def _start_tag_finder(names):
    """A regex that stops only at the start tags of ``names`` and at what holds no
    elements (groups 1 and 2 as in TOKEN; 3 the name, 4 the attributes), and
    the names lower-cased."""
    names = frozenset(name.lower() for name in names)
    wanted = "|".join(re.escape(name) for name in sorted(names))
    finder = re.compile(
        rf"<(?:{_NO_ELEMENTS}|({wanted})(?=[{_SPACE}/>])({ATTRIBUTES})>)", re.S | re.I
    )
    return finder, names


def start_tags(text, names=None):
    """Yield the start tags in ``text`` in document order: every one, or those of
    ``names`` (a tuple).

    Given ``names``, the search stops only at their tags (and steps over what
    holds no elements), which is what makes it quick; tags of other names are
    not read, so a quoted attribute value of one could hide nothing, nor show
    a tag (``title="<h2>"``): rendered Markdown writes "<" in values as &lt;.
    A script or style element's start tag is yielded too; its raw text is not
    searched.
    """
    if names is None:
        for token in TOKEN.finditer(text):
            raw_text_name, start_name = token.group(1, 4)
            if start_name is not None:
                yield StartTag(start_name.lower(), token.group(5), token.start(), token.end())
            elif raw_text_name is not None:
                attributes_end = token.end(2)
                yield StartTag(
                    raw_text_name.lower(), token.group(2), token.start(), attributes_end + 1
                )
        return
    finder, names = _start_tag_finder(names)
    for token in finder.finditer(text):
        raw_text_name, name = token.group(1, 3)
        if name is not None:
            yield StartTag(name.lower(), token.group(4), token.start(), token.end())
        elif raw_text_name is not None and raw_text_name.lower() in names:
            yield StartTag(raw_text_name.lower(), token.group(2), token.start(), token.end(2) + 1)


@functools.lru_cache(maxsize=32)
def _end_tag_finder(name):
    return re.compile(
        rf"<(?:{_NO_ELEMENTS}|/({re.escape(name)})(?=[{_SPACE}/>])[^>]*>)", re.S | re.I
    )


def end_tag(text, name, position=0):
    """The span of the first end tag of ``name`` from ``position`` on, or None.

    Comments and raw text are stepped over; nesting is not counted (the first
    ``</h2>`` after an ``<h2>`` ends it).  ``name`` is no raw-text element's.
    """
    finder = _end_tag_finder(name.lower())
    token = finder.search(text, position)
    while token is not None and token.group(3) is None:
        token = finder.search(text, token.end())
    return None if token is None else token.span()


# Text ------------------------------------------------------------------------


def text_of(fragment, separator=""):
    """The text of an HTML fragment with entities decoded, each token replaced by ``separator``.

    Comments, CDATA, declarations and the raw text of script and style go
    with the tags.
    """
    return html.unescape(TOKEN.sub(separator, fragment))


def _wrapper_marks(transparent):
    """What stands on text_runs' stack for an open wrapper, by element name: a
    tuple, which no element's name equals."""
    marks = {}
    for tag in transparent:
        name = TOKEN.fullmatch(tag).group(4).lower()
        marks[name] = (name,)
    return marks


# One loop over every tag of every essay: helpers called per tag cost time.
def text_runs(markup, skip=frozenset(), transparent=frozenset()):  # noqa: PLR0912
    """Yield the runs of text outside the elements named in ``skip``.

    A run is text no tag interrupts but comments and the ``transparent``
    wrappers: start tags, exactly as written (``'<span class="caps">'``), of
    elements a reader sees as part of the words around them, and their end
    tags.  A run is a list of (offset, text as written) pieces; they need not
    be contiguous in the source, as the tags between them are looked through.
    The raw text of script and style is never a run.
    """
    wrappers = _wrapper_marks(transparent)
    stack, skipping, run, done = [], 0, [], 0
    for token in TOKEN.finditer(markup):
        start = token.start()
        if start > done and not skipping:
            run.append((done, markup[done:start]))
        done = token.end()
        raw_text_name, end_name, start_name = token.group(1, 3, 4)
        if end_name is not None:
            name = end_name.lower()
            if stack and stack[-1] is wrappers.get(name):
                stack.pop()
                continue
        elif start_name is not None:
            name = start_name.lower()
            if name in wrappers and token.group() in transparent:
                stack.append(wrappers[name])
                continue
        elif raw_text_name is None and markup.startswith("<!--", start):
            continue
        if run:
            yield run
            run = []
        if end_name is not None:
            # As in parse(): close the latest open element of this name and
            # every element opened after it.
            while name in stack:
                popped = stack.pop()
                skipping -= popped in skip
                if popped == name:
                    break
        elif (
            start_name is not None
            and name not in VOID_ELEMENTS
            and not token.group(5).endswith("/")
        ):
            stack.append(name)
            skipping += name in skip
    if len(markup) > done and not skipping:
        run.append((done, markup[done:]))
    if run:
        yield run


# The element tree --------------------------------------------------------------


class Element(_Attributes):
    """Where one element's tags are in the source, and its child elements."""

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

    def _tag_end(self):
        return self.inner

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def __repr__(self):
        return f"<Element {self.name} {self.start}..{self.end}>"


def parse(text):
    """The elements of the HTML ``text``, in document order, each with its children."""
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
        elif raw_text_name:
            # Script and style hold raw text, no elements.
            parent = open_elements[-1]
            element = Element(
                raw_text_name.lower(),
                token.group(2),
                parent,
                before=before,
                start=token.start(),
                inner=token.end(2) + 1,
            )
            element.close = text.rfind("</", element.inner, token.end())
            element.end = token.end()
            parent.children.append(element)
            elements.append(element)
        elif start_name:
            name, attributes = start_name.lower(), token.group(5)
            parent = open_elements[-1]
            element = Element(
                name, attributes, parent, before=before, start=token.start(), inner=token.end()
            )
            parent.children.append(element)
            elements.append(element)
            # <br> and <hr/> hold nothing.
            if name in VOID_ELEMENTS or attributes.endswith("/"):
                element.close = element.end = token.end()
            else:
                open_elements.append(element)
        before = token.end()
    for unclosed in open_elements[1:]:
        unclosed.close = unclosed.end = len(text)
    return elements


# Editing -------------------------------------------------------------------------


def apply_edits(text, edits, start=0, end=None):
    """``text[start:end]`` with the ``(start, end, replacement)`` edits made.

    The edits lie inside the slice and do not overlap.
    """
    parts = []
    for edit_start, edit_end, replacement in sorted(edits):
        parts.append(text[start:edit_start])
        parts.append(replacement)
        start = edit_end
    parts.append(text[start:end])
    return "".join(parts)


def replace_elements(text, names, select, replacement=""):
    """``text`` with each element of ``names`` that ``select(start_tag)`` accepts,
    from its start tag to the end tag ``end_tag`` finds, replaced.

    An element inside a replaced one goes with it; one never closed stays.
    """
    edits, done = [], 0
    for tag in start_tags(text, names):
        if tag.start < done or not select(tag):
            continue
        close = end_tag(text, tag.name, tag.end)
        if close is not None:
            edits.append((tag.start, close[1], replacement))
            done = close[1]
    return apply_edits(text, edits) if edits else text
