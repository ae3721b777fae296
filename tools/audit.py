"""Run Lighthouse on the production site: home, the seed essay, search and its results.

`make audit` builds the site as `make publish` does, into a temporary folder,
with SITEURL set to a local server on an ephemeral loopback port (so every
absolute URL in the pages points at what is being audited), serves it there,
and runs Lighthouse (npm ``lighthouse``, pinned in package.json) with Debian's
Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``) on each page twice:
with Lighthouse's default mobile emulation and throttling, and with its
desktop preset.  The search page is audited empty and with a query whose
results arrive while Lighthouse watches (layout shifts included).  It prints
the four category scores of each page and form factor against 100 and exits
non-zero when one is lower.  The JSON reports are kept when ``--reports DIR``
is given.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PAGES = {
    "home": "",
    "essay": "essays/the-logic-behind-the-mutual-gold-giants/",
    "search": "search/",
    "results": "search/?q=bank",
}
FORM_FACTORS = {"mobile": [], "desktop": ["--preset=desktop"]}
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(output, siteurl):
    command = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s",
               str(ROOT / "publishconf.py"), "-o", str(output), "--fatal", "warnings"]  # fmt: skip
    env = {**os.environ, "SITEURL": siteurl}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"audit: the production build failed:\n{result.stdout}{result.stderr}")


def lighthouse(url, report, chrome, extra=()):
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        *extra,
    ]  # fmt: skip
    env = {**os.environ, "CHROME_PATH": chrome}
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"audit: Lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: data["categories"][name]["score"] for name in CATEGORIES}
    failing = [
        f"{audit['id']} ({audit['score']})"
        for audit in data["audits"].values()
        if audit.get("scoreDisplayMode") in ("binary", "numeric")
        and audit.get("score") is not None
        and audit["score"] < 1
    ]
    return scores, failing


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists():
        sys.exit("audit: Lighthouse is not installed: run `npm ci` (make audit does)")
    if not shutil.which(chrome):
        sys.exit(f"audit: no Chromium at {chrome}: apt-get install chromium, or set CHROME_PATH")

    work = Path(tempfile.mkdtemp(prefix="bzdww-audit-"))
    reports = args.reports or work / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    site = work / "site"
    site.mkdir()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    all_perfect = True
    try:
        build(site, base)
        print(f"{'page':16} " + " ".join(f"{name:>15}" for name in CATEGORIES))
        for form_factor, extra in FORM_FACTORS.items():
            for name, path in PAGES.items():
                report = reports / f"{name}-{form_factor}.json"
                scores, failing = lighthouse(f"{base}/{path}", report, chrome, extra)
                cells = []
                for category in CATEGORIES:
                    score = round(scores[category] * 100) if scores[category] is not None else 0
                    all_perfect &= score == 100
                    cells.append(f"{score:>9} / 100")
                print(f"{name + ' ' + form_factor:16} " + " ".join(cells), flush=True)
                if failing:
                    print(f"                 below 1: {', '.join(failing)}")
    finally:
        server.shutdown()
        server.server_close()
        if not args.reports:
            shutil.rmtree(work, ignore_errors=True)
    print("all 100" if all_perfect else "some scores are below 100")
    return 0 if all_perfect else 1


if __name__ == "__main__":
    sys.exit(main())
