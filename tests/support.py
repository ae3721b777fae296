"""Helpers shared by the tests: building sites and reading their output."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
# The e-mail editions' folder (EMAIL_EDITION_SAVE_AS).
EMAIL_EDITIONS = "email"
PELICAN = [sys.executable, "-m", "pelican"]


@dataclass
class Build:
    """One finished build: where its output is and what it logged."""

    output: Path
    records: list[logging.LogRecord] = field(default_factory=list)
    returncode: int = 0
    log: str = ""

    def html_files(self, email=False):
        """The pages readers browse; with ``email``, the e-mail editions too
        (``email/``: inline styles for mail clients, no policy of their own)."""
        pages = sorted(self.output.rglob("*.html"))
        if email:
            return pages
        editions = self.output / EMAIL_EDITIONS
        return [page for page in pages if not page.is_relative_to(editions)]

    def page(self, url_path: str) -> BeautifulSoup:
        return parse_html(self.file_for(url_path))

    def file_for(self, url_path: str) -> Path:
        path = self.output / url_path.lstrip("/")
        if url_path.endswith("/") or url_path == "":
            path = path / "index.html"
        return path


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def build_in_process(settings_file: Path, output: Path, content: Path | None = None, **override):
    """Build with Pelican in this process and keep every log record."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    override = {"OUTPUT_PATH": str(output), **override}
    if content is not None:
        override["PATH"] = str(content)
    settings = read_settings(str(settings_file), override=override)
    handler = _Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        Pelican(settings).run()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    return Build(output=output, records=handler.records)


def build_subprocess(settings_file: Path, output: Path, *args, env=None, content=None):
    """Build as `make` does, in a child process, and keep its exit code and log."""
    content = content or ROOT / "content"
    cmd = [*PELICAN, str(content), "-s", str(settings_file), "-o", str(output), *args]
    full_env = {**os.environ, "PYTHONWARNINGS": "", **(env or {})}
    proc = subprocess.run(
        cmd, cwd=ROOT, env=full_env, capture_output=True, text=True, check=False, timeout=600
    )
    return Build(output=output, returncode=proc.returncode, log=proc.stdout + proc.stderr)


def built_copy(build: Build, folder: Path) -> Build:
    """A copy of a build's output (without compressed copies) for planting a defect in."""
    import shutil  # noqa: PLC0415

    shutil.copytree(build.output, folder, ignore=shutil.ignore_patterns("*.gz", "*.br"))
    return Build(output=folder)


def plant(page: Path, old: str, new: str):
    """Replace the first ``old`` in a built page with ``new`` (the defect a gate must find)."""
    text = page.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {page}"
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def parse_html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def page_url_path(output: Path, html_file: Path) -> str:
    """The URL path a file is served at, relative to the site root."""
    rel = html_file.relative_to(output).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def resolve_internal(output: Path, html_file: Path, ref: str, site_prefix: str = ""):
    """Map an href/src to (file, fragment), or None when it leaves the site.

    Relative refs resolve against the page's own folder; absolute ones count as
    internal only under ``site_prefix`` (the production SITEURL).
    """
    parts = urlsplit(ref)
    if parts.scheme in ("mailto", "tel", "data"):
        return None
    if parts.scheme or parts.netloc:
        if not site_prefix or not ref.startswith(site_prefix):
            return None
        target = output / unquote(urlsplit(ref[len(site_prefix) :]).path).lstrip("/")
    elif not parts.path:
        target = html_file
    elif parts.path.startswith("/"):
        target = output / unquote(parts.path).lstrip("/")
    else:
        target = html_file.parent / unquote(parts.path)
    target = Path(os.path.normpath(target))
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def internal_refs(soup: BeautifulSoup):
    """Every (tag, attribute, value) that points at another resource."""
    for tag in soup.find_all(["a", "link", "img", "script", "source", "iframe", "use"]):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if value:
                yield tag, attr, value
    # Responsive images: every candidate URL of a srcset ("url 2x, url 640w").
    for tag in soup.find_all(["img", "source"], srcset=True):
        for candidate in tag["srcset"].split(","):
            if candidate.split():
                yield tag, "srcset", candidate.split()[0]


ESSAYS = ROOT / "content" / "essays"


def read_source(path: Path):
    """Split a Markdown essay into (metadata with lower-case keys, body)."""
    text = path.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    meta = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta, body


_TYPOGRAPHIC = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)


def normalise_text(text: str) -> str:
    """Compare prose regardless of typographic quotes, dashes and spacing."""
    return " ".join(text.translate(_TYPOGRAPHIC).split())


FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"


def require_tool(found, what: str, install: str):
    """Return ``found``, or skip naming the package to install (fail under CI)."""
    import pytest  # noqa: PLC0415

    if found:
        return found
    message = f"{what} is not installed: {install}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI must install it in .ci/run)")
    pytest.skip(message)
    return None


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fixture_essays(status="published"):
    """Metadata of the fixture site's essays with the given status."""
    metas = [read_source(p)[0] for p in sorted((FIXTURE_CONTENT / "essays").glob("*.md"))]
    return [m for m in metas if m.get("status", "published") == status]


# JavaScript that counts a page's script elements other than JSON-LD data blocks.
NO_CODE_SCRIPTS = "[...document.scripts].filter(s => s.type !== 'application/ld+json').length"


_CODE_SCRIPT = re.compile(r"<script(?![^>]*\btype=\"application/ld\+json\")", re.IGNORECASE)


def has_code_script(markup) -> bool:
    """True when HTML text has a script element other than a JSON-LD data block."""
    if isinstance(markup, bytes):
        markup = markup.decode("utf-8")
    return bool(_CODE_SCRIPT.search(markup))


# In-page measurements shared by the layout and audit checks.
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Characters per line of the first essay paragraph (null when there is none).
CHARS_PER_LINE = """() => {
    const p = document.querySelector('.essay-body p');
    if (!p) return null;
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;white-space:nowrap;visibility:hidden';
    probe.textContent = 'abcdefghijklmnopqrstuvwxyz'.repeat(4);
    p.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 104;
    probe.remove();
    return p.getBoundingClientRect().width / charWidth;
}"""


@contextlib.contextmanager
def build_memo(folder, workers=0):
    """The core's memo in ``folder`` (and ``workers`` worker processes) for a
    test that calls plugin functions outside a build."""
    from plugins.core import memo as memos  # noqa: PLC0415
    from plugins.core.workers import Pool  # noqa: PLC0415

    previous = memos.current()
    memo = memos.Memo(folder, "test")
    if workers:
        memo.pool = Pool(memo, workers, at_least=1)
    memos.start(memo)
    try:
        yield memo
    finally:
        if memo.pool is not None:
            memo.pool.stop()
        memos.start(previous)


def memo_entries(folder):
    """The memo's entry files under ``folder``."""
    return sorted(p for p in Path(folder).glob("??/*") if not p.name.endswith(".tmp"))


def import_site_plugins():
    """Import every plugin the production settings name, as Pelican does, so
    their settings are declared and their steps registered."""
    import importlib  # noqa: PLC0415

    from pelican.settings import read_settings  # noqa: PLC0415

    for name in read_settings(str(ROOT / "publishconf.py"))["PLUGINS"]:
        if name.startswith("plugins."):
            importlib.import_module(name).register()
