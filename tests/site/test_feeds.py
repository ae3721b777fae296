"""Atom and RSS feeds parse and carry every essay in full."""

import feedparser
import pytest

from tests.conftest import PRODUCTION_SITEURL
from tests.support import normalise_text

FEEDS = [
    "feeds/all.atom.xml",
    "feeds/all.rss.xml",
    "feeds/category/cms.atom.xml",
    "feeds/category/cms.rss.xml",
    "feeds/author/xue-hong-yan.atom.xml",
    "feeds/author/xue-hong-yan.rss.xml",
    "feeds/tag/fintech.atom.xml",
    "feeds/tag/fintech.rss.xml",
    "feeds/tag/internet-finance.atom.xml",
    "feeds/tag/internet-finance.rss.xml",
    "feeds/tag/banking.atom.xml",
    "feeds/tag/banking.rss.xml",
    "feeds/tag/partnerships.atom.xml",
    "feeds/tag/partnerships.rss.xml",
]
# Feeds that do not carry essays (tested with their own features).
OTHER_FEEDS = ["feeds/corrections.atom.xml"]


def parse_feed(path):
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


def entry_text(entry):
    html = entry.content[0].value if "content" in entry else entry.summary
    from bs4 import BeautifulSoup  # noqa: PLC0415

    soup = BeautifulSoup(html, "lxml")
    # Glossary, corrections and disclosure notes follow the essay's own text.
    for note in soup.select(".editorial-note"):
        note.decompose()
    return normalise_text(soup.get_text(" "))


def test_feed_files_are_exactly_the_expected_set(site):
    found = sorted(
        p.relative_to(site.output).as_posix() for p in site.output.glob("feeds/**/*.xml")
    )
    assert found == sorted(FEEDS + OTHER_FEEDS)


@pytest.mark.parametrize("feed_path", FEEDS)
def test_feed_parses_and_carries_the_full_essay(site, seed_source, feed_path):
    meta, _ = seed_source
    feed = parse_feed(site.output / feed_path)
    assert feed.version in ("atom10", "rss20")
    titles = [normalise_text(e.title) for e in feed.entries]
    assert meta["title"] in titles
    entry = feed.entries[titles.index(meta["title"])]
    text = entry_text(entry)
    # Full content: the last section and the PS are there, not just the summary.
    assert "let us continue to wait and see" in text
    assert text.endswith("learn about internet finance/financial technology")
    assert entry.author == meta["author"]


@pytest.mark.parametrize("feed_path", FEEDS)
def test_production_feeds_use_absolute_links(production_site, feed_path):
    feed = parse_feed(production_site.output / feed_path)
    assert feed.feed.link.startswith(PRODUCTION_SITEURL)
    for entry in feed.entries:
        assert entry.link.startswith(PRODUCTION_SITEURL + "/essays/")
        html = entry.content[0].value if "content" in entry else entry.summary
        assert ' href="/' not in html and ' src="/' not in html
        assert ' href="../' not in html and ' src="../' not in html
