"""Sharing and discovery on the built sites: JSON Feed, canonical and OpenGraph
links, JSON-LD, sitemap.xml, robots.txt, favicons and social cards."""

import json
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from lxml import etree
from PIL import Image, ImageChops

from tests.conftest import PRODUCTION_SITEURL, warnings_in
from tests.support import (
    FIXTURE_CONTENT,
    ROOT,
    build_in_process,
    fixture_essays,
    normalise_text,
    page_url_path,
    parse_html,
    read_source,
)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CHINESE_SOURCE = FIXTURE_CONTENT / "essays" / "mobile-payments-share-card.md"
DRAFT_SOURCE = FIXTURE_CONTENT / "essays" / "unpublished-notes.md"
BACKGROUND = (253, 252, 249)


def fixture_sources():
    """(metadata, body) of every fixture essay and page, as committed."""
    return [read_source(p) for p in sorted(FIXTURE_CONTENT.rglob("*.md"))]


def published_essay_slugs():
    return {
        meta["slug"]
        for meta, _ in (read_source(p) for p in sorted((FIXTURE_CONTENT / "essays").glob("*.md")))
        if meta.get("status", "published") == "published"
    }


def local_path(build, url, prefix):
    """The output file an absolute URL under ``prefix`` is served from."""
    assert url.startswith(prefix + "/"), url
    path = build.output / url[len(prefix) + 1 :]
    return path / "index.html" if url.endswith("/") else path


def json_ld(page):
    blocks = page.find_all("script", type="application/ld+json")
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def node(graph, type_name):
    (found,) = [n for n in graph["@graph"] if n["@type"] == type_name]
    return found


# JSON Feed -------------------------------------------------------------------


def check_json_feed(path):
    """The JSON Feed 1.1 required fields, plus full content in every item."""
    feed = json.loads(path.read_text(encoding="utf-8"))
    assert feed["version"] == JSON_FEED_VERSION
    assert isinstance(feed["title"], str) and feed["title"]
    assert isinstance(feed["items"], list) and feed["items"]
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids))
    for item in feed["items"]:
        assert isinstance(item["id"], str) and item["id"]
        assert item.get("content_html") or item.get("content_text")
        datetime.fromisoformat(item["date_published"])
    return feed


def test_json_feed_of_every_essay_carries_the_seed_essay_in_full(site, seed_source, essay_url):
    meta, _ = seed_source
    feed = check_json_feed(site.output / "feeds" / "all.json")
    (item,) = [i for i in feed["items"] if i["url"].endswith("/" + essay_url)]
    assert item["title"] == meta["title"]
    text = " ".join(parse_html_fragment(item["content_html"]).split())
    assert "let us continue to wait and see" in text
    assert item["authors"][0]["name"] == meta["author"]


def parse_html_fragment(html):
    from bs4 import BeautifulSoup  # noqa: PLC0415

    return BeautifulSoup(html, "lxml").get_text(" ")


def test_every_category_has_a_json_feed_of_exactly_its_essays(fixture_site):
    essays = [m for m, _ in fixture_sources() if m.get("category")]
    published = [m for m in essays if m.get("status", "published") == "published"]
    categories = {m["category"] for m in published}
    assert len(categories) >= 2
    for category in categories:
        slug = category.lower()
        feed = check_json_feed(fixture_site.output / "feeds" / "category" / f"{slug}.json")
        expected = {m["slug"] for m in published if m["category"] == category}
        got = {urlsplit(i["url"]).path.strip("/").split("/")[1] for i in feed["items"]}
        assert got == expected, category


def test_json_feed_lists_chinese_essay_with_its_language_and_no_draft(fixture_site):
    feed = check_json_feed(fixture_site.output / "feeds" / "all.json")
    chinese, _ = read_source(CHINESE_SOURCE)
    draft, _ = read_source(DRAFT_SOURCE)
    titles = {item["title"]: item for item in feed["items"]}
    assert titles[chinese["title"]]["language"] == "zh"
    assert draft["title"] not in titles
    # Newest first, as in the Atom feed.
    dates = [datetime.fromisoformat(i["date_published"]) for i in feed["items"]]
    assert dates == sorted(dates, reverse=True)


