"""Search runs in the browser against the Pagefind index the build wrote."""

import pytest
from playwright.sync_api import expect

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
    page.get_by_label("Search essays").press_sequentially(query)
    expect(page.locator("#search-status")).to_contain_text(query, timeout=15_000)
    assert errors == []
    return page.locator("#search-results .search-result")


def test_english_query_finds_the_seed_essay(page, site_server, essay_url, seed_source):
    meta, _ = seed_source
    results = search(page, site_server, "gold giants")
    expect(results).to_have_count(1)
    result = results.first
    link = result.locator(".search-result-title a")
    assert link.inner_text().replace("\u00a0", " ") == meta["title"]
    assert result.locator(".search-result-date").inner_text() == "28 November 2026"
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
    hrefs = [results.nth(i).locator("a").get_attribute("href") for i in range(results.count())]
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
    expect(page.get_by_label("Search essays")).to_have_value("网联")


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
