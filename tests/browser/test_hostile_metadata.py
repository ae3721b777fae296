"""Metadata is text everywhere: hostile titles, summaries, tags and authors run
nothing in a browser and read back as the same text from every feed."""

import feedparser
import pytest

from tests.conftest import serve_folder
from tests.plugins.test_content_guard import write_good_site
from tests.support import ROOT, normalise_text, parse_html
from tools.build import build

pytestmark = pytest.mark.browser

TITLE = '<script>alert("title")</script> & "quotes" </title><img src=x onerror=alert(1)>'
SUMMARY = '<script>alert("summary")</script> A & B </title> "><img src=x onerror=alert(2)>'
AUTHOR = 'Eve "><img src=x onerror=alert(3)> & <script>alert("author")</script>'
CATEGORY = 'Risk </title>"><img src=x onerror=alert(4)>'
TAGS = ['<script>alert("tag")</script>', '"><img src=x onerror=alert(5)>Tag', "Q & A"]

HOSTILE = f"""\
Title: {TITLE}
Date: 2026-03-05
Author: {AUTHOR}
Category: {CATEGORY}
Tags: {", ".join(TAGS)}
Slug: hostile
Summary: {SUMMARY}

An ordinary body.
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    write_good_site(base / "content")
    (base / "content" / "essays" / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    result = build(ROOT / "pelicanconf.py", base / "output", base / "content", stream=None)
    assert result.ok, result.messages
    return base / "output"


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    with serve_folder(hostile_site) as url:
        yield url


def hostile_pages(output):
    """Every built page that shows the hostile essay's metadata."""
    return sorted(
        p.relative_to(output).as_posix()
        for p in output.rglob("*.html")
        if "hostile" in p.read_text(encoding="utf-8") or "alert" in p.read_text(encoding="utf-8")
    )


def test_every_page_shows_metadata_without_running_or_injecting_it(
    hostile_site, hostile_server, page
):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    paths = hostile_pages(hostile_site)
    # The essay, index, archives, its section, tag and author pages, and the term lists.
    assert len(paths) >= 10, paths
    for path in paths:
        page.goto(hostile_server + path)
        injected = page.evaluate(
            """() => ({
            scripts: [...document.scripts].filter(s => s.type !== "application/ld+json").length,
            badImages: document.querySelectorAll('img[src="x"], [onerror]').length,
            titles: document.querySelectorAll('title').length,
        })"""
        )
        assert injected == {"scripts": 0, "badImages": 0, "titles": 1}, path
    assert dialogs == []


def test_essay_page_shows_the_metadata_as_written(hostile_site, hostile_server, page):
    page.goto(hostile_server + "essays/hostile/")
    assert normalise_text(page.locator("h1").inner_text()) == normalise_text(TITLE)
    assert normalise_text(page.title()) == normalise_text(TITLE) + " · bzdww"
    assert normalise_text(page.locator(".byline-author a").inner_text()) == normalise_text(AUTHOR)
    tags = [normalise_text(t) for t in page.locator(".tag-list a").all_inner_texts()]
    assert tags == [normalise_text(t) for t in TAGS]
    soup = parse_html(hostile_site / "essays" / "hostile" / "index.html")
    assert normalise_text(soup.find("meta", attrs={"name": "author"})["content"]) == normalise_text(
        AUTHOR
    )
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert normalise_text(description) == normalise_text(SUMMARY)


def test_listing_shows_the_summary_as_text(hostile_server, page):
    page.goto(hostile_server)
    card = page.locator(".card", has=page.locator("a[href*='hostile']"))
    assert normalise_text(card.locator(".card-summary").inner_text()) == normalise_text(SUMMARY)


def test_every_feed_carries_the_metadata_as_text(hostile_site):
    feeds = sorted(hostile_site.glob("feeds/**/*.xml"))
    assert len(feeds) >= 10
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, path
        entries = [e for e in feed.entries if "hostile" in e.link]
        if not entries:
            continue
        (entry,) = entries
        assert normalise_text(entry.title) == normalise_text(TITLE), path
        assert entry.author == AUTHOR, path
        terms = sorted(t.term for t in entry.tags)
        assert terms == sorted([CATEGORY, *TAGS]), path
        if feed.version == "atom10":
            summary_text = parse_html_fragment(entry.summary)
            assert normalise_text(summary_text) == normalise_text(SUMMARY), path


def parse_html_fragment(markup):
    from bs4 import BeautifulSoup  # noqa: PLC0415

    soup = BeautifulSoup(markup, "lxml")
    assert soup.find(["script", "img"]) is None
    return soup.get_text()
