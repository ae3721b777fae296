"""One essay or page as its author wrote it: where each line is, and what cannot be read.

The values of the metadata are Pelican's (read by the site's reader); this
module only finds their lines, with Python-Markdown's own meta patterns, so
messages can name the line an author has to change.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

# C0 controls but tab, newline and carriage return; DEL and the C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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

    def _lines(self):
        if self.text is None:
            load(self.path, self.kind, [], self)
        return self

    def line_of_key(self, key, default=1):
        return self._lines().key_lines.get(key, [default])[0]

    def line_of(self, needle, start=0, default=None):
        """The first body line at or after body offset ``start`` holding
        ``needle`` (any case), with the offset where it was found."""
        self._lines()
        at = self.body.lower().find(needle.lower(), start) if needle else -1
        if at < 0:
            return (self.body_line if default is None else default), -1
        return self.body_line + self.body.count("\n", 0, at), at


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
