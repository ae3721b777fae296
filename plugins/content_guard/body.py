"""The checks of one file's body and summary, on the HTML the site's reader made of them.

The reader's HTML is what the site publishes, so what is found in it (a
``<script>``, an event handler, a script URL, an image without alt text or
from another site) is what a reader would get.  Each finding names the
body line where its text is written.
"""

from __future__ import annotations

import re

from plugins.core import html as bzhtml

from .source import Problem

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
NO_SCRIPT = "remove it: essays may not carry scripts"
# Image sources that are the site's own files (pages load nothing from other
# sites, and the Content-Security-Policy would block it).
LINKED_SRC_RE = re.compile(r"([{|](static|attach|filename)[|}]|data:image/)", re.IGNORECASE)


def _tag_findings(tag, where):
    """Script, event handlers, script URLs and images without alt text or from
    elsewhere, in one start tag: (what, needle to find its line, fix) each."""
    findings = []
    name = tag.name
    if name == "script":
        findings.append((f"{where} has a <script> element", "<script", NO_SCRIPT))
    attributes = tag.attribute_items()
    for attribute in attributes:
        if attribute.name.startswith("on"):
            findings.append(
                (
                    f"{where} has an event-handler attribute {attribute.name}= on <{name}>",
                    attribute.name,
                    NO_SCRIPT,
                )
            )
        elif attribute.name in URL_ATTRIBUTES and attribute.value:
            squeezed = re.sub(r"[\x00-\x20]+", "", attribute.value).lower()
            if squeezed.startswith(SCRIPT_SCHEMES):
                scheme = squeezed.split(":", 1)[0]
                findings.append(script_url_finding(where, scheme, name, attribute.name))
    if name != "img":
        return findings
    # Of repeated attributes the last counts, as html.parser reads them.
    values = {attribute.name: attribute.value for attribute in attributes}
    src = values.get("src", "")
    if not values.get("alt", "").strip():
        findings.append(
            (
                f"image {src!r} in {where} has no alt text",
                src or "![",
                "describe the image in the brackets: ![What the chart shows](…)",
            )
        )
    src = src.strip()
    if src and not LINKED_SRC_RE.match(src):
        findings.append(
            (
                f"image {src!r} in {where} is not linked with {{static}} or {{attach}}",
                src,
                "put the file in content/images/ and write ![alt]({static}/images/name.png)"
                " (pages load nothing from other sites)",
            )
        )
    return findings


def script_url_finding(where, scheme, tag, attribute):
    return (
        f"{where} has a {scheme}: URL in <{tag} {attribute}>",
        scheme,
        "link to a web address or another essay: essays may not carry scripts",
    )


def scan_html(markup, where):
    """What a body or summary rendered as ``markup`` must not carry, in document order."""
    return [finding for tag in bzhtml.start_tags(markup) for finding in _tag_findings(tag, where)]


def check_body(source, reading, problems):
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
    for what, needle, fix in scan_html(reading.content or "", "the body"):
        problems.append(Problem(source.shown, source.line_of(needle)[0], what, fix))
    summary = reading.metadata.get("summary")
    line = source.line_of_key("summary")
    if isinstance(summary, str):
        for what, _needle, fix in scan_html(summary, "the summary"):
            problems.append(Problem(source.shown, line, what, fix))
    # Script URLs the reader already emptied in the summary: the author still
    # wrote them, and the published summary lost a link.
    for field, tag, attribute, url in reading.dropped:
        scheme = re.sub(r"[\x00-\x20]+", "", url).lower().split(":", 1)[0]
        what, _needle, fix = script_url_finding(f"the {field}", scheme, tag, attribute)
        problems.append(Problem(source.shown, source.line_of_key(field), what, fix))
