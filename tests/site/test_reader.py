"""What the reader sees around an essay: length, contents, permalinks, series,
related and neighbouring essays, translations, and the search page."""

import itertools
import json
import math
import os
import re
import unicodedata
from datetime import datetime

import feedparser
import pytest

from tests.conftest import PRODUCTION_SITEURL
from tests.support import (
    FIXTURE_CONTENT,
    fixture_essays,
    normalise_text,
    read_source,
    resolve_internal,
)

ZH_URL = "essays/mobile-payment-clearing/"
ZH_TRANSLATION_URL = "essays/mobile-payment-clearing/en/"
SERIES_URLS = [
    "essays/payments-plumbing-accounts/",
    "essays/payments-plumbing-messages/",
    "essays/payments-plumbing-settlement/",
]


def published_essay_urls(build):
    return [
        a["href"].removeprefix("../") for a in build.page("archives/").select("main .dated-list a")
    ]


def target(build, url, href):
    """The output file an href on page `url` points to."""
    resolved = resolve_internal(build.output, build.file_for(url), href)
    return resolved[0] if resolved else None


# Length and reading time ------------------------------------------------------


def test_chinese_essay_counts_characters_and_reads_at_cjk_speed(fixture_site):
    _, body = read_source(FIXTURE_CONTENT / "essays" / "mobile-payment-clearing.md")
    han = sum(1 for ch in body if unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH"))
    assert han > 100
    text = fixture_site.page(ZH_URL).select_one(".reading-time").get_text(" ", strip=True)
    # In the page's language: 175 字 · 约 1 分钟.
    assert text == f"{han} 字 · 约 {math.ceil(han / 501)} 分钟"


def test_english_essay_counts_words(site, essay_url, seed_source):
    _, body = seed_source
    words = sum(1 for token in body.split() if re.search(r"[A-Za-z0-9]", token))
    text = site.page(essay_url).select_one(".reading-time").get_text(" ", strip=True)
    assert text == f"{words:,} words · {math.ceil(words / 213)} min read"
    assert words > 500


# Contents and permalinks ----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "has_toc"),
    [
        ("essays/payments-plumbing-accounts/", True),  # three headings
        (ZH_URL, True),
        ("essays/ledger-basics/", False),  # two headings
        ("essays/payments-plumbing-messages/", False),  # one heading
    ],
)
def test_table_of_contents_from_three_headings(fixture_site, url, has_toc):
    page = fixture_site.page(url)
    # The author's headings; the site's own notes (disclosure, glossary) are asides.
    headings = page.select(
        ".essay-body > .section-heading > h2[id], .essay-body > .section-heading > h3[id]"
    )
    toc = page.select_one("nav.toc")
    assert (toc is not None) == has_toc == (len(headings) >= 3)
    if toc:
        assert [a["href"] for a in toc.select("a")] == [f"#{h['id']}" for h in headings]
        assert toc["aria-labelledby"] == "toc-title"


def test_every_heading_has_a_named_permalink_beside_it(site, essay_url, fixture_site):
    for build, url, label in (
        (site, essay_url, "Link to section: "),
        (fixture_site, ZH_URL, "本节链接："),
    ):
        page = build.page(url)
        headings = page.select(".essay-body h2, .essay-body h3")
        notes = page.select(".essay-body .editorial-note h2")
        assert headings and notes
        for heading in headings:
            if heading in notes:
                assert heading.find_next_sibling("a", class_="heading-anchor") is None
                continue
            assert heading.select("a") == []
            anchor = heading.find_next_sibling("a", class_="heading-anchor")
            assert anchor["href"] == f"#{heading['id']}"
            assert anchor.get_text(strip=True)
            assert normalise_text(anchor["aria-label"]) == label + normalise_text(
                heading.get_text(" ", strip=True)
            )


def test_chinese_headings_keep_chinese_ids(fixture_site):
    ids = [h["id"] for h in fixture_site.page(ZH_URL).select(".essay-body > .section-heading > h2")]
    assert ids == ["直连模式的问题", "网联的作用", "对银行的影响"]


