"""The site's one Markdown reader: metadata as text, typography, CJK as typed, the memo."""

import pickle
from datetime import datetime
from pathlib import Path

import pytest
from pelican import readers
from pelican.readers import Readers
from pelican.settings import read_settings
from pelican.urlwrappers import Category, Tag
from typogrify.filters import typogrify

from plugins import core
from plugins.core import config, pipeline, reading
from tests.support import ROOT, build_memo, memo_entries


@pytest.fixture(autouse=True)
def the_core_reads(monkeypatch):
    """The core's steps run on readers_init, whatever builds ran before in this process."""
    core.register()
    monkeypatch.setitem(pipeline._ACTIVE, "plugins", None)


def settings_for(path, **override):
    return read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(path), **override})


def read(tmp_path, text, name="essay.md", **override):
    (tmp_path / name).write_text(text, encoding="utf-8")
    settings = settings_for(tmp_path, **override)
    config.apply_defaults(settings)
    return Readers(settings).read_file(str(tmp_path), name)


def test_markup_in_a_title_is_escaped(tmp_path):
    essay = read(tmp_path, 'Title: <script>alert(1)</script> & "x"\nDate: 2026-01-01\n\nBody.\n')
    assert "<script>" not in essay.title
    assert "&lt;script&gt;" in essay.title
    assert "&amp;" in essay.title


def test_raw_html_and_script_urls_in_a_summary_are_dropped(tmp_path):
    essay = read(
        tmp_path,
        "Title: T\nDate: 2026-01-01\nSummary: <b>bold</b> [x](javascript:alert(1))\n\nBody.\n",
    )
    assert "<b>" not in essay.summary and "&lt;b&gt;" in essay.summary
    assert "javascript:" not in essay.summary and 'href=""' in essay.summary


def test_typography_curls_quotes_in_titles_and_bodies(tmp_path):
    essay = read(tmp_path, 'Title: The "open" bank\nDate: 2026-01-01\n\nShe said "yes".\n')
    assert "&#8220;open&#8221;" in essay.title
    assert "&#8220;yes&#8221;" in essay.content


def test_typography_leaves_code_alone(tmp_path):
    body = 'She said "yes" -- twice.\n\n    x = "a" -- "b"\n\nUse `"q" -- r` here.\n'
    essay = read(tmp_path, "Title: T\nDate: 2026-01-01\n\n" + body)
    assert "&#8220;yes&#8221;" in essay.content
    assert "<code>x = &quot;a&quot; -- &quot;b&quot;" in essay.content
    assert '<code>"q" -- r</code>' in essay.content


def test_a_chinese_essay_is_left_as_typed_and_an_english_one_is_typeset(tmp_path):
    zh = read(
        tmp_path, 'Title: "标题"\nLang: zh\nDate: 2026-01-01\n\n他说\uff1a"好"\u3002\n', "zh.md"
    )
    en = read(tmp_path, 'Title: "Title"\nLang: en\nDate: 2026-01-01\n\nHe said "fine".\n', "en.md")
    assert zh.title == '"标题"' and '他说\uff1a"好"\u3002' in zh.content
    assert "&#8220;" in en.title and "&#8220;fine" in en.content


def test_regional_forms_of_a_verbatim_language_count():
    langs = ["zh", "ja", "ko"]
    assert reading.is_verbatim("zh", langs) and reading.is_verbatim("zh-TW", langs)
    assert not reading.is_verbatim("en", langs) and not reading.is_verbatim("zhx", langs)
    assert not reading.is_verbatim(None, langs)


def test_a_site_whose_default_language_is_chinese_leaves_unmarked_essays_as_typed(tmp_path):
    essay = read(
        tmp_path, 'Title: 标题\nDate: 2026-01-01\n\n他说\uff1a"好"\u3002\n', DEFAULT_LANG="zh"
    )
    assert '他说\uff1a"好"\u3002' in essay.content


def test_typeset_gives_what_typogrify_gives_with_the_same_options():
    settings = {"TYPOGRIFY_IGNORE_TAGS": ["pre", "code"], "TYPOGRIFY_DASHES": "default"}
    samples = [
        '<h2>"Jayhawks" & KU fans act extremely obnoxiously</h2>',
        "<p>It's the NASDAQ -- and the FTSE ... 'quoted' too.</p><pre>\"raw\" -- x</pre>",
    ]
    for text in samples:
        assert reading.typeset(text, settings) == typogrify(text, ["pre", "code"])


def test_typeset_honours_omitted_filters():
    settings = {"TYPOGRIFY_OMIT_FILTERS": ["caps", "widont"], "TYPOGRIFY_IGNORE_TAGS": []}
    out = reading.typeset("<p>The NASDAQ rose a lot today</p>", settings)
    assert 'class="caps"' not in out and "&nbsp;" not in out


