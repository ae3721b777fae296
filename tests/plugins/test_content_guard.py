"""Author mistakes fail the build with one clear line each; output/ survives them.

Each case adds one bad file to a small good site and builds it the way
`make html` does (tools.build, in this process): the build fails, the message
names the file, the line and the problem, and the output of the previous good
build is left exactly as it was.
"""

import hashlib
import logging
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plugins.content_guard import metadata
from tests.support import ROOT
from tools.build import build

GOOD_ESSAY = """\
Title: A good essay
Date: 2026-03-01 10:00
Author: Good Author
Category: Markets
Tags: Gold, Banks
Slug: good-essay
Summary: A short, valid essay.

It links to [the about page]({filename}/pages/about.md) and shows a chart:

![A rising line]({static}/images/chart.png)
"""
ABOUT = "Title: About\nSlug: about\n\nAbout this test site.\n"
CHINESE = (
    "网联成立以后，支付机构不再直连银行。他说：“清算要回到清算机构。”"
    "使用 gcc 编译 C 程序时，需要注意 -O2 优化选项。\n"
)
HEADER = "Date: 2026-03-02\nAuthor: A\nCategory: Markets\nSummary: S.\n"


def essay(title="A bad essay", header=HEADER, body="Some text.\n", slug="bad-essay"):
    slug_line = f"Slug: {slug}\n" if slug else ""
    return f"Title: {title}\n{header}{slug_line}\n{body}".encode()


