"""The checks of one file's body and summary, on the HTML the site's reader made of them.

The reader's HTML is what the site publishes, so what is found in it (a
``<script>``, an event handler, a ``style`` attribute the site's policy
ignores, a script URL, an image without alt text or from another site, a
frame or video from another site, a second level-one heading, a formula that
could not be converted) is what a reader would get.  Each finding names the
body line where its text is written: outside code when it is about markup,
and after the previous finding of the same text.  The language check reads
the body's text (code and formulas aside): a mostly-Chinese body must say
``Lang: zh``, or Pelican's default language (English) types it, marks it and
indexes it as English.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from plugins.core import html as bzhtml
from plugins.core.languages import mostly_chinese

from .source import Problem

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
NO_SCRIPT = "remove it: essays may not carry scripts"
# Image sources that are the site's own files (pages load nothing from other
# sites, and the Content-Security-Policy would block it).
LINKED_SRC_RE = re.compile(r"([{|](static|attach|filename)[|}]|data:image/)", re.IGNORECASE)
# Elements that load what they show; from another site, the policy blocks them.
LOADERS = {"iframe", "frame", "video", "audio", "source", "track", "embed", "object"}
ELSEWHERE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//")
GIST = re.compile(r"^(?:https?:)?//gist\.github\.com/(?P<path>[^?#]+?)\.js(?:[?#].*)?$")
YOUTUBE_EMBED = re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)")
# Text the formula step did not take: TeX commands with arguments, $$, environments.
RAW_TEX = re.compile(r"\$\$|\\(?:begin|end)\{|\\[A-Za-z]{2,}\s*[{_^]")
NOT_PROSE = frozenset({"code", "pre", "kbd", "samp", "var", "script", "style", "math", "svg"})
FORMULA_FIX = (
    "correct the TeX (formulas are converted with latex2mathml, which knows most LaTeX "
    "math but not every package's commands), or write it in backticks to show it as code"
)


class Finding(NamedTuple):
    what: str
    needle: str  # the text to find its line by
    fix: str
    markup: bool = True  # about markup: its text is looked for outside code


def _script_finding(values, where):
    src = (values.get("src") or "").strip()
    gist = GIST.match(src)
    if gist:
        fix = (
            "link to the gist instead (essays may not carry scripts): "
            f"[the code on GitHub](https://gist.github.com/{gist.group('path')})"
        )
        return Finding(f"{where} has a <script> element that embeds a gist", "<script", fix)
    if src:
        fix = f"link to what it shows instead (essays may not carry scripts): {src}"
        return Finding(f"{where} has a <script> element loading {src}", "<script", fix)
    return Finding(
        f"{where} has a <script> element",
        "<script",
        NO_SCRIPT + " (to show the tag's name, write it as code: `<script>`)",
    )


def _loader_finding(name, values, where):
    src = next((values[a] for a in ("src", "data") if values.get(a)), "").strip()
    if not ELSEWHERE.match(src):
        return None
    video = YOUTUBE_EMBED.match(src)
    page = f"https://www.youtube.com/watch?v={video.group(1)}" if video else src
    return Finding(
        f"<{name}> in {where} loads {src} from another site, which the site's pages never "
        "do (the Content-Security-Policy blocks it)",
        src,
        f"link to it instead: [what it shows]({page})",
    )


def _image_findings(values, where):
    src = values.get("src", "")
    if not src.strip():
        return [
            Finding(
                f"an <img> tag in {where} has no src, so it shows nothing",
                "<img",
                "if the text names the tag, write it as code: `<img>`",
            )
        ]
    findings = []
    if not values.get("alt", "").strip():
        findings.append(
            Finding(
                f"image {src!r} in {where} has no alt text",
                src,
                "describe the image in the brackets: ![What the chart shows](…)",
                markup=False,
            )
        )
    src = src.strip()
    if not LINKED_SRC_RE.match(src):
        findings.append(
            Finding(
                f"image {src!r} in {where} is not linked with {{static}} or {{attach}}",
                src,
                "put the file in content/images/ and write ![alt]({static}/images/name.png)"
                " (pages load nothing from other sites)",
                markup=False,
            )
        )
    return findings


def _tag_findings(tag, where):
    """What one start tag must not carry, as findings."""
    name = tag.name
    attributes = tag.attribute_items()
    # Of repeated attributes the last counts, as html.parser reads them.
    values = {attribute.name: attribute.value for attribute in attributes}
    findings = []
    if name == "script":
        findings.append(_script_finding(values, where))
    elif name == "style":
        findings.append(
            Finding(
                f"{where} has a <style> element, which the site's Content-Security-Policy ignores",
                "<style",
                "remove it: the stylesheet sets the look of essays",
            )
        )
    elif name == "code" and tag.has_class("formula-error"):
        tex = values.get("data-tex", "")
        why = values.get("data-why", "")
        findings.append(
            Finding(f"formula '{tex}' cannot be set as MathML ({why})", tex, FORMULA_FIX)
        )
    for attribute in attributes:
        if attribute.name.startswith("on"):
            findings.append(
                Finding(
                    f"{where} has an event-handler attribute {attribute.name}= on <{name}>",
                    attribute.name,
                    NO_SCRIPT,
                )
            )
        elif attribute.name == "style":
            findings.append(
                Finding(
                    f"{where} has a style= attribute on <{name}>, which the site's "
                    "Content-Security-Policy ignores",
                    "style=",
                    "remove it: the stylesheet sets the look of essays (a table column is "
                    "aligned in Markdown: |:---:| or |---:|)",
                )
            )
        elif attribute.name in URL_ATTRIBUTES and attribute.value:
            squeezed = re.sub(r"[\x00-\x20]+", "", attribute.value).lower()
            if squeezed.startswith(SCRIPT_SCHEMES):
                scheme = squeezed.split(":", 1)[0]
                findings.append(script_url_finding(where, scheme, name, attribute.name))
    if name == "img":
        findings += _image_findings(values, where)
    elif name in LOADERS:
        found = _loader_finding(name, values, where)
        if found is not None:
            findings.append(found)
    return findings


def script_url_finding(where, scheme, tag, attribute):
    return Finding(
        f"{where} has a {scheme}: URL in <{tag} {attribute}>",
        scheme,
        "link to a web address or another essay: essays may not carry scripts",
    )


def scan_html(markup, where):
    """What a body or summary rendered as ``markup`` must not carry, in document order."""
    found = [finding for tag in bzhtml.start_tags(markup) for finding in _tag_findings(tag, where)]
    return found + raw_tex(markup, where)


def prose_text(markup):
    """The text of rendered HTML outside code, formulas, scripts and styles."""
    return "".join(text for run in bzhtml.text_runs(markup, NOT_PROSE) for _, text in run)


def raw_tex(markup, where):
    """TeX left as text: a formula whose delimiters the formula step did not see."""
    found = []
    for match in RAW_TEX.finditer(prose_text(markup)):
        found.append(
            Finding(
                f"{where} has TeX outside a formula ('{match.group()}')",
                match.group(),
                "write the formula between $…$, or $$…$$ on lines of their own (or in "
                "backticks to show the TeX as code)",
            )
        )
    return found


def heading_findings(source, markup):
    """A level-one heading in the body: the title is the page's only <h1>."""
    problems = []
    lines = source.level_one_heading_lines()
    for index, tag in enumerate(bzhtml.start_tags(markup, ("h1",))):
        close = bzhtml.end_tag(markup, "h1", tag.end)
        text = " ".join(bzhtml.text_of(markup[tag.end : close[0] if close else tag.end]).split())
        line = lines[index] if index < len(lines) else source.line_of("<h1", outside_code=True)[0]
        problems.append(
            Problem(
                source.shown,
                line,
                f"the body has a level-one heading ({text!r}), but the essay's title is the "
                "page's one level-one heading, so this one gets no permalink and no place in "
                "the contents",
                "write it with ## (and each heading under it with one # more: ## becomes ###)",
            )
        )
    return problems