# Sidenotes stay out of the feeds ---------------------------------------------------


def test_feeds_keep_ordinary_footnotes(fixture_site):
    feed = feedparser.parse((fixture_site.output / "feeds" / "all.atom.xml").read_bytes())
    (entry,) = [e for e in feed.entries if e.link.endswith("payments-plumbing-accounts/")]
    html = entry.content[0].value
    assert 'class="footnote-ref"' in html and 'class="footnote"' in html
    assert "sidenote" not in html and "heading-anchor" not in html


def test_page_has_sidenotes_and_printable_endnotes(fixture_site):
    page = fixture_site.page("essays/payments-plumbing-accounts/")
    assert len(page.select(".essay-body p .sidenote")) == 2
    assert len(page.select(".essay-body .endnotes li")) == 2
    assert page.select("a.footnote-ref") == []


# Series, related, previous and next --------------------------------------------------


def test_every_part_shows_its_number_and_links_all_parts_in_order(fixture_site):
    titles = [fixture_site.page(url).h1.get_text(strip=True) for url in SERIES_URLS]
    for number, url in enumerate(SERIES_URLS, start=1):
        page = fixture_site.page(url)
        badge = page.select_one(".series-badge").get_text(" ", strip=True)
        assert badge.startswith(f"Part {number} of 3 ")
        items = page.select(".series-nav li")
        assert [
            li.get_text(" ", strip=True).removesuffix("(this essay)").strip() for li in items
        ] == titles
        current = page.select_one('.series-nav li[aria-current="page"]')
        assert items.index(current) == number - 1 and current.find("a") is None
        for li in items:
            if li is not current:
                assert target(fixture_site, url, li.a["href"]).is_file()


def test_published_pages_never_link_to_drafts(fixture_site):
    for url in published_essay_urls(fixture_site):
        hrefs = [a["href"] for a in fixture_site.page(url).find_all("a", href=True)]
        assert not any("drafts/" in href for href in hrefs), url
    assert (fixture_site.output / "drafts" / "payments-plumbing-unwritten" / "index.html").is_file()


def tags_of(build, url):
    return {a.get_text(strip=True) for a in build.page(url).select(".tag-list a[rel=tag]")}


def test_related_essays_share_a_tag_and_are_never_the_essay_itself(fixture_site):
    shown = 0
    for url in published_essay_urls(fixture_site):
        links = fixture_site.page(url).select(".related a")
        assert len(links) <= 3
        own = fixture_site.file_for(url).resolve()
        for link in links:
            other = target(fixture_site, url, link["href"]).resolve()
            assert other != own
            other_url = os.path.relpath(other.parent, fixture_site.output) + "/"
            assert tags_of(fixture_site, url) & tags_of(fixture_site, other_url), (url, other_url)
            shown += 1
    assert shown > 0


def essay_date(build, url):
    return datetime.fromisoformat(build.page(url).select_one(".essay-header time")["datetime"])


def test_previous_is_older_and_next_is_newer_and_they_chain(fixture_site):
    archived = published_essay_urls(fixture_site)  # newest first
    for newer, older in itertools.pairwise(archived):
        prev_link = fixture_site.page(newer).select_one('.neighbors a[rel="prev"]')
        next_link = fixture_site.page(older).select_one('.neighbors a[rel="next"]')
        assert target(fixture_site, newer, prev_link["href"]) == fixture_site.file_for(older)
        assert target(fixture_site, older, next_link["href"]) == fixture_site.file_for(newer)
        assert essay_date(fixture_site, older) <= essay_date(fixture_site, newer)
    assert fixture_site.page(archived[0]).select_one('.neighbors a[rel="next"]') is None
    assert fixture_site.page(archived[-1]).select_one('.neighbors a[rel="prev"]') is None


# Chinese essays and translations -----------------------------------------------------------


