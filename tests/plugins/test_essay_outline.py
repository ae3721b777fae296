"""Word counts, reading time, heading permalinks and the table of contents."""

import pytest
from bs4 import BeautifulSoup

from plugins.essay_outline.essay_outline import (
    count_words,
    heading_anchors,
    heading_count,
    outline,
    reading_minutes,
)


@pytest.mark.parametrize(
    ("text", "words", "cjk"),
    [
        ("Banks and fintech firms cooperate.", 5, 0),
        ("网联成立以后\uff0c支付机构不再直连银行\u3002", 16, 16),
        # Latin words inside Chinese count as words; punctuation counts not at all.
        ("这是 ABC 的变化\u2014\u2014API 很好\u3002", 9, 7),
        ("カタカナ と ひらがな", 9, 9),
        ("— & 123", 1, 0),
    ],
)
def test_cjk_characters_count_one_each_and_other_words_by_spaces(text, words, cjk):
    assert count_words(text) == (words, cjk)


def test_reading_time_uses_hugo_speeds_and_never_says_zero():
    assert reading_minutes(1, 0) == 1
    assert reading_minutes(213, 0) == 1
    assert reading_minutes(214, 0) == 2
    assert reading_minutes(501, 501) == 1
    assert reading_minutes(502, 502) == 2
    # A Chinese essay of 1,500 characters reads in 3 minutes, not 8.
    assert reading_minutes(1500, 1500) == 3


def test_every_section_heading_gets_a_named_permalink_beside_it():
    html = '<h2 id="a">Alpha</h2><p>x</p><h3 id="b">Beta <em>b</em></h3><h2>No id</h2>'
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    links = soup.select("a.heading-anchor")
    assert [a["href"] for a in links] == ["#a", "#b"]
    assert [a["aria-label"] for a in links] == ["Link to section: Alpha", "Link to section: Beta b"]
    assert all(a.get_text() == "#" for a in links)
    # Beside the heading, in one wrapper with it: the heading's name is its text.
    for link, heading in zip(links, ("h2", "h3"), strict=True):
        assert link.parent.name == "div" and link.parent["class"] == ["section-heading"]
        assert link.find_previous_sibling(heading) is not None
        assert link.find_parent(heading) is None
    assert soup.find("h2", id=False).find("a") is None
    assert soup.find("h2", id=False).parent.name == "[document]"


def test_permalink_label_comes_from_the_template_in_the_pages_language():
    soup = BeautifulSoup(heading_anchors('<h2 id="a">网联</h2>', "本节链接：%(title)s"), "lxml")
    assert soup.select_one("a.heading-anchor")["aria-label"] == "本节链接：网联"


def test_the_sites_notes_get_no_permalink():
    html = (
        '<h2 id="one">One</h2>'
        '<aside class="glossary-notes editorial-note"><h2 id="terms">Terms</h2></aside>'
        '<aside class="disclosure editorial-note"><h2 id="disclosure">Disclosure</h2></aside>'
    )
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    assert [a["href"] for a in soup.select("a.heading-anchor")] == ["#one"]


def test_outline_nests_h3_under_the_h2_before_it():
    html = (
        '<h3 id="lead">Lead</h3><h2 id="one">One</h2><h3 id="one-a">One A</h3><h2 id="two">Two</h2>'
    )
    tree = outline(html)
    assert [(e["id"], [c["id"] for c in e["children"]]) for e in tree] == [
        ("lead", []),
        ("one", ["one-a"]),
        ("two", []),
    ]
    assert heading_count(tree) == 4


def test_permalink_names_the_heading_by_its_text_through_inline_markup_and_entities():
    html = (
        '<h2 id="att">AT&amp;T&#8217;s <em>new</em> <span class="caps">API</span>&nbsp;'
        "<code>a&lt;b</code></h2>"
        '<h3 id="网联的作用">网联的<strong>作用</strong></h3>'
    )
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    first, second = soup.select("a.heading-anchor")
    assert first["aria-label"] == "Link to section: AT&T\u2019s new API a<b"
    assert first["href"] == "#att"
    assert second["aria-label"] == "Link to section: 网联的作用"
    assert second["href"] == "#网联的作用"
    # The heading keeps its own markup, and the link comes right after it.
    assert soup.h2.em.get_text() == "new" and soup.h2.select_one("span.caps").get_text() == "API"
    assert soup.h2.find_next_sibling() is first and soup.h3.find_next_sibling() is second


def test_permalink_href_keeps_an_id_with_an_ampersand():
    soup = BeautifulSoup(heading_anchors('<h4 id="q&amp;a">Q &amp; A</h4>'), "html.parser")
    assert soup.select_one("h4 + a.heading-anchor")["href"] == "#q&a"


def test_headings_in_comments_and_attributes_are_not_headings():
    html = (
        '<!-- <h2 id="old">Old</h2> -->'
        "<h2 title=\"a > b\" id='real'>Real <!-- a </h2> in a comment --></h2>"
        '<p data-note="<h3 id=x>">Text</p>'
    )
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    assert [a["href"] for a in soup.select("a.heading-anchor")] == ["#real"]
    assert soup.select_one("a.heading-anchor")["aria-label"] == "Link to section: Real"
    assert outline(html) == [{"id": "real", "text": "Real", "children": []}]


def test_permalinks_leave_the_rest_of_the_essay_as_written():
    html = (
        "<p>Banks&#8217; <span class='caps'>API</span>s &amp; more<br/></p>\n"
        '<h2 id="a" class="x">Alpha</h2>\n<h5 id="five">Five</h5>\n'
    )
    with_links = str(heading_anchors(html))
    link = (
        ' <a aria-label="Link to section: Alpha" class="heading-anchor"'
        ' data-pagefind-ignore href="#a">#</a>'
    )
    heading = '<h2 id="a" class="x">Alpha</h2>'
    assert with_links == html.replace(
        heading, f'<div class="section-heading">{heading}{link}</div>'
    )


def test_outline_reads_heading_text_and_leaves_out_the_sites_notes():
    html = (
        '<h2 id="one">One &amp; <em>only</em></h2>'
        '<h3 id="sub">Sub&nbsp;part</h3><h4 id="deep">D</h4>'
        '<aside class="glossary-notes editorial-note"><h2 id="terms">Terms</h2></aside>'
        "<h2>No id</h2>"
    )
    assert outline(html) == [
        {
            "id": "one",
            "text": "One & only",
            "children": [{"id": "sub", "text": "Sub part", "children": []}],
        }
    ]


def test_a_heading_never_closed_gets_no_link():
    html = '<h2 id="open">Open<p>Text</p><h3 id="closed">Closed</h3>'
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    assert [a["href"] for a in soup.select("a.heading-anchor")] == ["#closed"]
