"""Chinese essays are set in a CJK font; English ones keep the Latin faces."""

import pytest

pytestmark = pytest.mark.browser

CJK_FACES = ("PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei")


def first_font(page, selector):
    family = page.locator(selector).first.evaluate("el => getComputedStyle(el).fontFamily")
    return family.split(",")[0].strip().strip('"')


def test_chinese_essay_text_uses_a_cjk_font_stack(page, fixture_site_server):
    page.goto(fixture_site_server + "essays/mobile-payment-clearing/")
    assert first_font(page, ".essay-body p") in CJK_FACES
    assert first_font(page, ".sidenote") in CJK_FACES


def test_english_essay_text_leads_with_a_latin_face(page, fixture_site_server):
    page.goto(fixture_site_server + "essays/mobile-payment-clearing/en/")
    assert first_font(page, ".essay-body p") not in CJK_FACES


# Widths of a run of narrow and of wide letters set in an element's own font.
GLYPH_WIDTHS = """el => ['iiiiiiii', 'MMMMMMMM'].map(text => {
    const probe = document.createElement('span');
    probe.textContent = text;
    el.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
})"""


@pytest.mark.parametrize("selector", [".essay-body pre", ".essay-body p code"])
def test_code_in_a_chinese_essay_is_set_in_a_monospace_face(page, fixture_site_server, selector):
    page.goto(fixture_site_server + "essays/byte-order-notes/")
    narrow, wide = page.locator(selector).first.evaluate(GLYPH_WIDTHS)
    assert narrow > 0
    assert narrow == pytest.approx(wide, rel=0.01)
    # And the text around it is still in the CJK face.
    assert first_font(page, ".essay-body p") in CJK_FACES
