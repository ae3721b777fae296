"""Draw a 1200x630 PNG sharing card for every essay, and one for the site.

Each card shows the site name, the essay's title (wrapped, and shrunk to fit
up to four lines) and its authors, set in Noto Sans CJK from the
``manimgx-fonts-cjk`` package, so Chinese titles are as legible as English
ones.  The card is written beside the essay (``essays/<slug>/social.png``) and
its site-relative path is stored on the essay for ``og:image``, JSON-LD and
the JSON Feed; pages other than essays share the site card.

Same input, same bytes: Pillow's basic layout engine (no system shaping
library), a fixed font, a fixed palette and no metadata in the PNG.  The card
is drawn as palette indices (see ``PALETTE``) and saved as an 8-bit palette
PNG; the parts shared by every card of a site (bar, mark, site name) and the
lettering of each byline are drawn once a process and reused.  A card takes
about 4 ms to draw (13 ms as an RGB PNG); finished cards are kept in the
build's memo (``plugins.core.memo``) under a key made from the text and the
font (the memo adds this file's source and Pillow's version), so a later
build copies them.

Cards the memo lacks are drawn by the build's worker processes while the
build goes on rendering pages, then written when the essays' pages are done;
the build draws any card no worker has started by then.  A card's bytes do
not depend on which process drew it.

Signals: ``article_generator_finalized`` (decides every card: essays,
translations, hidden essays and drafts; writes the site card; hands the
missing cards to workers), ``article_writer_finalized`` (writes the cards on
a cold build) and ``finalized`` (on a rebuild of few essays, writes them
while the search index is made: search reads none of them).

Settings (defaults in ``DEFAULTS``):
  SOCIAL_IMAGE_NAME         file name of the card beside each essay's page
  SOCIAL_IMAGE_SITE_SAVE_AS path of the site card, for every other page
  SOCIAL_IMAGE_FONT         font file; None: the packaged Noto Sans CJK

Attributes added: ``social_image`` on every essay (site-relative path).

Why not a maintained plugin: pelican-ogimages (0.1.1) draws with Pillow's
built-in default font, which has no Chinese glyphs, does not wrap titles and
writes under the OUTPUT_PATH setting instead of the build's output folder;
pelican-social-cards (0.6.4) needs a background template image, counts
characters instead of measuring them (``textwrap.wrap``, 30 per line: far too
wide for Chinese), and draws the title alone, without author or site name.
"""

import contextlib
import io
import json
import logging
import os
import posixpath
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

from plugins import core
from plugins.core import config, essays, output, pages, pipeline
from plugins.core import memo as memos
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "SOCIAL_IMAGE_NAME": "social.png",
        "SOCIAL_IMAGE_SITE_SAVE_AS": "social.png",
        "SOCIAL_IMAGE_FONT": None,
    },
    prefixes=("SOCIAL_IMAGE_",),
)

WIDTH, HEIGHT = 1200, 630
MARGIN = 96
BACKGROUND = (253, 252, 249)
TEXT = (29, 29, 27)
MUTED = (89, 88, 82)
ACCENT = (138, 28, 28)
RULE = (217, 214, 204)
TITLE_TOP, TITLE_BOTTOM = 168, 500
TITLE_SIZES = (80, 72, 64, 56, 50, 44)
TITLE_MAX_LINES = 4
LEADING = 1.3

# The card is a palette image: the background, the rule, and for each ink
# (title, byline, accent) a ramp of RAMP_LEVELS shades from the background to
# the ink, for the anti-aliased edges of its letters.  Three ramps of 84 and
# the two plain colours fill the 256 a PNG palette holds; rounding an edge
# pixel's coverage to the nearest of 84 steps moves its colour by at most 2
# of 255 from what 256 levels give, which no eye tells apart.  A palette PNG
# has a third of the bytes of an RGB one to compress and Pillow stores it
# unfiltered: it encodes five times faster, at half the size (about 20 KB).
RAMP_LEVELS = 84
INKS = (TEXT, MUTED, ACCENT)
BACKGROUND_INDEX = 0
RULE_INDEX = 1 + len(INKS) * RAMP_LEVELS
# zlib's level 3: as fast as level 1 on a palette image, 10% smaller; level 6
# takes twice the time for a further 20%.
PNG_COMPRESS_LEVEL = 3

