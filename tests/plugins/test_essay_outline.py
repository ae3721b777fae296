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


def test_every_section_heading_gets_a_named_permalink():
    html = '<h2 id="a">Alpha</h2><p>x</p><h3 id="b">Beta <em>b</em></h3><h2>No id</h2>'
    soup = BeautifulSoup(heading_anchors(html), "html.parser")
    links = soup.select("a.heading-anchor")
    assert [a["href"] for a in links] == ["#a", "#b"]
    assert [a["aria-label"] for a in links] == ["Link to section: Alpha", "Link to section: Beta b"]
    assert all(a.get_text() == "#" for a in links)
    assert soup.find("h2", id=False).find("a") is None


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
