"""Atom and RSS feeds parse and carry every essay in full."""

import json
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.conftest import PRODUCTION_SITEURL
from tests.support import normalise_text, page_url_path, parse_html

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


# What feed readers need from every feed (each proven on the fixture site,
# which has Chinese essays, translations, footnotes and relative links).
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom_feeds(build):
    return sorted(build.output.glob("feeds/**/*.atom.xml"))


def essay_languages(build):
    """{essay URL path: language} from the essays' own pages."""
    return {
        "/" + page_url_path(build.output, page): parse_html(page).html["lang"]
        for page in build.output.glob("essays/**/index.html")
    }


def test_every_atom_feed_has_an_id_of_its_own(fixture_site):
    ids = {}
    for path in atom_feeds(fixture_site):
        feed_id = etree.parse(str(path)).getroot().findtext(f"{ATOM}id")
        ids.setdefault(feed_id, []).append(path.relative_to(fixture_site.output).as_posix())
    assert len(ids) > 10
    assert {i: paths for i, paths in ids.items() if len(paths) > 1} == {}
    # The id is the feed's own address.
    for feed_id, (path,) in ids.items():
        assert feed_id.endswith("/" + path)


def test_each_atom_entry_says_the_language_of_its_essay(fixture_site):
    languages = essay_languages(fixture_site)
    checked = 0
    for path in atom_feeds(fixture_site):
        for entry in etree.parse(str(path)).getroot().iter(f"{ATOM}entry"):
            link = urlsplit(entry.find(f"{ATOM}link[@rel='alternate']").get("href")).path
            if link in languages:
                assert entry.get(XML_LANG) == languages[link], (path, link)
                checked += 1
    assert "zh" in languages.values()
    assert checked > 20


def entry_urls(markup):
    soup = BeautifulSoup(markup or "", "lxml")
    return [
        value
        for tag in soup.find_all(True)
        for attribute in ("href", "src", "poster")
        if (value := tag.get(attribute))
    ]


@pytest.mark.parametrize("kind", ["atom", "rss", "json"])
def test_every_url_in_entry_content_is_absolute(fixture_site, kind):
    urls = []
    if kind == "json":
        for path in sorted(fixture_site.output.glob("feeds/**/*.json")):
            for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
                urls += entry_urls(item["content_html"])
    for path in sorted(fixture_site.output.glob(f"feeds/**/*.{kind}.xml")):
        for entry in parse_feed(path).entries:
            for part in [*entry.get("content", []), entry.get("summary_detail")]:
                urls += entry_urls(part.value if part else "")
    assert any("#fn" in url for url in urls), "no footnote link was checked"
    assert any("/essays/settlement-windows/" in url for url in urls)
    assert [u for u in urls if not u.startswith(("http://", "https://", "mailto:"))] == []


def test_a_fragment_in_entry_content_points_at_the_essays_own_page(fixture_site):
    feed = parse_feed(fixture_site.output / "feeds" / "all.atom.xml")
    entry = next(e for e in feed.entries if e.link.endswith("/essays/discounted-cash-flow/"))
    urls = entry_urls(entry.content[0].value)
    assert entry.link + "#year-by-year" in urls
    assert entry.link.replace("discounted-cash-flow", "settlement-windows") in urls


def test_feed_titles_are_plain_text_without_typographic_markup(fixture_site):
    titles = []
    for path in sorted(fixture_site.output.glob("feeds/**/*.xml")):
        for element in etree.parse(str(path)).getroot().iter(f"{ATOM}title", "title"):
            titles.append(element.text or "")
    for path in sorted(fixture_site.output.glob("feeds/**/*.json")):
        feed = json.loads(path.read_text(encoding="utf-8"))
        titles += [feed["title"], *(item["title"] for item in feed["items"])]
    assert len(titles) > 50
    markup = re.compile(r"\xa0|<[a-z/]|&(?:#\d+|[a-z]+);")
    assert [t for t in titles if markup.search(t) or t != t.strip()] == []
    # The typography is still there: curly quotes are characters, not markup.
    assert "Ledger basics for \u201copen banking\u201d" in titles
