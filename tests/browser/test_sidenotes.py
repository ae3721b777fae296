"""Sidenotes: in the margin on wide screens, opened inline on narrow ones by
mouse, touch or keyboard, and printed as endnotes. No script involved."""

import pytest
from playwright.sync_api import expect

from tests.support import NO_CODE_SCRIPTS

pytestmark = pytest.mark.browser

ESSAY = "essays/payments-plumbing-accounts/"


def open_essay(browser, base_url, width, **context_options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **context_options)
    page = context.new_page()
    page.goto(base_url + ESSAY)
    # JSON-LD data blocks are not code; nothing else may be a script.
    assert page.evaluate(NO_CODE_SCRIPTS) == 0
    return context, page


def tab_to(page, element_id, limit=60):
    """Press Tab until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return
    pytest.fail(f"Tab never reached #{element_id}")


def no_sideways_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_narrow_screen_hides_notes_until_the_keyboard_opens_one(browser, fixture_site_server):
    context, page = open_essay(browser, fixture_site_server, 375)
    note = page.locator(".sidenote").first
    toggle = page.locator("#sidenote-1")
    expect(note).to_be_hidden()
    # Visually hidden, yet focusable: not display:none.
    assert toggle.evaluate("el => getComputedStyle(el).display") != "none"
    tab_to(page, "sidenote-1")
    outline = page.locator("label[for=sidenote-1]").evaluate(
        "el => getComputedStyle(el).outlineStyle"
    )
    assert outline != "none"
    page.keyboard.press("Space")
    expect(note).to_be_visible()
    box = note.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert no_sideways_scroll(page)
    page.keyboard.press("Space")
    expect(note).to_be_hidden()
    context.close()


def test_narrow_screen_opens_a_note_by_mouse_and_by_touch(browser, fixture_site_server):
    context, page = open_essay(browser, fixture_site_server, 375)
    note = page.locator(".sidenote").nth(1)
    page.locator("label[for=sidenote-2]").click()
    expect(note).to_be_visible()
    page.locator("label[for=sidenote-2]").click()
    expect(note).to_be_hidden()
    context.close()

    context, page = open_essay(browser, fixture_site_server, 375, has_touch=True, is_mobile=True)
    note = page.locator(".sidenote").first
    page.locator("label[for=sidenote-1]").tap()
    expect(note).to_be_visible()
    context.close()


def test_wide_screen_sets_notes_in_the_margin_beside_their_paragraph(browser, fixture_site_server):
    context, page = open_essay(browser, fixture_site_server, 1280)
    for index in range(2):
        note = page.locator(".sidenote").nth(index)
        expect(note).to_be_visible()
        note_box = note.bounding_box()
        paragraph = page.locator(".essay-body > p:has(.sidenote)").nth(index).bounding_box()
        reference = page.locator(".sidenote-ref").nth(index).bounding_box()
        assert note_box["x"] >= paragraph["x"] + paragraph["width"]
        assert note_box["x"] + note_box["width"] <= 1280
        assert abs(note_box["y"] - reference["y"]) < 40
    assert no_sideways_scroll(page)
    context.close()


def test_wide_screen_shows_every_note_and_keeps_the_checkboxes_out_of_the_tab_order(
    browser, fixture_site_server
):
    context, page = open_essay(browser, fixture_site_server, 1024)
    for index in range(page.locator(".sidenote").count()):
        expect(page.locator(".sidenote").nth(index)).to_be_visible()
    # Hidden with display:none here: a Tab stop would do nothing.
    toggles = page.locator(".sidenote-toggle")
    assert toggles.count() == 2
    assert all(
        toggles.nth(i).evaluate("el => getComputedStyle(el).display") == "none" for i in range(2)
    )
    context.close()


def test_print_shows_numbered_endnotes_instead_of_sidenotes(browser, fixture_site_server):
    context, page = open_essay(browser, fixture_site_server, 1280)
    page.emulate_media(media="print")
    expect(page.locator(".sidenote").first).to_be_hidden()
    endnotes = page.locator(".endnotes li")
    expect(endnotes).to_have_count(2)
    expect(endnotes.first).to_be_visible()
    assert endnotes.first.evaluate("el => getComputedStyle(el).display") == "list-item"
    context.close()
