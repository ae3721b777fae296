"""Charts as a reader's browser and screen reader get them (glossary terms: test_reading)."""

import pytest

pytestmark = pytest.mark.browser

CHARTS = "essays/chart-essay/"


def test_chart_is_an_image_named_by_its_title_and_drawn_without_csp_violations(
    page, fixture_site_server
):
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(fixture_site_server + CHARTS)
    chart = page.get_by_role("img", name="Deposits and loans at Example Bank (CNY bn)")
    assert chart.count() == 1
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 150
    assert [v for v in violations if "Content Security Policy" in v] == []


@pytest.mark.parametrize("width", [320, 1280])
def test_chart_fits_the_column_at_every_width(page, fixture_site_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(fixture_site_server + CHARTS)
    body = page.locator(".essay-body").bounding_box()
    for index in range(page.locator("svg.chart-svg").count()):
        box = page.locator("svg.chart-svg").nth(index).bounding_box()
        assert box["x"] >= body["x"] - 1
        assert box["x"] + box["width"] <= body["x"] + body["width"] + 1
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_chart_table_opens_without_script(browser, fixture_site_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_site_server + CHARTS)
    table = page.locator("figure.chart").first.locator("details table")
    assert table.is_hidden()
    page.locator("figure.chart").first.locator("summary").click()
    assert table.is_visible()
    context.close()
