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
