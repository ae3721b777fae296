"""The shared HTML reader: tokens, attributes, start tags, text runs and the element tree."""

from html.parser import HTMLParser

import markdown

from plugins.core import html as bzhtml

WRAPPERS = frozenset({'<span class="caps">', '<span class="amp">'})


def names(elements):
    return [element.name for element in elements]


def runs(markup, skip=frozenset(), transparent=frozenset()):
    """Each run's text, joined."""
    return ["".join(text for _, text in run) for run in bzhtml.text_runs(markup, skip, transparent)]


# Tokens and start tags ------------------------------------------------------------


def test_attribute_values_with_gt_inside_quotes_do_not_end_the_tag():
    markup = "<a title=\"1 > 0\" href='#x'>link</a>"
    (tag,) = bzhtml.start_tags(markup)
    assert (tag.name, tag.start, tag.end) == ("a", 0, markup.index("link"))
    assert tag.attribute_values() == {"title": "1 > 0", "href": "#x"}
    assert bzhtml.text_of(markup) == "link"


def test_a_quote_outside_a_value_does_not_hide_the_tags_after_it():
    # As in a browser: the quote is part of the name a"b, not an opened value.
    markup = '<p a"b><script>x()</script><img src="x.png" alt=\'y"\'>'
    assert [tag.name for tag in bzhtml.start_tags(markup)] == ["p", "script", "img"]
    assert bzhtml.parse(markup)[0].attribute_values() == {'a"b': ""}


def test_script_and_style_text_is_not_tokenised():
    markup = (
        '<script>if (a<b && c>d) { x("<p onclick=y>") }</script>'
        "<style>a > b { content: '<em>' }</style><p>after</p>"
    )
    assert [tag.name for tag in bzhtml.start_tags(markup)] == ["script", "style", "p"]
    assert names(bzhtml.parse(markup)) == ["script", "style", "p"]
    assert bzhtml.text_of(markup) == "after"


def test_raw_text_ends_at_the_first_end_tag_of_its_name():
    markup = "<script>a</script ><p>b</p><style>c</STYLE><em>d</em>"
    assert [tag.name for tag in bzhtml.start_tags(markup)] == ["script", "p", "style", "em"]
    script = bzhtml.parse(markup)[0]
    assert markup[script.inner : script.close] == "a"
    assert markup[script.close : script.end] == "</script >"


def test_comments_and_declarations_are_skipped():
    markup = (
        "<!DOCTYPE html><!-- <h2 id='no'> --><?xml version='1.0'?><![CDATA[x]]>"
        "<!--> <h2 id='yes'>Title</h2><!-- never closed <h2 id='no'>"
    )
    assert [tag.get("id") for tag in bzhtml.start_tags(markup)] == ["yes"]
    assert [tag.get("id") for tag in bzhtml.start_tags(markup, ("h2",))] == ["yes"]
    assert bzhtml.text_of(markup) == " Title"


def test_what_a_browser_ends_at_the_first_gt_hides_no_tag_after_it():
    # Outside SVG and MathML a CDATA section, like "</" without a name, is a
    # comment up to the first ">".
    markup = "<![CDATA[ 1 > <img src=x onerror=y> ]]></ 2 > <a href=x>"
    assert [tag.name for tag in bzhtml.start_tags(markup)] == ["img", "a"]


def test_start_tags_of_given_names_are_found_alone():
    markup = '<p>One <em>two</em></p><H2 ID="a">Three</H2><h3 id=b>Four</h3><h23>no</h23>'
    found = list(bzhtml.start_tags(markup, ("h2", "h3")))
    assert [(tag.name, tag.get("id")) for tag in found] == [("h2", "a"), ("h3", "b")]
    assert [markup[tag.start : tag.end] for tag in found] == ['<H2 ID="a">', "<h3 id=b>"]