# Noto Sans CJK faces in the collection, by the language they are drawn for;
# Latin letters look the same in every face.
FACES = {
    "zh-tw": "Noto Sans CJK TC",
    "zh-hant": "Noto Sans CJK TC",
    "zh-hk": "Noto Sans CJK HK",
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
}
DEFAULT_FACE = "Noto Sans CJK SC"

# Line breaking: closing punctuation (Unicode categories Pe, Pf, Po: the
# ideographic comma and full stop, closing brackets and quotes) may not start
# a line, and opening punctuation (Ps, Pi) may not end one.
_CLOSING = {"Pe", "Pf", "Po"}
_OPENING = {"Ps", "Pi"}


def packaged_font():
    """Path of the Noto Sans CJK variable collection that the font package ships."""
    import manimgx_fonts_cjk  # noqa: PLC0415  (only needed when drawing)

    return str(Path(manimgx_fonts_cjk.__file__).with_name("NotoSansCJK-VF.otf.ttc"))


@cache
def _face_index(path, face):
    for index in range(16):
        try:
            font = ImageFont.truetype(path, 20, index=index)
        except OSError:
            break
        if font.getname()[0] == face:
            return index
    return 0


@cache
def load_font(path, size, weight="Regular", lang="en"):
    """A FreeType font at ``size`` px, in the face for ``lang`` and the named weight."""
    face = FACES.get(str(lang).lower(), DEFAULT_FACE)
    font = ImageFont.truetype(
        path, size, index=_face_index(path, face), layout_engine=ImageFont.Layout.BASIC
    )
    # A static font has no named weights: its one weight it is.
    with contextlib.suppress(OSError, ValueError):
        font.set_variation_by_name(weight)
    return font


def is_wide(char):
    """True for characters set one by one, without spaces: CJK ideographs, kana, hangul."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def tokens(text):
    """Split text into unbreakable pieces: Latin words, single CJK characters, spaces.

    Punctuation that may not start a line is glued to the piece before it, and
    punctuation that may not end one to the piece after it.
    """
    pieces = []
    for match in re.finditer(r"\s+|[^\s]", text):
        char = match.group()
        if char.isspace():
            pieces.append(" ")
            continue
        after_text = bool(pieces) and pieces[-1] != " "
        closing = unicodedata.category(char) in _CLOSING
        latin_run = after_text and not is_wide(char) and not is_wide(pieces[-1][-1])
        if after_text and (closing or latin_run):
            pieces[-1] += char
        else:
            pieces.append(char)
    merged = []
    for piece in pieces:
        if merged and merged[-1] != " " and unicodedata.category(merged[-1][-1]) in _OPENING:
            merged[-1] += piece
        else:
            merged.append(piece)
    while merged and merged[0] == " ":
        merged.pop(0)
    return merged


def wrap(text, font, width):
    """Greedy line breaking by measured width; returns the lines."""
    lines, line = [], ""
    for piece in tokens(text):
        if piece == " ":
            if line:
                line += " "
            continue
        candidate = line + piece
        if not line.strip() or font.getlength(candidate) <= width:
            line = candidate
            continue
        lines.append(line.rstrip())
        line = piece
    if line.strip():
        lines.append(line.rstrip())
    return lines


def fit_title(text, path, lang):
    """(font, lines) for the title: the largest size that fits, else truncated."""
    height = TITLE_BOTTOM - TITLE_TOP
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = load_font(path, size, "Bold", lang)
        lines = wrap(text, font, width)
        if len(lines) <= TITLE_MAX_LINES and len(lines) * size * LEADING <= height:
            return font, lines
    lines = lines[:TITLE_MAX_LINES]
    last = lines[-1]
    while last and font.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return font, lines


def _draw_mark(draw, left, top, size, *, ink=ACCENT, paper=BACKGROUND):
    """The site's mark (three rising bars on a rounded square), as in favicon.svg."""
    scale = size / 64
    draw.rounded_rectangle(
        (left, top, left + size - 1, top + size - 1), radius=12 * scale, fill=ink
    )
    for x, y in ((12, 34), (27, 24), (42, 12)):
        draw.rounded_rectangle(
            (left + x * scale, top + y * scale, left + (x + 10) * scale - 1, top + 52 * scale - 1),
            radius=2 * scale,
            fill=paper,
        )


