"""On the page, a glossary term opens its definition: a button and a popover, no script."""

from bs4 import BeautifulSoup

from plugins.editorial.glossary import Term, term_link, terms_note
from plugins.editorial.term_popovers import term_popovers

LANDING = Term(term="landing", definition="Putting a plan into practice.", slug="landing")


def linked(text):
    """An essay's content as the glossary leaves it: the term linked, the note after."""
    opening = term_link(LANDING, "pages/glossary.md")
    return f"<p>Hard to {opening}{text}</a> now.</p>" + terms_note([LANDING], "pages/glossary.md")


def test_term_becomes_a_button_that_opens_its_definition():
    soup = BeautifulSoup(term_popovers(linked("land<span class='caps'>ING</span>")), "lxml")
    button = soup.select_one("p > button.glossary-term")
    popover = soup.find(id=button["popovertarget"])
    assert button["type"] == "button"
    assert button.decode_contents() == 'land<span class="caps">ING</span>'
    assert popover.has_attr("popover") and popover.name == "span"
    assert "Putting a plan into practice." in popover.get_text()
    link = popover.select_one("a")
    assert link["href"] == "{filename}/pages/glossary.md#term-landing"
    assert link.get_text() == "In the glossary"
    # Screen readers still hear the definition from the "Terms" list.
    assert button["aria-describedby"] == "glossary-landing"
    assert soup.find(id="glossary-landing").get_text() == "Putting a plan into practice."
    # No hover-only tooltip, and no link left in the text itself.
    assert not soup.select("p > a.glossary-term") and not button.has_attr("title")


def test_link_to_the_glossary_is_named_in_the_pages_language():
    soup = BeautifulSoup(term_popovers(linked("落地"), "见术语表"), "lxml")
    assert soup.select_one(".glossary-popover a").get_text() == "见术语表"


def test_content_without_terms_is_left_as_it_is():
    html = '<p>A <a href="/x" class="other">link</a>.</p>'
    assert str(term_popovers(html)) == html


def test_terms_note_heading_is_given_in_the_essays_language_and_chinese_stays_whole():
    term = Term(term="WeChat", definition="A messaging app.", slug="wechat", chinese="微信公众号")
    soup = BeautifulSoup(terms_note([term], "pages/glossary.md", "本文术语"), "lxml")
    assert soup.select_one("h2").get_text() == "本文术语"
    chinese = soup.select_one("dt .term-chinese")
    assert chinese["lang"] == "zh" and chinese.get_text() == "微信公众号"


def test_an_english_glossary_on_a_chinese_essay_says_it_is_english():
    term = Term(term="open banking", definition="Banks sharing data, as 开放银行.", slug="ob")
    opening = term_link(term, "pages/glossary.md")
    content = f"<p>{opening}开放银行</a>的接口</p>" + terms_note(
        [term], "pages/glossary.md", "本文术语", "zh"
    )
    soup = BeautifulSoup(term_popovers(content, "见术语表", "zh"), "lxml")
    assert soup.select_one("dt a")["lang"] == "en"
    assert soup.select_one("dd")["lang"] == "en"
    popover = soup.select_one(".glossary-popover")
    assert [s.get("lang") for s in popover.find_all("span")] == [None, "en"]
    assert popover.find("span", lang="en").get_text() == "Banks sharing data, as 开放银行."
    # On an English essay the same glossary needs no marks.
    english = BeautifulSoup(terms_note([term], "pages/glossary.md", lang="en"), "lxml")
    assert english.find(lang=True) is None
