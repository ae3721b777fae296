"""tools.build: output is replaced only by a clean build, and failures are one line."""

import shutil
import subprocess
import sys

import pytest

from tests.plugins.test_content_guard import fingerprint, write_good_site
from tests.support import ROOT
from tools.build import (
    _MAKE_FOLDERS,
    Beside,
    build,
    folders_path,
    recover,
    staging_paths,
    superseded_path,
)


@pytest.fixture
def good_site(tmp_path):
    write_good_site(tmp_path / "content")
    result = build(ROOT / "pelicanconf.py", tmp_path / "output", tmp_path / "content", stream=None)
    assert result.ok, result.messages
    return tmp_path


def broken_theme(tmp_path, template, text):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "templates" / template).write_text(text, encoding="utf-8")
    return theme


def test_template_syntax_error_names_the_template_and_keeps_output(good_site):
    before = fingerprint(good_site / "output")
    theme = broken_theme(good_site, "page.html", "{% extends 'base.html' %}\n{% block content %}\n")

    result = build(
        ROOT / "pelicanconf.py",
        good_site / "output",
        good_site / "content",
        stream=None,
        THEME=str(theme),
    )

    assert result.returncode == 1
    (message,) = result.messages
    assert message.startswith(str(theme / "templates" / "page.html")) or "page.html:" in message
    assert "template error" in message
    assert fingerprint(good_site / "output") == before


def test_exception_in_a_template_is_one_line_without_traceback(good_site):
    before = fingerprint(good_site / "output")
    theme = broken_theme(
        good_site, "partials/draft_marker.html", "{{ article.no_such_attribute.deeper }}\n"
    )

    result = build(
        ROOT / "pelicanconf.py",
        good_site / "output",
        good_site / "content",
        stream=None,
        THEME=str(theme),
    )

    assert result.returncode == 1
    assert len(result.messages) == 1
    assert "draft_marker.html" in result.messages[0]
    assert "Traceback" not in result.messages[0]
    assert fingerprint(good_site / "output") == before


def test_a_clean_build_replaces_the_output_and_leaves_no_staging(good_site):
    essay = good_site / "content" / "essays" / "good.md"
    essay.write_text(essay.read_text().replace("Title: A good essay", "Title: Rewritten"))

    result = build(
        ROOT / "pelicanconf.py", good_site / "output", good_site / "content", stream=None
    )

    assert result.ok
    page = (good_site / "output" / "essays" / "good-essay" / "index.html").read_text()
    assert "Rewritten" in page
    staging, previous = staging_paths(good_site / "output")
    assert not staging.exists()
    assert not previous.exists()


def test_the_replaced_output_is_kept_until_the_next_build_removes_it(good_site):
    output = good_site / "output"
    superseded = superseded_path(output)
    old_page = output / "essays" / "good-essay" / "index.html"
    old_bytes = old_page.read_bytes()
    essay = good_site / "content" / "essays" / "good.md"
    essay.write_text(essay.read_text().replace("Title: A good essay", "Title: Rewritten"))

    assert build(ROOT / "pelicanconf.py", output, good_site / "content", stream=None).ok
    kept = superseded / "essays" / "good-essay" / "index.html"
    assert kept.read_bytes() == old_bytes
    (superseded / "marker").write_text("from the build before")

    assert build(ROOT / "pelicanconf.py", output, good_site / "content", stream=None).ok
    # The next build removed it and kept the output it replaced in its place.
    assert not (superseded / "marker").exists()
    assert "Rewritten" in (superseded / "essays" / "good-essay" / "index.html").read_text()


def tree(folder):
    """(every folder, every file) under ``folder``, as relative paths."""
    folders, files = set(), set()
    for path in folder.rglob("*"):
        (folders if path.is_dir() else files).add(path.relative_to(folder).as_posix())
    return folders, files


def test_the_removed_outputs_page_folders_are_the_next_builds_staging(good_site):
    output = good_site / "output"
    content = good_site / "content"
    for _ in range(2):
        assert build(ROOT / "pelicanconf.py", output, content, stream=None).ok
    # The output the second build replaced: its files removed, its page
    # folders (and those above them) kept, empty.
    folders, files = tree(folders_path(output))
    assert files == set()
    assert "essays/good-essay" in folders and "essays" in folders
    assert not any(name.startswith("theme") for name in folders)  # no page there
    # A folder the next build writes nothing into is not in its output.
    (folders_path(output) / "essays" / "gone-essay").mkdir()

    assert build(ROOT / "pelicanconf.py", output, content, stream=None).ok

    assert not folders_path(output).joinpath("essays", "gone-essay").exists()
    clean = build(ROOT / "pelicanconf.py", good_site / "clean", content, stream=None)
    assert clean.ok
    assert tree(output) == tree(good_site / "clean")


def test_the_first_rebuild_has_the_last_outputs_page_folders_made_beside_it(good_site):
    output, staging = good_site / "output", good_site / "staging"

    Beside(_MAKE_FOLDERS, output, staging).wait()

    folders, files = tree(staging)
    assert files == set()
    pages = {p.parent.relative_to(output).as_posix() for p in output.rglob("index.html")}
    assert "essays/good-essay" in pages
    assert pages - {"."} <= folders
    assert not any(name.startswith("theme") for name in folders)


def test_a_swap_interrupted_between_its_renames_is_completed(good_site):
    output = good_site / "output"
    before = fingerprint(output)
    _, previous = staging_paths(output)
    output.rename(previous)  # the state right after the first rename

    recover(output)

    assert fingerprint(output) == before
    assert not previous.exists()


def test_a_swap_interrupted_after_the_new_output_was_in_place_is_completed(good_site):
    output = good_site / "output"
    before = fingerprint(output)
    _, previous = staging_paths(output)
    shutil.copytree(output, previous)  # the old output, moved aside, the new one in place

    recover(output)

    assert fingerprint(output) == before
    assert not previous.exists()
    assert fingerprint(superseded_path(output)) == before


def test_command_exit_code_and_message_for_a_bad_essay(good_site):
    before = fingerprint(good_site / "output")
    (good_site / "content" / "essays" / "bad.md").write_text(
        "Title: Bad\nDate: 2026-13-45\nAuthor: A\nCategory: C\nSummary: S.\n\nText.\n"
    )

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.build",
            str(good_site / "content"),
            "-o",
            str(good_site / "output"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )

    assert proc.returncode == 1
    bad = good_site / "content" / "essays" / "bad.md"
    assert f"{bad}:2: date '2026-13-45' is not a date Pelican can read — write it as" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert fingerprint(good_site / "output") == before
