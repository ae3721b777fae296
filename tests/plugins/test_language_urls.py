"""Originals keep the plain URL in any language; only translations add theirs."""

from tests.support import FIXTURE_CONTENT, fixture_essays, read_source


def test_every_original_essay_is_at_its_plain_url_in_its_own_language(fixture_site):
    originals = [m for m in fixture_essays() if m.get("translation", "false") != "true"]
    assert {m["lang"] for m in originals} >= {"en", "zh"}
    for meta in originals:
        page = fixture_site.page(f"essays/{meta['slug']}/")
        assert page.html["lang"] == meta["lang"], meta["slug"]


def test_every_translation_is_under_its_originals_url_with_its_language(fixture_site):
    translations = [m for m in fixture_essays() if m.get("translation") == "true"]
    assert translations
    for meta in translations:
        page = fixture_site.page(f"essays/{meta['slug']}/{meta['lang']}/")
        assert page.html["lang"] == meta["lang"]
        # The original, at the plain URL, is in another language.
        assert fixture_site.page(f"essays/{meta['slug']}/").html["lang"] != meta["lang"]


def test_no_original_is_written_under_a_language_folder(fixture_site):
    langs = {m["lang"] for m in fixture_essays()}
    translated = {
        (m["slug"], m["lang"]) for m in fixture_essays() if m.get("translation") == "true"
    }
    for path in (fixture_site.output / "essays").glob("*/*/index.html"):
        slug, lang = path.parent.parent.name, path.parent.name
        if lang in langs:
            assert (slug, lang) in translated, path


def test_a_chinese_page_is_at_its_plain_url(fixture_site):
    pages = [m for m, _ in map(read_source, (FIXTURE_CONTENT / "pages").glob("*.md"))]
    chinese = [m for m in pages if m.get("lang") == "zh"]
    assert chinese
    for meta in chinese:
        assert fixture_site.page(f"{meta['slug']}/").html["lang"] == "zh"
