"""A post's Markdown body, rewritten so the site builds it as its author meant it.

Code (fenced and indented blocks, code spans) is never changed.  Elsewhere:

- Jekyll's ``{% highlight %}`` and Hugo's ``{{< highlight >}}`` blocks become
  fenced code; ``{{< figure >}}``, ``{{< gist >}}``, ``{{< youtube >}}``,
  ``{{< tweet >}}``, ``{% post_url %}``, ``{{< ref >}}`` become Markdown;
  other shortcodes and Liquid tags are removed (and said);
- a ``#`` heading is demoted (the title is the page's one level-one
  heading), every heading under it with it; one that repeats the title is
  dropped;
- a tag named in the text (``(<img> tags)``) becomes code;
- ``<script>`` goes (a gist embed becomes a link to the gist), as do
  ``<style>``, ``style=`` and ``on…=`` attributes (the site's policy drops
  them); a frame becomes a link to what it showed; ``<a name>`` becomes
  ``<a id>``;
- every link and image is resolved (``links.Resolver``): images and files are
  copied and linked with ``{static}``, links to other posts become
  ``{filename}``; a link that leads nowhere keeps its text, a missing image
  its alt text; an image from another site becomes a link to it; an image
  without alt text gets one from its file name.
"""

from __future__ import annotations

import bisect
import html
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from plugins.content_guard.source import ATX_H1, code_ranges
from plugins.core import html as bzhtml
from plugins.markup.formulas import ENVIRONMENTS, INLINE

HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+(\w[\w+-]*)?[^%]*-?%\}\n?(.*?)\n?\{%-?\s*endhighlight\s*-?%\}"
    r"|\{\{[<%]\s*highlight\s+(\w[\w+-]*)?[^>%]*[>%]\}\}\n?(.*?)\n?\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.S,
)
RAW_TAGS = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)([\w-]+)(.*?)\s*/?[>%]\}\}", re.S)
LIQUID = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
LIQUID_OUTPUT = re.compile(r"\{\{\s*(?:site\.(?:base)?url|site\.baseurl)\s*\}\}")
LIQUID_FILTERED = re.compile(r"\{\{\s*['\"]([^'\"]*)['\"]\s*\|\s*(?:relative|absolute)_url\s*\}\}")
ARGUMENT = re.compile(r"""(?:(\w+)=)?(?:"([^"]*)"|'([^']*)'|(\S+))""")
ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)(.*)$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# Tags named in prose: no attributes, and (for elements with content) not closed after.
NAMED_TAGS = re.compile(
    r"</?(img|script|style|iframe|link|meta|input|video|audio|source|embed|object|html|head|"
    r"body|title|br|hr|div|span|p|a|table|canvas|svg|template|slot)>",
    re.I,
)
VOID = {"img", "link", "meta", "input", "source", "embed", "br", "hr"}
ELEMENT = re.compile(
    r"<(script|style|iframe|object|noscript|video|audio)\b[^>]*>.*?</\1\s*>", re.S | re.I
)
ELSEWHERE = re.compile(r"^(?:https?:)?//")
# Formulas as the site's Markdown reads them (plugins/markup), and environments.
FORMULA = re.compile(
    rf"{INLINE}|\\begin\{{(?P<environment>{ENVIRONMENTS})\}}.*?\\end\{{(?P=environment)\}}", re.S
)
# TeX written outside a formula's delimiters, as the content checks find it.
LOOSE_TEX = re.compile(r"\$\$|\\[A-Za-z]{2,}\s*(?:\{[^{}\n]*\})*(?:[_^]\{?[^\s{}]*\}?)?")
LONE_EMBED = re.compile(r"<(embed|iframe)\b[^>]*/?>", re.I)
GIST = re.compile(r"gist\.github\.com/([\w-]+/)?([0-9a-fA-F]+)(?:\.js)?")
YOUTUBE = re.compile(r"youtube(?:-nocookie)?\.com/embed/([\w-]+)|youtu\.be/([\w-]+)")
# How formulas are written (plugins/markup), the longest first; "" for environments.
FORMULA_DELIMITERS = [("$$", "$$"), ("\\\\[", "\\\\]"), ("\\\\(", "\\\\)"), ("\\[", "\\]"),
                      ("\\(", "\\)"), ("$", "$"), ("", "")]  # fmt: skip
