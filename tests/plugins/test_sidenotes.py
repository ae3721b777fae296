"""Footnotes become sidenotes on the page; the endnote list stays for print."""

import markdown
import pytest
from bs4 import BeautifulSoup, Comment
from typogrify.filters import typogrify

from plugins.sidenotes.sidenotes import sidenotes

MARKDOWN_EXTENSIONS = ["markdown.extensions.extra"]


def render(text):
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html5")


def test_each_reference_becomes_checkbox_label_and_note_in_order():
    html = render("First claim.[^a] Second claim.[^b]\n\n[^a]: Note A.\n[^b]: Note *B*.\n")
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    anchors = soup.select("p > .sidenote-anchor")
    assert len(anchors) == 2
    for number, anchor in enumerate(anchors, start=1):
        toggle, label, note = anchor.find_all(recursive=False)
        assert (toggle.name, toggle["type"]) == ("input", "checkbox")
        assert label.name == "label" and label["for"] == toggle["id"]
        assert label.get_text() == f"Note {number}"
        assert "sidenote" in note["class"]
        assert note.select_one(".sidenote-number").get_text() == str(number)
    assert anchors[0].select_one(".sidenote").get_text() == "1 Note A."
    assert anchors[1].select_one(".sidenote em").get_text() == "B"
    # Ids are unique on the page.
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))


def test_screen_readers_hear_the_pages_own_word_for_note():
    html = render("甲[^a]\n\n[^a]: 乙。\n")
    soup = BeautifulSoup(sidenotes(html, "注释"), "html.parser")
    assert soup.select_one("label.sidenote-ref").get_text() == "注释 1"


def test_the_note_stays_inside_its_paragraph_as_phrasing_content():
    html = render("Claim.[^n]\n\n[^n]: One paragraph.\n\n    Another paragraph.\n")
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    note = soup.select_one("p .sidenote")
    assert note is not None
    assert note.find(["p", "div", "ul", "ol"]) is None
    assert [p.get_text() for p in note.select(".sidenote-para")] == [
        "One paragraph.",
        "Another paragraph.",
    ]


def test_endnotes_remain_numbered_without_links_back():
    html = render("Claim.[^n]\n\n[^n]: The note.\n")
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    endnotes = soup.select_one(".endnotes")
    assert [li.get_text(strip=True) for li in endnotes.select("ol > li")] == ["The note."]
    assert soup.select("a.footnote-backref") == []
    assert endnotes.has_attr("data-pagefind-ignore")
    # The reference keeps its id, so old links to it still land.
    assert soup.select_one(".sidenote-anchor")["id"] == "fnref:n"


def test_a_note_with_a_list_keeps_ordinary_footnotes():
    html = render("Claim.[^n]\n\n[^n]: Items:\n\n    - one\n    - two\n")
    assert str(sidenotes(html)) == html


def test_text_without_footnotes_is_unchanged():
    html = render("Plain *text* & more.")
    assert str(sidenotes(html)) == html


def test_repeated_references_to_one_note_each_get_a_sidenote():
    html = render("First.[^a] Again.[^a]\n\n[^a]: The *same* note.\n")
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    anchors = soup.select(".sidenote-anchor")
    assert [a["id"] for a in anchors] == ["fnref:a", "fnref2:a"]
    assert [a.input["id"] for a in anchors] == ["sidenote-1", "sidenote-2"]
    assert [a.select_one(".sidenote-para").get_text() for a in anchors] == ["The same note."] * 2
    # Both "jump back" links are gone from the endnote, with the space before them.
    endnote = soup.select_one(".endnotes li")
    assert endnote.find("a") is None
    assert endnote.p.get_text() == "The same note."


@pytest.mark.parametrize("space", ["&#160;", "&nbsp;", "\xa0", "&#xA0;"])
def test_no_break_space_before_a_jump_back_link_goes_however_it_is_written(space):
    html = (
        '<p>Claim.<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>'
        '<div class="footnote"><hr><ol><li id="fn:1">'
        f"<p>AT&amp;T&#8217;s note{space}"
        '<a class="footnote-backref" href="#fnref:1">&#8617;</a></p>'
        "</li></ol></div>"
    )
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    assert soup.select_one(".sidenote-para").get_text() == "AT&T\u2019s note"
    assert soup.select_one(".endnotes li p").get_text() == "AT&T\u2019s note"


def test_notes_keep_their_inline_markup_and_chinese_text():
    html = typogrify(
        render(
            "网联成立以后。[^1]\n\n[^1]: 见 *NASA* 与 `code` 的 [说明](https://example.com/?a=1&b=2)。\n"
        )
    )
    soup = BeautifulSoup(sidenotes(html), "html.parser")
    para = soup.select_one("p .sidenote .sidenote-para")
    assert para.em.get_text() == "NASA" and para.code.get_text() == "code"
    assert para.a["href"] == "https://example.com/?a=1&b=2"
    # typogrify's no-break spaces are spaces too.
    assert " ".join(para.get_text().split()) == "见 NASA 与 code 的 说明。"


def test_a_reference_in_a_comment_stays_a_comment():
    html = render("Claim.[^n]\n\n[^n]: The note.\n")
    commented = '<!-- <sup><a class="footnote-ref" href="#fn:n">9</a></sup> -->' + html
    soup = BeautifulSoup(sidenotes(commented), "html.parser")
    assert soup.find(string=lambda text: isinstance(text, Comment) and "footnote-ref" in text)
    assert [label.get_text() for label in soup.select("label.sidenote-ref")] == ["Note 1"]


def test_everything_but_the_footnotes_is_left_as_written():
    before = "<p>Banks&#8217; <span class='caps'>API</span>s &amp; more<br/>"
    html = before + render("Claim.[^n]\n\n[^n]: The note.\n")[len("<p>") :]
    assert str(sidenotes(html)).startswith(before + 'Claim.<span class="sidenote-anchor"')


def test_two_references_in_one_superscript_keep_ordinary_footnotes():
    html = (
        '<p>Claim.<sup><a class="footnote-ref" href="#fn:1">1</a>'
        '<a class="footnote-ref" href="#fn:2">2</a></sup></p>'
        '<div class="footnote"><ol><li id="fn:1"><p>One.</p></li>'
        '<li id="fn:2"><p>Two.</p></li></ol></div>'
    )
    assert str(sidenotes(html)) == html
