"""The fixture site exercises what the seed alone cannot: several sections,
authors and years, pagination, code, tables and hostile-looking characters."""

from tests.conftest import warnings_in
from tests.support import page_url_path


def test_fixture_site_builds_without_warnings(fixture_site):
    assert [r.getMessage() for r in warnings_in(fixture_site.records)] == []


def test_index_pages_through_every_essay_two_at_a_time(fixture_site):
    def essay_path(href):
        return href.rstrip("/").split("essays/", 1)[1]

    archived = {
        essay_path(a["href"]) for a in fixture_site.page("archives/").select("main .dated-list a")
    }
    seen, url, pages = [], "", 0
    while url is not None:
        page = fixture_site.page(url)
        cards = page.select("main .card .card-title a")
        assert 1 <= len(cards) <= 2
        seen += [essay_path(a["href"]) for a in cards]
        pages += 1
        nxt = page.select_one('.pagination a[rel="next"]')
        url = f"page/{pages + 1}/" if nxt else None
        if nxt:
            assert nxt["href"].rstrip("/").endswith(f"page/{pages + 1}")
    assert pages >= 2
    assert sorted(seen) == sorted(archived)


def test_code_is_left_as_written_and_prose_is_typographic(fixture_site):
    page = fixture_site.page("essays/ledger-basics/")
    code = page.select_one(".essay-body pre").get_text()
    assert "print(\"raw -- quotes stay 'straight'\")" in code
    prose = page.select_one(".essay-body p").get_text()
    assert "\u2014" in prose and "--" not in prose


def test_ampersand_in_a_title_is_text_everywhere(fixture_site):
    for html_file in fixture_site.html_files():
        raw = html_file.read_text(encoding="utf-8")
        assert "Credit scores & their" not in raw, html_file
    page = fixture_site.page("essays/credit-scores/")
    assert page.h1.get_text() == "Credit scores & their\u00a0discontents"


def test_every_fixture_page_has_one_h1(fixture_site):
    for html_file in fixture_site.html_files():
        page = fixture_site.page(page_url_path(fixture_site.output, html_file))
        assert len(page.find_all("h1")) == 1, html_file