def test_metadata_comes_back_with_wrappers_bound_to_the_live_settings():
    settings = {"SLUGIFY_SOURCE": "title", "SLUG_REGEX_SUBSTITUTIONS": [], "TAG_URL": "tag/{slug}/"}
    metadata = {"tags": [Tag("Fintech", {}), Tag("Banks", {})], "category": Category("cms", {})}
    metadata["date"] = datetime(2026, 11, 28)
    stored = pickle.loads(pickle.dumps(reading.portable(metadata)))
    restored = reading.restore(stored, settings)
    assert [t.name for t in restored["tags"]] == ["Fintech", "Banks"]
    assert all(t.settings is settings for t in restored["tags"])
    assert restored["category"].name == "cms" and restored["category"].settings is settings
    assert restored["date"] == metadata["date"]


def test_an_empty_field_survives_the_memo_as_the_marker_pelican_drops():
    """``Tags:`` with nothing after it: Pelican drops the field by identity."""
    metadata = {"tags": readers._DISCARD, "title": "Kept"}
    stored = pickle.loads(pickle.dumps(reading.portable(metadata)))
    restored = reading.restore(stored, {})
    assert restored["tags"] is readers._DISCARD
    assert readers._filter_discardable_metadata(restored) == {"title": "Kept"}


def test_a_value_pelican_cannot_process_is_kept_as_a_problem_not_raised(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("Title: T\nDate: yesterday\n\nBody.\n", encoding="utf-8")
    result = reading.read_uncached(settings_for(tmp_path), str(path))
    (key, value, said) = result.problems[0]
    assert (key, value) == ("date", "yesterday") and said
    assert result.raw_metadata["date"] == ["yesterday"]


def test_a_file_read_twice_is_read_once_and_its_copy_is_fresh(tmp_path, monkeypatch):
    path = tmp_path / "essay.md"
    path.write_text("Title: T\nDate: 2026-01-01\nTags: a, b\n\nBody.\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    with build_memo(tmp_path / "memo"):
        first = reading.read_source(settings, str(path))
        assert len(memo_entries(tmp_path / "memo")) == 1

        def must_not_read(*args):
            raise AssertionError("read again")

        monkeypatch.setattr(reading, "read_uncached", must_not_read)
        first.metadata["tags"].append("changed")
        second = reading.read_source(settings, str(path))
    assert second.content == first.content
    assert len(second.metadata["tags"]) == 2


def test_an_edited_file_is_read_again(tmp_path):
    path = tmp_path / "essay.md"
    settings = settings_for(tmp_path)
    with build_memo(tmp_path / "memo"):
        path.write_text("Title: T\nDate: 2026-01-01\n\nOne.\n", encoding="utf-8")
        assert "One." in reading.read_source(settings, str(path)).content
        path.write_text("Title: T\nDate: 2026-01-01\n\nTwo.\n", encoding="utf-8")
        assert "Two." in reading.read_source(settings, str(path)).content


def test_a_reading_the_checks_hold_is_taken_once_by_the_build_and_said_again(
    tmp_path, monkeypatch, caplog
):
    path = tmp_path / "essay.md"
    path.write_text("Title: T\nDate: 2026-01-01\n\nBody.\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    config.apply_defaults(settings)
    with build_memo(tmp_path / "memo") as memo:
        reading.read_source(settings, str(path))
        key = reading.read_key(memo, settings, str(path))
        # The reading's messages, as its memo entry keeps them.
        entry = Path(memo.path(key))
        value, _ = pickle.loads(entry.read_bytes())
        said = [("plugins.test", 30, "said while reading", (), {})]
        entry.write_bytes(pickle.dumps((value, said)))
        assert reading.HELD.hold(str(path), key)
        assert len(reading.HELD) == 1

        def no_memo(*args):
            raise AssertionError("loaded from the memo again")

        monkeypatch.setattr(memo, "load", no_memo)
        caplog.clear()
        item = Readers(settings).read_file(str(tmp_path), "essay.md")
        assert "Body." in item._content
        assert len(reading.HELD) == 0  # released as taken
        assert [r.getMessage() for r in caplog.records] == ["said while reading"]


def test_a_file_changed_after_its_reading_was_held_is_read_again(tmp_path):
    path = tmp_path / "essay.md"
    path.write_text("Title: T\nDate: 2026-01-01\n\nOne.\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    config.apply_defaults(settings)
    with build_memo(tmp_path / "memo") as memo:
        reading.read_source(settings, str(path))
        assert reading.HELD.hold(str(path), reading.read_key(memo, settings, str(path)))
        path.write_text("Title: T\nDate: 2026-01-01\n\nTwo.\n", encoding="utf-8")
        item = Readers(settings).read_file(str(tmp_path), "essay.md")
    assert "Two." in item._content and "One." not in item._content
    assert len(reading.HELD) == 0


def test_held_readings_belong_to_one_build(tmp_path):
    path = tmp_path / "essay.md"
    path.write_text("Title: T\nDate: 2026-01-01\n\nOne.\n", encoding="utf-8")
    settings = settings_for(tmp_path)
    with build_memo(tmp_path / "memo") as memo:
        reading.read_source(settings, str(path))
        assert reading.HELD.hold(str(path), reading.read_key(memo, settings, str(path)))
    with build_memo(tmp_path / "memo"):
        assert len(reading.HELD) == 0