def _shade(ink, level):
    """The colour of an edge pixel ``level`` steps of RAMP_LEVELS from the background."""
    return tuple(
        (paper * (RAMP_LEVELS - level) + full * level + RAMP_LEVELS // 2) // RAMP_LEVELS
        for paper, full in zip(BACKGROUND, ink, strict=True)
    )


PALETTE = [
    *BACKGROUND,
    *(value for ink in INKS for level in range(1, RAMP_LEVELS + 1) for value in _shade(ink, level)),
    *RULE,
]


def _ink_index(ink):
    """Palette index of the full ink (the last step of its ramp)."""
    return 1 + INKS.index(ink) * RAMP_LEVELS + RAMP_LEVELS - 1


# Coverage (0-255) of a pixel by a letter, to a step of the ink's ramp: the
# nearest of RAMP_LEVELS steps; none at all stays background.
_LEVEL = [(value * RAMP_LEVELS + 127) // 255 for value in range(256)]
_RAMP_LUTS = {
    ink: [BACKGROUND_INDEX if not level else base + level - 1 for level in _LEVEL]
    for ink, base in ((ink, 1 + number * RAMP_LEVELS) for number, ink in enumerate(INKS))
}
_COVERED = [0] + [255] * 255


def _lettering(text, font, ink):
    """(palette indices, mask, offset) of ``text`` anchored left-middle at (0, 0)."""
    left, top, right, bottom = font.getbbox(text, anchor="lm")
    coverage = Image.new("L", (max(right - left, 1), max(bottom - top, 1)))
    ImageDraw.Draw(coverage).text((-left, -top), text, font=font, fill=255, anchor="lm")
    return coverage.point(_RAMP_LUTS[ink]), coverage.point(_COVERED), (left, top)


# A site has a few authors and one name: their lettering is drawn once a process.
_cached_lettering = lru_cache(maxsize=256)(_lettering)


def _set(card, xy, lettering):
    indices, mask, (left, top) = lettering
    card.paste(indices, (xy[0] + left, xy[1] + top), mask)


@lru_cache(maxsize=16)
def _blank_card(sitename, lang, path):
    """The parts every card of a site shares: the accent bar, the mark, the site name."""
    card = Image.new("L", (WIDTH, HEIGHT), BACKGROUND_INDEX)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 15, HEIGHT - 1), fill=_ink_index(ACCENT))
    _draw_mark(draw, MARGIN, 64, 56, ink=_ink_index(ACCENT), paper=BACKGROUND_INDEX)
    site_font = load_font(path, 38, "Medium", lang)
    _set(card, (MARGIN + 80, 64 + 28), _lettering(sitename, site_font, ACCENT))
    return card


def render_card(title, byline, sitename, lang="en", font_path=None):
    """The card as PNG bytes."""
    path = font_path or packaged_font()
    # Palette indices are drawn on a greyscale image, named a palette image
    # at the end: anti-aliased text on a palette image would lose its edges.
    card = _blank_card(sitename, lang, path).copy()

    font, lines = fit_title(title, path, lang)
    step = font.size * LEADING
    top = TITLE_TOP + ((TITLE_BOTTOM - TITLE_TOP) - step * len(lines)) / 2
    for number, line in enumerate(lines):
        y = round(top + step * number + step / 2)
        _set(card, (MARGIN, y), _lettering(line, font, TEXT))

    if byline:
        ImageDraw.Draw(card).line((MARGIN, 528, WIDTH - MARGIN, 528), fill=RULE_INDEX, width=2)
        byline_font = load_font(path, 34, "Regular", lang)
        _set(card, (MARGIN, 574), _cached_lettering(byline, byline_font, MUTED))

    card.putpalette(PALETTE)
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


@cache
def font_fingerprint(font_path):
    """The font, as far as a card's bytes depend on it (the plugin's source and
    Pillow's version are in every memo key already)."""
    return f"{Path(font_path).name}|{os.stat(font_path).st_size}"


def card_key(memo, args):
    """The memo key of the card drawn from ``render_card(*args)``."""
    title, byline, sitename, lang, font_path = args
    return memo.key("social card", json.dumps([title, byline, sitename, lang]),
                    font_fingerprint(font_path))  # fmt: skip


def card_bytes(title, byline, sitename, *, lang, font_path=None):
    """A card's PNG bytes, from the memo when the same card was drawn before."""
    args = (title, byline, sitename, lang, font_path or packaged_font())
    memo = memos.current()
    return memo.compute(card_key(memo, args), render_card, *args, what=f"the card of {title!r}")


