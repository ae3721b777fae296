"""A post's file as text, and its front matter as a dict of lower-case keys.

Text: UTF-8 (with or without a BOM), else GB18030 (Chinese blogs written on
Windows), else Windows-1252; Windows and old Mac line endings become
newlines; invisible control characters are dropped.

Front matter, in the forms blogs write it:
- Pelican's ``Key: value`` lines (any case, values continued on indented
  lines), bare or between ``---`` lines, read with Python-Markdown's own meta
  patterns, as Pelican reads them;
- YAML between ``---`` lines (Hugo, Jekyll), TOML between ``+++`` lines and
  JSON in braces (Hugo).
"""

from __future__ import annotations

import json
import re
import tomllib

import yaml
from markdown.extensions.meta import BEGIN_RE, END_RE, META_MORE_RE, META_RE

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(raw):
    """(text, what was done to read it: [notes])."""
    notes = []
    for encoding in ("utf-8-sig", "gb18030", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            notes.append(f"read as {encoding.upper()}, written as UTF-8")
        break
    else:
        text = raw.decode("latin-1")
        notes.append("read as Latin-1, written as UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        notes.append("byte-order mark dropped")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("Windows line endings made newlines")
    text, controls = CONTROL.subn("", text)
    if controls:
        notes.append(f"{controls} invisible control character{'s' * (controls > 1)} dropped")
    return text, notes


def split(text, engine):
    """(metadata with lower-case keys, body, form) of a post's text."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    if first == "+++":
        end = _closing(lines, {"+++"})
        if end is not None:
            data = _load(tomllib.loads, "\n".join(lines[1:end]))
            if data is not None:
                return _lower(data), "\n".join(lines[end + 1 :]), "TOML"
    if first.startswith("{") and engine == "hugo":
        try:
            data, end = json.JSONDecoder().raw_decode(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return _lower(data), text[end:], "JSON"
    if first == "---":
        end = _closing(lines, {"---", "..."})
        if engine == "pelican" and end is not None:
            # Pelican reads Key: value lines between the fences (a title may
            # hold a colon, a summary a "#"); YAML only when they are not that.
            meta, body, form = pelican_metadata(lines)
            if body == "\n".join(lines[end + 1 :]):
                return meta, body, form
        if end is not None:
            data = _load(yaml.safe_load, "\n".join(lines[1:end]))
            if isinstance(data, dict):
                return _lower(data), "\n".join(lines[end + 1 :]), "YAML"
    return pelican_metadata(lines)


def pelican_metadata(lines):
    """Pelican's ``Key: value`` lines, as Python-Markdown's meta extension reads them."""
    meta, key, index = {}, None, 0
    fenced = bool(lines) and bool(BEGIN_RE.match(lines[0]))
    if fenced:
        index = 1
    while index < len(lines):
        line = lines[index]
        if (fenced and END_RE.match(line)) or not line.strip():
            index += 1
            break
        match = META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            meta.setdefault(key, []).append(match.group("value").strip())
        elif META_MORE_RE.match(line) and key:
            meta[key][-1] += " " + META_MORE_RE.match(line).group("value").strip()
        else:
            break
        index += 1
    if not meta:
        return {}, "\n".join(lines), "none"
    values = {key: (v[0] if len(v) == 1 else v) for key, v in meta.items()}
    return values, "\n".join(lines[index:]), "Pelican"


def _closing(lines, markers):
    for index in range(1, len(lines)):
        if lines[index].strip() in markers:
            return index
    return None


def _load(loader, text):
    try:
        return loader(text)
    except (ValueError, yaml.YAMLError):
        return None


def _lower(data):
    return {str(key).lower(): value for key, value in data.items()}
