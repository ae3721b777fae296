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
about 4 ms to draw (13 ms as an RGB PNG); finished cards are kept in a cache
folder under a key made from everything that affects the picture (the text,
this file's source, the Pillow version and the font) and copied on later builds.

Cards missing from the cache are drawn by worker processes while the build
goes on rendering pages (PNG encoding holds Python's lock, so threads would
not help), then collected and written when the essays' pages are done; the
build's own process draws any card no worker has started by then.  A card's
bytes do not depend on which process drew it.

Signals: ``initialized`` (defaults), ``article_generator_finalized`` (copies
cached cards, starts drawing the others: essays, translations, hidden essays
and drafts, and the site card), ``article_writer_finalized`` (writes the
cards drawn in the background).

Settings (defaults in ``DEFAULTS``):
  SOCIAL_IMAGE_NAME         file name of the card beside each essay's page
  SOCIAL_IMAGE_SITE_SAVE_AS path of the site card, for every other page
  SOCIAL_IMAGE_FONT         font file; None: the packaged Noto Sans CJK
  SOCIAL_IMAGE_CACHE_PATH   cache folder; None: <CACHE_PATH>/social_image;
                            False: draw every card on every build
  SOCIAL_IMAGE_WORKERS      processes drawing cards beside the build; None:
                            one fewer than the CPUs; 0: draw every card in
                            the build's own process
  SOCIAL_IMAGE_PARALLEL_MIN fewer cards to draw than this (32) are drawn in
                            the build's own process: starting workers costs
                            more than it saves

Attributes added: ``social_image`` on every essay (site-relative path).

Why not a maintained plugin: pelican-ogimages (0.1.1) draws with Pillow's
built-in default font, which has no Chinese glyphs, does not wrap titles and
writes under the OUTPUT_PATH setting instead of the build's output folder;
pelican-social-cards (0.6.4) needs a background template image, counts
characters instead of measuring them (``textwrap.wrap``, 30 per line: far too
wide for Chinese), and draws the title alone, without author or site name.
"""

import contextlib
import hashlib
import io
import json
import logging
import multiprocessing
import os
import posixpath
import re
import sys
import tempfile
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from functools import cache, lru_cache
from pathlib import Path

import PIL
from markupsafe import Markup
from pelican import signals
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

DEFAULTS = {
    "SOCIAL_IMAGE_NAME": "social.png",
    "SOCIAL_IMAGE_SITE_SAVE_AS": "social.png",
    "SOCIAL_IMAGE_FONT": None,
    "SOCIAL_IMAGE_CACHE_PATH": None,
    "SOCIAL_IMAGE_WORKERS": None,
    "SOCIAL_IMAGE_PARALLEL_MIN": 32,
}

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
def renderer_fingerprint(font_path):
    """Everything besides the text that decides a card's bytes."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    stat = os.stat(font_path)
    digest.update(f"{PIL.__version__}|{Path(font_path).name}|{stat.st_size}".encode())
    return digest.hexdigest()


def cache_file(title, byline, sitename, *, lang, font_path, cache_dir):
    """Where the card for this text is kept in the cache (None: no cache)."""
    if not cache_dir:
        return None
    key = json.dumps([renderer_fingerprint(font_path), title, byline, sitename, lang])
    return Path(cache_dir) / (hashlib.sha256(key.encode()).hexdigest() + ".png")


def store(cached, data):
    """Keep a drawn card in the cache."""
    if cached is None:
        return
    cached.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a build running in parallel never reads half a file.
    with tempfile.NamedTemporaryFile(dir=cached.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, cached)


def cached_card(cached):
    """The bytes of a card in the cache, or None."""
    if cached is None:
        return None
    try:
        return cached.read_bytes()
    except FileNotFoundError:
        return None


def card_bytes(title, byline, sitename, *, lang, font_path, cache_dir):
    """Render a card, or copy it from the cache when the same card was drawn before."""
    cached = cache_file(
        title, byline, sitename, lang=lang, font_path=font_path, cache_dir=cache_dir
    )
    data = cached_card(cached)
    if data is not None:
        return data
    data = render_card(title, byline, sitename, lang, font_path)
    store(cached, data)
    return data


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


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    apply_defaults(pelican.settings)


def _cache_dir(settings):
    configured = settings["SOCIAL_IMAGE_CACHE_PATH"]
    if configured is False:
        return None
    return configured or os.path.join(settings["CACHE_PATH"], "social_image")


def _write(output_path, rel_path, data):
    target = Path(output_path) / rel_path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def worker_count(settings):
    configured = settings["SOCIAL_IMAGE_WORKERS"]
    if configured is None:
        return max((os.cpu_count() or 1) - 1, 1)
    return max(int(configured), 0)


def worker_pool(workers):
    """Worker processes that can import this plugin.

    They start from a fork server, a fresh single-threaded process: forking
    the build itself could deadlock a worker on a lock that another of its
    threads (a progress display, a test server) held at that moment.
    """
    folder = str(Path(__file__).resolve().parent.parent)
    if folder not in sys.path:
        sys.path.append(folder)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


# Cards being drawn in the background, by output path: (executor, jobs).
_PENDING = {}


def make_cards(generator):
    settings = generator.settings
    apply_defaults(settings)
    font_path = settings["SOCIAL_IMAGE_FONT"] or packaged_font()
    cache_dir = _cache_dir(settings)
    sitename = settings["SITENAME"]
    items = [*generator.articles, *generator.translations]
    items += [*generator.hidden_articles, *generator.hidden_translations]
    items += [*generator.drafts, *generator.drafts_translations]
    to_draw = {}
    for item in items:
        if not item.save_as:
            # Not written at all (drafts in production): no page, so no card;
            # its folder would be the site root, where the site card lives.
            item.social_image = None
            continue
        rel_path = card_path(item, settings)
        item.social_image = rel_path
        args = (plain(item.title), byline_for(item), sitename, item.lang, font_path)
        cached = cache_file(*args[:3], lang=args[3], font_path=font_path, cache_dir=cache_dir)
        data = cached_card(cached)
        if data is not None:
            _write(generator.output_path, rel_path, data)
        else:
            to_draw.setdefault(args, (cached, []))[1].append(rel_path)
    site_card = card_bytes(
        settings.get("SITESUBTITLE") or sitename,
        "",
        sitename,
        lang=settings.get("DEFAULT_LANG", "en"),
        font_path=font_path,
        cache_dir=cache_dir,
    )
    _write(generator.output_path, settings["SOCIAL_IMAGE_SITE_SAVE_AS"], site_card)
    workers = worker_count(settings)
    jobs = [(args, cached, paths, None) for args, (cached, paths) in to_draw.items()]
    if workers and len(jobs) >= settings["SOCIAL_IMAGE_PARALLEL_MIN"]:
        executor = worker_pool(workers)
        # Workers take the last cards first and this process, if it gets
        # there before them, the first: together they meet in the middle.
        futures = {args: executor.submit(render_card, *args) for args, *_ in reversed(jobs)}
        jobs = [(args, cached, paths, futures[args]) for args, cached, paths, _ in jobs]
        _PENDING[str(generator.output_path)] = (executor, jobs)
        logger.debug("Drawing %d social images in %d processes", len(jobs), workers)
        return
    _finish(generator.output_path, jobs)


def _finish(output_path, jobs):
    for args, cached, paths, future in jobs:
        drawn_elsewhere = future is not None and not future.cancel()
        data = future.result() if drawn_elsewhere else render_card(*args)
        store(cached, data)
        for rel_path in paths:
            _write(output_path, rel_path, data)
    logger.debug("Drew %d social images", len(jobs))


def write_drawn_cards(generator, writer=None):
    pending = _PENDING.pop(str(generator.output_path), None)
    if pending is None:
        return
    executor, jobs = pending
    try:
        _finish(generator.output_path, jobs)
    finally:
        executor.shutdown(cancel_futures=True)


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(make_cards)
    signals.article_writer_finalized.connect(write_drawn_cards)


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
