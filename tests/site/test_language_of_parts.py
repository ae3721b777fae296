"""Text in another language than its page says so (WCAG 3.1.2, Language of Parts),
so screen readers switch voice: the site's English name on a Chinese page, a
Chinese page's title in an English page's menu; the chrome itself is in the
page's language."""

from tests.support import parse_html


def lang_of(tag):
    """The language a tag's text is in: its own lang or its nearest ancestor's."""
    while tag is not None and not tag.get("lang"):
        tag = tag.parent
    return tag.get("lang") if tag is not None else None


def test_site_chrome_on_a_chinese_page_is_chinese_and_its_english_names_are_marked(
    fixture_site,
):
    page = fixture_site.page("cjk-type-sample/")
    assert page.html["lang"] == "zh"
    for selector in (".skip-link", ".site-header", ".site-nav", ".site-footer"):
        assert lang_of(page.select_one(selector)) == "zh", selector
    assert page.select_one(".skip-link").get_text() == "跳到正文"
    # The site's English name and an English page's title in the menu say so.
    assert lang_of(page.select_one(".site-title a")) == "en"
    assert lang_of(page.select_one('.site-nav a[href$="about/"]')) == "en"
    assert lang_of(page.select_one("main p")) == "zh"


def test_site_chrome_on_an_english_page_is_english(fixture_site):
    page = fixture_site.page("about/")
    assert page.html["lang"] == "en"
    for selector in (".skip-link", ".site-header", ".site-footer"):
        assert lang_of(page.select_one(selector)) == "en", selector


def test_links_to_a_chinese_page_are_marked_chinese_on_every_page(fixture_site):
    checked = 0
    for html_file in fixture_site.html_files():
        for link in parse_html(html_file).select('a[href*="cjk-type-sample"]'):
            assert lang_of(link) == "zh", html_file
            checked += 1
    assert checked >= 2 * len(fixture_site.html_files())  # menu and footer
