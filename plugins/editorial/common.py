"""What the editorial features share: how to change an essay's content, where its keys are."""

import re
from pathlib import Path

from plugins.core import memory


def set_content(item, markup):
    """Replace rendered content and drop what Pelican memoised from the old one."""
    item._content = markup
    memory.forget_every_rendered(item)


def metadata_lines(source_path, key):
    """Line numbers (1-based) of ``key:`` lines in a source file's header."""
    try:
        text = Path(source_path).read_text(encoding="utf-8")
    except OSError:
        return []
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:", re.I)
    numbers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            break
        if pattern.match(line):
            numbers.append(number)
    return numbers
