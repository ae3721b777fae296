"""Code blocks that keyboards can scroll: every ``<pre>`` gets ``tabindex="0"``.

Code keeps its lines as written (``white-space: pre``), so a long one makes its
block scroll sideways on a phone.  A mouse or a finger scrolls it; a keyboard
can only scroll what it can focus, and a ``<pre>`` is not focusable (WCAG 2.1.1;
axe's ``scrollable-region-focusable``): recent Chromium focuses a scrolling
block by itself, other browsers do not.  Whether a block scrolls depends on
the reader's width and fonts, which the build cannot know, so every block is
made focusable, as GitHub does with the code in its rendered Markdown; the
stylesheet shows where the focus is (``theme/css/base.css``).

A Markdown postprocessor, after raw HTML is put back (30): fenced code
(stashed by ``fenced_code`` and ``codehilite``) and a ``<pre>`` an author
wrote as HTML are both in the text by then.  Code inside a block is escaped
(``&lt;pre``), so only real tags match.
"""

from __future__ import annotations

import re

from markdown.postprocessors import Postprocessor

# An opening <pre> tag; its attributes, if any, in group 1.
PRE_TAG = re.compile(r"<pre(\s[^>]*)?>", re.IGNORECASE)
HAS_TABINDEX = re.compile(r"\stabindex\s*=", re.IGNORECASE)


def focusable(match):
    attributes = match.group(1) or ""
    if HAS_TABINDEX.search(attributes):  # the author's own choice stands
        return match.group(0)
    return f'<pre tabindex="0"{attributes}>'


class FocusableCode(Postprocessor):
    def run(self, text):
        return PRE_TAG.sub(focusable, text)


def extend(md):
    """Add the code-block step to a Markdown instance."""
    # After raw HTML and stashed code are restored (30), with amp_substitute (20) still to run.
    md.postprocessors.register(FocusableCode(md), "focusable_code_blocks", 25)
