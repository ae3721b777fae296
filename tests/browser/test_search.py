"""Search runs in the browser against the Pagefind index the build wrote."""

import json

import pytest
from playwright.sync_api import expect

from plugins.site_search import shards
from tests.conftest import FIXTURE_SHARD_SIZE
from tests.support import NO_CODE_SCRIPTS

pytestmark = pytest.mark.browser

ZH_URL = "essays/mobile-payment-clearing/"


def search(page, base_url, query):
    """Open the search page, type a query like a reader, return the result items.

    Fails on any script error, Content-Security-Policy refusal or missing file
    (the favicon aside, which is not this page's to provide).
    """
    errors = []

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def response(reply):
        if reply.status >= 400 and not reply.url.endswith("/favicon.ico"):
            errors.append(f"{reply.status} {reply.url}")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", response)
    page.goto(base_url + "search/")
    page.get_by_label("Search essays", exact=True).press_sequentially(query)
    expect(page.locator("#search-status")).to_contain_text(query, timeout=15_000)
    assert errors == []
    return page.locator("#search-results .search-result")


def shard_of(site, href):
    """The search shard the build put the page at ``href`` (site-relative) in."""
    bundle = site.output / "pagefind"
    indexed = 0
    for name in json.loads((bundle / "shards.json").read_text())["shards"]:
        entry = json.loads((bundle / name / "pagefind-entry.json").read_text())
        indexed += sum(index["page_count"] for index in entry["languages"].values())
    count = shards.shard_count(indexed, FIXTURE_SHARD_SIZE)
    return shards.shard_of(href.lstrip("/") + "index.html", count)


def result_hrefs(results):
    return [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]


def test_a_query_finds_essays_in_every_shard_they_live_in(page, fixture_site, fixture_site_server):
    results = search(page, fixture_site_server, "settlement")
    expect(results.first).to_be_visible()
    hrefs = result_hrefs(results)
    assert {"/essays/payments-plumbing-settlement/", "/essays/settlement-windows/"} <= set(hrefs)
    assert len({shard_of(fixture_site, href) for href in hrefs}) >= 2


def test_chinese_words_are_found_in_the_shards_they_live_in(
    page, fixture_site, fixture_site_server
):
    # The Chinese essay and the Chinese type sample are in different shards,
    # neither of them necessarily the one whose script the page loads.
    clearing = search(page, fixture_site_server, "清算")
    expect(clearing).to_have_count(1)
    (essay,) = result_hrefs(clearing)
    type_sample = search(page, fixture_site_server, "互金")
    expect(type_sample).to_have_count(1)
    (sample,) = result_hrefs(type_sample)
    assert (essay, sample) == ("/" + ZH_URL, "/cjk-type-sample/")
    assert shard_of(fixture_site, essay) != shard_of(fixture_site, sample)


def test_english_query_finds_the_seed_essay(page, site_server, essay_url, seed_source):
    meta, _ = seed_source
    results = search(page, site_server, "gold giants")
    # The essay first; the Glossary, which explains the term, after it.
    expect(results).to_have_count(2)
    result = results.first
    link = result.locator(".search-result-title a")
    assert link.inner_text().replace("\u00a0", " ") == meta["title"]
    assert result.locator(".search-result-meta").inner_text() == "28 November 2026"
    marks = result.locator(".search-result-excerpt mark").all_inner_texts()
    assert marks and all(m.lower().strip(".,") in ("gold", "giants") for m in marks)
    link.click()
    expect(page).to_have_url(site_server + essay_url)


def test_chinese_word_finds_the_chinese_essay(page, fixture_site_server):
    results = search(page, fixture_site_server, "清算")
    expect(results).to_have_count(1)
    assert results.first.get_attribute("lang") == "zh"
    assert results.first.locator("a").get_attribute("href") == "/" + ZH_URL
    assert results.first.locator(".search-result-excerpt mark").first.inner_text() == "清算"


def test_english_word_does_not_return_the_chinese_essay(page, fixture_site_server):
    results = search(page, fixture_site_server, "settlement")
    expect(results.first).to_be_visible()
    hrefs = result_hrefs(results)
    assert "/essays/payments-plumbing-settlement/" in hrefs
    assert "/" + ZH_URL not in hrefs