def test_production_json_feeds_use_absolute_urls(production_site):
    feeds = sorted((production_site.output / "feeds").rglob("*.json"))
    assert len(feeds) >= 4
    for path in feeds:
        feed = check_json_feed(path)
        assert feed["home_page_url"] == PRODUCTION_SITEURL + "/"
        rel = path.relative_to(production_site.output).as_posix()
        assert feed["feed_url"] == f"{PRODUCTION_SITEURL}/{rel}"
        for item in feed["items"]:
            for url in (item["id"], item["url"], item["image"]):
                assert local_path(production_site, url, PRODUCTION_SITEURL).is_file()
            html = item["content_html"]
            assert ' href="/' not in html and ' src="/' not in html
            assert ' href="../' not in html and ' src="../' not in html


def test_every_page_advertises_the_json_feed_and_listings_their_own(site):
    for html_file in site.html_files():
        page = parse_html(html_file)
        feeds = page.find_all("link", rel="alternate", type="application/feed+json")
        targets = {(html_file.parent / f["href"]).resolve() for f in feeds}
        assert (site.output / "feeds" / "all.json").resolve() in targets, html_file
        assert all(t.is_file() for t in targets), html_file
    category = parse_html(site.file_for("category/cms/"))
    hrefs = [f["href"] for f in category.find_all("link", type="application/feed+json")]
    assert any(h.endswith("feeds/category/cms.json") for h in hrefs)


# Canonical, OpenGraph and Twitter ---------------------------------------------


def test_production_pages_have_an_absolute_canonical_url_of_their_own(production_site):
    checked = 0
    for html_file in production_site.html_files():
        page = parse_html(html_file)
        canonical = page.find_all("link", rel="canonical")
        if html_file.name == "404.html":
            assert canonical == []
            continue
        expected = f"{PRODUCTION_SITEURL}/{page_url_path(production_site.output, html_file)}"
        assert [c["href"] for c in canonical] == [expected]
        og_url = page.find("meta", property="og:url")["content"]
        assert og_url == expected
        checked += 1
    assert checked > 10


def test_production_opengraph_and_twitter_cards_are_complete_and_absolute(production_site):
    for html_file in production_site.html_files():
        page = parse_html(html_file)
        props = {m["property"]: m["content"] for m in page.find_all("meta", property=True)}
        names = {m["name"]: m["content"] for m in page.find_all("meta", attrs={"name": True})}
        for key in ("og:title", "og:description", "og:site_name", "og:type", "og:image"):
            assert props.get(key), (html_file, key)
        assert names["twitter:card"] == "summary_large_image"
        assert names["twitter:image"] == props["og:image"]
        image = local_path(production_site, props["og:image"], PRODUCTION_SITEURL)
        with Image.open(image) as card:
            assert card.size == (1200, 630), html_file


def test_essay_opengraph_describes_the_article(production_site, seed_source, essay_url):
    meta, _ = seed_source
    page = production_site.page(essay_url)
    props = {}
    for m in page.find_all("meta", property=True):
        props.setdefault(m["property"], []).append(m["content"])
    assert props["og:type"] == ["article"]
    assert [normalise_text(t) for t in props["og:title"]] == [meta["title"]]
    assert props["og:image"] == [f"{PRODUCTION_SITEURL}/{essay_url}social.png"]
    assert props["article:published_time"][0].startswith(meta["date"])
    assert sorted(props["article:tag"]) == sorted(t.strip() for t in meta["tags"].split(","))


# JSON-LD -----------------------------------------------------------------------