REFERENCE = re.compile(r"^( {0,3}\[([^\]]+)\]:[ \t]*)(<[^>\n]*>|\S+)(.*)$", re.M)


def _figure(values, positional):
    src = values.get("src") or (positional[0] if positional else "")
    alt = values.get("alt") or values.get("caption") or values.get("title") or ""
    return f"![{alt}]({destination(src)})" if src else None


def _gist(values, positional):
    if len(positional) < 2:
        return None
    user, gist = positional[0], positional[1]
    return f"[Gist {user}/{gist}](https://gist.github.com/{user}/{gist})"


def _youtube(values, positional):
    video = values.get("id") or (positional[0] if positional else "")
    return f"[Video on YouTube](https://www.youtube.com/watch?v={video})" if video else None


def _tweet(values, positional):
    post = values.get("id") or (positional[-1] if positional else "")
    user = values.get("user", "i")
    return f"[Post on X](https://x.com/{user}/status/{post})" if post else None


def _ref(values, positional):
    return positional[0] if positional else values.get("path")


# Hugo's shortcodes that have a Markdown form, by name: (named, positional) -> Markdown.
SHORTCODES = {"figure": _figure, "gist": _gist, "youtube": _youtube, "tweet": _tweet,
              "x": _tweet, "ref": _ref, "relref": _ref}  # fmt: skip


def _unescaped(text, at):
    slashes = 0
    while at - slashes - 1 >= 0 and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 0


def inline_links(text):
    """(start, end, is image, label span, destination span) of each inline
    ``[label](destination "title")`` and ``![alt](…)``, innermost first."""
    found, search = [], 0
    while True:
        middle = text.find("](", search)
        if middle < 0:
            return found
        search = middle + 2
        depth, opening = 0, middle - 1
        while opening >= 0:
            char = text[opening]
            if char == "]" and _unescaped(text, opening):
                depth += 1
            elif char == "[" and _unescaped(text, opening):
                if depth == 0:
                    break
                depth -= 1
            elif char == "\n" and text[opening - 1 : opening] == "\n":
                opening = -1
                break
            opening -= 1
        if opening < 0:
            continue
        destination = _destination(text, middle + 2)
        if destination is None:
            continue
        url_start, url_end, end = destination
        image = opening > 0 and text[opening - 1] == "!"
        start = opening - 1 if image else opening
        found.append((start, end, image, (opening + 1, middle), (url_start, url_end)))


TITLE = re.compile(r"""\s+(?:"[^"]*"|'[^']*'|\([^)]*\))\s*$""")


def _destination(text, at):
    """(url start, url end, link end) of a link destination beginning at ``at``,
    read as Python-Markdown reads it: spaces allowed, parentheses balanced,
    an optional quoted title at the end."""
    while at < len(text) and text[at] in " \t":
        at += 1
    if at < len(text) and text[at] == "<":
        close = text.find(">", at)
        if close < 0 or "\n" in text[at:close]:
            return None
        after = close + 1
        while after < len(text) and text[after] != ")" and text[after] != "\n":
            after += 1
        if after >= len(text) or text[after] != ")":
            return None
        return at + 1, close, after + 1
    start, depth = at, 0
    while at < len(text):
        char = text[at]
        if char == "\\":
            at += 2
            continue
        if char == "\n" and text[at + 1 : at + 2] == "\n":
            return None
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        at += 1
    if at >= len(text):
        return None
    inside = text[start:at]
    title = TITLE.search(inside)
    url_end = start + (title.start() if title else len(inside.rstrip()))
    return start, url_end, at + 1


def destination(url):
    """A URL as a Markdown link destination: in <…> when it holds spaces or parentheses."""
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def alt_from_name(url):
    name = PurePosixPath(unquote(urlsplit(url).path)).stem
    return " ".join(re.sub(r"[-_]+", " ", name).split()) or "Image"