# (id, path in content, bytes, line, what the message must say)
CASES = [
    (
        "missing-title",
        "essays/bad.md",
        HEADER.encode() + b"Slug: bad-essay\n\nText.\n",
        1,
        ["required key 'title' is missing", "add a line 'Title: …'"],
    ),
    (
        "missing-summary",
        "essays/bad.md",
        b"Title: T\nDate: 2026-03-02\nAuthor: A\nCategory: C\nSlug: bad-essay\n\nText.\n",
        1,
        ["required key 'summary' is missing (listings, feeds and search", "'Summary: Text.'"],
    ),
    (
        "missing-slug",
        "essays/bad.md",
        essay(slug=None),
        1,
        ["required key 'slug' is missing", "add a line 'Slug: a-bad-essay'"],
    ),
    (
        "empty-author",
        "essays/bad.md",
        essay(header="Date: 2026-03-02\nAuthor:\nCategory: C\nSummary: S.\n"),
        3,
        ["'author' is empty"],
    ),
    (
        "partial-date",
        "essays/bad.md",
        essay(header=HEADER.replace("2026-03-02", "2026-03")),
        2,
        ["date '2026-03' has no day, so Pelican would take the build's", "YYYY-MM-DD"],
    ),
    (
        "relative-date",
        "essays/bad.md",
        essay(header=HEADER.replace("2026-03-02", "yesterday")),
        2,
        ["date 'yesterday' is not a date Pelican can read", "YYYY-MM-DD"],
    ),
    (
        "impossible-date",
        "essays/bad.md",
        essay(header=HEADER.replace("2026-03-02", "2026-02-30")),
        2,
        ["date '2026-02-30' is not a date Pelican can read"],
    ),
    (
        "misspelled-status-key",
        "essays/bad.md",
        essay(header=HEADER + "Stauts: draft\n"),
        6,
        ["unknown metadata key 'stauts'", "did you mean 'status'? Write 'Status:'"],
    ),
    (
        "misspelled-title-key",
        "essays/bad.md",
        b"Titel: T\n" + HEADER.encode() + b"Slug: bad-essay\n\nText.\n",
        1,
        ["unknown metadata key 'titel'", "did you mean 'title'?"],
    ),
    (
        "misspelled-category-key",
        "essays/bad.md",
        essay(header=HEADER.replace("Category", "Catgory")),
        4,
        ["unknown metadata key 'catgory'", "did you mean 'category'?"],
    ),
    (
        "unknown-key",
        "essays/bad.md",
        essay(header=HEADER + "Mood: grumpy\n"),
        6,
        ["unknown metadata key 'mood'", "add it to METADATA_KEYS in pelicanconf.py"],
    ),
    (
        "bad-status-value",
        "essays/bad.md",
        essay(header=HEADER + "Status: publish\n"),
        6,
        ["status 'publish' is not one of published, draft, hidden"],
    ),
    (
        "unsupported-lang",
        "essays/bad.md",
        essay(header=HEADER + "Lang: fr\n"),
        6,
        ["lang 'fr' is not one of en, zh"],
    ),
    (
        "malformed-slug",
        "essays/bad.md",
        essay(slug="Bad Slug!"),
        6,
        ["slug 'Bad Slug!' is not lower-case letters, digits and hyphens", "'bad-slug'"],
    ),
    (
        "duplicate-slug",
        "essays/bad.md",
        essay(slug="good-essay"),
        6,
        ["slug 'good-essay' is also used by", "good.md"],
    ),
    (
        "duplicate-slug-of-a-page",
        "essays/bad.md",
        essay(slug="about"),
        6,
        ["slug 'about' is also used by", "about.md"],
    ),
    (
        "page-over-a-listing",
        "pages/archive.md",
        b"Title: Archive\nSlug: archives\n\nText.\n",
        2,
        ["its output 'archives/index.html' would overwrite the archives listing"],
    ),
    (
        "page-over-an-essay",
        "pages/clash.md",
        b"Title: Clash\nSave_as: essays/good-essay/index.html\n\nText.\n",
        1,
        ["its output 'essays/good-essay/index.html' is also written by", "good.md"],
    ),
    (
        "missing-template",
        "pages/special.md",
        b"Title: Special\nTemplate: no-such-template\n\nText.\n",
        2,
        ["template 'no-such-template' does not exist in the theme"],
    ),
    (
        "broken-link",
        "essays/bad.md",
        essay(body="First line.\n\nSee [this]({filename}no-such-essay.md).\n"),
        10,
        ["link target {filename}no-such-essay.md does not exist", "fix the path"],
    ),
    (
        "broken-link-in-summary",
        "essays/bad.md",
        essay(header=HEADER.replace("Summary: S.", "Summary: See [this]({filename}gone.md).")),
        5,
        ["link target {filename}gone.md does not exist"],
    ),
    (
        "missing-image",
        "essays/bad.md",
        essay(body="![A chart]({static}/images/missing.png)\n"),
        8,
        ["image target {static}/images/missing.png does not exist"],
    ),
    (
        "missing-attachment",
        "essays/bad.md",
        essay(body="[The data]({attach}data.csv)\n"),
        8,
        ["link target {attach}data.csv does not exist"],
    ),
    (
        "image-without-alt",
        "essays/bad.md",
        essay(body="Text.\n\n![]({static}/images/chart.png)\n"),
        10,
        ["image '{static}/images/chart.png' in the body has no alt text", "describe the image"],
    ),
    (
        "image-by-bare-path",
        "essays/bad.md",
        essay(body="![A chart](images/chart.png)\n"),
        8,
        ["image 'images/chart.png' in the body is not linked with {static} or {attach}"],
    ),
    (
        "not-utf8",
        "essays/bad.md",
        b"Title: Caf\xe9\n" + HEADER.encode() + b"\nText.\n",
        1,
        ["the file is not valid UTF-8 (byte 0xe9 at column 11)", "save the file with UTF-8"],
    ),
    (
        "empty-body",
        "essays/bad.md",
        essay(body="\n   \n"),
        8,
        ["the body is empty"],
    ),
    (
        "script-in-body",
        "essays/bad.md",
        essay(body="Text.\n\n<script>alert(1)</script>\n"),
        10,
        ["the body has a <script> element", "essays may not carry scripts"],
    ),
    (
        "event-handler-in-body",
        "essays/bad.md",
        essay(body='<img src="x.png" alt="x" onerror="alert(1)">\n'),
        8,
        ["the body has an event-handler attribute onerror= on <img>"],
    ),
    (
        "javascript-url-in-body",
        "essays/bad.md",
        essay(body="Click [here](javascript:alert(1)).\n"),
        8,
        ["the body has a javascript: URL in <a href>"],
    ),
    (
        "javascript-url-in-summary",
        "essays/bad.md",
        essay(header=HEADER.replace("Summary: S.", "Summary: [x](JavaScript:alert(1))")),
        5,
        ["the summary has a javascript: URL in <a href>"],
    ),
    (
        "markup-only-tag",
        "essays/bad.md",
        essay(header=HEADER + 'Tags: "><img src=x>\n'),
        6,
        ["has no letters or digits to make its URL from"],
    ),
    (
        "page-outside-the-site",
        "pages/escape.md",
        b"Title: Escape\nSave_as: ../../outside.html\n\nText.\n",
        2,
        ["save_as '../../outside.html' is not a path inside the site"],
    ),
    (
        "control-character",
        "essays/bad.md",
        essay(body="Copied\x05 text.\n"),
        8,
        ["invisible control character U+0005 at column 7", "delete it"],
    ),
    (
        "translation-without-original",
        "essays/bad.md",
        essay(header=HEADER + "Lang: zh\nTranslation: true\n"),
        7,
        ["it is marked as a translation, but no original has the slug 'bad-essay'"],
    ),
    (
        "update-key-is-modified",
        "essays/bad.md",
        essay(header=HEADER + "Update: 2026-03-05\n"),
        6,
        ["unknown metadata key 'update'", "a last-modified date", "write 'Modified:'"],
    ),
    (
        "lastmod-key-is-modified",
        "essays/bad.md",
        essay(header=HEADER + "lastmod: 2026-03-05\n"),
        6,
        ["unknown metadata key 'lastmod'", "write 'Modified:'"],
    ),
    (
        "mostly-chinese-without-lang",
        "essays/bad.md",
        essay(body=CHINESE + "\n\n```\nenglish code words are not counted here at all\n```\n"),
        1,
        ["the body is mostly Chinese", "has no Lang", "write 'Lang: zh'"],
    ),
    (
        "mostly-chinese-marked-english",
        "essays/bad.md",
        essay(header=HEADER + "Lang: en\n", body=CHINESE),
        6,
        ["the body is mostly Chinese", "is marked 'en'", "write 'Lang: zh'"],
    ),
    (
        "style-attribute",
        "essays/bad.md",
        essay(body='Text.\n\nA <span style="color:red">red</span> word.\n'),
        10,
        ["the body has a style= attribute on <span>", "Content-Security-Policy ignores"],
    ),
    (
        "style-element",
        "essays/bad.md",
        essay(body="Text.\n\n<style>p { color: red }</style>\n"),
        10,
        ["the body has a <style> element"],
    ),
    (
        "gist-embed",
        "essays/bad.md",
        essay(body='Text.\n\n<script src="https://gist.github.com/octo/1a2b.js"></script>\n'),
        10,
        ["embeds a gist", "[the code on GitHub](https://gist.github.com/octo/1a2b)"],
    ),
    (
        "iframe-from-another-site",
        "essays/bad.md",
        essay(body='<iframe src="https://www.youtube.com/embed/abc_1"></iframe>\n'),
        8,
        ["<iframe> in the body loads", "(https://www.youtube.com/watch?v=abc_1)"],
    ),
    (
        "img-tag-named-in-prose",
        "essays/bad.md",
        essay(body="Write `<img>` in code.\n\n```\n<img>\n```\n\nBare (<img> tags) here.\n"),
        14,
        ["an <img> tag in the body has no src", "write it as code: `<img>`"],
    ),
    (
        "body-level-one-heading",
        "essays/bad.md",
        essay(body="Text.\n\n```\n# a comment\n```\n\n# A second title\n\nMore.\n"),
        14,
        ["the body has a level-one heading ('A second title')", "write it with ##"],
    ),
    (
        "formula-that-cannot-be-converted",
        "essays/bad.md",
        essay(body="Text.\n\nThe ratio $\\frac{a}{$ is wrong.\n"),
        10,
        ["formula '\\frac{a}{' cannot be set as MathML", "correct the TeX"],
    ),
    (
        "tex-outside-a-formula",
        "essays/bad.md",
        essay(body="Text.\n\nThe ratio \\frac{a}{b} has no dollars.\n"),
        10,
        ["the body has TeX outside a formula ('\\frac{')", "between $…$"],
    ),
    (
        "old-root-relative-link",
        "essays/bad.md",
        essay(body="Text.\n\nSee [notes](/note/good-essay.html#_3).\n"),
        10,
        [
            "link /note/good-essay.html#_3 leads to no page or file of this site",
            "did you mean {filename}/essays/good.md?",
        ],
    ),
    (
        "root-relative-link-to-an-essay",
        "essays/bad.md",
        essay(body="Text.\n\nSee [it](/essays/good-essay/).\n"),
        10,
        ["link /essays/good-essay/ is root-relative", "write it as {filename}/essays/good.md"],
    ),
    (
        "relative-link-to-nowhere",
        "essays/bad.md",
        essay(body="Text.\n\nSee [it](../gone/).\n"),
        10,
        ["link ../gone/ leads to no page or file", "(from this page it is /essays/gone/)"],
    ),
    (
        "anchor-the-target-does-not-have",
        "essays/bad.md",
        essay(body="## Own heading\n\nSee [it]({filename}good.md#nope).\n"),
        10,
        ["link {filename}good.md#nope", "has no element with the id 'nope'", "no headings"],
    ),
    (
        "anchor-this-page-does-not-have",
        "essays/bad.md",
        essay(body="## Own heading\n\nSee [above](#own-headng).\n"),
        10,
        ["this page has no element with the id 'own-headng'", "(#own-heading)"],
    ),
    (
        "relative-link-in-summary",
        "essays/bad.md",
        essay(header=HEADER.replace("Summary: S.", "Summary: See [it](../good-essay/).")),
        5,
        ["link ../good-essay/ in the summary is relative", "{filename}"],
    ),
    (
        "html-file",
        "essays/bad.html",
        b"<html><head><title>T</title></head><body>x</body></html>",
        1,
        [".html files are not read as Markdown", "rename the file to end in .md"],
    ),
]


