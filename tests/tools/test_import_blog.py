"""`make import`: other blogs' folders, as their authors left them, published with no hand edits.

Three blogs in tests/fixtures/import/ are imported, one after the other,
into a copy of the site's content: a Pelican blog (lower-case keys, `---`
fences, Windows line endings and a byte-order mark, `Update:`, a Chinese post
without `Lang`, code full of `#` and `<img>`, images named with spaces and
parentheses, formulas and a table, old root-relative addresses with anchors
from the old site's heading plugin, a gist embed, style attributes, an
iframe, a page the site already has, a reStructuredText post), a Hugo blog
(YAML and TOML front matter, shortcodes, a page bundle with its image) and a
Jekyll blog (dated file names, Liquid highlight blocks and `post_url`, a
draft).  Then the site is built as `make publish` builds it, under a sub-path.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.settings import read_settings

from plugins.core.languages import mostly_chinese
from tests.conftest import PRODUCTION_SITEURL
from tests.site.test_links import broken_refs
from tests.support import ROOT, Build, parse_html
from tools.import_blog import import_blog

FIXTURES = ROOT / "tests" / "fixtures" / "import"
BLOGS = ["pelican-blog", "hugo-blog", "jekyll-blog"]
SEED = "essays/the-logic-behind-the-mutual-gold-giants.md"
TEX = re.compile(r"\$\$|\\(?:frac|sum|text|begin|sigma)\b|\\\(|\\\[")


@dataclass
class Imported:
    base: Path
    content: Path
    lines: dict  # blog -> the lines the import printed
    seed: bytes  # the seed essay before the import


def fingerprint(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    base = tmp_path_factory.mktemp("imported")
    content = base / "content"
    shutil.copytree(ROOT / "content", content)
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(content)})
    lines = {}
    for blog in BLOGS:
        lines[blog] = []
        import_blog(FIXTURES / blog, settings, out=lines[blog].append)
    return Imported(base, content, lines, (ROOT / "content" / SEED).read_bytes())


def settings_file(imported, name, base):
    """Settings as the repository's, with the imported content's file folders."""
    static = [p for p in ("images", "files", "data", "extra") if (imported.content / p).is_dir()]
    path = imported.base / f"settings_{name}.py"
    path.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom {base} import *\n"
        f"STATIC_PATHS = {static!r}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def published(imported):
    """The imported site built as `make publish` builds it, under a sub-path."""
    output = imported.base / "output"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.build",
            str(imported.content),
            "-o",
            str(output),
            "-s",
            str(settings_file(imported, "publish", "publishconf")),
        ],
        cwd=ROOT,
        env={**os.environ, "SITEURL": PRODUCTION_SITEURL, "PYTHONWARNINGS": ""},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    return Build(output=output, returncode=proc.returncode, log=proc.stdout + proc.stderr)


def essay(imported, name):
    return (imported.content / "essays" / name).read_text(encoding="utf-8")


def test_each_file_of_each_blog_gets_one_line_saying_what_was_done(imported):
    for blog, lines in imported.lines.items():
        *files, total = lines
        named = sorted(line.split(" → ")[0] for line in files)
        assert len(named) == len(set(named)), blog
        sources = sorted(
            p.relative_to(FIXTURES / blog).as_posix()
            for p in (FIXTURES / blog).rglob("*")
            if p.suffix in (".md", ".rst")
            and p.name != "_index.md"
            and p.relative_to(FIXTURES / blog).as_posix() != "index.md"
        )
        assert named == sources, blog
        assert re.match(r"\d+ imported, \d+ unchanged \(imported before\), \d+ not imported", total)
    pelican = dict(line.split(" → ", 1) for line in imported.lines["pelican-blog"][:-1])
    assert pelican["content/misc/old-post.rst"] == (
        "not imported: it is reStructuredText, which this site does not read"
    )
    assert pelican["content/pages/about.md"] == "not imported: the site already has a page 'about'"
    dcf = pelican["content/finance/dcf-valuation.md"]
    assert "could not: " in dcf and "link /tags/python.html leads to nothing the blog has" in dcf
    assert "image /images/missing-chart.png leads to nothing the blog has" in dcf
    assert "date '03/02/2019' read month first, as Pelican read it" in dcf
    assert "formula '$\\premium{m}$' cannot be converted" in dcf and "shown as code" in dcf
    assert "script link javascript:run() removed" in dcf


def test_the_imported_blogs_publish_with_no_hand_edits_and_no_warning(published):
    assert published.returncode == 0, published.log
    assert "warning" not in published.log.lower()
    # The seed essay and eight imported ones; the Jekyll draft is not published.
    assert len(list(published.output.glob("essays/*/index.html"))) == 9


def test_no_internal_link_of_the_published_site_is_broken(published):
    checked, broken = broken_refs(published, PRODUCTION_SITEURL)
    assert broken == []
    assert checked > 500


def page_text(page):
    """(the page, the text of its main part in the page's own language, code aside):
    a part that says its own language (a Chinese essay's card on a listing) is
    marked, so it is left out."""
    soup = parse_html(page)
    body = soup.select_one(".essay-body") or soup.select_one("main")
    for code in body.select("pre, code, kbd, samp, math, script"):
        code.decompose()
    for part in body.select("[lang]"):
        if part.get("lang") != soup.html.get("lang"):
            part.decompose()
    return soup, body.get_text(" ")


def test_no_mostly_chinese_page_is_marked_english(published):
    chinese = []
    for page in published.html_files():
        soup, text = page_text(page)
        if mostly_chinese(text)[0]:
            chinese.append(page.relative_to(published.output).as_posix())
            assert soup.html["lang"] == "zh", page
    assert {"essays/byte-order/index.html", "essays/rates-zh/index.html",
            "resources/index.html"} <= set(chinese)  # fmt: skip


def test_formulas_are_mathml_and_no_raw_tex_is_left(published):
    formulas = 0
    for page in published.output.glob("essays/*/index.html"):
        formulas += len(parse_html(page).select(".essay-body math"))
        _, text = page_text(page)
        assert not TEX.search(text), (page, TEX.search(text))
    assert formulas >= 8


def test_importing_again_changes_nothing(imported):
    before = fingerprint(imported.content)
    for blog in BLOGS:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tools.import_blog",
                str(FIXTURES / blog),
                "-s",
                str(settings_file(imported, "local", "pelicanconf")),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr  # the content checks pass
        lines = proc.stdout.splitlines()
        said = [line.split(" → ", 1)[1] for line in lines[:-2]]
        assert all(s.endswith("unchanged (imported before)") or s.startswith("not imported")
                   for s in said), lines  # fmt: skip
        assert lines[-2].startswith("0 imported")
    assert fingerprint(imported.content) == before


def test_an_existing_essay_is_never_overwritten(imported):
    assert (imported.content / SEED).read_bytes() == imported.seed
    # The post that had the seed essay's slug got the next free one.
    notes = essay(imported, "the-logic-behind-the-mutual-gold-giants-2.md")
    assert "Title: Three notes on the stock market this week\n" in notes
    assert "Slug: the-logic-behind-the-mutual-gold-giants-2\n" in notes


def metadata(text):
    header = text.split("\n\n", 1)[0]
    return dict(line.split(": ", 1) for line in header.splitlines())


def test_metadata_is_filled_and_written_the_sites_way(imported):
    gcc = essay(imported, "gcc-quick-reference.md")
    assert "\r" not in gcc and not gcc.startswith("\ufeff")
    assert metadata(gcc) == {
        "Title": "GCC quick reference",
        "Date": "2018-04-02 21:15",
        "Modified": "2019-11-20",
        "Author": "Lin Wei",  # the old blog's AUTHOR
        "Category": "note",  # its folder, as Pelican took it
        "Tags": "gcc, c, toolchain",
        "Slug": "gcc-quick-reference",
        "Lang": "en",
        "Summary": "The options I reach for most often, collected in one place so I stop "
        "searching for them.",
    }
    byte_order = metadata(essay(imported, "byte-order.md"))
    assert byte_order["Lang"] == "zh" and byte_order["Summary"].startswith("同一个整数")
    dcf = metadata(essay(imported, "dcf-valuation.md"))
    assert (dcf["Date"], dcf["Authors"], dcf["Tags"]) == (
        "2019-03-02",
        "Lin Wei, Zhao Min",
        "valuation, finance",
    )
    hugo = metadata(essay(imported, "streaming-payments.md"))
    # 09:30 in Paris is 15:30 in Shanghai, the site's time zone.
    assert (hugo["Date"], hugo["Modified"]) == ("2021-06-05 15:30", "2021-07-01 16:00")
    assert hugo["Summary"] == "Exactly-once delivery is a promise with footnotes."
    jekyll = metadata(essay(imported, "yield-curve-notes.md"))
    assert (jekyll["Category"], jekyll["Tags"], jekyll["Author"]) == (
        "markets",
        "rates, bonds, china",
        "Mei Lin",
    )
    assert metadata(essay(imported, "rates-zh.md"))["Lang"] == "zh"
    assert metadata(essay(imported, "unfinished.md"))["Status"] == "draft"


def test_links_to_other_posts_become_filename_links_with_the_sites_anchors(imported):
    gcc = essay(imported, "gcc-quick-reference.md")
    # /note/byte-order.html#_2: the old toc plugin's id for the second Chinese heading.
    assert "[my notes on byte order]({filename}/essays/byte-order.md#判断本机字节序)" in gcc
    assert "[valuation post]({filename}/essays/dcf-valuation.md)" in gcc
    notes = essay(imported, "the-logic-behind-the-mutual-gold-giants-2.md")
    assert "({filename}/essays/byte-order.md#内存布局)" in notes
    assert "({filename}/essays/gcc-quick-reference.md#warnings-worth-turning-on)" in notes
    assert "({filename}/essays/rates-zh.md#降息的影响)" in essay(imported, "yield-curve-notes.md")
    bundle = essay(imported, "bundle-post.md")
    assert "({filename}/essays/streaming-payments.md#the-consumer)" in bundle
    dcf = essay(imported, "dcf-valuation.md")
    assert "all Python posts and the chart below" in dcf  # the dead link's text, kept
    assert "/tags/python.html" not in dcf and "missing-chart" not in dcf


def test_images_and_files_are_copied_and_linked_with_static(imported):
    byte_order = essay(imported, "byte-order.md")
    assert "![字节序示意图](<{static}/images/Byte Order (1).png>)" in byte_order
    # No alt text in the old post: one from the file name.
    assert "![Cumulative Return(Without cost)](<{static}/images/Cumulative_Return" in byte_order
    copies = {
        "images/Byte Order (1).png": "pelican-blog/content/images/Byte Order (1).png",
        "images/posts/bundle-post/cover image.png": "hugo-blog/content/posts/bundle-post/"
        "cover image.png",
        "images/pipeline diagram.png": "hugo-blog/static/images/pipeline diagram.png",
        "files/data sheet.pdf": "pelican-blog/content/extra/data sheet.pdf",
    }
    for copy, source in copies.items():
        assert (imported.content / copy).read_bytes() == (FIXTURES / source).read_bytes()
    assert "[data sheet](<{static}/files/data sheet.pdf>)" in essay(imported, "dcf-valuation.md")
    # An image from another site is a link to it: pages load nothing from elsewhere.
    notes = essay(imported, "the-logic-behind-the-mutual-gold-giants-2.md")
    assert "\n[A chart from the exchange](https://img.example.com/charts/vix.png)\n" in notes


def test_embeds_scripts_styles_headings_and_named_tags_are_rewritten(imported):
    dcf = essay(imported, "dcf-valuation.md")
    assert "[Gist linwei/8f3a9c2d](https://gist.github.com/linwei/8f3a9c2d)" in dcf
    assert "<script" not in dcf and "style=" not in dcf and "javascript:" not in dcf
    assert "\n<h2>Appendix</h2>\n" in dcf
    assert "risk premium, `$\\premium{m}$`, which" in dcf
    gcc = essay(imported, "gcc-quick-reference.md")
    assert "(`<img>` tags)" in gcc and "while `<img>` in code is just text" in gcc
    for heading in ("## Compiling with gcc", "### Warnings worth turning on", "## Linking"):
        assert f"\n{heading}\n" in gcc
    assert "\n# compile and link in one step\n" in gcc  # a comment in code, not a heading
    notes = essay(imported, "the-logic-behind-the-mutual-gold-giants-2.md")
    assert "[Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in notes
    hugo = essay(imported, "streaming-payments.md")
    assert "```go\nfunc consume" in hugo and "{{<" not in hugo
    assert (
        "![The payment pipeline, from API to ledger](<{static}/images/pipeline diagram.png>)"
        in hugo
    )
    jekyll = essay(imported, "yield-curve-notes.md")
    assert "```python\nspread = y10 - y2" in jekyll
    # TeX outside a formula is shown as code; the formulas stay formulas.
    assert "charts in `\\LaTeX{}` with `\\textbf{pgfplots}`." in jekyll
    assert "$s = y_{10} - y_{2}$" in jekyll


def test_make_help_lists_the_import_target():
    proc = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert re.search(r"^  import +Import a Pelican, Hugo or Jekyll blog", proc.stdout, re.M)
