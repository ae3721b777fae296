"""Screenshots of the real build for the README: `make screenshots`.

Builds the site as `make html` does, into a temporary folder, serves it on
an ephemeral loopback port and has Debian's Chromium (``CHROME_PATH``,
default ``/usr/bin/chromium``, driven by Playwright) photograph, at 375 and
1280 px wide and in the light and dark schemes:

- the seed essay (``essay``);
- a Chinese essay (``chinese``): the site's first essay in Chinese, or, while
  the site has none, the Chinese essay of the test fixture site
  (``tests/fixtures/site``), built with the same settings;
- search results (``search``): the search page with a query that finds the
  seed essay, once its results are shown.

The first screen of each page is saved as an 8-bit palette PNG (text and
flat colours lose nothing visible, at a third of the bytes) in
``docs/screenshots/<page>-<width>-<scheme>.png``, which the README shows.
Run it after a change to the theme, so the pictures stay current.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from tools.audit import serve

ROOT = Path(__file__).resolve().parent.parent

TARGET = ROOT / "docs" / "screenshots"
SEED = "essays/the-logic-behind-the-mutual-gold-giants/"
SEARCH = "search/?q=gold+giants"
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "site" / "content"
VIEWPORTS = {375: 760, 1280: 820}
SCHEMES = ("light", "dark")
CHINESE_ESSAY = re.compile(r'<html lang="zh[^"]*">.*?data-page-type="essay"', re.S)


def build(content, output):
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(output), "--fatal", "errors"]  # fmt: skip
    if content == FIXTURE_CONTENT:
        command += ["-e", 'STATIC_PATHS=["data"]']
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"screenshots: the build failed:\n{result.stdout}{result.stderr}")


def first_chinese_essay(output):
    for page in sorted((output / "essays").rglob("index.html")):
        if CHINESE_ESSAY.search(page.read_text(encoding="utf-8")):
            return page.parent.relative_to(output).as_posix() + "/"
    return None


def save_palette_png(source, target):
    with Image.open(source) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True
        )


def photograph(shots, chrome):
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chrome, args=["--no-sandbox"])
        for name, url, wait_for in shots:
            for width, height in VIEWPORTS.items():
                for scheme in SCHEMES:
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, color_scheme=scheme
                    )
                    page = context.new_page()
                    page.goto(url, wait_until="networkidle")
                    if wait_for:
                        page.locator(wait_for).first.wait_for(timeout=15_000)
                    page.evaluate("document.fonts.ready")
                    raw = TARGET / f"{name}-{width}-{scheme}.raw.png"
                    page.screenshot(path=raw)
                    save_palette_png(raw, TARGET / f"{name}-{width}-{scheme}.png")
                    raw.unlink()
                    context.close()
                    print(f"{(TARGET / f'{name}-{width}-{scheme}.png').relative_to(ROOT)}")
        browser.close()


def main():
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not shutil.which(chrome):
        sys.exit(
            f"screenshots: no Chromium at {chrome}: apt-get install chromium, or set CHROME_PATH"
        )
    work = Path(tempfile.mkdtemp(prefix="bzdww-screenshots-"))
    servers = []
    try:
        site = work / "site"
        build(ROOT / "content", site)
        servers.append(serve(site))
        base = f"http://127.0.0.1:{servers[0].server_address[1]}/"
        chinese_base, chinese = base, first_chinese_essay(site)
        if chinese is None:
            fixture = work / "fixture"
            build(FIXTURE_CONTENT, fixture)
            servers.append(serve(fixture))
            chinese_base = f"http://127.0.0.1:{servers[1].server_address[1]}/"
            chinese = first_chinese_essay(fixture)
        TARGET.mkdir(parents=True, exist_ok=True)
        photograph(
            [
                ("essay", base + SEED, None),
                ("chinese", chinese_base + chinese, None),
                ("search", base + SEARCH, "#search-results .search-result"),
            ],
            chrome,
        )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