def test_translations_name_each_other_with_hreflang(fixture_site):
    for url, lang, other_url, other_lang in [
        (ZH_URL, "zh", ZH_TRANSLATION_URL, "en"),
        (ZH_TRANSLATION_URL, "en", ZH_URL, "zh"),
    ]:
        page = fixture_site.page(url)
        assert page.html["lang"] == lang
        alternates = {
            link["hreflang"]: target(fixture_site, url, link["href"])
            for link in page.find_all("link", rel="alternate", hreflang=True)
        }
        assert alternates == {
            lang: fixture_site.file_for(url),
            other_lang: fixture_site.file_for(other_url),
        }
        (visible,) = page.select(".translations a")
        assert visible["hreflang"] == other_lang == visible["lang"]
        assert target(fixture_site, url, visible["href"]) == fixture_site.file_for(other_url)


def test_essays_without_translations_have_no_hreflang(site, essay_url):
    assert site.page(essay_url).find("link", hreflang=True) is None


def test_chinese_text_is_left_as_written_and_english_is_still_typographic(fixture_site):
    zh_body = str(fixture_site.page(ZH_URL).select_one(".essay-body"))
    # As typed: straight quotes after a full-width colon, not two closing quotes.
    assert '他说\uff1a"清算要回到清算机构\u3002"' in zh_body
    assert "\u201d清算" not in zh_body and 'class="caps"' not in zh_body
    assert fixture_site.page(ZH_URL).h1.get_text() == "移动支付的清算逻辑"
    en_title = fixture_site.page("essays/ledger-basics/").h1.get_text()
    assert "\u201copen\u00a0banking\u201d" in en_title


def test_every_page_declares_its_language(fixture_site):
    # Originals keep the plain URL in any language; fixture translations are English.
    chinese = {f"essays/{m['slug']}/index.html" for m in fixture_essays() if m["lang"] == "zh"}
    chinese |= {
        f"{m['slug']}/index.html"
        for m, _ in map(read_source, (FIXTURE_CONTENT / "pages").glob("*.md"))
        if m.get("lang") == "zh"
    }
    assert ZH_URL + "index.html" in chinese
    for html_file in fixture_site.html_files():
        rel = html_file.relative_to(fixture_site.output).as_posix()
        page = fixture_site.page(rel)
        expected = "zh" if rel in chinese else "en"
        assert page.html["lang"] == expected, rel


# The search page ---------------------------------------------------------------------


def test_search_page_has_a_labelled_box_and_its_own_script(site):
    page = site.page("search/")
    assert page.body["data-page-type"] == "search"
    box = page.select_one("form[role=search] input[type=search]")
    label = page.find("label", attrs={"for": box["id"]})
    assert label.get_text(strip=True) == "Search essays"
    (script,) = page.find_all("script")
    assert script["type"] == "module"
    assert target(site, "search/", script["src"]).is_file()
    manifest = target(site, "search/", page.form["data-search-bundle"] + "shards.json")
    shards = json.loads(manifest.read_text(encoding="utf-8"))["shards"]
    assert shards and all((manifest.parent / name / "pagefind.js").is_file() for name in shards)


def csp_of(page):
    return page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]


def test_only_the_search_page_relaxes_the_policy_and_only_for_webassembly(site):
    policies = {
        html_file.relative_to(site.output).as_posix(): csp_of(
            site.page(html_file.relative_to(site.output).as_posix())
        )
        for html_file in site.html_files()
    }
    search = policies.pop("search/index.html")
    assert len(set(policies.values())) == 1
    (base,) = set(policies.values())
    assert search == base.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
    assert search != base


def test_production_search_page_points_at_the_index_under_the_siteurl(production_site):
    page = production_site.page("search/")
    assert page.form["data-search-bundle"] == f"{PRODUCTION_SITEURL}/pagefind/"
    assert (production_site.output / "pagefind" / "shards.json").is_file()
    assert (production_site.output / "pagefind" / "0" / "pagefind.js").is_file()
    assert list((production_site.output / "pagefind").glob("*/index/en_*.pf_index"))
