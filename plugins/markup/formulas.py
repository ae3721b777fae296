"""Formulas written in TeX become MathML when an essay is read: no script, no fonts to load.

Essays write formulas as MathJax and Pelican's ``render_math`` read them:

- ``$…$`` and ``\\(…\\)`` inline;
- ``$$…$$`` and ``\\[…\\]`` displayed, on lines of their own or inside a
  paragraph;
- ``\\begin{equation}…\\end{equation}`` (and ``align``, ``gather``,
  ``multline``, ``eqnarray``, starred or not) on lines of their own.

``$`` follows Pandoc's rule, so prices are left alone: the opening ``$``
has no space after it, the closing one no space before it and no digit
after it ("$5 and $10" is text).  ``\\$`` is a dollar sign.  ``\\[…\\]``
counts as a formula only when it holds TeX (a backslash, ``^``, ``_``,
``=``, braces or a line break), since Markdown authors also write ``\\[1\\]``
for brackets.  Hugo authors double the backslash (``\\\\(``) to get it past
their Markdown; that is read as one.  Code, fenced or in backticks, is never
touched.

Each formula is converted by ``latex2mathml`` into a ``<math>`` element,
which Chromium, Firefox and Safari lay out natively (MathML Core), and
stashed so that no other Markdown syntax (emphasis from ``_`` and ``*``,
escapes) reaches it.  The reader sets type after Markdown; typogrify must
leave ``<math>`` alone (``TYPOGRIFY_IGNORE_TAGS``), and the check at start
says so.  A few LaTeX commands latex2mathml lacks are rewritten first
(``aligned`` as ``align*``; ``\\label``, ``\\nonumber`` and ``\\tag``-like
commands dropped, ``\\eqref{x}`` written "(x)").  A formula that still
cannot be converted is written as ``<code class="formula-error"
data-tex="…" data-why="…">``: the content checks report it with its line,
so raw TeX never reaches a page.

Part of the site's Markdown extension (``plugins.markup``), so formulas
are converted inside the site's reader and kept with its memo.

Why a project extension around latex2mathml (a maintained converter):
``pelican-render-math`` and ``python-markdown-math`` leave the TeX for
MathJax, a script from another site that the Content-Security-Policy
refuses; ``markdown-katex`` needs Node.js and KaTeX's fonts.
"""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

# Display environments that stand alone on their lines, as in LaTeX.
ENVIRONMENTS = r"(?:equation|align|gather|multline|eqnarray|displaymath|flalign)\*?"
# Lines that open and close a displayed formula, for the block step.
BLOCK_OPEN = re.compile(
    rf"^(?P<indent> {{0,3}})(?P<open>\$\$|\\\\?\[|\\begin\{{(?P<env>{ENVIRONMENTS})\}})"
)
BLOCK_CLOSE = {"$$": re.compile(r"\$\$\s*$"), "[": re.compile(r"\\\\?\]\s*$")}
# Inline: $$…$$, \[…\], \(…\) (each with one or two backslashes) and $…$.
INLINE = (
    r"(?<![\\$])\$\$(?P<display>.+?)(?<!\\)\$\$"
    r"|(?<!\\)\\\\?\[(?P<bracket>.+?)\\\\?\]"
    r"|(?<!\\)\\\\?\((?P<inline>.+?)\\\\?\)"
    r"|(?<![\\$])\$(?P<dollar>[^\s$](?:[^$]*?[^\s\\$])?)\$(?![\d$])"
)
TEX_LIKE = re.compile(r"[\\^_={}]|\n")
# Rewrites before conversion: commands latex2mathml lacks, as the reader expects them.
REWRITES = [
    (re.compile(r"\\(?:label|tag\*?)\{[^{}]*\}"), ""),
    (re.compile(r"\\(?:nonumber|notag|nolimits|displaylimits|hline)(?![A-Za-z])"), ""),
    (re.compile(r"\\(?:eq)?ref\{([^{}]*)\}"), r"\\text{(\1)}"),
    (re.compile(r"\\arg(?![A-Za-z])"), r"\\operatorname{arg}"),
    (re.compile(r"\\begin\{(?:aligned|alignat\*?|alignedat|split|eqnarray\*?)\}(?:\{\d+\})?"),
     r"\\begin{align*}"),
    (re.compile(r"\\end\{(?:aligned|alignat\*?|alignedat|split|eqnarray\*?)\}"), r"\\end{align*}"),
    (re.compile(r"\\begin\{(?:equation|displaymath|gather|multline|flalign)\*?\}"), ""),
    (re.compile(r"\\end\{(?:equation|displaymath|gather|multline|flalign)\*?\}"), ""),
    (re.compile(r"\\begin\{align\}"), r"\\begin{align*}"),
    (re.compile(r"\\end\{align\}"), r"\\end{align*}"),
]  # fmt: skip
# What latex2mathml writes for a command it does not know: the command as text.
UNKNOWN_COMMAND = re.compile(r"<m[a-z]+[^>]*>(\\[A-Za-z]+)</m[a-z]+>")
BARE_AMPERSAND = re.compile(r"&(?!#x?[0-9A-Fa-f]+;|[A-Za-z][A-Za-z0-9]*;)")


