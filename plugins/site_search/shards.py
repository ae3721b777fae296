"""Which search shard each page belongs to, and whether a shard must be indexed again.

Pagefind cannot add pages to an index it wrote, nor take them out: an index
is made from all of its pages in one run.  So the pages are split into shards
that are each a Pagefind bundle of their own, and the search page merges them
(``mergeIndex``); a shard whose pages kept their bytes keeps its bundle.

A page's shard is a hash of its path (its place in the output, which never
changes once published), taken modulo the number of shards, which is the
smallest power of two that keeps shards under ``size`` pages on average:

- an edit changes the bytes of one page (a title also those of its
  neighbours, whose links show it), so it dirties one shard, two or three at
  most; a page's date, section or language do not move it;
- a new essay lands in one shard and leaves the others alone; the number of
  shards changes only when the page count doubles past ``size``, when every
  shard is indexed once again (and each new shard takes its pages from one
  old one, since ``h mod 2K`` is ``h mod K`` or that plus ``K``);
- hashes spread pages evenly, so shards are alike in size and in the memory
  Pagefind needs for them.  Shards by year were the other candidate: years
  are uneven (a busy year is many times a quiet one), pages such as About
  have none, and a corrected date would move an essay between two shards.

A shard's ``digest`` covers its pages' paths and bytes and ``key`` (the
Pagefind version and the settings that shape an index), so a shard is reused
only when it would be indexed from exactly the same input.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass, field

# Pagefind's own default: every HTML file.
DEFAULT_GLOB = "**/*.{html}"
# Pagefind indexes only the pages with this attribute once any page has it.
BODY_MARK = re.compile(rb"<[A-Za-z][^>]*?\sdata-pagefind-body(?=[\s=/>])")


@dataclass
class Shard:
    name: str
    pages: list[str] = field(default_factory=list)  # paths under the site, sorted
    digest: str = ""


def glob_regex(pattern):
    """A regular expression for a Pagefind (wax) glob over ``/``-separated paths.

    Python's ``glob`` and ``fnmatch`` read no braces, which the site's glob
    uses; this reads what Pagefind's globs use: ``**/``, ``*``, ``?``,
    ``[…]``, ``{a,b}`` (nested) and ``\\`` escapes.
    """
    out, depth, i = [], 0, 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        elif char == "[":
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            out.append("[" + ("^" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    if depth:
        raise ValueError(f"unclosed brace in the glob {pattern!r}")
    return re.compile("".join(out) + r"\Z")


def glob_literal(path):
    """``path`` as a glob that matches it alone (for Pagefind's ``glob``)."""
    return re.sub(r"([\\*?\[\]{}(),<>:!])", r"\\\1", path)


def shard_count(pages, size):
    """The number of shards for ``pages`` pages: a power of two (see above)."""
    wanted = max(1, math.ceil(pages / max(1, size)))
    return 1 << (wanted - 1).bit_length()


def shard_of(path, count):
    """The shard (0 … count-1) of the page at ``path`` (relative, ``/``-separated)."""
    hashed = hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(hashed, "big") % count


def site_pages(folder, glob, skip, known=None, seen=None):
    """{path: digest of its bytes} of the files under ``folder`` that ``glob``
    matches and Pagefind would index, outside the folder ``skip`` (the
    bundles).  Digests, not the pages: at 5,000 essays their bytes held at
    once were the build's peak memory.

    ``known``: what an earlier call saw, {path: (inode, size, modification
    time, digest, whether it marks its body)}; a file that is still that
    very file (files of the output are replaced, never rewritten in place,
    and a page unchanged since the last build is linked from it) is not
    read again: at 5,000 essays, reading them was 0.3 s of every rebuild.
    ``seen``, a dict, is filled likewise for the next call.
    """
    matcher = glob_regex(glob or DEFAULT_GLOB)
    root = os.fspath(folder)
    strip = len(os.path.join(root, ""))  # the root and one separator
    known = known or {}
    found, marked = {}, {}
    for here, dirs, names in os.walk(root):
        # os.walk gives each folder as root + its path: no relpath needed.
        inside = here[strip:].replace(os.sep, "/")
        inside = inside + "/" if inside else ""
        if inside == f"{skip}/":
            dirs[:] = []
            continue
        dirs.sort()
        for name in sorted(names):
            path = inside + name
            if not matcher.match(path):
                continue
            full = os.path.join(here, name)
            status = os.stat(full)
            identity = (status.st_ino, status.st_size, status.st_mtime_ns)
            before = known.get(path)
            if before is not None and tuple(before[:3]) == identity:
                digest, is_marked = before[3], before[4]
            else:
                with open(full, "rb") as file:
                    data = file.read()
                digest = hashlib.blake2b(data, digest_size=16).digest()
                is_marked = has_body_mark(data)
            found[path] = digest
            if is_marked:
                marked[path] = digest
            if seen is not None:
                seen[path] = (*identity, digest, is_marked)
    # Pagefind's rule, applied to the whole site as its single run did: once
    # a page marks its indexed part, unmarked pages are not indexed.  Leaving
    # them out of every shard also keeps listings, which change with every
    # new title, from dirtying shards that index nothing of them.
    return marked or found


def has_body_mark(data):
    """Whether ``BODY_MARK`` is found in ``data``, sooner than searching it.

    A match holds the attribute's name and starts at a ``<`` with no ``>``
    between the two, so no match starts before the last ``>`` ahead of the
    name's first occurrence: the search starts there (a page without the
    name, a listing, is not searched at all; the tags before an essay's
    body no longer are, which was a second of a build at 5,000 essays).
    """
    first = data.find(b"data-pagefind-body")
    if first < 0:
        return False
    return BODY_MARK.search(data, data.rfind(b">", 0, first) + 1) is not None


def plan(pages, size, key):
    """The shards of ``pages`` ({path: its bytes or their digest}), by name,
    with their digests."""
    count = shard_count(len(pages), size)
    shards = {str(n): Shard(str(n)) for n in range(count)}
    for path in sorted(pages):
        shards[str(shard_of(path, count))].pages.append(path)
    for shard in shards.values():
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=16)
        for path in shard.pages:
            digest.update(f"{path}\0{len(pages[path])}\0".encode())
            digest.update(pages[path])
        shard.digest = digest.hexdigest()
    # A shard the hash gave no page has nothing to index (a tiny site).
    return {name: shard for name, shard in shards.items() if shard.pages}
