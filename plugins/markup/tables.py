"""Column alignment of Markdown tables as classes, not ``style`` attributes.

Python-Markdown's ``tables`` extension aligns a column written ``|--:|`` with
``style="text-align: right;"`` on each cell, which the site's
Content-Security-Policy (``style-src 'self'``) ignores, so the column would
quietly lose its alignment; its other choice, the ``align`` attribute, is
obsolete HTML.  Here each such cell gets ``class="align-right"`` (``left``,
``center``) instead, which the stylesheet aligns (``theme/css/base.css``).
"""

from __future__ import annotations

import re

from markdown.treeprocessors import Treeprocessor

ALIGNMENT = re.compile(r"\s*text-align:\s*(left|right|center);?\s*\Z")


class AlignmentClasses(Treeprocessor):
    def run(self, root):
        for cell in root.iter():
            if cell.tag not in ("th", "td"):
                continue
            found = ALIGNMENT.match(cell.get("style") or "")
            if found:
                del cell.attrib["style"]
                classes = [*(cell.get("class") or "").split(), f"align-{found.group(1)}"]
                cell.set("class", " ".join(classes))


def extend(md):
    """Add the alignment step to a Markdown instance."""
    # After the tree is built and its inline content parsed (20), before prettify (10).
    md.treeprocessors.register(AlignmentClasses(md), "table_alignment_classes", 15)
