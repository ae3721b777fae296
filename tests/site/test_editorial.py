"""Glossary links, disclosures, corrections, provenance and charts in built output."""

from datetime import datetime

import feedparser
import pytest
from bs4 import BeautifulSoup

from tests.support import FIXTURE_CONTENT, normalise_text, parse_html, resolve_internal

SEED_TERMS = [
    "mutual gold giants",
    "landing",
    "Fintech",
    "Techfin",
    "small amount of general benefit",
    "micro-channel public number",
]
DISCLAIMER = "This essay is commentary, not investment advice."
# The site-wide disclaimer in each language the site publishes in.
DISCLAIMERS = {"en": DISCLAIMER, "zh": "本文为评论，不构成投资建议。"}


def essay_pages(build):
    return sorted((build.output / "essays").glob("*/index.html"))


def parse_feed(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def entry_html(entry):
    return entry.content[0].value if "content" in entry else entry.summary


def glossary_links(page):
    """The linked terms as the page shows them: buttons that open their definition."""
    return page.select(".essay-body button.glossary-term")


def term_href(page, term):
    """Where a term's popover links: its entry on the Glossary page."""
    return page.find(id=term["popovertarget"]).a["href"]


# Glossary ---------------------------------------------------------------------


def test_seed_essay_links_the_first_use_of_each_glossary_term(site, essay_url):
    page = site.page(essay_url)
    links = glossary_links(page)
    assert [normalise_text(a.get_text()).lower() for a in links] == [t.lower() for t in SEED_TERMS]
    body = page.select_one(".essay-body")
    own_text = " ".join(p.get_text() for p in body.find_all(["p", "h2"], recursive=False)).lower()
    for a in links:
        # Each link is the first use outside headings: the text before it in
        # the essay's paragraphs does not contain the term.
        before = own_text.split(normalise_text(a.get_text()).lower(), 1)[0]
        assert normalise_text(a.get_text()).lower() not in before.replace("\xa0", " ")


def test_seed_headings_keep_their_terms_unlinked(site, essay_url):
    headings = site.page(essay_url).select(".essay-body h2")
    assert any("Fintech" in h.get_text() for h in headings)
    assert all(h.select(".glossary-term") == [] for h in headings)


def test_glossary_link_carries_the_definition_accessibly(site, essay_url):
    page = site.page(essay_url)
    link = next(a for a in glossary_links(page) if a.get_text() == "landing")
    described = page.find(id=link["aria-describedby"])
    assert described is not None
    assert described.get_text() in page.find(id=link["popovertarget"]).get_text()
    assert "into practice" in described.get_text()
    href = term_href(page, link)
    target, fragment = resolve_internal(site.output, site.file_for(essay_url), href)
    assert target == site.file_for("glossary/") and fragment == "term-landing"


def test_fixture_links_skip_heading_code_and_existing_link(fixture_site):
    page = fixture_site.page("essays/glossary-links/")
    body = page.select_one(".essay-body")
    for skipped in body.select("h2, code, pre, a:not(.glossary-term)"):
        assert skipped.find(class_="glossary-term") is None
    (open_banking,) = [a for a in glossary_links(page) if "term-open-banking" in term_href(page, a)]
    assert open_banking.get_text() == "Open Banking"
    assert "is its first linkable use" in open_banking.parent.get_text()
    # The later "open banking" in the same paragraph stays plain text.
    assert open_banking.parent.get_text().count("open banking again") == 1


def test_fixture_links_see_through_typogrify_markup(fixture_site):
    page = fixture_site.page("essays/glossary-links/")
    links = {term_href(page, a).rsplit("#", 1)[1]: a for a in glossary_links(page)}
    assert set(links) == {"term-open-banking", "term-kyc-check", "term-clearing-house"}
    assert links["term-kyc-check"].find("span", class_="caps").get_text() == "KYC"
    assert links["term-clearing-house"].get_text() == "clearing\xa0house"


def test_a_chinese_original_in_another_sense_is_passed_over_for_the_next_use(fixture_site):
    page = fixture_site.page("essays/byte-order-notes/")
    (link,) = [a for a in glossary_links(page) if "term-open-banking" in term_href(page, a)]
    assert link.get_text() == "开放银行"
    # The first 开放银行 is inside 不开放银行卡 ("no bank-card business is opened").
    # The paragraph as read, without the definition's popover the term opens.
    paragraph = "".join(
        text
        for text in link.find_parent("p").find_all(string=True)
        if not text.find_parent(class_="glossary-popover")
    )
    assert paragraph.index("不开放银行卡") < paragraph.index("开放银行的接口")


def test_an_essay_that_skips_a_term_does_not_link_it(fixture_site):
    page = fixture_site.page("essays/discounted-cash-flow/")
    assert "clearing house" in page.select_one(".essay-body").get_text()
    assert [a for a in glossary_links(page) if "clearing-house" in term_href(page, a)] == []


def test_glossary_page_lists_terms_alphabetically_with_definitions(site, essay_url):
    page = site.page("glossary/")
    assert page.body["data-page-type"] == "glossary"
    entries = page.select("dl.glossary .glossary-entry")
    names = [e.find("dfn").get_text() for e in entries]
    assert names == sorted(SEED_TERMS, key=str.casefold)
    by_name = {e.find("dfn").get_text(): e for e in entries}
    chinese = {
        name: e.select_one('[lang="zh"]').get_text()
        for name, e in by_name.items()
        if e.select_one('[lang="zh"]')
    }
    assert chinese == {
        "mutual gold giants": "互金巨头",
        "landing": "落地",
        "micro-channel public number": "微信公众号",
        "small amount of general benefit": "小额普惠",
        "Fintech": "金融科技",
    }
    assert "WeChat official account" in by_name["micro-channel public number"].dd.get_text()
    assert "inclusive finance" in by_name["small amount of general benefit"].dd.get_text()
    for name, entry in by_name.items():
        assert entry.select_one(".glossary-definition").get_text().strip(), name
        essay_links = entry.select(".glossary-essay-list a")
        assert len(essay_links) == 1, name
        target, _ = resolve_internal(
            site.output, site.file_for("glossary/"), essay_links[0]["href"]
        )
        assert target == site.file_for(essay_url)


def test_fixture_glossary_lists_only_essays_that_use_a_term(fixture_site):
    """The newest of them (one, as the fixture site is built), the rest counted
    and listed by the search page (tests/browser/test_search.py)."""
    page = fixture_site.page("glossary/")
    entries = {e["id"]: e for e in page.select(".glossary-entry")}
    assert list(entries) == [
        "term-clearing-house",
        "term-kyc-check",
        "term-open-banking",
        "term-zero-balance-account",
    ]
    assert entries["term-zero-balance-account"].select(".glossary-essay-list a") == []
    used_in = entries["term-open-banking"].select(".glossary-essay-list a")
    assert [normalise_text(a.get_text()) for a in used_in] == [
        "字节序与通信协议笔记",  # through its Chinese original, 开放银行
    ]
    more = entries["term-open-banking"].select(".glossary-more a")
    assert [normalise_text(a.get_text()) for a in more] == ["1 more essay uses it"]
    glossary_file = fixture_site.file_for("glossary/")
    target, _ = resolve_internal(fixture_site.output, glossary_file, more[0]["href"])
    assert target == fixture_site.file_for("glossary/open-banking/")
    assert entries["term-kyc-check"].select(".glossary-more") == []
    # A term whose essays the glossary lists whole has no page of its own.
    assert not fixture_site.file_for("glossary/kyc-check/").exists()


def essays_defining(site, slug):
    """The essays' pages whose terms note defines the glossary term ``slug``."""
    return {
        path
        for path in (site.output / "essays").rglob("index.html")
        if parse_html(path).select_one(f"aside.glossary-notes dd#glossary-{slug}")
    }


def test_a_terms_own_page_lists_every_essay_using_it_in_either_language(fixture_site):
    """What the glossary's "1 more essay uses it" leads to: the English essay
    and the Chinese one that uses only the original, 开放银行, newest first;
    a search for "open banking" would miss the Chinese one."""
    term_file = fixture_site.file_for("glossary/open-banking/")
    page = parse_html(term_file)
    assert normalise_text(page.select_one("h1").get_text()) == "open banking 开放银行"
    assert page.select_one("h1 .glossary-chinese")["lang"] == "zh"
    links = page.select(".dated-list a")
    listed = [resolve_internal(fixture_site.output, term_file, a["href"])[0] for a in links]
    assert set(listed) == essays_defining(fixture_site, "open-banking")
    assert sorted(a["lang"] for a in links) == ["en", "zh"]
    dates = [li.select_one("time")["datetime"] for li in page.select(".dated-list li")]
    assert dates == sorted(dates, reverse=True)
    count = page.select_one(".listing-header p:not(.kicker):not(.lede)")
    assert normalise_text(count.get_text()) == "2 essays use it, newest first."
    back = page.select_one(".kicker a")
    target, fragment = resolve_internal(fixture_site.output, term_file, back["href"])
    assert (target, fragment) == (fixture_site.file_for("glossary/"), "term-open-banking")
    canonical = page.select_one('link[rel="canonical"]')["href"]
    assert canonical.endswith("/glossary/open-banking/")


def test_glossary_links_are_in_the_feeds_with_absolute_urls(production_site):
    from tests.conftest import PRODUCTION_SITEURL  # noqa: PLC0415

    for name in ("all.atom.xml", "all.rss.xml"):
        feed = parse_feed(production_site.output / "feeds" / name)
        (entry,) = feed.entries
        links = BeautifulSoup(entry_html(entry), "lxml").select("a.glossary-term")
        assert len(links) == len(SEED_TERMS)
        assert all(a["href"].startswith(PRODUCTION_SITEURL + "/glossary/#term-") for a in links)


# Disclosures ------------------------------------------------------------------


@pytest.mark.parametrize("build_name", ["site", "fixture_site"])
def test_every_essay_ends_with_one_disclosure_block(request, build_name):
    build = request.getfixturevalue(build_name)
    pages = essay_pages(build)
    assert pages
    for path in pages:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        blocks = page.select("aside.disclosure")
        assert len(blocks) == 1, path
        assert blocks[0].find_parent(class_="essay-body") is not None
        lang = page.html["lang"]
        assert DISCLAIMERS[lang] in blocks[0].get_text(), path
        others = [text for other, text in DISCLAIMERS.items() if other != lang]
        assert not any(text in blocks[0].get_text() for text in others), path
        assert blocks[0] is page.select_one(".essay-body").find_all(recursive=False)[-1]


def test_essay_disclosure_joins_the_default_in_the_same_block(fixture_site):
    block = fixture_site.page("essays/corrected-essay/").select_one("aside.disclosure")
    paragraphs = [p.get_text() for p in block.find_all("p")]
    assert paragraphs[0] == "The author holds shares in Example Bank."
    assert paragraphs[1].startswith(DISCLAIMER)


@pytest.mark.parametrize("feed_name", ["all.atom.xml", "all.rss.xml"])
def test_every_feed_entry_carries_the_disclosures(site, fixture_site, feed_name):
    for build in (site, fixture_site):
        feed = parse_feed(build.output / "feeds" / feed_name)
        assert feed.entries
        for entry in feed.entries:
            text = BeautifulSoup(entry_html(entry), "lxml").get_text()
            assert any(d in text for d in DISCLAIMERS.values()), entry.title
    feed = parse_feed(fixture_site.output / "feeds" / feed_name)
    corrected = next(
        e for e in feed.entries if normalise_text(e.title) == "An essay with corrections"
    )
    assert "The author holds shares in Example Bank." in entry_html(corrected)


# Corrections ------------------------------------------------------------------

CORRECTED = "essays/corrected-essay/"
NEWEST_FIRST = [
    ("2026-09-10T00:00:00+08:00", "The regulator is the PBoC, not the CBIRC."),
    ("2026-08-20T14:30:00+08:00", "Restored a missing <em> sentence & its source."),
    ("2026-08-03T00:00:00+08:00", "The fee is 0.3%, not 3%."),
]


def test_corrections_render_at_the_end_newest_first(fixture_site):
    page = fixture_site.page(CORRECTED)
    section = page.select_one(".essay-body section#essay-corrections")
    items = [
        (li.time["datetime"], normalise_text(li.get_text().split(": ", 1)[1]))
        for li in section.select("li")
    ]
    assert items == NEWEST_FIRST


def test_latest_correction_sets_the_visible_updated_date(fixture_site):
    page = fixture_site.page(CORRECTED)
    updated = page.select_one("header .updated time")
    assert updated["datetime"] == NEWEST_FIRST[0][0]
    assert updated.get_text() == "10 September 2026"
    jump = page.select_one("header .updated a")
    assert jump.get_text() == "3 corrections"
    assert page.find(id=jump["href"].lstrip("#")).name == "section"
    published = page.select_one("header .byline time")["datetime"]
    assert datetime.fromisoformat(published) < datetime.fromisoformat(updated["datetime"])


def test_essays_without_corrections_show_no_updated_date(fixture_site, site, essay_url):
    assert site.page(essay_url).select_one("header .updated") is None
    assert site.page(essay_url).select_one("#essay-corrections") is None
    assert fixture_site.page("essays/settlement-windows/").select_one(".updated") is None


def test_feed_entry_updated_time_follows_the_latest_correction(fixture_site):
    feed = parse_feed(fixture_site.output / "feeds" / "all.atom.xml")
    entry = next(e for e in feed.entries if normalise_text(e.title) == "An essay with corrections")
    assert datetime.fromisoformat(entry.updated) == datetime.fromisoformat(NEWEST_FIRST[0][0])
    assert datetime.fromisoformat(entry.published) == datetime.fromisoformat(
        "2026-08-01T10:00:00+08:00"
    )


def test_corrections_page_lists_every_correction_with_links(fixture_site):
    page = fixture_site.page("corrections/")
    assert page.body["data-page-type"] == "corrections"
    items = page.select("ol.corrections-log li")
    assert [li.time["datetime"] for li in items] == [d for d, _ in NEWEST_FIRST]
    page_file = fixture_site.file_for("corrections/")
    for li, (_, text) in zip(items, NEWEST_FIRST, strict=True):
        assert normalise_text(li.select_one(".correction-text").get_text()) == text
        target, fragment = resolve_internal(fixture_site.output, page_file, li.a["href"])
        assert target == fixture_site.file_for(CORRECTED)
        assert fixture_site.page(CORRECTED).find(id=fragment) is not None


def test_corrections_feed_carries_each_correction(fixture_site):
    feed = parse_feed(fixture_site.output / "feeds" / "corrections.atom.xml")
    assert feed.version == "atom10"
    assert [e.updated for e in feed.entries] == [d for d, _ in NEWEST_FIRST]
    assert [normalise_text(BeautifulSoup(e.summary, "lxml").get_text()) for e in feed.entries] == [
        t for _, t in NEWEST_FIRST
    ]
    assert all(
        e.link.endswith("/essays/corrected-essay/#" + e.link.rsplit("#")[1]) for e in feed.entries
    )
    assert len({e.id for e in feed.entries}) == 3
    assert datetime.fromisoformat(feed.feed.updated) == datetime.fromisoformat(NEWEST_FIRST[0][0])


def test_site_without_corrections_has_an_empty_parsable_feed(site):
    feed = parse_feed(site.output / "feeds" / "corrections.atom.xml")
    assert feed.entries == []
    assert site.page("corrections/").select_one(".corrections-none") is not None
    link = site.page("corrections/").find(
        "link", type="application/atom+xml", title=lambda t: t and "corrections" in t
    )
    assert link["href"].endswith("feeds/corrections.atom.xml")


# Provenance -------------------------------------------------------------------


def test_seed_essay_names_its_source_under_the_byline(site, essay_url):
    header = site.page(essay_url).select_one("article header.essay-header")
    note = header.select_one(".provenance")
    assert note is not None
    assert note.find_previous_sibling(class_="byline") is not None
    assert normalise_text(note.get_text()) == (
        "Translated from the Chinese original. "
        "First published by Hung Yan whisper (WeChat official account)."
    )
    # The source names no URL, so none is invented.
    assert note.find("a") is None


def test_fixture_provenance_note_shows_every_field(fixture_site):
    note = fixture_site.page(CORRECTED).select_one("header .provenance")
    assert normalise_text(note.get_text()) == (
        "Translated from the Chinese original by Test Translator, with the help of "
        "machine translation. First published by Example Weekly."
    )
    assert note.a["href"] == "https://example.org/weekly/42"


# Charts -----------------------------------------------------------------------

CHARTS = "essays/chart-essay/"


def test_chart_is_an_inline_svg_with_an_accessible_name(fixture_site):
    figures = fixture_site.page(CHARTS).select(".essay-body figure.chart")
    assert len(figures) == 2
    line, bar = (figure.find("svg") for figure in figures)
    for svg in (line, bar):
        assert svg["role"] == "img"
        title = svg.find(id=svg["aria-labelledby"])
        assert title.name == "title" and title is svg.find(True)
        desc = svg.find(id=svg["aria-describedby"])
        assert desc.name == "desc" and desc.get_text()
    assert line.title.get_text() == "Deposits and loans at Example Bank (CNY bn)"
    assert "lowest 120.5 (2021), highest 160 (2025)" in line.desc.get_text()
    assert len(line.select("g.series path")) == 2
    assert len(bar.select("g.series rect")) == 3


def test_chart_page_has_no_style_attributes_or_scripts(fixture_site):
    page = fixture_site.page(CHARTS)
    assert page.find(style=True) is None
    # JSON-LD data blocks are not executed; any other script would be.
    scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
    assert scripts == [] and page.find("style") is None


def test_chart_has_a_data_table_fallback(fixture_site):
    figure = fixture_site.page(CHARTS).select_one("figure.chart")
    details = figure.find("details")
    assert details.summary is not None
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in details.select("tbody tr")]
    csv_rows = (FIXTURE_CONTENT / "data" / "deposits.csv").read_text().splitlines()
    assert rows == [line.split(",") for line in csv_rows[1:]]
    assert [th.get_text() for th in details.select("thead th")] == csv_rows[0].split(",")


def test_chart_links_to_its_csv_copied_to_the_output(fixture_site):
    figure = fixture_site.page(CHARTS).select_one("figure.chart")
    link = figure.select_one("a.chart-download")
    assert link.has_attr("download")
    target, _ = resolve_internal(fixture_site.output, fixture_site.file_for(CHARTS), link["href"])
    assert target.read_bytes() == (FIXTURE_CONTENT / "data" / "deposits.csv").read_bytes()


def test_chart_caption_gives_source_and_as_of_date(fixture_site):
    figure = fixture_site.page(CHARTS).select_one("figure.chart")
    meta = figure.select_one(".chart-meta")
    assert "Source: Example Bank annual reports." in meta.get_text()
    assert meta.time["datetime"] == "2025-12-31"


def test_chinese_essays_carry_the_disclaimer_in_chinese(fixture_site):
    chinese = [p for p in essay_pages(fixture_site) if 'lang="zh"' in p.read_text()[:200]]
    assert chinese
    for path in chinese:
        block = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml").select_one(
            "aside.disclosure"
        )
        assert block.h2.get_text().removesuffix("#").strip() == "声明"  # "#": its permalink
        assert DISCLAIMERS["zh"] in block.get_text() and DISCLAIMER not in block.get_text()
