"""Every listing page links to the essay, and every page has the same skeleton."""

import os
from datetime import datetime

import pytest

from tests.support import page_url_path, resolve_internal


def links_to(site, url_path, target_url):
    """True when the page at url_path has an <a> that resolves to target_url."""
    page_file = site.file_for(url_path)
    target_file = site.file_for(target_url)
    soup = site.page(url_path)
    for a in soup.select("main a[href]"):
        resolved = resolve_internal(site.output, page_file, a["href"])
        if resolved and resolved[0] == target_file:
            return True
    return False


@pytest.mark.parametrize(
    "listing",
    [
        "",
        "archives/",
        "archives/{year}/",
        "archives/{year}/{month}/",
        "category/cms/",
        "categories/",
        "author/xue-hong-yan/",
        "authors/",
        "tag/fintech/",
        "tag/internet-finance/",
        "tag/banking/",
        "tag/partnerships/",
    ],
)
def test_listing_page_links_to_the_essay(site, essay_url, seed_source, listing):
    date = datetime.fromisoformat(seed_source[0]["date"])
    url = listing.format(year=f"{date:%Y}", month=f"{date:%m}")
    if listing in ("categories/", "authors/"):
        target = "category/cms/" if listing == "categories/" else "author/xue-hong-yan/"
        assert links_to(site, url, target)
    else:
        assert links_to(site, url, essay_url)


def test_every_tag_of_the_essay_has_a_listing_page(site, seed_source):
    tags_page = site.page("tags/")
    names = {a.get_text(strip=True) for a in tags_page.select("main .term-list a")}
    assert names == {t.strip() for t in seed_source[0]["tags"].split(",")}


def test_about_page_is_published_and_in_the_navigation(site):
    about = site.page("about/")
    assert about.h1.get_text(strip=True) == "About"
    nav_targets = [a["href"] for a in site.page("").select("nav.site-nav a")]
    assert any(href.rstrip("/").endswith("about") for href in nav_targets)


def test_not_found_page_exists_and_links_home(site):
    page = site.page("404.html")
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.select_one("main a[href]") is not None


@pytest.fixture(scope="module")
def all_pages(site):
    return [(path, site.page(page_url_path(site.output, path))) for path in site.html_files()]


def test_site_has_a_page_for_every_type(site):
    expected = [
        "index.html",
        "404.html",
        "about/index.html",
        "archives/index.html",
        "categories/index.html",
        "tags/index.html",
        "authors/index.html",
    ]
    for rel in expected:
        assert (site.output / rel).is_file(), rel


def test_every_page_has_landmarks_one_h1_and_a_skip_link(all_pages):
    assert len(all_pages) >= 15
    for path, page in all_pages:
        assert len(page.find_all("h1")) == 1, path
        for landmark in ("header", "nav", "main", "footer"):
            assert page.find(landmark) is not None, (path, landmark)
        skip = page.find("a", class_="skip-link")
        assert skip is not None and skip["href"] == "#main", path
        assert page.find(id="main").name == "main", path
        assert page.html.get("lang"), path
        assert page.title.get_text(strip=True), path


def test_every_page_advertises_the_site_feeds(all_pages):
    for path, page in all_pages:
        types = {link["type"] for link in page.find_all("link", rel="alternate")}
        assert {"application/atom+xml", "application/rss+xml"} <= types, path


def test_listing_pages_advertise_their_own_feeds(site):
    for url, feed in [
        ("category/cms/", "feeds/category/cms.atom.xml"),
        ("tag/fintech/", "feeds/tag/fintech.atom.xml"),
        ("author/xue-hong-yan/", "feeds/author/xue-hong-yan.atom.xml"),
    ]:
        hrefs = [
            os.path.normpath(site.file_for(url).parent / link["href"])
            for link in site.page(url).find_all("link", rel="alternate")
        ]
        assert os.path.normpath(site.output / feed) in hrefs, url


def test_dates_are_machine_readable(all_pages):
    count = 0
    for _path, page in all_pages:
        for time in page.find_all("time"):
            datetime.fromisoformat(time["datetime"])
            count += 1
    assert count > 0


def test_pages_load_no_script_and_nothing_from_other_hosts(all_pages):
    for path, page in all_pages:
        # JSON-LD data blocks are never executed; any other script element is code.
        code = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        assert all(not s.get("src") for s in page.find_all("script", type="application/ld+json"))
        scripts = [script["src"].rsplit("/", 1)[-1] for script in code]
        if page.body.get("data-page-type") == "search":
            # The one page that needs script loads the site's own search module.
            assert len(scripts) == 1 and scripts[0].startswith("search."), path
        else:
            assert scripts == [], path
        for tag in page.find_all(["link", "img", "iframe", "source", "video", "audio"]):
            if tag.name == "link" and "alternate" in tag.get("rel", []):
                continue
            for attr in ("href", "src", "srcset"):
                value = tag.get(attr, "")
                assert not value.startswith(("http:", "https:", "//")), (path, tag)


def test_every_page_declares_its_type_and_security_policy(all_pages):
    types = set()
    for path, page in all_pages:
        page_type = page.body.get("data-page-type")
        assert page_type, path
        types.add(page_type)
        csp = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp is not None and "default-src 'self'" in csp["content"], path
        assert "unsafe-inline" not in csp["content"], path
    assert {"index", "essay", "page", "archives", "period-archives", "not-found"} <= types
    assert {"categories", "category", "tags", "tag", "authors", "author"} <= types
