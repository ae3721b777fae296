"""Draw charts from CSV files at build time: inline SVG, data table, download.

An essay asks for a chart with a fenced block whose language is ``chart``;
its lines are ``key: value`` pairs (the notes in parentheses explain; they
are not part of the block)::

    ```chart
    csv: deposits.csv           (a file in content/data/)
    type: line                  (line or bar; default line)
    x: year                     (the CSV column along the bottom)
    y: deposits                 (one column; a line chart takes several, comma-separated)
    title: Deposits at the five largest banks
    units: CNY trillion         (optional)
    source: Bank annual reports (optional)
    as_of: 2026-06-30           (optional: the date the data describe)
    description: …              (optional: replaces the generated summary)
    ```

After the essays are read, each such block (Markdown renders it as a code
block) is replaced by a ``<figure class="chart">`` holding the title and
units, an inline ``<svg role="img">`` whose ``<title>`` and ``<desc>`` give it
an accessible name and description, the source and as-of date, a link to
download the CSV (copied to the output as a static file) and the data as a
table inside ``<details>``.  Readers run no script, and the SVG uses only
presentation attributes (``fill``, ``stroke``), never ``style=""``, so the
site's ``style-src 'self'`` policy holds; the stylesheet adapts its colours.

A missing CSV file or column, an unknown key or chart type, a missing
required key or a value that is not a number is an error naming the essay
and line, so ``--fatal errors`` fails the build.

An essay's charts are drawn once and kept in the memo, keyed by its
rendered content, its chart blocks, the chart settings and every file of the
data folder; an essay with no code block in its content has no chart to draw,
and its source is not read.

Called from ``editorial.py``: ``draw_charts`` after the essays are read,
before any other feature touches their content; the plugin's
``initialized`` adds the data folder to STATIC_PATHS so every CSV is
published.

Settings (defaults in ``DEFAULTS``):
  CHARTS_DATA_PATH  folder of the CSV files, relative to PATH (``data``)
  CHARTS_WIDTH, CHARTS_HEIGHT  the SVG's coordinate box (640 x 360); it
                    scales to the column width
  CHARTS_COLORS     series colours, readable on light and dark backgrounds

Attributes: ``article.charts``, the number of charts drawn.

Library: leather (wireservice), chosen because it is pure Python with no
dependencies (a 40 kB install that imports in milliseconds), builds its
SVG as an ElementTree we can wrap, label and recolour (``ChartTheme``), and
writes only presentation attributes: a five-point line chart is about 3 kB.  matplotlib was rejected
for output and speed: a 40 MB install, ~0.5 s import, and SVG full of
``style="…"`` attributes (blocked by the CSP) and hashed ids; pygal embeds
``<style>`` and ``<script>`` elements and random ids in every chart, which
breaks both the CSP and byte-identical builds.
"""

import csv
import hashlib
import html
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import leather

from plugins.core import config, essays
from plugins.core import memo as memos

from .common import set_content

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "CHARTS_DATA_PATH": "data",
        "CHARTS_WIDTH": 640,
        "CHARTS_HEIGHT": 360,
        "CHARTS_COLORS": ["#2b6cb0", "#c05621", "#2f855a", "#805ad5"],
    },
    prefixes=("CHARTS_",),
)

SPEC_KEYS = {"csv", "type", "x", "y", "title", "units", "source", "as_of", "description"}
REQUIRED_KEYS = ("csv", "x", "y", "title")
CHART_TYPES = ("line", "bar")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")
# The <pre> carries tabindex="0" (plugins/markup/code_blocks.py): any attributes match.
CODE_BLOCK = re.compile(
    r'<div class="highlight"><pre(?:\s[^>]*)?>(?:<span></span>)?<code>(?P<code>.*?)</code>'
    r"</pre></div>",
    re.S,
)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# leather computes with Decimal and writes up to 28 digits; two decimals of a
# 640-unit box are far below a pixel and keep charts small.
GEOMETRY_ATTRIBUTES = {"x", "y", "x1", "x2", "y1", "y2", "width", "height", "d", "transform"}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


class ChartError(Exception):
    """An author's mistake in a chart block; carries the source line."""

    def __init__(self, line, message):
        super().__init__(message)
        self.line = line


def find_chart_blocks(text):
    """Chart blocks in a Markdown source: [(spec lines [(line number, text)], fence line)]."""
    blocks = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        fence = opening.group("fence")
        body = []
        closing = index + 1
        while closing < len(lines) and not lines[closing].strip().startswith(fence):
            body.append((closing + 1, lines[closing].strip()))
            closing += 1
        if opening.group("lang").lower() == "chart":
            blocks.append((body, index + 1))
        index = closing + 1
    return blocks


