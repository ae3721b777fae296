"""The site's Markdown: TeX formulas become MathML (prices, code and typography stay
right) and aligned table columns get classes instead of style attributes."""

import types

import pytest
from bs4 import BeautifulSoup
from pelican.readers import Readers
from pelican.settings import read_settings

from plugins import core
from plugins.core import config, pipeline
from plugins.core.errors import BuildStop
from plugins.markup import formulas, markup
from tests.support import ROOT


@pytest.fixture(autouse=True)
def the_core_reads(monkeypatch):
    core.register()
    monkeypatch.setitem(pipeline._ACTIVE, "plugins", None)


def read(tmp_path, body, lang="en"):
    (tmp_path / "essay.md").write_text(
        f"Title: T\nDate: 2026-01-01\nLang: {lang}\n\n{body}", encoding="utf-8"
    )
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    config.apply_defaults(settings)
    essay = Readers(settings).read_file(str(tmp_path), "essay.md")
    return BeautifulSoup(essay.content, "html.parser")


def formulas_in(soup):
    return [(m["display"], m.get_text()) for m in soup.find_all("math")]


def test_each_delimiter_becomes_a_math_element_inline_or_displayed(tmp_path):
    soup = read(
        tmp_path,
        "Inline $a+b$ and \\(c-d\\) and \\\\(e\\\\).\n\nShown $$f=g$$ and \\[h^2\\].\n\n"
        "$$\nx = \\frac{1}{2}\n- y\n$$\n\n\\begin{align}\nk &= l \\label{eq:k}\n\\end{align}\n",
    )
    assert formulas_in(soup) == [
        ("inline", "a+b"),
        ("inline", "c\u2212d"),
        ("inline", "e"),
        ("block", "f=g"),
        ("block", "h2"),
        ("block", "x=12\u2212y"),
        ("block", "k=l"),
    ]
    assert "$" not in soup.get_text() and "\\" not in soup.get_text()


def test_prices_escaped_dollars_and_bracketed_numbers_stay_text(tmp_path):
    soup = read(tmp_path, "It cost $5 and then $10, or \\$3 with \\$4; see \\[1\\].\n")
    assert soup.find("math") is None
    text = " ".join(soup.get_text().split())  # widont joins the last two words
    assert "It cost $5 and then $10, or $3 with $4; see [1]." in text


def test_code_keeps_its_tex_as_written(tmp_path):
    soup = read(tmp_path, "Write `$x_1$` like this:\n\n```\n$$ y_2 $$\n```\n")
    assert soup.find("math") is None
    assert [c.get_text() for c in soup.find_all("code")] == ["$x_1$", "$$ y_2 $$\n"]


def test_markdown_emphasis_never_reaches_inside_a_formula(tmp_path):
    soup = read(tmp_path, "Both $a_i * b_i * c$ and $x_1 + y_1$ hold.\n")
    assert soup.find("em") is None
    assert [m.get_text() for m in soup.find_all("math")] == ["ai*bi*c", "x1+y1"]


def test_typography_leaves_formulas_alone_in_english_essays(tmp_path):
    soup = read(tmp_path, 'The "NPV" is $\\text{NPV} = \\sum_t \\frac{CF_t}{(1+r)^t}$.\n')
    math = soup.find("math")
    assert math.find("span") is None
    assert math.find("mtext").get_text() == "NPV"
    assert "\u201cNPV\u201d" in soup.get_text()  # the prose is still typeset


def test_a_formula_that_cannot_be_converted_is_marked_for_the_content_checks(tmp_path):
    soup = read(tmp_path, "Bad $\\frac{a}{$ and unknown $\\foo{x}$.\n")
    errors = soup.find_all("code", class_="formula-error")
    assert [(e["data-tex"], e.get_text()) for e in errors] == [
        ("\\frac{a}{", "\\frac{a}{"),
        ("\\foo{x}", "\\foo{x}"),
    ]
    assert "\\foo is not a command latex2mathml knows" in errors[1]["data-why"]


def test_aligned_environments_become_tables_without_stray_ampersands():
    mathml = formulas.to_mathml("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}", True)
    soup = BeautifulSoup(mathml, "html.parser")
    assert len(soup.find_all("mtr")) == 2
    assert "&" not in soup.get_text()


def test_aligned_table_columns_get_classes_and_no_style_attribute(tmp_path):
    soup = read(tmp_path, "| Bank | Share | Note |\n| :--- | ---: | :-: |\n| A | 12.5% | x |\n")
    assert soup.find(style=True) is None
    assert [cell.get("class") for cell in soup.find_all(["th", "td"])] == [
        ["align-left"], ["align-right"], ["align-center"],
        ["align-left"], ["align-right"], ["align-center"],
    ]  # fmt: skip


def test_every_code_block_can_take_the_keyboard_focus(tmp_path):
    soup = read(
        tmp_path,
        '```c\nint x;\n```\n\n    indented();\n\n<pre class="ascii">raw</pre>\n\n'
        "Not a tag: `<pre>`.\n",
    )
    blocks = soup.find_all("pre")
    assert [(b.get("tabindex"), b.get("class")) for b in blocks] == [
        ("0", None), ("0", None), ("0", ["ascii"]),
    ]  # fmt: skip
    assert soup.find("p").code.get_text() == "<pre>"


def test_a_code_block_keeps_the_tabindex_its_author_gave_it(tmp_path):
    soup = read(tmp_path, '<pre tabindex="-1">kept out of the tab order</pre>\n')
    assert [b["tabindex"] for b in soup.find_all("pre")] == ["-1"]


def fake_pelican(**settings):
    base = read_settings(str(ROOT / "pelicanconf.py"))
    return types.SimpleNamespace(settings={**base, **settings})


def test_the_site_settings_pass_the_formulas_check():
    markup.check_settings(fake_pelican())


@pytest.mark.parametrize(
    ("override", "said"),
    [
        ({"TYPOGRIFY_IGNORE_TAGS": ["pre", "code"]}, "'TYPOGRIFY_IGNORE_TAGS' lacks \"math\""),
        ({"MARKDOWN": {"extension_configs": {}}}, 'add "plugins.markup": {} to MARKDOWN'),
    ],
)
def test_settings_that_would_break_formulas_stop_the_build(override, said):
    with pytest.raises(BuildStop) as stopped:
        markup.check_settings(fake_pelican(**override))
    assert any(said in problem for problem in stopped.value.problems)