def test_essay_json_ld_is_a_blog_posting_with_breadcrumbs(production_site, seed_source, essay_url):
    meta, _ = seed_source
    graph = json_ld(production_site.page(essay_url))
    assert graph["@context"] == "https://schema.org"
    posting = node(graph, "BlogPosting")
    canonical = f"{PRODUCTION_SITEURL}/{essay_url}"
    assert posting["headline"] == meta["title"]
    assert posting["url"] == posting["mainEntityOfPage"] == canonical
    assert posting["author"][0]["name"] == meta["author"]
    assert posting["datePublished"].startswith(meta["date"])
    datetime.fromisoformat(posting["dateModified"])
    assert posting["publisher"]["@type"] == "Organization"
    for url in (posting["image"]["url"], posting["publisher"]["logo"]["url"]):
        assert local_path(production_site, url, PRODUCTION_SITEURL).is_file()
    crumbs = node(graph, "BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[0]["item"] == PRODUCTION_SITEURL + "/"
    assert crumbs[1]["name"] == meta["category"]
    assert crumbs[-1]["item"] == canonical


def test_json_ld_date_modified_follows_the_modified_metadata(fixture_site):
    meta, _ = read_source(CHINESE_SOURCE)
    graph = json_ld(fixture_site.page(f"essays/{meta['slug']}/"))
    posting = node(graph, "BlogPosting")
    shanghai = ZoneInfo("Asia/Shanghai")
    modified = datetime.fromisoformat(meta["modified"]).replace(tzinfo=shanghai)
    published = datetime.fromisoformat(meta["date"]).replace(tzinfo=shanghai)
    assert datetime.fromisoformat(posting["dateModified"]) == modified
    assert datetime.fromisoformat(posting["datePublished"]) == published
    assert posting["headline"] == meta["title"]
    assert posting["inLanguage"] == "zh"


def test_ampersand_title_is_escaped_inside_json_ld(fixture_site):
    page = fixture_site.page("essays/credit-scores/")
    raw = page.find("script", type="application/ld+json").string
    assert "&" not in raw and "<" not in raw
    assert node(json.loads(raw), "BlogPosting")["headline"] == "Credit scores & their discontents"


def test_only_essays_carry_json_ld(site):
    for html_file in site.html_files():
        blocks = parse_html(html_file).find_all("script", type="application/ld+json")
        is_essay = parse_html(html_file).body["data-page-type"] == "essay"
        assert len(blocks) == (1 if is_essay else 0), html_file


# sitemap.xml and robots.txt ------------------------------------------------------


def sitemap_locs(build):
    tree = etree.parse(str(build.output / "sitemap.xml"))
    return [loc.text for loc in tree.getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)]


def test_sitemap_lists_every_published_essay_and_page_and_no_draft(fixture_site):
    locs = sitemap_locs(fixture_site)
    paths = {urlsplit(loc).path for loc in locs}
    assert len(paths) == len(locs)
    essays = {p.split("/")[2] for p in paths if p.startswith("/essays/")}
    assert essays == published_essay_slugs()
    pages = [m for m, _ in map(read_source, (FIXTURE_CONTENT / "pages").glob("*.md"))]
    for meta in pages:
        # An original page keeps the plain URL whatever its language.
        assert f"/{meta['slug']}/" in paths
    assert "/" in paths
    draft, _ = read_source(DRAFT_SOURCE)
    assert not any(draft["slug"] in p or p.startswith("/drafts/") for p in paths)
    assert not any(p.endswith("404.html") or "/page/" in p for p in paths)
    assert (fixture_site.output / "drafts" / draft["slug"] / "index.html").is_file()


def test_every_sitemap_entry_is_a_built_page_with_a_valid_lastmod(production_site):
    tree = etree.parse(str(production_site.output / "sitemap.xml"))
    urls = tree.getroot().findall("sm:url", SITEMAP_NS)
    assert urls
    for url in urls:
        loc = url.find("sm:loc", SITEMAP_NS).text
        assert local_path(production_site, loc, PRODUCTION_SITEURL).is_file()
        lastmod = url.find("sm:lastmod", SITEMAP_NS)
        if lastmod is not None:
            assert datetime.fromisoformat(lastmod.text).tzinfo is not None