def parse_spec(body, fence_line):
    spec, lines = {}, {}
    for number, text in body:
        if not text:
            continue
        key, sep, value = text.partition(":")
        key = key.strip().lower().replace("-", "_")
        if not sep or key not in SPEC_KEYS:
            raise ChartError(
                number,
                f"unknown chart key {key!r} — use one of {', '.join(sorted(SPEC_KEYS))}, "
                "written 'key: value'",
            )
        spec[key], lines[key] = value.strip(), number
    for key in REQUIRED_KEYS:
        if not spec.get(key):
            raise ChartError(fence_line, f"chart has no {key!r} — add a line '{key}: …'")
    spec.setdefault("type", "line")
    if spec["type"] not in CHART_TYPES:
        raise ChartError(lines["type"], f"unknown chart type {spec['type']!r} — use line or bar")
    if spec.get("as_of") and not ISO_DATE.match(spec["as_of"]):
        raise ChartError(lines["as_of"], "as_of must be a date written YYYY-MM-DD")
    spec["y_columns"] = [c.strip() for c in spec["y"].split(",") if c.strip()]
    if spec["type"] == "bar" and len(spec["y_columns"]) > 1:
        raise ChartError(lines["y"], "a bar chart takes one y column — draw a line chart instead")
    return spec, lines


