"""Glossary linking on rendered HTML, and the checks on the glossary file."""

import logging
import types

import pytest

from plugins.editorial.glossary import (
    Term,
    build_matcher,
    link_first_uses,
    load_glossary,
    skipped_terms,
)


def term(name, *aliases, chinese="", chinese_except=()):
    slug = name.lower().replace(" ", "-")
    return Term(term=name, definition=f"{name} defined.", slug=slug, aliases=list(aliases),
                chinese=chinese, chinese_except=list(chinese_except))  # fmt: skip


def link(markup, *terms, skip=frozenset()):
    terms = list(terms)
    linked, used = link_first_uses(
        markup, terms, build_matcher(terms), lambda t: f'<a data-term="{t.slug}">', skip
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


LONG_S = "\u017f"


@pytest.mark.parametrize("entity", ["&unknown;", "&fjlig;"])
def test_entity_not_standing_for_one_character_does_not_shift_the_link(entity):
    # &unknown; stays as written (seven characters of text), &fjlig; is "fj".
    html, used = link(f"<p>{entity} Fintech here</p>", term("Fintech"))
    assert html == f'<p>{entity} <a data-term="fintech">Fintech</a> here</p>'
    assert used == ["Fintech"]


def test_term_is_found_in_every_paragraph_until_its_first_use():
    paragraphs = "".join(f"<p>Paragraph {n} says nothing.</p>" for n in range(50))
    html, used = link(paragraphs + "<p>Then a clearing house.</p>", term("clearing house"))
    assert html.endswith('<p>Then a <a data-term="clearing-house">clearing house</a>.</p>')
    assert used == ["clearing house"]


def test_letter_the_matcher_folds_but_lower_case_keeps_is_still_matched():
    # The regex engine matches the long s (U+017F) with s when ignoring case,
    # though str.lower() keeps it: linking must not depend on str.lower.
    html, used = link(f"<p>a {LONG_S}mall amount</p>", term("small amount"))
    assert html == f'<p>a <a data-term="small-amount">{LONG_S}mall amount</a></p>'
    assert used == ["small amount"]


def test_term_beginning_with_an_apostrophe_matches_its_typographic_form():
    html, used = link("<p>the &#8217;90s boom</p>", term("'90s boom"))
    assert html == '<p>the <a data-term="\'90s-boom">&#8217;90s boom</a></p>'
    assert used == ["'90s boom"]


def test_later_use_of_a_linked_term_still_hides_a_term_it_overlaps():
    # Matching runs left to right over each paragraph and never overlaps:
    # "open banking" is taken before "banking rules" can start inside it.
    html, used = link(
        "<p>Open banking. Then open banking rules.</p>", term("open banking"), term("banking rules")
    )
    assert html == '<p><a data-term="open-banking">Open banking</a>. Then open banking rules.</p>'
    assert used == ["open banking"]


def test_match_across_paragraph_boundary_is_not_made():
    html, used = link("<p>a clearing</p><p>house</p>", term("clearing house"))
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
    assert (
        3,
        "unknown key 'defintion' — use term, aliases, chinese, chinese_except, definition or note",
    ) in errors


LANDING = term("landing", chinese="落地", chinese_except=["应声落地", "落地窗"])


def test_a_chinese_original_inside_an_excepted_phrase_is_not_the_term():
    html, used = link("<p>几枚硬币应声落地。</p><p>站在落地窗前。</p>", LANDING)
    assert used == [] and "<a" not in html


def test_after_an_excepted_use_the_next_use_of_the_original_is_linked():
    html, used = link("<p>几枚硬币应声落地，监管政策终于落地。</p>", LANDING)
    assert used == ["landing"]
    assert html == '<p>几枚硬币应声落地，监管政策终于<a data-term="landing">落地</a>。</p>'


def test_the_english_term_is_linked_whatever_the_exceptions():
    _, used = link("<p>The landing of the rules.</p>", LANDING)
    assert used == ["landing"]


def test_an_essay_can_switch_one_term_off():
    gold = term("mutual gold giants", chinese="互金巨头")
    html, used = link("<p>互金巨头 and landing</p>", gold, LANDING, skip={"landing"})
    assert used == ["mutual gold giants"]
    assert 'data-term="landing"' not in html


def essay_with(skip, path="content/essays/x.md"):
    return types.SimpleNamespace(
        metadata={"glossary_skip": skip},
        source_path=path,
        settings={"GLOSSARY_PATH": "glossary.toml"},
    )


def test_glossary_skip_names_terms_by_any_spelling_and_chinese_commas():
    gold = term("mutual gold giants", "mutual gold giant", chinese="互金巨头")
    terms = [gold, LANDING, term("Fintech")]
    skip = skipped_terms(essay_with("Mutual Gold Giant，落地"), terms)
    assert skip == {"mutual-gold-giants", "landing"}


def test_glossary_skip_naming_no_term_is_an_error_with_its_line(tmp_path, caplog):
    essay = tmp_path / "x.md"
    essay.write_text("Title: X\nGlossary_skip: landng\n\nText.\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert skipped_terms(essay_with("landng", str(essay)), [LANDING]) == frozenset()
    (message,) = [r.getMessage() for r in caplog.records]
    assert message.startswith(f"{essay}:2: Glossary_skip names 'landng', which is no term")


def test_an_excepted_phrase_without_the_original_is_an_error(tmp_path):
    path = write(
        tmp_path,
        '[[term]]\nterm = "landing"\nchinese = "落地"\ndefinition = "A."\n'
        'chinese_except = ["应声落下"]\n',
    )
    terms, errors = load_glossary(path)
    assert terms == []
    assert errors[0][0] == 5
    assert "'应声落下' of 'landing' does not contain its chinese original '落地'" in errors[0][1]
