"""The build's memory: free heap handed back, and Pelican's rendered copies let go.

Two things kept a large build's process far bigger than what it holds:

- **Free heap kept by the C allocator.** A build replaces every essay's text
  a few times after reading (glossary links, corrections, the disclosure),
  and renders and drops thousands of pages.  glibc's ``malloc`` keeps the
  freed blocks inside its heap, where holes between live objects are never
  returned to the system: at 5,000 essays the build held about 100 MB more
  than it used once the essays were final.  ``release()`` asks glibc to hand
  back every free page (``malloc_trim(0)``, which costs a few milliseconds);
  a worker forked right after shares only what the build uses.
- **Pelican's memoised content.** ``Content.get_content`` is ``memoized``
  for the life of the process: each essay whose text has an intrasite link
  keeps a second, resolved copy of its text once anything read
  ``.content`` (at 5,000 essays, 61 MB).  ``forget_rendered(item)`` drops
  the copies memoised of one essay or page; reading ``.content`` again makes
  them again from ``_content``, the same way, so a step that is done with an
  essay's text (its page written, its e-mail edition made) lets the copy go.
  Summaries are kept: they are small, and listings read them throughout.

  A step that replaces an essay's text (``set_content`` in the editorial
  plugin) drops every copy of the old one with ``forget_every_rendered``.

There is no library for either: ``malloc_trim`` is glibc's own call
(reached through ``ctypes``; elsewhere ``release`` does nothing), and the
memoised copies live in Pelican's ``memoized`` cache, which only this module
reaches into.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

from pelican.contents import Content


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or None on a C library without it."""
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None)
    except OSError:
        return None


def release():
    """Hand the heap's free pages back to the system (see the module docstring)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def forget_rendered(item):
    """Drop the copies of ``item``'s text Pelican memoised (``.content`` as
    read for a page at the site URL or a page's own relative one, and for the
    feeds); the next read makes them again.

    Looked up by key, not by scanning the cache, which holds every essay's:
    this is called once an essay's page or edition is written."""
    cache = Content.get_content.cache
    for siteurl in {item.get_siteurl(), item.settings.get("SITEURL", "")}:
        cache.pop((item, siteurl), None)


def forget_every_rendered(item):
    """Drop every copy of ``item``'s text Pelican memoised, for whatever site
    URL it was read with (a preview's pages read it with their own relative
    ones): for a step that replaced the text, when all of them are stale."""
    cache = Content.get_content.cache
    for key in [key for key in cache if key and key[0] is item]:
        del cache[key]