class Body:
    """One post's body and what rewriting it did."""

    def __init__(self, text, title):
        self.text = text
        self.title = title
        self.notes = []
        self.problems = []

    def note(self, what):
        if what not in self.notes:
            self.notes.append(what)

    # Before the post's links are known ---------------------------------------

    def prepare(self):
        self.code_blocks()
        self.in_text(self.shortcodes)
        self.headings()
        self.in_text(self.named_tags)
        self.in_text(self.raw_html)
        return self

    def code_blocks(self):
        def fenced(match):
            language = match.group(1) or match.group(3) or ""
            code = match.group(2) if match.group(2) is not None else match.group(4)
            self.note("highlight blocks made fenced code")
            return f"```{language}\n{code}\n```"

        self.text = HIGHLIGHT.sub(fenced, self.text)
        self.text = RAW_TAGS.sub("", self.text)

    def in_text(self, rewrite):
        """Apply ``rewrite(text) -> text`` to each stretch of the body outside code."""
        parts, done = [], 0
        for start, end in code_ranges(self.text):
            parts.append(rewrite(self.text[done:start]))
            parts.append(self.text[start:end])
            done = end
        parts.append(rewrite(self.text[done:]))
        self.text = "".join(parts)

    def shortcodes(self, text):
        text = LIQUID_OUTPUT.sub("", text)
        text = LIQUID_FILTERED.sub(r"\1", text)
        text = SHORTCODE.sub(self._shortcode, text)
        return LIQUID.sub(self._liquid, text)

    def _shortcode(self, match):
        closing, name, arguments = match.group(1), match.group(2).lower(), match.group(3)
        values, positional = {}, []
        for key, double, single, bare in ARGUMENT.findall(arguments):
            value = double or single or bare
            if key:
                values[key.lower()] = value
            elif value:
                positional.append(value)
        if closing:
            return ""
        made = SHORTCODES.get(name, lambda values, positional: None)(values, positional)
        if made is None:
            self.problems.append(f"shortcode {{{{< {name} >}}}} removed")
            return ""
        return made

    def _liquid(self, match):
        name, arguments = match.group(1).lower(), match.group(2).strip()
        if name in ("post_url", "link"):
            return arguments.split()[0] if arguments else ""
        if name == "img":  # Pelican's liquid_tags: {% img [class] src [w [h]] [title [alt]] %}
            words = arguments.split()
            src = next((w for w in words if "/" in w or "." in w), "")
            alt = " ".join(w for w in words if w not in (src,) and not w.isdigit()).strip("'\"")
            return f"![{alt}]({destination(src)})" if src else ""
        self.problems.append(f"template tag {{% {name} %}} removed")
        return ""

    def headings(self):
        """Demote every heading when the body has a level-one heading."""
        lines = self.text.split("\n")
        ranges = code_ranges(self.text)
        starts, offset = [], 0
        for line in lines:
            starts.append(offset)
            offset += len(line) + 1

        def in_code(at):
            index = bisect.bisect_right(ranges, (at, float("inf"))) - 1
            return index >= 0 and ranges[index][0] <= at < ranges[index][1]

        prose = [i for i in range(len(lines)) if not in_code(starts[i])]
        in_prose = set(prose)
        setext = {
            i - 1
            for i in prose
            if i > 0 and (i - 1) in in_prose and SETEXT.match(lines[i])
            and lines[i - 1].strip() and not ATX.match(lines[i - 1])
        }  # fmt: skip
        has_h1 = any(ATX_H1.match(lines[i]) for i in prose) or any(
            lines[i + 1].lstrip().startswith("=") for i in setext
        )
        if not has_h1:
            return
        first = next((i for i in prose if lines[i].strip()), None)
        title = " ".join(self.title.split()).casefold()
        for index in prose:
            line = lines[index]
            if line is None:
                continue  # the underline of a setext heading already rewritten
            atx = ATX.match(line)
            if atx:
                text = atx.group(3).strip().strip("#").strip()
                if index == first and len(atx.group(2)) == 1 and text.casefold() == title:
                    lines[index] = None
                    self.note("a first heading repeating the title dropped")
                    continue
                level = min(len(atx.group(2)) + 1, 6)
                lines[index] = f"{atx.group(1)}{'#' * level}{atx.group(3)}"
            elif index in setext:
                level = 2 if lines[index + 1].lstrip().startswith("=") else 3
                text = line.strip()
                if index == first and level == 2 and text.casefold() == title:
                    lines[index] = lines[index + 1] = None
                    continue
                lines[index] = f"{'#' * level} {text}"
                lines[index + 1] = None
        self.text = "\n".join(line for line in lines if line is not None)
        self.note("headings one level down (the title is the page's level-one heading)")

    def named_tags(self, text):
        def as_code(match):
            name = match.group(1).lower()
            closed = re.search(rf"</{name}\s*>", text[match.end() :], re.I)
            if (name in VOID and name not in ("br", "hr")) or not closed:
                if match.group(0).startswith("</") and name not in VOID:
                    opened = re.search(rf"<{name}\b", text[: match.start()], re.I)
                    if opened:
                        return match.group(0)
                self.note(f"{match.group(0)} in the text written as code")
                return f"`{match.group(0)}`"
            return match.group(0)

        return NAMED_TAGS.sub(as_code, text)

    def raw_html(self, text):
        if re.search(r"<h1[\s>]", text, re.I):
            text = re.sub(r"<(/?)h1(?=[\s>])", r"<\1h2", text, flags=re.I)
            self.note("HTML <h1> headings made <h2>")
        text = ELEMENT.sub(self._element, text)
        text = LONE_EMBED.sub(self._element, text)
        edits = []
        for tag in bzhtml.start_tags(text):
            for attribute in tag.attribute_items():
                if attribute.name == "style" or attribute.name.startswith("on"):
                    start = attribute.start
                    while start > 0 and text[start - 1] in " \t\n":
                        start -= 1
                    edits.append((start, attribute.end, ""))
                    self.note(f"{attribute.name}= attributes dropped (the policy ignores them)")
                elif attribute.name == "name" and tag.name == "a" and tag.get("id") is None:
                    anchor = f'id="{html.escape(attribute.value)}"'
                    edits.append((attribute.start, attribute.end, anchor))
        return bzhtml.apply_edits(text, edits) if edits else text

    def _element(self, match):
        name = match.group(1).lower()
        elements = bzhtml.parse(match.group(0))
        tag = elements[0]
        src = (tag.get("src") or tag.get("data") or "").strip()
        if name in ("video", "audio"):
            sources = [e.get("src") or "" for e in elements if e.name == "source"]
            src = src or next((s for s in sources if s), "")
            if not ELSEWHERE.match(src):
                return match.group(0)  # the blog's own file: linked like an image
            self.note(f"<{name}> from other sites made links")
            return f"[{'Video' if name == 'video' else 'Audio'}]({destination(src)})"
        gist = GIST.search(src)
        if name == "script" and gist:
            user = gist.group(1) or ""
            self.note("gist embeds made links")
            return f"[Gist {user}{gist.group(2)}](https://gist.github.com/{user}{gist.group(2)})"
        if name in ("iframe", "object", "embed") and src:
            video = YOUTUBE.search(src)
            url = src
            if video:
                url = f"https://www.youtube.com/watch?v={video.group(1) or video.group(2)}"
            if url.startswith("//"):
                url = "https:" + url
            label = html.unescape(tag.get("title") or "") or ("Video on YouTube" if video else url)
            self.note(f"<{name}> embeds made links")
            return f"[{label}]({destination(url)})"
        self.problems.append(f"<{name}> removed (essays carry no scripts or styles)")
        return ""

    def formulas_as_code(self, html):
        """Formulas the converter cannot read (marked in the rendered ``html``)
        shown as code, their TeX as written: never raw TeX in a page, and no
        build stopped for a blog's exotic macro."""
        done = False
        for tag in bzhtml.start_tags(html, ("code",)):
            if not tag.has_class("formula-error"):
                continue
            tex, why = tag.get("data-tex") or "", tag.get("data-why") or ""
            for opening, closing in FORMULA_DELIMITERS:
                written = f"{opening}{tex}{closing}"
                at = self.text.find(written)
                if tex and at >= 0:
                    break
            else:
                continue
            if "\n" in written:
                code = f"\n```latex\n{written.strip()}\n```\n"
            else:
                ticks = "``" if "`" in written else "`"
                code = f"{ticks}{written}{ticks}"
            self.text = self.text[:at] + code + self.text[at + len(written) :]
            shown = written.strip()[:40]
            self.problems.append(f"formula '{shown}' cannot be converted ({why}): shown as code")
            done = True
        return done

    def loose_tex_as_code(self, html):
        """TeX outside any formula's delimiters (``\\LaTeX{}``, a stray ``$$``)
        shown as code, as the content checks would otherwise refuse it."""
        from plugins.content_guard.body import raw_tex  # noqa: PLC0415

        if not raw_tex(html, "the body"):
            return False
        ranges = code_ranges(self.text) + [m.span() for m in FORMULA.finditer(self.text)]
        edits = []
        for match in LOOSE_TEX.finditer(self.text):
            inside = any(start <= match.start() < end for start, end in ranges)
            if not inside:
                edits.append((match.start(), match.end(), f"`{match.group()}`"))
        if edits:
            self.text = bzhtml.apply_edits(self.text, edits)
            self.problems.append("TeX outside a formula shown as code")
        return bool(edits)

    # With every post known ------------------------------------------------------------

    def links(self, resolve):
        """Resolve every link and image with ``resolve(url, image) -> Resolved``."""
        self.in_text(lambda text: self._links(text, resolve))

    def _links(self, text, resolve):
        edits = self._references(text, resolve)
        for start, end, image, label, (url_start, url_end) in inline_links(text):
            url = text[url_start:url_end]
            found = self._resolve(resolve, url, image)
            alt = text[label[0] : label[1]]
            if found.url is None:
                if image:
                    edits.append((start, end, alt))
                else:
                    edits += [(start, label[0], ""), (label[1], end, "")]
            elif image and not found.url.startswith(("{static}", "{attach}", "data:")):
                edits.append((start, start + 1, ""))  # another site's image: a link to it
                self.note("images from other sites made links (pages load nothing from elsewhere)")
            else:
                if found.url != url:
                    edits.append((url_start - (text[url_start - 1] == "<"),
                                  url_end + (text[url_end : url_end + 1] == ">"),
                                  destination(found.url)))  # fmt: skip
                if image and not alt.strip():
                    edits.append((label[0], label[1], alt_from_name(url)))
                    self.note("alt text from file names for images without it — describe them")
        edits += self._html_links(text, resolve)
        return bzhtml.apply_edits(text, _without_overlaps(edits))

    def _references(self, text, resolve):
        """Reference definitions (``[label]: url``); one leading nowhere goes, and
        its uses (``[text][label]``) keep their text."""
        edits = []
        for match in REFERENCE.finditer(text):
            url = match.group(3).strip("<>")
            found = self._resolve(resolve, url, False)
            if found.url is None:
                edits.append((match.start(), match.end(), ""))
                label = re.escape(match.group(2))
                for use in re.finditer(rf"\[([^\]]+)\]\[{label}\]", text, re.I):
                    edits.append((use.start(), use.end(), use.group(1)))
            elif found.url != url:
                edits.append((match.start(3), match.end(3), destination(found.url)))
        return edits

    def _html_links(self, text, resolve):
        edits = []
        for tag in bzhtml.start_tags(text, ("a", "img", "video", "audio", "source")):
            attribute = next((a for a in tag.attribute_items() if a.name in ("href", "src")), None)
            if attribute is None:
                continue
            image = tag.name != "a"
            found = self._resolve(resolve, attribute.value, image)
            if found.url is None:
                alt = html.escape(tag.get("alt") or "") if image else ""
                edits.append((tag.start, tag.end, alt))
                if tag.name in ("a", "video", "audio"):
                    close = bzhtml.end_tag(text, tag.name, tag.end)
                    if close is not None:
                        edits.append((close[0], close[1], ""))
                continue
            if found.url != attribute.value:
                edits.append((attribute.start, attribute.end,
                              f'{attribute.name}="{html.escape(found.url)}"'))  # fmt: skip
            if tag.name == "img" and not (tag.get("alt") or "").strip():
                alt = f'alt="{html.escape(alt_from_name(attribute.value))}"'
                empty = next((a for a in tag.attribute_items() if a.name == "alt"), None)
                if empty is not None:
                    edits.append((empty.start, empty.end, alt))
                else:
                    at = tag.end - 1 - tag.attributes.endswith("/")
                    edits.append((at, at, " " + alt))
        return edits

    def _resolve(self, resolve, url, image):
        found = resolve(url, image)
        if found.note:
            (self.problems if found.url is None or "dropped" in found.note else self.notes).append(
                found.note
            )
        return found


def _without_overlaps(edits):
    kept, end = [], -1
    for edit in sorted(edits):
        if edit[0] >= end or edit[0] == edit[1]:
            kept.append(edit)
            end = max(end, edit[1])
    return kept