def test_robots_txt_points_to_the_absolute_sitemap(production_site):
    lines = (production_site.output / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Sitemap:")]
    assert sitemaps == [PRODUCTION_SITEURL + "/sitemap.xml"]
    assert local_path(production_site, sitemaps[0], PRODUCTION_SITEURL).is_file()
    assert not any(line.strip() == "Disallow: /" for line in lines)


# Favicon and social cards ------------------------------------------------------------


def test_every_page_links_an_svg_favicon_and_a_png_fallback(site):
    for html_file in site.html_files():
        page = parse_html(html_file)
        icons = {
            link.get("type"): (html_file.parent / link["href"]).resolve()
            for link in page.find_all("link", rel="icon")
        }
        assert set(icons) == {"image/svg+xml", "image/png"}, html_file
        assert etree.parse(str(icons["image/svg+xml"])).getroot().tag.endswith("svg")
        with Image.open(icons["image/png"]) as png:
            assert png.format == "PNG" and png.size[0] == png.size[1] >= 32
        touch = page.find("link", rel="apple-touch-icon")
        with Image.open((html_file.parent / touch["href"]).resolve()) as png:
            assert png.size == (180, 180)


def title_ink(path):
    """Pixels in the title area of a card that are not background."""
    with Image.open(path) as card:
        assert card.size == (1200, 630)
        area = card.convert("RGB").crop((96, 168, 1104, 500))
    diff = ImageChops.difference(area, Image.new("RGB", area.size, BACKGROUND))
    return diff.convert("L").point(lambda value: 255 if value > 40 else 0).histogram()[255]


@pytest.mark.parametrize("slug", sorted(published_essay_slugs()))
def test_every_fixture_essay_has_a_social_card_with_its_title_drawn(fixture_site, slug):
    cards = list((fixture_site.output / "essays" / slug).rglob("social.png"))
    # One card per language version (a translation shares its original's slug).
    assert len(cards) == sum(1 for m in fixture_essays() if m["slug"] == slug)
    assert all(title_ink(card) > 2000 for card in cards)


def test_chinese_and_english_cards_differ_and_both_carry_text(fixture_site):
    meta, _ = read_source(CHINESE_SOURCE)
    chinese = fixture_site.output / "essays" / meta["slug"] / "social.png"
    english = fixture_site.output / "essays" / "settlement-windows" / "social.png"
    assert title_ink(chinese) > 2000 and title_ink(english) > 2000
    assert chinese.read_bytes() != english.read_bytes()


def test_production_build_publishes_the_same_cards_as_the_local_build(site, production_site):
    local = sorted(p.relative_to(site.output) for p in site.output.rglob("social.png"))
    prod = sorted(
        p.relative_to(production_site.output) for p in production_site.output.rglob("social.png")
    )
    assert local == prod and local
    for rel in local:
        assert (site.output / rel).read_bytes() == (production_site.output / rel).read_bytes()


# Translations -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def translated_site(tmp_path_factory):
    """A two-essay site where one essay also exists in Chinese."""
    content = tmp_path_factory.mktemp("translated_content")
    (content / "essays").mkdir()
    (content / "pages").mkdir()
    common = "Date: 2026-05-01\nAuthor: Test Author\nCategory: Payments\nSlug: clearing\n"
    (content / "essays" / "clearing.md").write_text(
        f"Title: Clearing\n{common}Lang: en\nSummary: English.\n\nEnglish body.\n",
        encoding="utf-8",
    )
    (content / "essays" / "clearing-zh.md").write_text(
        f"Title: 清算\n{common}Lang: zh\nTranslation: true\nSummary: 中文。\n\n中文正文。\n",
        encoding="utf-8",
    )
    build = build_in_process(
        ROOT / "pelicanconf.py", tmp_path_factory.mktemp("translated"), content=content
    )
    assert [r.getMessage() for r in warnings_in(build.records)] == []
    return build


def test_sitemap_links_translations_to_each_other(translated_site):
    tree = etree.parse(str(translated_site.output / "sitemap.xml"))
    entries = {}
    for url in tree.getroot().iterfind("sm:url", SITEMAP_NS):
        loc = url.find("sm:loc", SITEMAP_NS).text
        links = url.findall("{http://www.w3.org/1999/xhtml}link")
        entries[urlsplit(loc).path] = {
            (a.get("hreflang"), urlsplit(a.get("href")).path) for a in links
        }
    both = {("en", "/essays/clearing/"), ("zh", "/essays/clearing/zh/")}
    assert entries["/essays/clearing/"] == both
    assert entries["/essays/clearing/zh/"] == both
    for _lang, path in both:
        assert translated_site.file_for(path).is_file()


def test_translation_has_its_own_card_feed_item_and_json_ld(translated_site):
    card = translated_site.output / "essays" / "clearing" / "zh" / "social.png"
    assert title_ink(card) > 500
    feed = check_json_feed(translated_site.output / "feeds" / "all.json")
    assert {(i["title"], i["language"]) for i in feed["items"]} == {
        ("Clearing", "en"),
        ("清算", "zh"),
    }
    posting = node(json_ld(translated_site.page("essays/clearing/zh/")), "BlogPosting")
    assert posting["headline"] == "清算" and posting["inLanguage"] == "zh"