def test_start_tags_agree_with_html_parser_on_rendered_markdown():
    source = (
        '# Title\n\nText with *emphasis*, `code <b>`, a [link](http://x.test/?a=1&b=2 "T")'
        " and ![an image](img.png).[^1]\n\n<div class=\"raw\" data-x='1 > 0'>Raw</div>\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: A note.\n"
    )
    markup = markdown.markdown(source, extensions=["markdown.extensions.extra"])

    class Collector(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, [(name, value or "") for name, value in attrs]))

    collector = Collector()
    collector.feed(markup)
    collector.close()
    ours = [
        (tag.name, [(item.name, item.value) for item in tag.attribute_items()])
        for tag in bzhtml.start_tags(markup)
    ]
    assert ours == collector.tags


# Attributes ---------------------------------------------------------------------


def test_attributes_are_decoded_and_the_last_repeat_wins():
    (tag,) = bzhtml.start_tags('<a HREF="/a?x=1&amp;y=2" title=&quot;q&quot; href=/b hidden>')
    assert tag.attribute_values() == {"href": "/b", "title": '"q"', "hidden": ""}
    assert tag.get("href") == "/b"
    assert tag.get("missing") is None


def test_attribute_items_keep_repeats_in_order_with_offsets_into_the_source():
    markup = "Text <img src=\"a.png\" onerror=x ONERROR='y'>"
    (tag,) = bzhtml.start_tags(markup)
    items = tag.attribute_items()
    assert [(item.name, item.value) for item in items] == [
        ("src", "a.png"),
        ("onerror", "x"),
        ("onerror", "y"),
    ]
    assert [markup[item.start : item.end] for item in items] == [
        'src="a.png"',
        "onerror=x",
        "ONERROR='y'",
    ]


def test_a_class_is_found_among_several_and_through_references():
    (tag,) = bzhtml.start_tags('<div class="footnote endnotes">')
    assert tag.has_class("footnote") and tag.has_class("endnotes")
    assert not tag.has_class("foot")
    (tag,) = bzhtml.start_tags('<div class="x&#32;footnote">')
    assert tag.has_class("footnote")


def test_only_html_whitespace_separates_attributes():
    # A no-break space starts a name, as in a browser: it separates nothing.
    (tag,) = bzhtml.start_tags('<a title="t"\xa0onclick="x">')
    assert [item.name for item in tag.attribute_items()] == ["title", "\xa0onclick"]
    (tag,) = bzhtml.start_tags('<a\xa0onclick="x">')
    assert (tag.name, tag.attributes) == ('a\xa0onclick="x"', "")


def test_offsets_give_line_numbers():
    markup = "<p>one</p>\n<p>two</p>\n\n<img\nsrc=x>"
    lines = [markup.count("\n", 0, tag.start) + 1 for tag in bzhtml.start_tags(markup)]
    assert lines == [1, 2, 4]


# The element tree ----------------------------------------------------------------


def test_elements_nest_with_offsets_of_their_tags_and_content():
    markup = '<div class="a"><p>Hi <em>you</em></p></div>'
    div, p, em = bzhtml.parse(markup)
    assert (div.children, p.children, em.children) == ([p], [em], [])
    assert (em.parent, p.parent) == (p, div)
    assert markup[div.start : div.inner] == '<div class="a">'
    assert markup[p.inner : p.close] == "Hi <em>you</em>"
    assert markup[em.close : em.end] == "</em>"
    assert markup[em.before : em.start] == "Hi "
    assert list(div.descendants()) == [p, em]


def test_unclosed_elements_end_at_their_parents_end():
    markup = "<div><p>one<p>two</div>after"
    div, first, second = bzhtml.parse(markup)
    close = markup.index("</div>")
    # No <p> closes another: only end tags close elements.
    assert (first.parent, second.parent) == (div, first)
    assert first.end == second.end == close
    assert div.end == close + len("</div>")
    tail = bzhtml.parse("<p>never closed")
    assert tail[0].end == len("<p>never closed")


def test_an_end_tag_closes_the_latest_open_element_of_its_name():
    markup = "<div><span><b>x</span>y</div>"
    _, span, b = bzhtml.parse(markup)
    assert span.end == markup.index("y")
    assert b.end == markup.index("</span>")


def test_an_end_tag_with_no_open_element_is_ignored():
    markup = "<div>a</em>b</div>"
    (div,) = bzhtml.parse(markup)
    assert markup[div.inner : div.close] == "a</em>b"