def fingerprint(folder: Path):
    """Every file's bytes and modification time: 'exactly as it was'."""
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            p.stat().st_mtime_ns,
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_good_site(content: Path):
    (content / "essays").mkdir(parents=True)
    (content / "pages").mkdir()
    (content / "images").mkdir()
    (content / "essays" / "good.md").write_text(GOOD_ESSAY, encoding="utf-8")
    (content / "pages" / "about.md").write_text(ABOUT, encoding="utf-8")
    (content / "images" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")


def build_site(content, output, settings="pelicanconf.py"):
    return build(ROOT / settings, output, content, stream=None, STATIC_PATHS=["images"])


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A small good site, built once; every case starts from a copy of its output."""
    base = tmp_path_factory.mktemp("good")
    write_good_site(base / "content")
    result = build_site(base / "content", base / "output")
    assert result.ok, result.messages
    return base


@pytest.fixture
def site_copy(good_build, tmp_path):
    shutil.copytree(good_build / "content", tmp_path / "content")
    shutil.copytree(good_build / "output", tmp_path / "output")
    return tmp_path


@pytest.mark.parametrize(
    ("where", "data", "line", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_author_mistake_fails_with_its_file_line_and_fix(site_copy, where, data, line, expected):
    before = fingerprint(site_copy / "output")
    bad = site_copy / "content" / where
    bad.write_bytes(data)

    result = build_site(site_copy / "content", site_copy / "output")

    assert result.returncode == 1
    assert result.crashed is None
    ours = [m for m in result.messages if m.startswith(str(bad))]
    assert ours, result.messages
    (message,) = [m for m in ours if expected[0] in m]
    assert message.startswith(f"{bad}:{line}: "), message
    for fragment in expected:
        assert fragment in message
    assert re.fullmatch(r".+:\d+: .+ — .+", message)
    assert fingerprint(site_copy / "output") == before
    assert not (site_copy / ".output.staging").exists()


def test_each_script_is_reported_at_its_own_line_and_code_is_not_markup(site_copy):
    bad = site_copy / "content" / "essays" / "bad.md"
    body = (
        "Embed with `<script src=…>` like this:\n\n```html\n<script src=x.js></script>\n```\n\n"
        '<script src="https://gist.github.com/octo/1a2b.js"></script>\n\nText.\n\n'
        "<script>alert(1)</script>\n"
    )
    bad.write_bytes(essay(body=body))

    result = build_site(site_copy / "content", site_copy / "output")

    scripts = [m for m in result.messages if m.startswith(str(bad)) and "<script>" in m]
    assert [m.split(":")[1] for m in scripts] == ["14", "18"]
    assert "embeds a gist" in scripts[0] and "embeds a gist" not in scripts[1]


def test_hostile_title_is_not_a_mistake_and_is_published_as_text(site_copy):
    title = '<script>alert(1)</script> & "quotes" </title>'
    (site_copy / "content" / "essays" / "hostile.md").write_bytes(
        essay(title=title, slug="hostile")
    )

    result = build_site(site_copy / "content", site_copy / "output")

    assert result.ok, result.messages
    page = (site_copy / "output" / "essays" / "hostile" / "index.html").read_text()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_warning_in_the_build_also_keeps_the_previous_output(site_copy):
    # Pelican warns (it does not fail) when {filename} points at a static file.
    before = fingerprint(site_copy / "output")
    (site_copy / "content" / "essays" / "bad.md").write_bytes(
        essay(body="[Chart]({filename}/images/chart.png)\n")
    )

    result = build_site(site_copy / "content", site_copy / "output")

    assert result.returncode == 1
    assert any(m.startswith("warning: ") and "bad.md" in m for m in result.messages)
    assert fingerprint(site_copy / "output") == before


def test_every_problem_is_reported_in_one_run_of_the_command(tmp_path):
    """`make check` and `make html` list all the mistakes of all files at once."""
    write_good_site(tmp_path / "content")
    bad_files = set()
    for index, (_, where, data, _, _) in enumerate(CASES):
        path = tmp_path / "content" / where
        path = path.with_name(f"{path.stem}-{index}{path.suffix}")
        path.write_bytes(data.replace(b"Slug: bad-essay", f"Slug: bad-essay-{index}".encode()))
        bad_files.add(str(path))
    commands = {
        "check": [sys.executable, "-m", "plugins.content_guard"],
        "html": [sys.executable, "-m", "tools.build", "-o", str(tmp_path / "out")],
    }

    for name, command in commands.items():
        proc = subprocess.run(
            [*command, str(tmp_path / "content")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 1, name
        assert "Traceback" not in proc.stderr + proc.stdout
        reported = {line.split(":", 1)[0] for line in proc.stderr.splitlines()}
        assert bad_files <= reported, bad_files - reported
        if name == "html":
            assert "was left as it was" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_clean_content_passes_the_check_command():
    proc = subprocess.run(
        [sys.executable, "-m", "plugins.content_guard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "no problems" in proc.stdout


@pytest.mark.parametrize(
    ("typo", "key"),
    [
        ("titel", "title"),
        ("stauts", "status"),
        ("catgory", "category"),
        ("sumary", "summary"),
        ("tag", "tags"),
    ],
)
def test_unknown_keys_get_the_nearest_known_key(typo, key):
    from pelicanconf import METADATA_KEYS  # noqa: PLC0415

    assert metadata.suggest_key(typo, sorted(METADATA_KEYS)) == key


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-28",
        "2026-11-28 09:30",
        "2026-11-28T09:30:15",
        "2026-11-28T09:30+08:00",
        "2026-11-28 09:30Z",
        # Not ISO, but Pelican reads them one way only: posts from other blogs.
        "2026/11/28",
        "2026-11-28 9:30",
        "28/11/2026",
        "Nov 28, 2026",
        "2013-05-12_10:20",
    ],
)
def test_dates_pelican_reads_one_way_are_accepted(value):
    assert metadata.date_problem(value) is None


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("2026-11", "has no day"),
        ("2026", "has no month or day"),
        ("now", "is not a date Pelican can read"),
        ("2026-13-01", "is not a date Pelican can read"),
        ("2026-02-30", "is not a date Pelican can read"),
        ("03/02/2026", "can be read day first or month first"),
    ],
)
def test_partial_unreadable_and_ambiguous_dates_are_refused_with_the_reason(value, why):
    assert metadata.date_problem(value).startswith(why)


# Real blogs name images with spaces and parentheses, and percent-encode them.
ODD_IMAGES = [
    "Byte Order.png",
    "NullPointer_02_image-Cumulative_Return_Republican_Portfolio(Without_cost).png",
]


@pytest.mark.parametrize(
    "target",
    [
        "{static}/images/Byte Order.png",
        "{static}/images/Byte%20Order.png",
        "{static}/images/NullPointer_02_image-Cumulative_Return_Republican_Portfolio"
        "(Without_cost).png",
    ],
)
def test_links_with_spaces_parentheses_or_percent_encoding_resolve_as_pelican_resolves_them(
    site_copy, target
):
    for name in ODD_IMAGES:
        (site_copy / "content" / "images" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    (site_copy / "content" / "essays" / "odd.md").write_bytes(
        essay(body=f"![A chart](<{target}>)\n", slug="odd")
    )

    result = build_site(site_copy / "content", site_copy / "output")

    assert result.ok, result.messages


def test_percent_encoded_parentheses_are_found_but_not_copied_so_the_checks_say_so(site_copy):
    """Pelican resolves %28 for the link and warns that it cannot copy the file."""
    for name in ODD_IMAGES:
        (site_copy / "content" / "images" / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    encoded = "NullPointer_02_image-Cumulative_Return_Republican_Portfolio%28Without_cost%29.png"
    bad = site_copy / "content" / "essays" / "bad.md"
    bad.write_bytes(essay(body=f"Text.\n\n![A chart]({{static}}/images/{encoded})\n"))

    result = build_site(site_copy / "content", site_copy / "output")

    assert result.returncode == 1
    (message,) = [m for m in result.messages if m.startswith(str(bad))]
    assert message.startswith(f"{bad}:10: the file 'images/{encoded}' of a {{static}} link")
    assert "write the characters themselves: 'images/NullPointer_02" in message
    assert "(Without_cost).png'" in message


def test_a_missing_image_with_spaces_and_parentheses_is_named_whole(site_copy):
    bad = site_copy / "content" / "essays" / "bad.md"
    bad.write_bytes(essay(body="Text.\n\n![A chart](<{static}/images/Missing (Old) Chart.png>)\n"))

    result = build_site(site_copy / "content", site_copy / "output")

    (message,) = [m for m in result.messages if m.startswith(str(bad))]
    assert message.startswith(f"{bad}:10: image target {{static}}/images/Missing"), message
    assert "Missing%20(Old)%20Chart.png does not exist" in message or (
        "Missing (Old) Chart.png does not exist" in message
    )


def test_the_slug_suggested_for_a_mixed_title_is_the_one_make_new_makes(site_copy):
    from plugins.core.urls import make_slug  # noqa: PLC0415

    title = "JavaScript和jQuery使用总结"
    bad = site_copy / "content" / "essays" / "bad.md"
    bad.write_bytes(essay(title=title, slug=None))

    result = build_site(site_copy / "content", site_copy / "output")

    (message,) = [m for m in result.messages if "required key 'slug'" in m]
    assert f"'Slug: {make_slug(title)}'" in message
    assert make_slug(title) == "javascript-he-jquery-shi-yong-zong-jie"


def test_a_memo_that_cannot_keep_results_names_the_essay_and_the_build_goes_on(site_copy):
    """A cache step that fails never stops the build with an internal error."""
    blocked = site_copy / "not-a-folder"
    blocked.write_text("a file where the memo's folder would be", encoding="utf-8")
    messages = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        result = build(
            ROOT / "pelicanconf.py",
            site_copy / "output",
            site_copy / "content",
            stream=None,
            STATIC_PATHS=["images"],
            MEMO_PATH=str(blocked),
        )
    finally:
        root.removeHandler(handler)
    assert result.ok, result.messages
    assert any("could not keep a result for" in m and "good.md" in m for m in messages)


def test_a_check_from_the_memo_reports_what_a_first_check_does(tmp_path):
    """Every problem of a warm check is the cold check's, links across files included."""
    from pelican.settings import read_settings  # noqa: PLC0415

    from plugins import core  # noqa: PLC0415
    from plugins.content_guard.content_guard import check_site  # noqa: PLC0415
    from plugins.core import config  # noqa: PLC0415
    from tests.support import import_site_plugins  # noqa: PLC0415

    import_site_plugins()
    content = tmp_path / "content"
    write_good_site(content)
    for index, (_, where, data, _, _) in enumerate(CASES):
        path = content / where
        path = path.with_name(f"{path.stem}-{index}{path.suffix}")
        path.write_bytes(data.replace(b"Slug: bad-essay", f"Slug: bad-essay-{index}".encode()))
    # A link to a listing leads somewhere: it is only written root-relative.
    (content / "essays" / "tagged.md").write_bytes(
        essay(body="See [gold](/tag/gold/) and [x]({filename}good.md#nope).\n", slug="tagged")
    )
    override = {"PATH": str(content), "STATIC_PATHS": ["images"], "WORKERS": 0}
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        **override, "MEMO_PATH": str(tmp_path / "memo")})  # fmt: skip
    config.apply_defaults(settings)
    runs = []
    for _ in range(2):
        with core.services(settings) as memo:
            problems, _ = check_site(settings)
            runs.append(([str(p) for p in problems], memo.computed))
    (cold, computed), (warm, recomputed) = runs
    assert computed > len(CASES) and recomputed == 0
    assert warm == cold
    tagged = [p for p in cold if "tagged.md" in p]
    assert any("link /tag/gold/ is root-relative" in p for p in tagged), tagged
    assert any("has no element with the id 'nope'" in p for p in tagged), tagged
