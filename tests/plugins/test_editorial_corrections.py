"""Correction lines: the documented format and its date checks."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from plugins.editorial.corrections import parse_corrections

SHANGHAI = ZoneInfo("Asia/Shanghai")


def essay(tmp_path, *lines):
    path = tmp_path / "essay.md"
    header = ["Title: x", "Date: 2026-08-01", *(f"Correction: {line}" for line in lines)]
    path.write_text("\n".join(header) + "\n\nBody.\n", encoding="utf-8")
    return SimpleNamespace(
        metadata={"correction": list(lines) if len(lines) > 1 else lines[0]},
        source_path=str(path),
        date=datetime(2026, 8, 1, tzinfo=SHANGHAI),
        date_format="%-d %B %Y",
    )


def test_every_separator_is_accepted_and_the_newest_comes_first(tmp_path):
    article = essay(
        tmp_path,
        "2026-08-02 — Em dash.",
        "2026-08-05: Colon.",
        "2026-08-04 - Hyphen.",
        "2026-08-03 09:30 \u2013 En dash and a time.",
    )
    corrections, errors = parse_corrections(article, "Asia/Shanghai")
    assert errors == []
    assert [c.text for c in corrections] == [
        "Colon.",
        "Hyphen.",
        "En dash and a time.",
        "Em dash.",
    ]
    assert corrections[2].date == datetime(2026, 8, 3, 9, 30, tzinfo=SHANGHAI)


def test_correction_before_the_essay_names_its_line(tmp_path):
    article = essay(tmp_path, "2026-08-02 — Fine.", "2026-07-30 — Too early.")
    corrections, errors = parse_corrections(article, "Asia/Shanghai")
    assert [c.text for c in corrections] == ["Fine."]
    ((line, message),) = errors
    assert line == 4
    assert "before the essay's date 2026-08-01" in message


def test_correction_without_a_date_is_an_error(tmp_path):
    _, errors = parse_corrections(essay(tmp_path, "Fixed a typo."), "Asia/Shanghai")
    assert errors[0][0] == 3
    assert "does not start with a date" in errors[0][1]