def check_language(source, reading, settings, problems):
    """A mostly-Chinese body says so with ``Lang: zh``."""
    lang = str(reading.metadata.get("lang") or settings.get("DEFAULT_LANG") or "en").lower()
    if lang.startswith("zh") or not reading.content:
        return
    chinese, characters, words = mostly_chinese(prose_text(reading.content))
    if chinese:
        written = reading.raw_metadata.get("lang")
        said = f"is marked {written[0]!r}" if written else "has no Lang, so it counts as English"
        problems.append(
            Problem(
                source.shown,
                source.line_of_key("lang"),
                f"the body is mostly Chinese ({characters} Chinese characters, {words} other "
                f'words) but the file {said}: the page would say lang="{lang}", typography '
                "would set Chinese quotes as English ones and search would index it as English",
                "write 'Lang: zh' in the metadata",
            )
        )


def locate(source, findings):
    """(line, finding) of each finding, in order: each after the one before of the same text."""
    after = {}
    placed = []
    for finding in findings:
        start = after.get(finding.needle, 0)
        line, at = source.line_of(finding.needle, start, outside_code=finding.markup)
        if at < 0 and finding.markup:
            line, at = source.line_of(finding.needle, start)
        if at >= 0:
            after[finding.needle] = at + len(finding.needle)
        placed.append((line, finding))
    return placed


def check_body(source, reading, settings, problems):
    if not source.body.strip():
        problems.append(
            Problem(
                source.shown,
                source.body_line,
                "the body is empty",
                "write the text after the metadata lines and one blank line",
            )
        )
        return
    content = reading.content or ""
    for line, finding in locate(source, scan_html(content, "the body")):
        problems.append(Problem(source.shown, line, finding.what, finding.fix))
    problems += heading_findings(source, content)
    check_language(source, reading, settings, problems)
    summary = reading.metadata.get("summary")
    line = source.line_of_key("summary")
    if isinstance(summary, str):
        for finding in scan_html(summary, "the summary"):
            problems.append(Problem(source.shown, line, finding.what, finding.fix))
    # Script URLs the reader already emptied in the summary: the author still
    # wrote them, and the published summary lost a link.
    for field, tag, attribute, url in reading.dropped:
        scheme = re.sub(r"[\x00-\x20]+", "", url).lower().split(":", 1)[0]
        finding = script_url_finding(f"the {field}", scheme, tag, attribute)
        problems.append(Problem(source.shown, source.line_of_key(field), finding.what, finding.fix))