def test_search_works_under_a_sub_path(page, fixture_site_subpath_server):
    results = search(page, fixture_site_subpath_server, "ledger")
    expect(results.first).to_be_visible()
    href = results.first.locator("a").get_attribute("href")
    assert href.startswith("/deep/path/essays/")
    results.first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("Ledger")


def test_search_runs_under_the_pages_own_policy_without_the_worker(page, fixture_site_server):
    # Pagefind compiles its WebAssembly in a worker when it can; when the
    # worker fails it does so on the page, where only the page's policy (with
    # 'wasm-unsafe-eval') allows it.
    page.route("**/pagefind-worker.js", lambda route: route.abort())
    results = search(page, fixture_site_server, "清算")
    expect(results).to_have_count(1)


def test_query_in_the_address_is_searched_on_load(page, fixture_site_server):
    page.goto(fixture_site_server + "search/?q=" + "网联")
    expect(page.locator("#search-results .search-result")).to_have_count(1)
    expect(page.get_by_label("Search essays", exact=True)).to_have_value("网联")


@pytest.mark.parametrize("which", ["seed", "chinese"])
def test_essay_page_loads_no_script(page, site_server, fixture_site_server, essay_url, which):
    url = site_server + essay_url if which == "seed" else fixture_site_server + ZH_URL
    requested = []
    page.on("request", lambda request: requested.append((request.resource_type, request.url)))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert [url for kind, url in requested if kind == "script"] == []
    assert not any("pagefind" in url for _kind, url in requested)
    # JSON-LD data blocks are not code; nothing else may be a script.
    assert page.evaluate(NO_CODE_SCRIPTS) == 0


def test_a_two_character_chinese_word_finds_the_word_not_its_characters(page, fixture_site_server):
    # 互金 is on the Chinese type sample page; the Chinese essay has only 备付金.
    results = search(page, fixture_site_server, "互金")
    expect(results).to_have_count(1)
    assert results.first.locator("a").first.get_attribute("href") == "/cjk-type-sample/"
    assert set(results.first.locator("mark").all_inner_texts()) == {"互金"}


def test_glossary_about_and_corrections_pages_are_searched(page, site_server):
    results = search(page, site_server, "glossary")
    titles = results.locator(".search-result-title").all_inner_texts()
    assert "Glossary" in titles
    page.goto(site_server + "search/?q=corrections")
    expect(
        page.locator("#search-results .search-result-title", has_text="Corrections")
    ).to_be_visible(timeout=15_000)


def test_a_result_names_the_section_apart_from_the_excerpt(page, site_server):
    results = search(page, site_server, "prospect")
    section = results.first.locator(".search-result-section a")
    expect(section).to_have_text("Prospect")
    assert section.get_attribute("href").endswith("#prospect")
    assert not results.first.locator(".search-result-excerpt").inner_text().startswith("Prospect ")


LAYOUT_SHIFTS = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_results_arriving_move_nothing_on_the_page(browser, site_server, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_server + "search/?q=bank")
    expect(page.locator("#search-results .search-result").first).to_be_visible(timeout=15_000)
    assert page.evaluate(LAYOUT_SHIFTS) == 0
    context.close()


def test_the_header_search_field_sends_the_query_to_the_search_page(page, site_server, essay_url):
    page.goto(site_server + essay_url)
    field = page.locator(".site-header").get_by_role("searchbox")
    field.fill("gold")
    field.press("Enter")
    expect(page).to_have_url(site_server + "search/?q=gold")
    expect(page.locator("#search-results .search-result").first).to_be_visible(timeout=15_000)


def test_the_404_page_has_a_search_field_and_no_script(page, site_server):
    page.goto(site_server + "404.html")
    assert page.evaluate(NO_CODE_SCRIPTS) == 0
    forms = page.locator("main form[role=search]")
    expect(forms).to_have_count(1)
    assert forms.get_attribute("method") == "get"
    assert forms.get_attribute("action").endswith("search/")
