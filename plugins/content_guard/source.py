"""One essay or page as its author wrote it: where each line is, and what cannot be read.

The values of the metadata are Pelican's (read by the site's reader); this
module only finds their lines, with Python-Markdown's own meta patterns, so
messages can name the line an author has to change.

A finding in the rendered body is placed by finding its text in the source:
outside code (fenced and indented blocks, code spans) when the finding is
about markup, since ``<img>`` written in backticks is text, not a tag; and
after the previous finding of the same text, so two ``<script>`` tags are
two lines.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

# C0 controls but tab, newline and carriage return; DEL and the C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Markdown's code, as Python-Markdown reads it: fences, indented blocks, spans.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
INDENTED = re.compile(r"^(?: {4}|\t)")
LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
ATX_H1 = re.compile(r"^ {0,3}#(?!#)(?:[ \t]|$)")
SETEXT_H1 = re.compile(r"^ {0,3}=+[ \t]*$")


@dataclass(order=True)
class Problem:
    path: str
    line: int
    what: str
    fix: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.what} — {self.fix}"


@dataclass
class Source:
    """The raw file: its text, the lines its metadata keys are on, its body.

    Made by ``load`` for the file's own checks; the checks across files make
    it with the path alone and read the file only to name a line.
    """

    path: Path
    shown: str  # the path as messages show it
    kind: str  # "essay" or "page"
    text: str | None = None
    key_lines: dict = field(default_factory=dict)  # key -> [line of each "Key:"]
    body: str = ""
    body_line: int = 1
    _code: list | None = field(default=None, repr=False, compare=False)

    def _lines(self):
        if self.text is None:
            load(self.path, self.kind, [], self)
        return self

    def line_of_key(self, key, default=1):
        return self._lines().key_lines.get(key, [default])[0]

    def line_of(self, needle, start=0, default=None, outside_code=False):
        """The first body line at or after body offset ``start`` holding
        ``needle`` (any case), with the offset where it was found; with
        ``outside_code``, the first such place that is not code."""
        self._lines()
        lowered, needle = self.body.lower(), (needle or "").lower()
        at = lowered.find(needle, start) if needle else -1
        while outside_code and at >= 0 and self.in_code(at):
            at = lowered.find(needle, at + 1)
        if at < 0:
            return (self.body_line if default is None else default), -1
        return self.line_at(at), at

    def line_at(self, offset):
        """The file's line number of a body offset."""
        return self.body_line + self.body.count("\n", 0, offset)

    def in_code(self, offset):
        ranges = self.code_ranges()
        index = bisect.bisect_right(ranges, (offset, float("inf"))) - 1
        return index >= 0 and ranges[index][0] <= offset < ranges[index][1]

    def code_ranges(self):
        """(start, end) body offsets of its code, in order (computed once)."""
        if self._code is None:
            self._lines()
            self._code = code_ranges(self.body)
        return self._code

    def level_one_heading_lines(self):
        """The lines of the body's ``#`` and ``===`` headings, outside code."""
        found, offset, previous = [], 0, ""
        for line in self._lines().body.split("\n"):
            if not self.in_code(offset):
                if ATX_H1.match(line):
                    found.append(self.line_at(offset))
                elif SETEXT_H1.match(line) and previous.strip():
                    found.append(self.line_at(offset) - 1)
            previous = line
            offset += len(line) + 1
        return found


def code_ranges(body):
    """(start, end) offsets of the code in a Markdown body: fenced blocks,
    indented blocks (after a blank line, outside lists) and code spans."""
    blocks, prose = [], []
    fence, offset, previous_blank, in_list = None, 0, True, False
    for line in body.split("\n"):
        end = offset + len(line) + 1
        opening = FENCE.match(line)
        if fence is not None:
            blocks.append((offset, end))
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
        elif opening:
            fence = opening.group(1)
            blocks.append((offset, end))
        elif line.strip() and INDENTED.match(line) and previous_blank and not in_list:
            blocks.append((offset, end))
            offset = end
            continue  # an indented block goes on while lines are indented
        else:
            if line.strip():
                if LIST_ITEM.match(line):
                    in_list = True
                elif previous_blank and not INDENTED.match(line):
                    in_list = False  # a paragraph after the list ends it
                prose.append((offset, end))
            previous_blank = not line.strip()
        offset = end
    spans = []
    for start, end in _paragraphs(prose):
        spans += [(start + m.start(), start + m.end()) for m in CODE_SPAN.finditer(body[start:end])]
    return sorted(blocks + spans)


def _paragraphs(lines):
    """Runs of adjacent prose lines, as (start, end) offsets."""
    runs = []
    for start, end in lines:
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is inside it."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    return os.path.relpath(absolute, cwd) if absolute.startswith(cwd + os.sep) else str(path)


def load(path: Path, kind: str, problems: list, source=None) -> Source | None:
    """The file's text and where its keys and body are; None when it is not text."""
    source = source or Source(path=path, shown=shown_path(path), kind=kind)
    source.text = ""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(
            Problem(
                source.shown,
                line,
                f"the file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at column {column})",
                "save the file with UTF-8 encoding in your editor",
            )
        )
        return None
    source.text = text
    check_characters(source, problems)
    # Line numbers as editors count them: only newlines end a line.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 1 if lines and BEGIN_RE.match(lines[0]) else 0
    key = None
    while index < len(lines):
        line = lines[index]
        if not line.strip() or END_RE.match(line):
            index += 1
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            source.key_lines.setdefault(key, []).append(index + 1)
        elif not (META_MORE_RE.match(line) and key):
            break
        index += 1
    source.body_line = index + 1
    source.body = "\n".join(lines[index:])
    return source


def check_characters(source: Source, problems):
    """Control characters cannot be written to XML feeds, and no reader sees them."""
    if not CONTROL_RE.search(source.text):
        return
    for number, line in enumerate(source.text.split("\n"), start=1):
        match = CONTROL_RE.search(line)
        if match:
            problems.append(
                Problem(
                    source.shown,
                    number,
                    f"invisible control character U+{ord(match[0]):04X} "
                    f"at column {match.start() + 1}",
                    "delete it (it often comes with copied text)",
                )
            )


@contextlib.contextmanager
def pelican_quiet():
    """No warnings from Pelican's link replacement while the checks use it:
    the checks say what is wrong with the line, and Pelican says each message
    once a process, so one said here would be missing from the build."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(previous)
