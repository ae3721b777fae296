"""The essay reads well in a real browser, from 320 px phones to wide screens."""

import pytest

from tests.support import CHARS_PER_LINE, OVERFLOW

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_essay_page_never_scrolls_sideways(page, site_server, essay_url, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_server + essay_url)
    overflow = page.evaluate(OVERFLOW)
    assert overflow <= 0


def test_essay_text_column_keeps_a_readable_measure(page, site_server, essay_url):
    page.goto(site_server + essay_url)
    chars_per_line = page.evaluate(CHARS_PER_LINE)
    assert 45 <= chars_per_line <= 75


def test_skip_link_is_first_in_tab_order_and_visible_on_focus(page, site_server, essay_url):
    page.goto(site_server + essay_url)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_dark_scheme_changes_the_page_colours(browser, site_server, essay_url):
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        page.goto(site_server + essay_url)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] != colours["dark"]


def test_print_hides_navigation(page, site_server, essay_url):
    page.goto(site_server + essay_url)
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    assert page.locator(".essay-body").is_visible()