def to_mathml(tex, display=False):
    """``tex`` as a ``<math>`` element; a ``<code class="formula-error">`` holding
    the TeX and the reason when it cannot be converted."""
    source = tex.strip()
    for pattern, replacement in REWRITES:
        source = pattern.sub(replacement, source)
    why = None
    try:
        mathml = convert(source, display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises its own and Python's errors
        why = f"{type(error).__name__}{': ' + str(error) if str(error) else ''}"
    else:
        unknown = UNKNOWN_COMMAND.search(mathml)
        if unknown:
            why = f"{unknown.group(1)} is not a command latex2mathml knows"
    if why is not None:
        return (
            f'<code class="formula-error" data-tex="{html.escape(tex)}" '
            f'data-why="{html.escape(why)}">{html.escape(tex)}</code>'
        )
    # An "&" outside an alignment is shown as one, and must be written as a reference.
    return BARE_AMPERSAND.sub("&amp;", mathml)


class DisplayBlocks(Preprocessor):
    """Displayed formulas on lines of their own, before Markdown reads the lines
    as lists, headings or quotes (``- x`` and ``# y`` are TeX here too).
    Runs after fenced code is stashed, so code blocks are left as written."""

    def run(self, lines):
        result, index = [], 0
        while index < len(lines):
            found = self.block_at(lines, index)
            if found is None:
                result.append(lines[index])
                index += 1
                continue
            end, indent, tex = found
            result.append(indent + self.md.htmlStash.store(to_mathml(tex, display=True)))
            index = end + 1
        return result

    @staticmethod
    def block_at(lines, index):
        """(last line, indentation, TeX) of a displayed formula opening at ``index``."""
        opening = BLOCK_OPEN.match(lines[index])
        if opening is None:
            return None
        env = opening.group("env")
        if env:  # the environment stays: the rewrites know what it means
            close = re.compile(rf"\\end\{{{re.escape(env)}\}}\s*$")
            first = lines[index][opening.start("open") :]
        else:
            close = BLOCK_CLOSE["$$" if opening.group("open") == "$$" else "["]
            first = lines[index][opening.end() :]
        parts = []
        for end in range(index, len(lines)):
            line = first if end == index else lines[end]
            if end > index and not line.strip():
                return None  # a formula holds no blank line
            match = close.search(line)
            if match is None:
                parts.append(line)
                continue
            parts.append(line[: match.end()] if env else line[: match.start()])
            tex = "\n".join(parts)
            bracket = not env and opening.group("open") != "$$"
            if not tex.strip() or (bracket and not TEX_LIKE.search(tex)):
                return None
            return end, opening.group("indent"), tex
        return None


class InlineFormula(InlineProcessor):
    """Formulas inside a paragraph.  Runs after code spans are taken out
    (backtick, 190) and before escapes (180), so it sees ``\\(`` as written."""

    def handleMatch(self, m, data):
        if m.group("bracket") is not None and not TEX_LIKE.search(m.group("bracket")):
            return None, None, None
        name = m.lastgroup
        mathml = to_mathml(m.group(name), display=name in ("display", "bracket"))
        return self.md.htmlStash.store(mathml), m.start(0), m.end(0)


def extend(md):
    """Add the formula steps to a Markdown instance."""
    # After fenced code (25), so code blocks are stashed; before raw HTML blocks (20).
    md.preprocessors.register(DisplayBlocks(md), "formula_blocks", 22)
    md.inlinePatterns.register(InlineFormula(INLINE, md), "formula", 185)
    if "$" not in md.ESCAPED_CHARS:
        md.ESCAPED_CHARS.append("$")
