"""Social cards: CJK-aware line breaking, legible glyphs, identical bytes every time."""

import io
import pickle
import subprocess
import sys

from PIL import Image, ImageChops, ImageDraw

from plugins.social_image import social_image
from plugins.social_image.social_image import (
    BACKGROUND,
    DEFAULT_FACE,
    TEXT,
    card_bytes,
    load_font,
    packaged_font,
    render_card,
    tokens,
    wrap,
)
from tests.support import ROOT, build_memo, memo_entries

CHINESE_TITLE = "互联网金融巨头与银行的合作：账户、数据、技术与业务层面的融合"


def test_chinese_breaks_between_characters_but_never_before_closing_punctuation():
    # Full-width punctuation on purpose: it is what Chinese titles use.
    pieces = tokens("巨头的逻辑：余额宝、理财通（测试）")
    assert pieces[:3] == ["巨", "头", "的"]
    assert "辑：" in pieces and "宝、" in pieces
    assert "（测" in pieces and "试）" in pieces


def test_latin_words_stay_whole_and_punctuation_stays_with_them():
    assert tokens("Banks & “open” APIs, again.") == [
        "Banks",
        " ",
        "&",
        " ",
        "“open”",
        " ",
        "APIs,",
        " ",
        "again.",
    ]


def test_long_chinese_title_wraps_within_the_card_width():
    font = load_font(packaged_font(), 64, "Bold", "zh")
    lines = wrap(CHINESE_TITLE, font, 1008)
    assert len(lines) >= 2
    assert "".join(lines) == CHINESE_TITLE
    assert all(font.getlength(line) <= 1008 for line in lines)


def test_packaged_font_draws_every_character_of_a_chinese_title():
    font = load_font(packaged_font(), 64, "Bold", "zh")
    assert font.getname()[0] == DEFAULT_FACE
    # A code point no font maps draws the .notdef box; a covered character must not.
    missing = glyph(font, "\U0010fffd")
    uncovered = [c for c in sorted(set(CHINESE_TITLE)) if glyph(font, c) == missing]
    assert uncovered == []


def glyph(font, char):
    image = Image.new("L", (120, 120))
    ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
    return image.tobytes()


def ink(png, box):
    """How many pixels in ``box`` differ from the card background."""
    image = Image.open(io.BytesIO(png)).convert("RGB").crop(box)
    diff = ImageChops.difference(image, Image.new("RGB", image.size, BACKGROUND))
    return diff.convert("L").point(lambda value: 255 if value > 40 else 0).histogram()[255]


def test_card_is_1200_by_630_with_the_title_drawn():
    png = render_card(CHINESE_TITLE, "薛红岩", "bzdww", lang="zh")
    assert Image.open(io.BytesIO(png)).size == (1200, 630)
    assert ink(png, (96, 168, 1104, 500)) > 5000
    blank = render_card("", "薛红岩", "bzdww", lang="zh")
    assert ink(blank, (96, 168, 1104, 500)) == 0


def test_card_bytes_are_the_same_in_another_process():
    here = render_card(CHINESE_TITLE, "薛红岩", "bzdww", lang="zh")
    code = (
        "import sys; from plugins.social_image.social_image import render_card; "
        f"sys.stdout.buffer.write(render_card({CHINESE_TITLE!r}, '薛红岩', 'bzdww', lang='zh'))"
    )
    there = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True, timeout=120
    ).stdout
    assert there == here


def test_cached_card_is_reused_and_a_new_title_draws_a_new_one(tmp_path):
    options = {"lang": "en", "font_path": packaged_font()}
    with build_memo(tmp_path):
        first = card_bytes("Title one", "A. Author", "bzdww", **options)
        (cached,) = memo_entries(tmp_path)
        cached.write_bytes(pickle.dumps((b"cached", [])))
        assert card_bytes("Title one", "A. Author", "bzdww", **options) == b"cached"
        second = card_bytes("Title two", "A. Author", "bzdww", **options)
    assert second != first and len(memo_entries(tmp_path)) == 2


def test_card_is_a_palette_png_whose_title_keeps_anti_aliased_edges():
    png = render_card("Clearing and settlement", "A. Author", "bzdww")
    with Image.open(io.BytesIO(png)) as card:
        assert card.format == "PNG" and card.mode == "P"
        title = card.convert("RGB").crop((96, 168, 1104, 500))
    colours = {colour for _, colour in title.getcolors(1 << 16)}
    # Not two colours (jagged letters) but a ramp of edge shades...
    assert len(colours) > 40
    # ...each between the background and the title's ink.
    for colour in colours:
        for value, paper, ink in zip(colour, BACKGROUND, TEXT, strict=True):
            assert ink <= value <= paper, colour


def test_a_card_drawn_after_others_is_the_same_as_one_drawn_first():
    # The shared parts and bylines are drawn once a process and reused.
    social_image._blank_card.cache_clear()
    social_image._cached_lettering.cache_clear()
    first = render_card("Deposits", "Li Wei", "bzdww")
    render_card("Payments plumbing after the reform", "Li Wei", "bzdww")
    render_card(CHINESE_TITLE, "Li Wei", "bzdww", lang="zh")
    assert render_card("Deposits", "Li Wei", "bzdww") == first
