"""make serve: rebuild on change, reload the open page, never script the built files."""

import os
import queue
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.plugins.test_content_guard import write_good_site
from tests.support import ROOT, has_code_script, normalise_text
from tools import preview


def test_reload_script_goes_before_the_end_of_head():
    html = b"<!DOCTYPE html><html><head><title>x</title></head><body><p>x</p></body></html>"
    injected = preview.inject_reload_script(html)
    assert injected.count(preview.SCRIPT_TAG) == 1
    assert injected.index(preview.SCRIPT_TAG) < injected.index(b"</head>")


def test_preview_watches_content_theme_plugins_and_settings():
    watched = preview.watched_paths([ROOT / "pelicanconf.py"])
    assert {ROOT / "content", ROOT / "theme", ROOT / "plugins", ROOT / "pelicanconf.py"} <= set(
        watched
    )


class PreviewProcess:
    """`python -m tools.preview` on an ephemeral port, its output collected."""

    def __init__(self, content, output):
        self.lines = queue.Queue()
        self.seen = []
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tools.preview", str(content), "-o", str(output), "--port", "0"],
            cwd=ROOT,
            env={**os.environ, "PYTHONWARNINGS": ""},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait_for("Serving http://")
        self.url = line.split()[1]

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                assert self.proc.poll() is None, "\n".join(self.seen)
                continue
            self.seen.append(line)
            if text in line:
                return line
        pytest.fail(f"no {text!r} from the preview: " + "\n".join(self.seen))
        return None

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


@pytest.fixture(scope="module")
def preview_server(tmp_path_factory):
    """One preview for this module; a test that breaks the content repairs it."""
    tmp_path = tmp_path_factory.mktemp("preview")
    write_good_site(tmp_path / "content")
    (tmp_path / "content" / "essays" / "draft.md").write_text(
        "Title: Unfinished\nDate: 2026-03-03\nAuthor: A\nCategory: Markets\n"
        "Summary: S.\nSlug: unfinished\nStatus: draft\n\nNot yet.\n"
    )
    server = PreviewProcess(tmp_path / "content", tmp_path / "output")
    yield server, tmp_path
    server.stop()


@pytest.mark.browser
def test_edit_rebuilds_and_reloads_the_open_page(preview_server, page):
    server, base = preview_server
    page.goto(server.url + "essays/good-essay/")
    assert "good essay" in normalise_text(page.locator("h1").inner_text())
    page.evaluate("window.beforeReload = true")

    essay = base / "content" / "essays" / "good.md"
    essay.write_text(essay.read_text().replace("Title: A good essay", "Title: Rewritten"))

    expect(page.locator("h1")).to_contain_text("Rewritten", timeout=60000)
    assert page.evaluate("window.beforeReload === undefined")  # a real reload
    built = (base / "output" / "essays" / "good-essay" / "index.html").read_text()
    assert "Rewritten" in built
    assert not has_code_script(built)


@pytest.mark.browser
def test_failed_rebuild_keeps_the_page_and_shows_the_mistake_on_it(preview_server, page):
    server, base = preview_server
    page.goto(server.url + "essays/good-essay/")
    heading = page.locator("h1").inner_text()
    before = (base / "output" / "essays" / "good-essay" / "index.html").read_bytes()

    bad = base / "content" / "essays" / "bad.md"
    bad.write_text("Title: Bad\nDate: soon\nAuthor: A\nCategory: C\nSummary: S.\n\nText.\n")
    try:
        assert "date 'soon' is not a date Pelican can read" in server.wait_for(f"{bad}:2:")
        server.wait_for("stays as it was")
        assert (base / "output" / "essays" / "good-essay" / "index.html").read_bytes() == before
        assert page.locator("h1").inner_text() == heading
        problems = page.locator("#bz-preview-problems")
        expect(problems).to_contain_text("date 'soon' is not a date Pelican can read")
        expect(problems).to_contain_text("bad.md:2:")
    finally:
        bad.unlink()
        server.wait_for("Rebuilt")
    expect(page.locator("#bz-preview-problems")).to_have_count(0)


def test_responses_carry_the_reload_script_and_files_do_not(preview_server):
    server, base = preview_server
    with urllib.request.urlopen(server.url + "essays/good-essay/") as response:
        served = response.read()
    assert served.count(preview.SCRIPT_TAG) == 1
    assert not has_code_script(
        (base / "output" / "essays" / "good-essay" / "index.html").read_bytes()
    )
    with urllib.request.urlopen(server.url + "__preview__/reload.js") as response:
        assert b"EventSource" in response.read()
    for html in (base / "output").rglob("*.html"):
        assert b"__preview__" not in html.read_bytes(), html


def test_preview_lists_and_marks_drafts(preview_server):
    server, _ = preview_server
    with urllib.request.urlopen(server.url + "drafts/") as response:
        listing = response.read().decode()
    assert "drafts/unfinished/" in listing
    with urllib.request.urlopen(server.url + "drafts/unfinished/") as response:
        assert 'class="draft-marker"' in response.read().decode()
