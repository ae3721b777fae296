"""The reader's page in Chromium: measure, column, sidenotes, headings, header,
glossary definitions, and a Chinese page in Chinese throughout."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support import CHARS_PER_LINE

pytestmark = pytest.mark.browser

ZH_ESSAY = "essays/mobile-payment-clearing/"
NOTES_ESSAY = "essays/payments-plumbing-accounts/"
PLAIN_ESSAY = "essays/ledger-basics/"
CODE_ESSAY = "essays/byte-order-notes/"
WIDTHS = (375, 768, 1024, 1280, 1920)

# Characters per line of Chinese text: CJK characters are one em wide.
CJK_PER_LINE = """() => {
    const p = document.querySelector('.essay-body > p:not(:first-child)');
    return p.getBoundingClientRect().width / parseFloat(getComputedStyle(p).fontSize);
}"""
COLUMN_X = "document.querySelector('.essay-body > p').getBoundingClientRect().x"


@pytest.fixture
def open_page(browser):
    """open_page(url, width, **context options) -> page; contexts close after the test."""
    contexts = []

    def opener(url, width=1280, **options):
        context = browser.new_context(viewport={"width": width, "height": 900}, **options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()


# Widths at which the text column has its full 44rem (736px and up).
FULL_COLUMN_WIDTHS = (768, 1024, 1280, 1920)


@pytest.mark.parametrize("width", FULL_COLUMN_WIDTHS)
def test_latin_measure_is_60_to_72_characters_and_chinese_35_to_40(
    open_page, site_server, fixture_site_server, essay_url, width
):
    seed = open_page(site_server + essay_url, width)
    assert 60 <= seed.evaluate(CHARS_PER_LINE) <= 72
    chinese = open_page(fixture_site_server + ZH_ESSAY, width)
    assert 35 <= chinese.evaluate(CJK_PER_LINE) <= 40


@pytest.mark.parametrize("width", WIDTHS)
def test_text_column_starts_at_the_same_place_on_every_essay(
    browser, site_server, fixture_site_server, essay_url, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    starts = {}
    for url in (site_server + essay_url, *(fixture_site_server + u for u in
                (NOTES_ESSAY, PLAIN_ESSAY, ZH_ESSAY))):  # fmt: skip
        page.goto(url)
        starts[url] = page.evaluate(COLUMN_X)
    context.close()
    assert len(set(starts.values())) == 1, starts


@pytest.mark.parametrize("width", [1024, 1280])
def test_sidenotes_sit_in_the_margin_at_body_size_or_near_it(open_page, fixture_site_server, width):
    page = open_page(fixture_site_server + NOTES_ESSAY, width)
    note = page.locator(".sidenote").first
    expect(note).to_be_visible()
    body_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.essay-body > p:not(:first-child)'))"
        ".fontSize)"
    )
    note_size = note.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert note_size >= 0.85 * body_size
    paragraph = page.locator(".essay-body > p:has(.sidenote)").first.bounding_box()
    assert note.bounding_box()["x"] >= paragraph["x"] + paragraph["width"]


def test_headings_are_named_by_their_own_words_and_links_show_on_focus_only(
    open_page, site_server, essay_url
):
    page = open_page(site_server + essay_url)
    texts = page.locator(".section-heading > h2").all_text_contents()
    assert "Prospect" in texts
    for text in texts:
        expect(page.get_by_role("heading", name=text, exact=True)).to_have_count(1)
    link = page.get_by_role("link", name="Link to section: Prospect")
    assert link.evaluate("el => el.closest('h1,h2,h3,h4') === null")
    assert link.evaluate("el => getComputedStyle(el).opacity") == "0"
    link.focus()
    assert link.evaluate("el => getComputedStyle(el).opacity") == "1"
    # The site's own notes are not sections: no link beside them.
    notes = page.locator(".editorial-note .heading-anchor")
    expect(notes).to_have_count(0)


def test_chinese_headings_are_named_by_their_own_words_too(open_page, fixture_site_server):
    page = open_page(fixture_site_server + ZH_ESSAY)
    texts = page.locator(".section-heading > h2").all_text_contents()
    assert "网联的作用" in texts
    for text in texts:
        expect(page.get_by_role("heading", name=text, exact=True)).to_have_count(1)
    link = page.get_by_role("link", name="本节链接：网联的作用", exact=True)
    assert link.evaluate("el => el.closest('h1,h2,h3,h4') === null")


def test_on_wide_screens_every_tab_stop_does_something(open_page, fixture_site_server):
    page = open_page(fixture_site_server + NOTES_ESSAY)
    seen = []
    for _ in range(120):
        page.keyboard.press("Tab")
        name, in_footer = page.evaluate(
            "[document.activeElement.className, !!document.activeElement.closest('.site-footer')]"
        )
        seen.append(name)
        if in_footer:
            break
    assert in_footer, "Tab never reached the footer"
    assert "heading-anchor" in seen
    assert not any("sidenote-toggle" in name for name in seen)


@pytest.mark.parametrize("url", ["site:essay", f"fixture:{ZH_ESSAY}"])
def test_phone_header_is_at_most_120px_and_names_the_section_once(
    open_page, site_server, fixture_site_server, essay_url, url
):
    base, path = url.split(":")
    address = (site_server + essay_url) if base == "site" else (fixture_site_server + path)
    page = open_page(address, 375)
    assert page.locator(".site-header").bounding_box()["height"] <= 120
    section = page.locator(".kicker a").inner_text()
    header = page.locator(".essay-header").inner_text()
    assert len(re.findall(re.escape(section), header, re.IGNORECASE)) == 1


# Bottom of a text node's first line box: level text stands on one baseline.
TEXT_BOTTOM = """el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return range.getClientRects()[0].bottom;
}"""


def test_wide_header_keeps_name_menu_and_search_level_when_the_menu_wraps(
    open_page, fixture_site_server
):
    # The fixture site's menu, in Chinese with its English page titles, takes two lines.
    page = open_page(fixture_site_server + ZH_ESSAY, 1280)
    links = page.locator(".site-nav a")
    first, last = links.first.bounding_box(), links.last.bounding_box()
    assert last["y"] > first["y"] + first["height"] / 2, "the menu fits on one line"
    name = page.locator(".site-title a").evaluate(TEXT_BOTTOM)
    menu = links.first.evaluate(TEXT_BOTTOM)
    search = page.locator(".site-header .search-box button").bounding_box()
    assert abs(name - menu) <= 4
    assert search["y"] <= menu <= search["y"] + search["height"]


def test_chinese_term_in_the_terms_box_never_breaks_inside_the_word(
    open_page, site_server, essay_url
):
    page = open_page(site_server + essay_url, 375)
    word = page.locator(".glossary-notes .term-chinese", has_text="微信公众号")
    lines = word.evaluate("el => el.getClientRects().length")
    assert lines == 1


def test_glossary_definition_opens_by_keyboard_and_by_tap_without_script(
    open_page, site_server, essay_url
):
    page = open_page(site_server + essay_url, java_script_enabled=False)
    term = page.locator("button.glossary-term", has_text="landing")
    popover = page.locator("#" + term.get_attribute("popovertarget"))
    expect(popover).to_be_hidden()
    term.focus()
    page.keyboard.press("Enter")
    expect(popover).to_be_visible()
    assert "Putting a plan" in popover.inner_text()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    # Screen readers hear the definition when the term has focus.
    described = term.get_attribute("aria-describedby")
    assert "Putting a plan" in page.locator("#" + described).inner_text()

    phone = open_page(site_server + essay_url, 375, has_touch=True, is_mobile=True,
                      java_script_enabled=False)  # fmt: skip
    term = phone.locator("button.glossary-term", has_text="landing")
    term.tap()
    popover = phone.locator("#" + term.get_attribute("popovertarget"))
    expect(popover).to_be_visible()
    box = popover.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    popover.locator("a").click()
    assert phone.url.endswith("/glossary/#term-landing")


# Text that is not furniture: the author's words and names, code.
NOT_FURNITURE = ".essay-body > :not(.editorial-note), .essay-title, code, pre, script, style"
ENGLISH_OUTSIDE_EN = """(skip) => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        // English: Latin words and no Chinese (关注 bzdww is Chinese naming a name).
        const text = node.textContent;
        if (!/[A-Za-z]{2,}/.test(text) || /[\u3400-\u9fff]/.test(text)) continue;
        if (element.closest(skip)) continue;
        if (element.closest('[hidden], [popover]:not(:popover-open)')) continue;
        const lang = element.closest('[lang]').getAttribute('lang');
        if (!lang.startsWith('en')) found.push(node.textContent.trim().slice(0, 60));
    }
    return found;
}"""


@pytest.mark.parametrize("essay", [ZH_ESSAY, CODE_ESSAY])
def test_a_chinese_page_has_no_english_furniture_outside_lang_en(
    open_page, fixture_site_server, essay
):
    # CODE_ESSAY uses an English glossary term: its definition is in English.
    page = open_page(fixture_site_server + essay)
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.evaluate(ENGLISH_OUTSIDE_EN, NOT_FURNITURE) == []
    terms = page.locator(".essay-body button.glossary-term")
    for index in range(terms.count()):
        terms.nth(index).click()
        assert page.evaluate(ENGLISH_OUTSIDE_EN, NOT_FURNITURE) == []
        page.keyboard.press("Escape")
    # The check sees English where it is: the same page with its menu's label in English.
    page.evaluate("document.querySelector('.site-nav a').textContent = 'Essays'")
    assert page.evaluate(ENGLISH_OUTSIDE_EN, NOT_FURNITURE) == ["Essays"]


def test_a_chinese_page_gives_dates_and_reading_time_in_chinese(open_page, fixture_site_server):
    page = open_page(fixture_site_server + ZH_ESSAY)
    expect(page.locator(".essay-header .byline time")).to_have_text("2026年11月2日")
    expect(page.locator(".reading-time")).to_have_text(re.compile(r"^\d+ 字 · 约 \d+ 分钟$"))
    expect(page.locator(".toc-title")).to_have_text("目录")


def test_the_english_seed_says_it_is_a_translation_of_a_chinese_original(
    open_page, site_server, essay_url
):
    page = open_page(site_server + essay_url)
    expect(page.locator(".essay-header .provenance")).to_contain_text(
        "Translated from the Chinese original."
    )


def test_share_links_request_nothing_until_clicked(open_page, site_server, essay_url):
    requests = []
    page = open_page(site_server + essay_url)
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert all(url.startswith(site_server) for url in requests)
    links = page.locator(".share-links a")
    hrefs = [urlsplit(links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert [h.netloc or h.scheme for h in hrefs] == [
        "mailto", "x.com", "www.linkedin.com", "service.weibo.com",
    ]  # fmt: skip
    permalink = page.get_by_label("Permalink")
    assert permalink.input_value() == "http://127.0.0.1:8000/" + essay_url


def test_footnote_numbers_are_finger_sized_targets_on_phones(open_page, fixture_site_server):
    page = open_page(fixture_site_server + NOTES_ESSAY, 375, has_touch=True, is_mobile=True)
    label = page.locator("label[for=sidenote-1]")
    box = label.bounding_box()
    centre_x, centre_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # The number is small; what a finger can hit around it is 24px or more each way.
    reach = page.evaluate(
        """([x, y]) => {
            const hits = (dx, dy) => document.elementFromPoint(x + dx, y + dy)
                ?.closest('label.sidenote-ref')?.htmlFor === 'sidenote-1';
            return [hits(-12, 0) && hits(12, 0), hits(0, -12) && hits(0, 12)];
        }""",
        [centre_x, centre_y],
    )
    assert reach == [True, True]


def test_a_long_line_of_code_scrolls_by_keyboard_and_shows_the_focus(
    open_page, fixture_site_server
):
    page = open_page(fixture_site_server + CODE_ESSAY, 375)
    block = page.locator(".essay-body pre", has_text="htonl(value)")
    assert block.evaluate("el => el.scrollWidth > el.clientWidth"), "the fixture's line fits"
    # Chromium (since 130) lets Tab reach a scrolling block by itself; other
    # browsers need the tabindex, and axe asks for it.
    assert block.get_attribute("tabindex") == "0"
    for _ in range(80):
        page.keyboard.press("Tab")
        if block.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the code block that scrolls")
    ring = block.evaluate(
        "el => [getComputedStyle(el).outlineStyle, getComputedStyle(el).outlineWidth]"
    )
    ring = [ring[0], float(ring[1].removesuffix("px"))]
    assert ring[0] != "none" and ring[1] >= 2, ring
    page.keyboard.press("ArrowRight")
    # Keyboard scrolling is animated: wait for it to move.
    page.wait_for_function("el => el.scrollLeft > 0", arg=block.element_handle(), timeout=5_000)
