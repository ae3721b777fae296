"""typogrify leaves Chinese essays as written and still dresses English ones."""

from pelican.readers import MarkdownReader

from plugins.cjk_typography.cjk_typography import (
    TAG,
    _verbatim_reader,
    apply_defaults,
    is_cjk,
    unwrap,
    wrap,
)


def test_language_codes_and_regional_forms_are_recognised():
    langs = ["zh", "ja", "ko"]
    assert is_cjk("zh", langs) and is_cjk("zh-TW", langs) and is_cjk("ja", langs)
    assert not is_cjk("en", langs) and not is_cjk("zhx", langs) and not is_cjk(None, langs)


def test_wrapper_round_trips_and_leaves_other_text_alone():
    assert unwrap(wrap("<p>中文</p>")) == "<p>中文</p>"
    assert unwrap("<p>English</p>") == "<p>English</p>"
    assert wrap("") == ""


def test_defaults_add_the_wrapper_to_typogrify_ignore_tags_once():
    settings = {"TYPOGRIFY_IGNORE_TAGS": ["pre"]}
    apply_defaults(settings)
    apply_defaults(settings)
    assert settings["TYPOGRIFY_IGNORE_TAGS"] == ["pre", TAG]
    assert settings["CJK_TYPOGRAPHY_LANGS"] == ["zh", "ja", "ko"]


def test_reader_marks_only_cjk_essays(tmp_path):
    from pelican.settings import DEFAULT_CONFIG  # noqa: PLC0415

    settings = {**DEFAULT_CONFIG, "TYPOGRIFY": True}
    apply_defaults(settings)
    reader = _verbatim_reader(MarkdownReader)(settings)
    zh = tmp_path / "zh.md"
    zh.write_text('Title: 标题\nLang: zh\n\n他说\uff1a"好"\u3002\n', encoding="utf-8")
    en = tmp_path / "en.md"
    en.write_text('Title: Title\nLang: en\n\nHe said "fine".\n', encoding="utf-8")
    zh_content, zh_meta = reader.read(str(zh))
    en_content, en_meta = reader.read(str(en))
    assert zh_content.startswith(f"<{TAG}>") and zh_meta["title"].startswith(f"<{TAG}>")
    assert TAG not in en_content and TAG not in en_meta["title"]