def test_void_and_self_closed_elements_hold_nothing():
    markup = "<p>a<br>b<img src=x><x-y/>c</p>"
    p, br, img, custom = bzhtml.parse(markup)
    assert p.children == [br, img, custom]
    assert [br.end, img.end, custom.end] == [br.inner, img.inner, custom.inner]


# Text runs -----------------------------------------------------------------------


def test_tags_end_a_run_and_comments_do_not():
    assert runs("<p>one <em>two</em> three</p><p>four<!-- c -->five</p>") == [
        "one ",
        "two",
        " three",
        "fourfive",
    ]


def test_the_skip_set_is_honoured_with_its_nested_elements():
    markup = "<p>a <code>b <em>c</em></code> d</p><h2>e <span>f</span></h2><p>g</p>"
    assert runs(markup, skip={"code", "h2"}) == ["a ", " d", "g"]
    assert runs(markup) == ["a ", "b ", "c", " d", "e ", "f", "g"]


def test_an_unclosed_skipped_element_ends_with_its_parent():
    assert runs("<div><p>a<code>b</div><p>c</p>", skip={"code"}) == ["a", "c"]


def test_transparent_wrappers_keep_a_run_whole():
    markup = '<p>The <span class="caps">SEC</span> and A <span class="amp">&amp;</span> B.</p>'
    assert runs(markup, transparent=WRAPPERS) == ["The SEC and A &amp; B."]
    assert runs(markup) == ["The ", "SEC", " and A ", "&amp;", " B."]


def test_only_wrappers_written_exactly_so_are_transparent():
    markup = '<p>a <span class="caps x">B</span> <span>c</span> d</p>'
    assert runs(markup, transparent=WRAPPERS) == ["a ", "B", " ", "c", " d"]


def test_a_wrapper_end_tag_closes_only_the_wrapper_on_top():
    # The inner <span> is an element: its end tag ends the run, the wrapper's does not.
    markup = '<p>x <span class="caps">A<span>B</span>C</span> y</p>'
    assert runs(markup, transparent=WRAPPERS) == ["x A", "B", "C y"]


def test_run_offsets_map_to_the_source():
    markup = '<p>One <span class="caps">TWO</span> &amp; <!-- x --> three</p>'
    for run in bzhtml.text_runs(markup, transparent=WRAPPERS):
        for start, text in run:
            assert markup[start : start + len(text)] == text
    assert runs(markup, transparent=WRAPPERS) == ["One TWO &amp;  three"]


def test_script_text_is_never_a_run():
    assert runs("<p>a</p><script>var b = 1;</script><style>c{}</style>") == ["a"]


# Text and editing ----------------------------------------------------------------


def test_text_of_drops_markup_and_decodes_references():
    fragment = "A&nbsp;<em>b</em><!-- c --><script>d</script> &amp; e<br>f"
    assert bzhtml.text_of(fragment) == "A\xa0b & ef"
    assert bzhtml.text_of(fragment, " ") == "A\xa0 b    & e f"


def test_end_tag_skips_comments_and_is_none_when_missing():
    markup = "<h2>a<!-- </h2> --></H2 >b"
    start = markup.index("a")
    assert bzhtml.end_tag(markup, "h2", start) == (markup.index("</H2"), markup.index("b"))
    assert bzhtml.end_tag(markup, "h3", start) is None


def test_replace_elements_replaces_the_selected_ones_and_keeps_unclosed_ones():
    markup = (
        '<p>a<sup id="fnref:1"><a href="#fn:1">1</a></sup></p>'
        '<aside class="note">n</aside><aside class="keep">k</aside><aside class="note">open'
    )
    replaced = bzhtml.replace_elements(
        markup, ("sup", "aside"), lambda tag: tag.name == "sup" or tag.has_class("note"), "~"
    )
    assert replaced == '<p>a~</p>~<aside class="keep">k</aside><aside class="note">open'


def test_apply_edits_within_a_slice():
    text = "0123456789"
    assert bzhtml.apply_edits(text, [(6, 7, "x"), (3, 3, "+")], 2, 8) == "2+345x7"
    assert bzhtml.apply_edits(text, []) == text
