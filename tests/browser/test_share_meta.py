"""In Chromium, JSON-LD is data: it parses, and the page's CSP reports nothing."""

import pytest

pytestmark = pytest.mark.browser


def test_json_ld_parses_in_the_browser_without_a_csp_violation(page, site_server, essay_url):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site_server + essay_url)
    headline = page.evaluate(
        """() => {
        const block = document.querySelector('script[type="application/ld+json"]');
        return JSON.parse(block.textContent)['@graph'][0].headline;
    }"""
    )
    assert headline == page.locator("h1").inner_text().replace("\u00a0", " ")
    assert [m for m in messages if "Content Security Policy" in m] == []


def test_csp_violations_would_be_reported_on_the_console(page, site_server, essay_url):
    """The check above can fail: an inline script on the same page is reported."""
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(site_server + essay_url)
    page.evaluate(
        """() => {
        const s = document.createElement('script');
        s.textContent = 'window.ran = true';
        document.head.appendChild(s);
    }"""
    )
    page.wait_for_function("() => true")
    assert page.evaluate("window.ran === undefined")
    assert any("Content Security Policy" in m for m in messages)
