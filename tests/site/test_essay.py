"""The seed essay is published verbatim, with the right metadata around it."""

import re
from datetime import datetime

from tests.support import normalise_text

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
THEMATIC_BREAK = re.compile(r"^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$")


def source_blocks(body):
    """The essay's blocks as (kind, normalised text) from its Markdown."""
    blocks = []
    for raw in re.split(r"\n\s*\n", body.strip()):
        block = raw.strip()
        if heading := HEADING.match(block):
            blocks.append((f"h{len(heading.group(1))}", normalise_text(heading.group(2))))
        elif THEMATIC_BREAK.match(block):
            blocks.append(("hr", ""))
        else:
            blocks.append(("p", normalise_text(block)))
    return blocks


def without_furniture(essay_body):
    """The essay's body without the page's furniture: heading permalinks ("#")
    and the glossary's definitions, which the page adds to the author's words."""
    for furniture in essay_body.select(".heading-anchor, .glossary-popover"):
        furniture.decompose()
    for wrapper in essay_body.select(".section-heading"):
        wrapper.unwrap()
    return essay_body


def rendered_blocks(essay_body):
    without_furniture(essay_body)
    return [
        (el.name, normalise_text(el.get_text()))
        for el in essay_body.find_all(["h2", "h3", "h4", "p", "hr"], recursive=False)
    ]


def test_essay_page_holds_every_block_of_the_source_in_order(site, essay_url, seed_source):
    _, body = seed_source
    page = site.page(essay_url)
    essay_body = page.select_one("article .essay-body")
    assert essay_body is not None
    expected = source_blocks(body)
    # The seed has four section headings, a byline, a rule and a PS.
    assert [kind for kind, _ in expected].count("h2") == 4
    assert rendered_blocks(essay_body) == expected


def test_essay_byline_and_ps_survive_as_written(site, essay_url):
    body = without_furniture(site.page(essay_url).select_one(".essay-body"))
    blocks = body.find_all(recursive=False)
    # Glossary, corrections and disclosure notes follow the essay's own text.
    own = [block for block in blocks if "editorial-note" not in block.get("class", [])]
    text = normalise_text(" ".join(block.get_text() for block in own))
    assert "Author: Xue Hong Yan; micro-channel public number: Hung Yan whisper" in text
    assert text.endswith(
        "PS: Welcome to my LIVE sharing page to learn about internet finance/financial technology"
    )


def test_essay_title_and_h1_come_from_metadata(site, essay_url, seed_source):
    meta, _ = seed_source
    page = site.page(essay_url)
    h1s = page.find_all("h1")
    assert len(h1s) == 1
    assert normalise_text(h1s[0].get_text()) == meta["title"]
    assert normalise_text(page.title.get_text()).startswith(meta["title"])
    assert "bzdww" in page.title.get_text()


def test_essay_byline_names_author_and_date_and_the_header_its_section_once(
    site, essay_url, seed_source
):
    meta, _ = seed_source
    page = site.page(essay_url)
    byline = page.select_one("article header .byline")
    author = byline.find("a", rel="author")
    assert author.get_text(strip=True) == meta["author"] == "Xue Hong Yan"
    assert author["href"].rstrip("/").endswith("author/xue-hong-yan")
    published = datetime.fromisoformat(byline.find("time")["datetime"])
    assert published.date().isoformat() == meta["date"][:10]
    assert published.utcoffset() is not None
    header = page.select_one("article header")
    category_links = [a for a in header.find_all("a") if "category/" in a["href"]]
    assert [a.get_text(strip=True) for a in category_links] == [meta["category"]] == ["cms"]
    assert category_links[0].find_parent(class_="kicker") is not None


def test_essay_page_is_english_with_a_summary_description(site, essay_url, seed_source):
    meta, body = seed_source
    page = site.page(essay_url)
    assert page.html["lang"] == meta["lang"] == "en"
    description = page.find("meta", attrs={"name": "description"})["content"]
    assert normalise_text(description) == normalise_text(meta["summary"])
    # The summary is the essay's own opening, not new prose.
    assert normalise_text(body).startswith(normalise_text(meta["summary"]))


def test_essay_lists_its_tags(site, essay_url, seed_source):
    meta, _ = seed_source
    expected = [t.strip() for t in meta["tags"].split(",")]
    page = site.page(essay_url)
    tags = [a.get_text(strip=True) for a in page.select(".tag-list a[rel=tag]")]
    assert tags == expected
    assert 2 <= len(tags) <= 6
