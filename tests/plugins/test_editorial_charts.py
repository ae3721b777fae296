"""Chart blocks: finding them in the source, reading their spec, drawing SVG."""

import copy
import importlib.util
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import leather
import pytest

from plugins.editorial.charts import (
    ChartError,
    ChartTheme,
    charts_in,
    find_chart_blocks,
    parse_spec,
    render_chart,
)
from tests.support import ROOT, build_memo

SOURCE = """Title: x

Text.

```python
not a chart
```

```chart
csv: deposits.csv
x: year
y: deposits
title: Deposits
```
"""


def test_chart_blocks_are_found_with_their_source_lines():
    ((body, fence_line),) = find_chart_blocks(SOURCE)
    assert fence_line == 9
    assert body[0] == (10, "csv: deposits.csv")


def test_unknown_chart_type_is_an_error_on_its_line():
    body = [(3, "csv: a.csv"), (4, "x: a"), (5, "y: b"), (6, "title: T"), (7, "type: pie")]
    with pytest.raises(ChartError) as error:
        parse_spec(body, 2)
    assert error.value.line == 7
    assert "use line or bar" in str(error.value)


def test_missing_required_key_points_at_the_fence():
    with pytest.raises(ChartError) as error:
        parse_spec([(3, "csv: a.csv"), (4, "x: a")], 2)
    assert error.value.line == 2
    assert "'y'" in str(error.value)


@pytest.fixture
def settings():
    return {
        "PATH": str(ROOT / "tests" / "fixtures" / "site" / "content"),
        "CHARTS_DATA_PATH": "data",
        "CHARTS_WIDTH": 640,
        "CHARTS_HEIGHT": 360,
        "CHARTS_COLORS": ["#2b6cb0"],
    }


def test_rendered_chart_has_no_style_attribute_and_short_coordinates(settings):
    body = [(2, "csv: deposits.csv"), (3, "x: year"), (4, "y: deposits"), (5, "title: D")]
    figure = render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y")
    assert "style=" not in figure and "<style" not in figure and "<script" not in figure
    numbers = re.findall(r'(?:x|y|x1|y1|x2|y2)="(-?[0-9.]+)"', figure)
    assert numbers and all(len(n.partition(".")[2]) <= 2 for n in numbers)


def test_same_input_draws_byte_identical_charts(settings):
    body = [(2, "csv: deposits.csv"), (3, "x: year"), (4, "y: deposits, loans"), (5, "title: D")]
    first = render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y")
    assert render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y") == first


LINE = [(2, "csv: deposits.csv"), (3, "x: year"), (4, "y: deposits, loans"), (5, "title: D")]
BAR = [(2, "csv: market-share.csv"), (3, "type: bar"), (4, "x: bank"), (5, "y: share")]
BAR += [(6, "title: S")]


def _theme_globals(module):
    return {name: value for name, value in vars(module).items() if not name.startswith("__")}


def _leather_theme_as_shipped():
    """leather.theme loaded afresh from its file, whatever happened to the imported one."""
    spec = importlib.util.spec_from_file_location("leather_theme_fresh", leather.theme.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _svg(figure):
    return ET.fromstring(re.search(r"<svg.*</svg>", figure, re.S).group())


def test_drawing_leaves_leathers_theme_globals_untouched(settings):
    before = copy.deepcopy(_theme_globals(leather.theme))
    render_chart(LINE, 1, settings, "chart-t-1", "%-d %B %Y")
    render_chart(BAR, 1, settings, "chart-t-2", "%-d %B %Y", theme=ChartTheme(tick="red"))
    assert _theme_globals(leather.theme) == before
    assert _theme_globals(leather.theme) == _theme_globals(_leather_theme_as_shipped())


@pytest.mark.parametrize("body", [LINE, BAR], ids=["line", "bar"])
def test_chart_frame_takes_the_site_colours(settings, body):
    svg = _svg(render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y"))
    # No background rectangle: every rect left is a bar or a legend bubble.
    assert {r.get("fill") for r in svg.iterfind(".//{*}rect")} <= set(settings["CHARTS_COLORS"])
    assert {t.get("fill") for t in svg.iterfind(".//{*}text")} == {"currentColor"}
    ticks = list(svg.iterfind(".//{*}g[@class='tick']"))
    assert ticks
    for tick in ticks:
        zero = tick.find("{*}text").text == "0"
        assert tick.find("{*}line").get("stroke") == ("#6b6963" if zero else "#9a978e")
    if body is BAR:
        assert any(tick.find("{*}text").text == "0" for tick in ticks)


@pytest.mark.parametrize("body", [LINE, BAR], ids=["line", "bar"])
def test_a_chart_theme_colours_only_its_own_chart(settings, body):
    plain = render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y")
    theme = ChartTheme(
        background="#fff", legend="#000", axis_title="#111", label="#222", tick="#333", zero="#444"
    )
    svg = _svg(render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y", theme=theme))
    assert render_chart(body, 1, settings, "chart-t-1", "%-d %B %Y") == plain

    def fills(path):
        return [element.get("fill") for element in svg.iterfind(path)]

    assert fills("{*}g/{*}rect") == ["#fff"]
    assert fills(".//{*}g[@class='axis bottom']/{*}text") == ["#111"]
    assert fills(".//{*}g[@class='axis left']/{*}text") == ["#111"]
    assert set(fills(".//{*}g[@class='tick']/{*}text")) == {"#222"}
    strokes = {line.get("stroke") for line in svg.iterfind(".//{*}g[@class='tick']/{*}line")}
    assert strokes == ({"#333", "#444"} if body is BAR else {"#333"})
    # The header (first group) holds the legend, only on the line chart (two series).
    legend = fills("{*}g/{*}g/{*}g[1]/{*}g/{*}g/{*}text")
    assert legend == (["#000", "#000"] if body is LINE else [])


def _get_content(essay):
    return essay._content


_get_content.cache = {}  # as Pelican's memoised get_content has


class _Essay:
    """An essay as charts_in sees it."""

    get_content = _get_content

    def __init__(self, source, content):
        self.source_path, self._content = str(source), content
        self.slug, self.date_format = "t", "%-d %B %Y"


def test_an_essay_without_a_code_block_is_not_read_again(tmp_path, settings):
    essay = _Essay(tmp_path / "missing.md", "<p>No code here.</p>")
    assert charts_in(essay, settings) == 0


def test_drawn_charts_are_kept_in_the_memo_until_the_data_change(tmp_path, settings):
    shutil.copytree(Path(settings["PATH"]) / "data", tmp_path / "data")
    settings = {**settings, "PATH": str(tmp_path)}
    (tmp_path / "essay.md").write_text(SOURCE, encoding="utf-8")
    block = "csv: deposits.csv\nx: year\ny: deposits\ntitle: Deposits\n"
    markup = f'<div class="highlight"><pre><span></span><code>{block}</code></pre></div>'
    with build_memo(tmp_path / "memo") as memo:
        first = _Essay(tmp_path / "essay.md", markup)
        assert charts_in(first, settings) == 1
        second = _Essay(tmp_path / "essay.md", markup)
        assert charts_in(second, settings) == 1
        assert second._content == first._content and '<figure class="chart"' in first._content
        assert memo.computed == 1
        csv = tmp_path / "data" / "deposits.csv"
        csv.write_text(csv.read_text(encoding="utf-8") + "2031,999\n", encoding="utf-8")
        third = _Essay(tmp_path / "essay.md", markup)
        assert charts_in(third, settings) == 1
        assert memo.computed == 2 and third._content != first._content
