"""Chart blocks: finding them in the source, reading their spec, drawing SVG."""

import re

import pytest

from plugins.editorial.charts import (
    ChartError,
    find_chart_blocks,
    parse_spec,
    render_chart,
)
from tests.support import ROOT

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
