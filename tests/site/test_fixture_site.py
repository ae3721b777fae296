"""The fixture site exercises what the seed alone cannot: several sections,
authors and years, pagination, code, tables and hostile-looking characters."""

from tests.conftest import warnings_in
from tests.support import page_url_path


def test_fixture_site_builds_without_warnings(fixture_site):
    assert [r.getMessage() for r in warnings_in(fixture_site.records)] == []


def test_index_is_paginated_with_working_links(fixture_site):
    first = fixture_site.page("")
    second = fixture_site.page("page/2/")
    assert len(first.select("main .card")) == 2
    assert len(second.select("main .card")) == 1
    assert first.select_one('.pagination a[rel="next"]') is not None
    assert second.select_one('.pagination a[rel="prev"]') is not None


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