def plain(value):
    """Plain text of a rendered title: tags dropped, entities and no-break spaces read."""
    return " ".join(Markup(str(value)).striptags().replace("\u00a0", " ").split())


def byline_for(item):
    authors = [str(author) for author in getattr(item, "authors", [])]
    if len(authors) > 1:
        return ", ".join(authors[:-1]) + " and " + authors[-1]
    return authors[0] if authors else ""


def card_path(item, settings):
    """Site-relative path of an essay's card: beside its page."""
    folder = posixpath.dirname(item.save_as)
    return posixpath.join(folder, settings["SOCIAL_IMAGE_NAME"])


def _write(output_path, rel_path, data):
    output.write(rel_path, data, base=output_path)


# Cards to write once the essays' pages are done, by output folder: {args: [paths]}.
_PENDING = {}


def make_cards(generator):
    """Decide every card and hand the ones the memo lacks to workers, which
    draw them while the build renders pages (PNG encoding holds Python's
    lock: threads would not help)."""
    settings = generator.settings
    config.apply_defaults(settings)
    font_path = settings["SOCIAL_IMAGE_FONT"] or packaged_font()
    sitename = settings["SITENAME"]
    cards = {}
    for item in essays.every(generator):
        if not item.save_as:
            # Not written at all (drafts in production): no page, so no card;
            # its folder would be the site root, where the site card lives.
            item.social_image = None
            continue
        rel_path = card_path(item, settings)
        item.social_image = rel_path
        args = (plain(item.title), byline_for(item), sitename, item.lang, font_path)
        cards.setdefault(args, []).append(rel_path)
    site_card = card_bytes(
        settings.get("SITESUBTITLE") or sitename,
        "",
        sitename,
        lang=settings.get("DEFAULT_LANG", "en"),
        font_path=font_path,
    )
    _write(generator.output_path, settings["SOCIAL_IMAGE_SITE_SAVE_AS"], site_card)
    memo = memos.current()
    if memo.pool is not None:
        memo.pool.ahead([(card_key(memo, args), render_card, args) for args in cards])
    _PENDING[str(generator.output_path)] = cards


def write_cards_now(generator, writer=None):
    """article_writer_finalized: on a cold build, write the cards now (the
    workers drew them while pages rendered; the search index's runs, later,
    take both CPUs); on a rebuild of few essays, while the index is made."""
    if not pages.few_changed():
        write_cards(generator)


def write_cards(pelican):
    """Write every card still to write: from the memo, a worker, or drawn
    here.  ``pelican``: anything with the ``output_path``."""
    cards = _PENDING.pop(str(pelican.output_path), {})
    memo = memos.current()
    for args, paths in cards.items():
        key = card_key(memo, args)
        # The last good output's very files, when it holds them as written.
        if pages.link_as_written(key, paths):
            continue
        data = memo.compute(key, render_card, *args)
        for rel_path in paths:
            _write(pelican.output_path, rel_path, data)
        pages.files_written(key, paths)
    logger.debug("Wrote %d social images", len(cards))


def register():
    core.register()
    # The title and authors are final once the essays are read and placed.
    pipeline.on("article_generator_finalized", make_cards, Order.DERIVED)
    # Drawn by workers while pages render; written once the essays' pages
    # are, or on a rebuild of few essays while the search index is made,
    # which reads none of them.
    pipeline.on("article_writer_finalized", write_cards_now, Order.WRITE)
    pipeline.on("finalized", write_cards, Order.BESIDE_INDEX)


ICON_SIZES = {"favicon-64.png": 64, "apple-touch-icon.png": 180, "icon-512.png": 512}


def write_icons(folder):
    """Draw the PNG fallbacks of theme/static/img/favicon.svg into ``folder``.

    Run after changing the mark: ``python -c "from plugins.social_image.social_image
    import write_icons; write_icons('theme/static/img')"``.
    """
    for name, size in ICON_SIZES.items():
        # iOS draws a transparent corner black: the touch icon is a full square.
        corner = (*ACCENT, 255) if name == "apple-touch-icon.png" else (0, 0, 0, 0)
        large = Image.new("RGBA", (size * 8, size * 8), corner)
        _draw_mark(ImageDraw.Draw(large), 0, 0, size * 8)
        icon = large.resize((size, size), Image.Resampling.LANCZOS)
        icon.save(Path(folder) / name, format="PNG", optimize=True)
