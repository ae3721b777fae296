"""Every published essay has an e-mail edition: inline styles, absolute links, plain text."""

import re

from bs4 import BeautifulSoup

from tests.support import fixture_essays, parse_html


def editions(build):
    return sorted((build.output / "email").rglob("index.html"))


def test_every_published_essay_and_no_draft_has_an_edition(fixture_site):
    slugs = {path.parent.relative_to(fixture_site.output / "email").parts[0]
             for path in editions(fixture_site)}  # fmt: skip
    assert slugs == {meta["slug"] for meta in fixture_essays("published")}
    assert not any(meta["slug"] in slugs for meta in fixture_essays("draft"))
    # A translation's edition is in its language's folder.
    assert (fixture_site.output / "email/mobile-payment-clearing/en/index.html").is_file()


def test_edition_is_styled_inline_for_mail_clients_with_absolute_links(site, essay_url):
    path = site.output / "email" / essay_url.split("/")[1] / "index.html"
    page = parse_html(path)
    assert page.find("style") is None and page.find("link", rel="stylesheet") is None
    assert page.find("script") is None
    styled = page.select("[style]")
    assert page.body.has_attr("style") and len(styled) > 20
    for attribute in ("href", "src"):
        for tag in page.select(f"[{attribute}]"):
            assert re.match(r"^(https?:|mailto:|#)", tag[attribute]), tag
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.find("link", rel="canonical")["href"].endswith(essay_url)
    assert page.select_one(".email-title").get_text().replace("\xa0", " ") == (
        "The logic behind the mutual gold giants"
    )
    assert "Translated from the Chinese original" in page.select_one(".provenance").get_text()
    assert page.select_one(".disclosure") is not None


def test_charts_leave_their_svg_behind_and_keep_their_table(fixture_site):
    page = parse_html(fixture_site.output / "email/chart-essay/index.html")
    assert page.find("svg") is None
    assert page.select_one("figure.chart table") is not None


def test_text_edition_has_the_title_the_words_and_numbered_links(site, essay_url):
    folder = site.output / "email" / essay_url.split("/")[1]
    text = (folder / "index.txt").read_text(encoding="utf-8").replace("\xa0", " ")
    html = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
    assert text.startswith("[bzdww][1]\n\n# The logic behind the mutual gold giants\n")
    assert "From the perspective of an industry researcher" in text
    assert re.search(r"^   \[\d+\]: http://127\.0\.0\.1:8000/essays/", text, re.M)
    assert "<" not in text.replace("<http", "")
    # The hidden preheader is for inbox previews only.
    preheader = html.select_one(".email-preheader").get_text()
    assert text.count(preheader[:40]) <= 1


def test_a_chinese_essays_edition_is_in_chinese(fixture_site):
    page = parse_html(fixture_site.output / "email/mobile-payment-clearing/index.html")
    assert page.html["lang"] == "zh"
    assert "2026年11月2日" in page.select_one(".email-byline").get_text()


def test_editions_are_left_out_of_the_sitemap_and_the_search_index(site):
    sitemap = (site.output / "sitemap.xml").read_text(encoding="utf-8")
    assert "/email/" not in sitemap
    assert not any("data-pagefind-body" in p.read_text("utf-8") for p in editions(site))
