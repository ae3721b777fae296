"""Every built page and stylesheet is valid to the current Nu HTML Checker.

The checker is a Java program (npm `vnu-jar`, pinned in package-lock.json); the
JVM starts slowly, so one run checks the real site, the production build and
the fixture site together, plus a known-bad page proving errors are caught.
Files are named one by one (not as folders) so that only the theme's own
stylesheets are checked, never third-party CSS copied into the output.
"""

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

BUILDS = ("site", "production_site", "fixture_site")
INVALID_PAGE = "<!DOCTYPE html>\n<title>x</title>\n<p><div>block in a paragraph</p>\n"


@pytest.fixture(scope="session")
def vnu_report(vnu_command, site, production_site, fixture_site, tmp_path_factory):
    """{build name or "control": [error messages]} from one checker run."""
    control = tmp_path_factory.mktemp("vnu_control") / "invalid.html"
    control.write_text(INVALID_PAGE, encoding="utf-8")
    folders = {"site": site.output, "production_site": production_site.output}
    folders["fixture_site"] = fixture_site.output
    # Pages, and the theme's own stylesheets (not third-party CSS a plugin copies in).
    checked = [
        path
        for folder in folders.values()
        for path in [*sorted(folder.rglob("*.html")), *sorted((folder / "theme").rglob("*.css"))]
    ]
    proc = subprocess.run(
        [
            *vnu_command,
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            "--also-check-css",
            *map(str, checked),
            str(control),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    report = {name: [] for name in (*BUILDS, "control", "unattributed")}
    for message in json.loads(proc.stdout)["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        if "url" not in message:
            report["unattributed"].append(message["message"])
            continue
        path = Path(unquote(urlsplit(message["url"]).path))
        owner = next((n for n, f in folders.items() if path.is_relative_to(f)), "control")
        where = path.relative_to(folders[owner]) if owner in folders else path.name
        report[owner].append(f"{where}:{message.get('lastLine', '?')}: {message['message']}")
    return report


def test_the_checker_reports_errors_in_an_invalid_page(vnu_report):
    assert vnu_report["control"], "the Nu HTML Checker found nothing in a broken page"


@pytest.mark.parametrize("build", BUILDS)
def test_every_page_and_stylesheet_is_valid(vnu_report, build, request):
    output = request.getfixturevalue(build).output
    assert any(output.rglob("*.html"))
    assert vnu_report[build] == []
    assert vnu_report["unattributed"] == []
