"""Glossary linking on rendered HTML, and the checks on the glossary file."""

import pytest

from plugins.editorial.glossary import (
    Term,
    build_matcher,
    link_first_uses,
    load_glossary,
)


def term(name, *aliases, chinese=""):
    slug = name.lower().replace(" ", "-")
    return Term(term=name, definition=f"{name} defined.", slug=slug, aliases=list(aliases),
                chinese=chinese)  # fmt: skip


def link(markup, *terms):
    terms = list(terms)
    linked, used = link_first_uses(
        markup, terms, build_matcher(terms), lambda t: f'<a data-term="{t.slug}">'
    )
    return linked, [t.term for t in used]


def test_only_the_first_use_is_linked():
    html, used = link("<p>Fintech here, fintech there.</p>", term("Fintech"))
    assert html == '<p><a data-term="fintech">Fintech</a> here, fintech there.</p>'
    assert used == ["Fintech"]


@pytest.mark.parametrize(
    "markup",
    [
        "<h2>Fintech</h2>",
        "<p><code>Fintech</code></p>",
        "<pre><code>Fintech</code></pre>",
        '<p><a href="x">about Fintech</a></p>',
        '<figure class="chart"><figcaption>Fintech</figcaption></figure>',
        '<aside class="disclosure"><p>Fintech</p></aside>',
    ],
)
def test_terms_in_headings_code_links_and_notes_are_not_linked(markup):
    html, used = link(markup + "<p>then Fintech</p>", term("Fintech"))
    assert html == markup + '<p>then <a data-term="fintech">Fintech</a></p>'
    assert used == ["Fintech"]


def test_match_ignores_case_and_typogrify_non_breaking_space():
    html, _ = link("<p>through a Clearing&nbsp;House</p>", term("clearing house"))
    assert html == '<p>through a <a data-term="clearing-house">Clearing&nbsp;House</a></p>'


def test_match_sees_through_typogrify_caps_span():
    markup = '<p>A <span class="caps">KYC</span> check takes days.</p>'
    html, _ = link(markup, term("KYC check"))
    assert html == (
        '<p>A <a data-term="kyc-check"><span class="caps">KYC</span> check</a> takes days.</p>'
    )


def test_typographic_apostrophe_and_hyphen_match_plain_ones():
    html, used = link("<p>the bank&#8217;s micro&#8209;channel</p>", term("bank's micro-channel"))
    assert used == ["bank's micro-channel"]
    assert html.startswith('<p>the <a data-term="bank\'s-micro-channel">bank&#8217;s')


def test_alias_and_chinese_original_count_as_first_use():
    gold = term("mutual gold giants", "mutual gold giant", chinese="互金巨头")
    html, used = link("<p>互金巨头 and the mutual gold giant</p>", gold)
    assert html == '<p><a data-term="mutual-gold-giants">互金巨头</a> and the mutual gold giant</p>'
    assert used == ["mutual gold giants"]


def test_words_inside_longer_words_are_not_matched():
    html, used = link("<p>landings and outlanding</p>", term("landing"))
    assert used == [] and "<a" not in html


def write(tmp_path, text):
    path = tmp_path / "glossary.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entry_without_definition_is_an_error_on_its_line(tmp_path):
    path = write(
        tmp_path,
        '[[term]]\nterm = "Fintech"\ndefinition = "Finance plus software."\n\n'
        '[[term]]\nterm = "Techfin"\nnote = "No definition here."\n',
    )
    terms, errors = load_glossary(path)
    assert [t.term for t in terms] == ["Fintech"]
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 5
    assert "'Techfin' has no definition" in message


def test_alias_claimed_by_two_terms_is_an_error_on_the_second_claim(tmp_path):
    path = write(
        tmp_path,
        '[[term]]\nterm = "Fintech"\naliases = ["financial technology"]\ndefinition = "A."\n'
        '[[term]]\nterm = "Techfin"\ndefinition = "B."\naliases = ["Financial Technology"]\n',
    )
    _, errors = load_glossary(path)
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 8
    assert "claimed by both 'Fintech' (line 2) and 'Techfin'" in message


def test_toml_syntax_error_names_its_line(tmp_path):
    path = write(tmp_path, '[[term]]\nterm = "Fintech"\ndefinition = "unclosed\n')
    terms, errors = load_glossary(path)
    assert terms == []
    assert errors[0][0] == 3


def test_unknown_key_is_an_error(tmp_path):
    path = write(tmp_path, '[[term]]\nterm = "Fintech"\ndefintion = "typo"\n')
    _, errors = load_glossary(path)
    assert (3, "unknown key 'defintion' — use term, aliases, chinese, definition or note") in errors
