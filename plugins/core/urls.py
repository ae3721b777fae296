"""Where an essay or page is published, and how a title becomes a slug.

One rule for the build (``language_urls``), the content checks and
``make new``:

- **URLs.**  Pelican picks ``*_LANG_URL``/``*_LANG_SAVE_AS`` for anything not in
  ``DEFAULT_LANG``, so a Chinese essay with no translation would live at
  ``/essays/<slug>/zh/`` and an English translation of a Chinese original
  would take the plain ``/essays/<slug>/`` and collide with it.  Here the rule
  is the one readers can guess: the plain pattern holds the essay as written,
  in its own language; the ``_LANG_`` pattern holds a translation of it.
  Metadata ``save_as``/``url`` (pages that name their own path) always win.
- **Files' URLs.**  A static file is published under its own name, spaces
  and all, and Pelican writes a ``{static}`` link's URL as the name is
  (``src="images/Byte Order.png"``), which is not a valid URL: a file whose
  URL needs it gets its URL percent-encoded (``Byte%20Order.png``), unless
  an essay ``{attach}``-es it, which moves it (Pelican sets that URL then).
- **Slugs.**  Lower-case ASCII words joined by hyphens; Chinese is spelt in
  Hanyu Pinyin with pypinyin, which reads each character in the context of
  its word: 银行 (bank) is ``yin-hang``, not ``yin-xing`` as a
  character-by-character transliteration (Pelican's unidecode) gives, and
  重庆 is ``chong-qing``.  Tone marks are left out, as in most pinyin URLs.
"""

from __future__ import annotations

import re
from urllib.parse import quote

MAX_SLUG_LENGTH = 80
# What a URL path may hold as it is (RFC 3986's pchar and "/"), "%" included
# so that a name already encoded is not encoded twice.
URL_SAFE = "/:@!$&'()*+,;=-._~%"
ATTACH_LINK = re.compile(r"[{|]attach[|}]")

_KIND_PREFIX = {
    ("article", "published"): "ARTICLE",
    ("article", "hidden"): "ARTICLE",
    ("article", "draft"): "DRAFT",
    ("page", "published"): "PAGE",
    ("page", "hidden"): "PAGE",
    ("page", "draft"): "DRAFT_PAGE",
}


def pattern_setting(kind, status, is_translation, what="SAVE_AS"):
    """The setting holding the URL or save_as pattern for such an item."""
    prefix = _KIND_PREFIX.get((kind, status), "ARTICLE" if kind == "article" else "PAGE")
    return f"{prefix}_LANG_{what}" if is_translation else f"{prefix}_{what}"


def place(item, kind, is_translation, settings):
    """Set ``override_url``/``override_save_as`` where the rule and Pelican's differ
    (Pelican reads them before its own patterns)."""
    if "save_as" in item.metadata or "url" in item.metadata:
        return
    if item.in_default_lang != is_translation:
        return  # Pelican's own choice already follows the rule
    status = getattr(item, "status", "published")
    values = None  # Pelican makes them anew at each read (a relpath and a slugify)
    for what in ("URL", "SAVE_AS"):
        pattern = settings.get(pattern_setting(kind, status, is_translation, what))
        if pattern:
            values = values if values is not None else item.url_format
            setattr(item, f"override_{what.lower()}", pattern.format(**values))


def place_all(kind, groups, settings):
    """Place each (originals, translations) group of items."""
    for originals, translations in groups:
        for item in originals:
            place(item, kind, False, settings)
        for item in translations:
            place(item, kind, True, settings)


def make_slug(title: str) -> str:
    """A lower-case ASCII slug: words joined by hyphens, Chinese in pinyin."""
    from pypinyin import lazy_pinyin  # noqa: PLC0415
    from unidecode import unidecode  # noqa: PLC0415

    words = []
    for token in lazy_pinyin(title, errors="default"):
        words += re.findall(r"[a-z0-9]+", unidecode(token).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_LENGTH:
            break
        slug = candidate
    return slug


def encode_static_urls(static_files, contents):
    """Percent-encode the URLs of static files whose names hold what a URL may
    not (spaces), except those an essay or page ``{attach}``-es (``contents``
    with their ``_content``): Pelican refuses to move a file whose URL was set."""
    attached = any(ATTACH_LINK.search(item._content or "") for item in contents)
    for static in static_files:
        url = static.url
        encoded = quote(url, safe=URL_SAFE)
        if encoded == url or hasattr(static, "override_url"):
            continue
        if attached and _is_attached(static, contents):
            continue
        static.override_url = encoded


def _is_attached(static, contents):
    name = static.source_path.replace("\\", "/").rsplit("/", 1)[-1]
    return any(
        ATTACH_LINK.search(item._content or "")
        and (name in (item._content or "") or quote(name) in (item._content or ""))
        for item in contents
    )
