"""Series are ordered by part, exclude unpublished parts, and name author mistakes."""

import logging
from types import SimpleNamespace

from plugins.essay_series.essay_series import add_series, series_groups


def essay(tmp_path, name, lang="en", **meta):
    source = tmp_path / f"{name}.md"
    header = [f"Title: {name}"] + [f"{key.capitalize()}: {value}" for key, value in meta.items()]
    source.write_text("\n".join(header) + "\n\nBody.\n", encoding="utf-8")
    return SimpleNamespace(metadata=meta, source_path=str(source), lang=lang, title=name)


def generator(articles=(), drafts=(), translations=()):
    return SimpleNamespace(
        articles=list(articles), translations=list(translations), drafts=list(drafts)
    )


def test_parts_are_ordered_by_number_and_drafts_are_left_out(tmp_path):
    third = essay(tmp_path, "c", series="S", series_part="3")
    first = essay(tmp_path, "a", series="S", series_part="1")
    draft = essay(tmp_path, "b", series="S", series_part="2")
    add_series(generator([third, first], drafts=[draft]))
    assert first.series["parts"] == [first, third]
    assert (first.series["part"], first.series["total"]) == (1, 2)
    assert (third.series["part"], third.series["previous"], third.series["next"]) == (
        2,
        first,
        None,
    )
    # The draft knows its series but is not part of what readers see.
    assert draft.series["part"] is None and draft.series["parts"] == [first, third]


def test_each_language_has_its_own_series(tmp_path):
    english = essay(tmp_path, "en1", series="S", series_part="1")
    chinese = essay(tmp_path, "zh1", lang="zh", series="S", series_part="1")
    add_series(generator([english, chinese]))
    assert english.series["parts"] == [english]
    assert chinese.series["parts"] == [chinese]


def test_a_part_number_that_is_not_a_number_is_an_error_with_file_and_line(tmp_path, caplog):
    bad = essay(tmp_path, "bad", series="S", series_part="two")
    with caplog.at_level(logging.ERROR):
        assert series_groups([bad]) == {}
    (record,) = caplog.records
    assert record.getMessage().startswith(f"{bad.source_path}:3: ")
    assert "whole number" in record.getMessage()


def test_missing_part_number_and_duplicate_parts_are_errors(tmp_path, caplog):
    no_part = essay(tmp_path, "nopart", series="S")
    one = essay(tmp_path, "one", series="T", series_part="1")
    again = essay(tmp_path, "again", series="T", series_part="1")
    with caplog.at_level(logging.ERROR):
        series_groups([no_part, one, again])
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert messages[0].startswith(f"{no_part.source_path}:2: ")
    assert "Series_part: N" in messages[0]
    assert "give each part its own number" in messages[1]
    assert one.source_path in messages[1] or again.source_path in messages[1]
