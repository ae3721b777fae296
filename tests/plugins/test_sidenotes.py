"""Footnotes become sidenotes on the page; the endnote list stays for print."""

import markdown
from bs4 import BeautifulSoup

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
