"""The preview's long-lived build: an edit in place writes what a clean build writes."""

import random
import re
import shutil

import pytest

from tests.support import FIXTURE_CONTENT, ROOT
from tools.build import build
from tools.session import SiteSession

OVERRIDES = {
    "STATIC_PATHS": ["data"],
    "DEFAULT_PAGINATION": 2,
    "DEFAULT_ORPHANS": 0,
    # A glossary term with a page of its own (more essays than its entry lists).
    "GLOSSARY_ESSAYS_LISTED": 1,
}
SEARCH = "pagefind/"  # refreshed by the preview after the update, not by the session


def files_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.relative_to(folder).as_posix().startswith(SEARCH)
    }


def assert_same_as_a_clean_build(site, output, name):
    clean = site / f"clean-{name}"
    result = build(
        ROOT / "pelicanconf.py",
        clean,
        site / "content",
        stream=None,
        CACHE_PATH=str(site / f"cache-{name}"),
        **OVERRIDES,
    )
    assert result.ok, result.messages
    expected, found = files_of(clean), files_of(output)
    assert sorted(found) == sorted(expected), name
    assert [path for path in expected if found[path] != expected[path]] == [], name


@pytest.fixture
def session(tmp_path):
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    session = SiteSession(
        ROOT / "pelicanconf.py",
        tmp_path / "output",
        tmp_path / "content",
        stream=None,
        CACHE_PATH=str(tmp_path / "cache"),
        **OVERRIDES,
    )
    assert session.build().ok
    return session


def test_edits_to_an_essays_text_are_written_in_place_as_a_clean_build_writes_them(
    session, tmp_path
):
    rng = random.Random(7)
    essays = sorted((tmp_path / "content" / "essays").glob("*.md"))
    for step in range(4):
        essay = rng.choice(essays)
        essay.write_text(
            essay.read_text("utf-8") + f"\nA paragraph about settlement, {step}.\n", "utf-8"
        )
        update = session.update([essay])
        assert update.ok, update.messages
        assert update.in_place, essay
        assert_same_as_a_clean_build(tmp_path, tmp_path / "output", f"text-{step}")


def test_an_essay_that_now_uses_another_glossary_term_is_a_full_build(session, tmp_path):
    """The glossary page lists each term's essays: it changes too."""
    essay = tmp_path / "content" / "essays" / "credit-scores.md"
    essay.write_text(essay.read_text("utf-8") + "\nIt needs a KYC check.\n", "utf-8")
    update = session.update([essay])
    assert update.ok and not update.in_place
    assert_same_as_a_clean_build(tmp_path, tmp_path / "output", "glossary")


def test_a_changed_title_is_a_full_build_with_the_same_result(session, tmp_path):
    essay = tmp_path / "content" / "essays" / "ledger-basics.md"
    text = re.sub(r"(?m)^Title: .*$", "Title: Ledgers, revised", essay.read_text("utf-8"))
    essay.write_text(text, "utf-8")
    update = session.update([essay])
    assert update.ok and not update.in_place
    assert_same_as_a_clean_build(tmp_path, tmp_path / "output", "title")


def test_a_mistake_in_an_edit_leaves_the_output_as_it_was(session, tmp_path):
    essay = tmp_path / "content" / "essays" / "ledger-basics.md"
    page = tmp_path / "output" / "essays" / "ledger-basics" / "index.html"
    before = page.read_bytes()
    essay.write_text(essay.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    update = session.update([essay])
    assert not update.ok
    assert any(
        "<script>" in message and "ledger-basics.md" in message for message in update.messages
    )
    assert page.read_bytes() == before