def read_rows(data_dir, spec, lines):
    name = spec["csv"]
    path = (data_dir / name).resolve()
    if data_dir.resolve() not in path.parents or not path.is_file():
        raise ChartError(
            lines["csv"],
            f"CSV file {name!r} not found in {data_dir} — add it there or fix the name",
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for key in ("x", *(["y"] * len(spec["y_columns"]))):
            wanted = [spec["x"]] if key == "x" else spec["y_columns"]
            for column in wanted:
                if column not in header:
                    raise ChartError(
                        lines[key],
                        f"column {column!r} is not in {name} (its columns: "
                        f"{', '.join(header)}) — use one of those names",
                    )
        rows = []
        for row in reader:
            rows.append((reader.line_num, row))
    if not rows:
        raise ChartError(lines["csv"], f"{name} has no data rows — add some")
    return path, rows


def number(text):
    return float(text.replace(",", "").replace("_", "").strip())


def x_values(spec, rows):
    raw = [row[spec["x"]].strip() for _, row in rows]
    if spec["type"] == "bar":
        return raw, "text"
    if all(ISO_DATE.match(v) for v in raw):
        return [date.fromisoformat(v) for v in raw], "date"
    try:
        values = [number(v) for v in raw]
    except ValueError:
        return None, "text"
    return values, "number"


def series_for(spec, rows, csv_name, column):
    values = []
    for line_num, row in rows:
        try:
            values.append(number(row[column]))
        except ValueError:
            raise ChartError(
                0,
                f"{csv_name} line {line_num}: {row[column]!r} in column {column!r} is "
                "not a number — write digits only (1234.5)",
            ) from None
    return values


@dataclass(frozen=True)
class ChartTheme:
    """The colours of one chart's frame; the series take CHARTS_COLORS.

    leather has no per-chart theme: it reads the globals of ``leather.theme``
    while drawing.  Rather than change those for every user of the library,
    each chart is drawn with leather's defaults and ``apply`` then recolours
    the elements of that chart's SVG by the role leather drew them for.
    Text is ``currentColor`` so it follows the page in light and dark mode;
    the grid greys read on both backgrounds.  leather's default margin (5% of
    the width) leaves room for the last x label, which it centres on the edge.
    """

    background: str = "none"  # "none" drops the background rectangle
    title: str = "currentColor"
    legend: str = "currentColor"
    axis_title: str = "currentColor"
    label: str = "currentColor"
    tick: str = "#9a978e"
    zero: str = "#6b6963"

    def apply(self, group):
        """Recolour a group from ``leather.Chart.to_svg_group``, in place.

        Its layout: a background rect, then a margin group holding the header
        (chart title text, legend items of a bubble rect and a label text)
        and the body (one ``g.axis`` per axis: its title text and ``g.tick``
        groups of a line and a label text; then the series).
        """
        background = group.find("rect")
        if self.background == "none":
            group.remove(background)
        else:
            background.set("fill", self.background)
        header = group.find("g/g")
        for title in header.findall("text"):
            title.set("fill", self.title)
        for label in header.iterfind("g/g/text"):
            label.set("fill", self.legend)
        for axis in group.iter("g"):
            if not axis.get("class", "").startswith("axis "):
                continue
            for title in axis.findall("text"):
                title.set("fill", self.axis_title)
            for tick in axis.iterfind("g[@class='tick']"):
                line = tick.find("line")
                # leather strokes the tick at value 0 with its zero colour.
                is_zero = line.get("stroke") == leather.theme.zero_color
                line.set("stroke", self.zero if is_zero else self.tick)
                tick.find("text").set("fill", self.label)


SITE_THEME = ChartTheme()


def _format_number(value):
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def draw_svg(spec, data, settings, ident, *, theme):
    xs, x_kind, ys_by_column = data
    chart = leather.Chart()
    colors = settings["CHARTS_COLORS"]
    units = f" ({spec['units']})" if spec.get("units") else ""
    if x_kind == "number" and all(float(v).is_integer() for v in xs):
        step = max(1, -(-len(xs) // 8))
        chart.add_x_axis(
            ticks=xs[::step], tick_formatter=lambda v, _i, _n: str(int(v)), name=spec["x"]
        )
    else:
        chart.add_x_axis(name=spec["x"])
    chart.add_y_axis(tick_formatter=lambda v, _i, _n: _format_number(v), name=spec["y"] + units)
    if spec["type"] == "bar":
        values = ys_by_column[spec["y_columns"][0]]
        chart.add_y_scale(min(0, *values), max(0, *values))
        chart.add_columns(list(zip(xs, values, strict=True)), fill_color=colors[0])
    else:
        for index, column in enumerate(spec["y_columns"]):
            points = list(zip(xs, ys_by_column[column], strict=True))
            chart.add_line(points, name=column, stroke_color=colors[index % len(colors)])
    width, height = settings["CHARTS_WIDTH"], settings["CHARTS_HEIGHT"]
    group = chart.to_svg_group(width=width, height=height)
    theme.apply(group)
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {width} {height}",
            "class": "chart-svg",
            "role": "img",
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
        },
    )
    title = ET.SubElement(svg, "title", {"id": f"{ident}-title"})
    title.text = spec["title"] + units
    desc = ET.SubElement(svg, "desc", {"id": f"{ident}-desc"})
    desc.text = spec.get("description") or describe(spec, data)
    tidy_geometry(group)
    svg.append(group)
    return ET.tostring(svg, encoding="unicode", short_empty_elements=True)


def _short_number(match):
    text = f"{float(match.group()):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def tidy_geometry(element):
    """Round coordinates, drop empty attributes and fonts (the page's apply), in place."""
    for node in element.iter():
        for name, value in list(node.attrib.items()):
            if not value or name == "font-family":
                del node.attrib[name]
            elif name in GEOMETRY_ATTRIBUTES:
                node.set(name, NUMBER.sub(_short_number, value))


def _x_label(value, kind):
    if kind == "number" and float(value).is_integer():
        return str(int(value))
    return value.isoformat() if kind == "date" else str(value)


def describe(spec, data):
    """A sentence for screen readers: what is plotted, the range and extremes."""
    xs, x_kind, ys_by_column = data
    kind = "Bar chart" if spec["type"] == "bar" else "Line chart"
    units = f" in {spec['units']}" if spec.get("units") else ""
    parts = [
        f"{kind} of {', '.join(spec['y_columns'])}{units} by {spec['x']}, "
        f"{len(xs)} values from {_x_label(xs[0], x_kind)} to {_x_label(xs[-1], x_kind)}."
    ]
    for column, values in ys_by_column.items():
        low = min(range(len(values)), key=values.__getitem__)
        high = max(range(len(values)), key=values.__getitem__)
        parts.append(
            f"{column}: lowest {_format_number(values[low])} ({_x_label(xs[low], x_kind)}), "
            f"highest {_format_number(values[high])} ({_x_label(xs[high], x_kind)})."
        )
    return " ".join(parts)


def data_table(spec, rows):
    columns = [spec["x"], *spec["y_columns"]]
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = []
    for _, row in rows:
        cells = [f'<th scope="row">{html.escape(row[spec["x"]].strip())}</th>']
        cells += [f"<td>{html.escape(row[c].strip())}</td>" for c in spec["y_columns"]]
        body.append("<tr>" + "".join(cells) + "</tr>")
    units = f" ({html.escape(spec['units'])})" if spec.get("units") else ""
    return (
        '<details class="chart-data">\n<summary>The data as a table</summary>\n'
        f"<table>\n<caption>{html.escape(spec['title'])}{units}</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n"
        "</details>"
    )


def figure_html(spec, svg, rows, *, data_path, date_format, ident):
    units = (
        f' <span class="chart-units">({html.escape(spec["units"])})</span>'
        if spec.get("units")
        else ""
    )
    meta = []
    if spec.get("source"):
        meta.append(f"Source: {html.escape(spec['source'])}.")
    if spec.get("as_of"):
        as_of = date.fromisoformat(spec["as_of"])
        meta.append(
            f'Data as of <time datetime="{as_of.isoformat()}">'
            f"{html.escape(as_of.strftime(date_format))}</time>."
        )
    href = f"{{static}}/{html.escape(data_path)}"
    meta.append(
        f'<a class="chart-download" href="{href}" download>Download the data '
        f"({html.escape(Path(data_path).name)}, CSV)</a>"
    )
    return (
        f'<figure class="chart" id="{ident}">\n'
        f'<figcaption class="chart-title">{html.escape(spec["title"])}{units}</figcaption>\n'
        f"{svg}\n"
        f'<p class="chart-meta">{" ".join(meta)}</p>\n'
        f"{data_table(spec, rows)}\n</figure>"
    )


def render_chart(body, fence_line, settings, ident, date_format, *, theme=SITE_THEME):
    spec, lines = parse_spec(body, fence_line)
    data_dir = Path(settings["PATH"]) / settings["CHARTS_DATA_PATH"]
    path, rows = read_rows(data_dir, spec, lines)
    xs, x_kind = x_values(spec, rows)
    if xs is None:
        raise ChartError(
            lines["x"],
            f"column {spec['x']!r} holds text — a line chart needs numbers or "
            "YYYY-MM-DD dates along x; use 'type: bar' for labels",
        )
    ys = {}
    for column in spec["y_columns"]:
        try:
            ys[column] = series_for(spec, rows, spec["csv"], column)
        except ChartError as exc:
            raise ChartError(lines["y"], str(exc)) from None
    svg = draw_svg(spec, (xs, x_kind, ys), settings, ident, theme=theme)
    data_path = f"{settings['CHARTS_DATA_PATH']}/{path.name}"
    return figure_html(spec, svg, rows, data_path=data_path, date_format=date_format, ident=ident)


# What drawing an essay's charts reads of the settings.
CHART_SETTINGS = ("PATH", "CHARTS_DATA_PATH", "CHARTS_WIDTH", "CHARTS_HEIGHT", "CHARTS_COLORS")


def data_digest(settings):
    """Every file of the data folder (names and bytes), as one key part."""
    folder = Path(settings["PATH"]) / settings["CHARTS_DATA_PATH"]
    digest = hashlib.sha256()
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
                data = path.read_bytes()
                for part in (name, data):
                    digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def charts_in(article, settings, data=None):
    """Replace the chart blocks in an article's content; returns how many.

    ``data`` is ``data_digest(settings)``, made once for all the essays.
    """
    markup = article._content
    if CODE_BLOCK.search(markup) is None:
        return 0  # no code block, so no chart block Markdown rendered
    source = Path(article.source_path)
    blocks = find_chart_blocks(source.read_text(encoding="utf-8"))
    if not blocks:
        return 0
    memo = memos.current()
    if data is None:
        data = data_digest(settings)
    key = memo.key(
        "charts",
        markup,
        repr(blocks),
        str(source),
        article.slug,
        repr(article.date_format),
        data,
        settings=memos.settings_part(settings, CHART_SETTINGS),
    )
    markup, drawn = memo.compute(
        key,
        draw_blocks,
        markup,
        blocks,
        (settings, source, article.slug, article.date_format),
        what=article.source_path,
    )
    if drawn:
        set_content(article, markup)
    return drawn


def draw_blocks(markup, blocks, essay):
    """(markup with the chart blocks drawn, how many were drawn); ``essay`` is
    (settings, source path, slug, date format)."""
    settings, source, slug, date_format = essay
    position = 0
    drawn = 0
    for index, (body, fence_line) in enumerate(blocks, start=1):
        wanted = "\n".join(line for _, line in body).strip()
        match = None
        for candidate in CODE_BLOCK.finditer(markup, position):
            code = html.unescape(candidate.group("code"))
            if "\n".join(line.strip() for line in code.splitlines()).strip() == wanted:
                match = candidate
                break
        if match is None:
            continue
        ident = f"chart-{slug}-{index}"
        try:
            figure = render_chart(body, fence_line, settings, ident, date_format)
        except ChartError as exc:
            # As text: the message is kept with the memo entry and said again.
            logger.error("%s:%s: %s", source, exc.line, str(exc))
            continue
        markup = markup[: match.start()] + figure + markup[match.end() :]
        position = match.start() + len(figure)
        drawn += 1
    return markup, drawn


def draw_essay_charts(article, settings, data=None):
    article.charts = charts_in(article, settings, data) if article._content else 0


def draw_charts(generator):
    data = data_digest(generator.settings)
    for article in essays.every(generator):
        draw_essay_charts(article, generator.settings, data)
