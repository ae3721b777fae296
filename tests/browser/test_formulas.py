"""Formulas are MathML that Chromium lays out itself: fractions stacked, sums with limits."""

import pytest

pytestmark = pytest.mark.browser

ESSAY = "essays/discounted-cash-flow/"

# Each formula's box, and the boxes of its fractions' numerator and denominator.
LAYOUT = """() => [...document.querySelectorAll('.essay-body math')].map(math => ({
    display: math.getAttribute('display'),
    box: math.getBoundingClientRect().toJSON(),
    fractions: [...math.querySelectorAll('mfrac')].map(f => ({
        top: f.children[0].getBoundingClientRect().toJSON(),
        bottom: f.children[1].getBoundingClientRect().toJSON(),
    })),
}))"""


def test_formulas_render_as_laid_out_math_without_script_or_policy_violations(
    page, fixture_site_server
):
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(fixture_site_server + ESSAY)
    formulas = page.evaluate(LAYOUT)
    assert [f["display"] for f in formulas] == [
        "inline", "block", "inline", "inline", "inline", "block", "inline",
    ]  # fmt: skip
    for formula in formulas:
        assert formula["box"]["width"] > 0 and formula["box"]["height"] > 0
    fractions = [fraction for f in formulas for fraction in f["fractions"]]
    assert len(fractions) == 2
    for fraction in fractions:
        # Stacked, as MathML lays a fraction out; an unsupported <mfrac> would
        # put its parts side by side on one line.
        assert fraction["top"]["bottom"] <= fraction["bottom"]["top"] + 1
    displayed = [f for f in formulas if f["display"] == "block"]
    body = page.locator(".essay-body p").first.bounding_box()
    for formula in displayed:
        # On a line of its own: nothing else shares it.
        assert formula["box"]["height"] > 20
        assert formula["box"]["x"] >= body["x"] - 1
    assert page.evaluate("document.scripts.length") == page.evaluate(
        "document.querySelectorAll('script[type=\"application/ld+json\"]').length"
    )
    assert [m for m in messages if "Content Security Policy" in m] == []
