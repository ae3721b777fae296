"""JSON-LD is valid JSON that no title can break out of, with every field mapped."""

import json
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from plugins.share_meta.share_meta import DEFAULTS, article_graph, script_safe_json

SHANGHAI = ZoneInfo("Asia/Shanghai")
SETTINGS = {**DEFAULTS, "SITEURL": "https://example.org/sub", "SITENAME": "Site & Co"}


class Term(str):
    """A category, tag or author: text with a url, like Pelican's URLWrapper."""

    def __new__(cls, name, url):
        term = super().__new__(cls, name)
        term.url = url
        return term


def essay(**extra):
    fields = {
        "title": "Plain title",
        "summary": "<p>One sentence.</p>",
        "url": "essays/plain/",
        "lang": "en",
        "date": datetime(2026, 1, 2, 9, 30, tzinfo=SHANGHAI),
        "authors": [Term("Ann Author", "author/ann-author/")],
        "category": Term("Payments", "category/payments/"),
        "tags": [Term("APIs", "tag/apis/")],
        "social_image": "essays/plain/social.png",
    }
    return SimpleNamespace(**{**fields, **extra})


def embedded(article):
    """Put the JSON-LD in a page as the template does and read it back as a browser would."""
    data = script_safe_json(article_graph(article, SETTINGS))
    html = (
        f'<html><head><script type="application/ld+json">{data}</script></head>'
        '<body><p id="after">x</p></body></html>'
    )
    soup = BeautifulSoup(html, "lxml")
    scripts = soup.find_all("script")
    return scripts, soup


def by_type(graph, type_name):
    (node,) = [n for n in graph["@graph"] if n["@type"] == type_name]
    return node


def test_hostile_title_stays_inside_the_json_ld_block():
    hostile = "</script><script>alert(1)</script><!-- & -->"
    scripts, soup = embedded(essay(title=hostile.replace("<", "&lt;").replace(">", "&gt;")))
    assert len(scripts) == 1
    raw = scripts[0].string
    assert "<" not in raw and ">" not in raw and "&" not in raw
    graph = json.loads(raw)
    assert by_type(graph, "BlogPosting")["headline"] == hostile
    assert soup.find(id="after") is not None


def test_blog_posting_carries_headline_dates_author_publisher_and_image():
    graph = article_graph(essay(), SETTINGS)
    assert graph["@context"] == "https://schema.org"
    posting = by_type(graph, "BlogPosting")
    assert posting["headline"] == "Plain title"
    assert posting["description"] == "One sentence."
    assert posting["datePublished"] == "2026-01-02T09:30:00+08:00"
    assert posting["dateModified"] == posting["datePublished"]
    assert posting["author"] == [
        {
            "@type": "Person",
            "name": "Ann Author",
            "url": "https://example.org/sub/author/ann-author/",
        }
    ]
    assert posting["publisher"]["name"] == "Site & Co"
    assert posting["publisher"]["logo"]["url"].startswith("https://example.org/sub/")
    assert posting["image"]["url"] == "https://example.org/sub/essays/plain/social.png"
    assert (posting["image"]["width"], posting["image"]["height"]) == (1200, 630)
    assert posting["mainEntityOfPage"] == "https://example.org/sub/essays/plain/"
    assert "isBasedOn" not in posting and "translator" not in posting


def test_date_modified_comes_from_the_modified_date():
    changed = datetime(2026, 3, 4, 18, 0, tzinfo=SHANGHAI)
    posting = by_type(article_graph(essay(modified=changed), SETTINGS), "BlogPosting")
    assert posting["dateModified"] == "2026-03-04T18:00:00+08:00"
    assert posting["datePublished"] == "2026-01-02T09:30:00+08:00"


def test_breadcrumbs_lead_from_home_through_the_section_to_the_essay():
    crumbs = by_type(article_graph(essay(), SETTINGS), "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "Site & Co", "https://example.org/sub/"),
        (2, "Payments", "https://example.org/sub/category/payments/"),
        (3, "Plain title", "https://example.org/sub/essays/plain/"),
    ]


def test_provenance_of_a_human_translation_is_mapped():
    provenance = {
        "source_name": "财经周刊",
        "source_url": "https://source.example/article/1",
        "original_language": "zh",
        "translator": "Tom Translator",
        "machine_translated": False,
    }
    posting = by_type(article_graph(essay(provenance=provenance), SETTINGS), "BlogPosting")
    assert posting["isBasedOn"] == {
        "@type": "CreativeWork",
        "name": "财经周刊",
        "url": "https://source.example/article/1",
        "inLanguage": "zh",
    }
    assert posting["translationOfWork"] == posting["isBasedOn"]
    assert posting["translator"] == {"@type": "Person", "name": "Tom Translator"}
    assert posting["inLanguage"] == "en"


def test_machine_translation_is_not_credited_to_a_person():
    provenance = {
        "source_name": "Original",
        "source_url": "",
        "original_language": "zh",
        "translator": "",
        "machine_translated": True,
    }
    posting = by_type(article_graph(essay(provenance=provenance), SETTINGS), "BlogPosting")
    assert posting["translator"]["@type"] == "Organization"
    assert posting["isBasedOn"] == {"@type": "CreativeWork", "name": "Original", "inLanguage": "zh"}


def test_same_language_source_is_based_on_but_not_translated():
    provenance = {"source_name": "Wire", "original_language": "en"}
    posting = by_type(article_graph(essay(provenance=provenance), SETTINGS), "BlogPosting")
    assert posting["isBasedOn"]["name"] == "Wire"
    assert "translationOfWork" not in posting and "translator" not in posting
