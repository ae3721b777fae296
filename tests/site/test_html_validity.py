"""Every built page and stylesheet is valid to the current Nu HTML Checker.

The checker is a Java program (npm `vnu-jar`, pinned in package-lock.json); the
JVM starts slowly, so one run checks the real site, the production build and
the fixture site together, plus one page of a copy of the fixture site with a
defect planted in it, proving that errors are caught and put on their page.
Files are named one by one (not as folders) so that only the theme's own
stylesheets are checked, never third-party CSS copied into the output.
"""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.support import plant

BUILDS = ("site", "production_site", "fixture_site")
PLANTED_PAGE = "essays/ledger-basics/index.html"
# A block inside a paragraph, and an id given twice: two errors.
PLANTED = '<div id="main">block in a paragraph</div>'


@pytest.fixture(scope="session")
def vnu_report(vnu_command, site, production_site, fixture_site, tmp_path_factory):
    """{build name or "planted": [error messages]} from one checker run."""
    planted = tmp_path_factory.mktemp("vnu_planted")
    page = planted / PLANTED_PAGE
    page.parent.mkdir(parents=True)
    shutil.copyfile(fixture_site.output / PLANTED_PAGE, page)
    plant(page, "</p>", PLANTED + "</p>")
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
            str(page),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    folders["planted"] = planted
    report = {name: [] for name in (*BUILDS, "planted", "unattributed")}
    for message in json.loads(proc.stdout)["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        if "url" not in message:
            report["unattributed"].append(message["message"])
            continue
        path = Path(unquote(urlsplit(message["url"]).path))
        owner = next((n for n, f in folders.items() if path.is_relative_to(f)), "unattributed")
        where = path.relative_to(folders[owner]) if owner in folders else path
        report[owner].append(f"{where}:{message.get('lastLine', '?')}: {message['message']}")
    return report


def test_the_checker_reports_a_defect_planted_in_one_built_page_on_that_page(vnu_report):
    found = vnu_report["planted"]
    assert len(found) >= 2, found
    assert all(message.startswith(PLANTED_PAGE + ":") for message in found), found
    assert any("Duplicate ID" in message for message in found), found


@pytest.mark.parametrize("build", BUILDS)
def test_every_page_and_stylesheet_is_valid(vnu_report, build, request):
    output = request.getfixturevalue(build).output
    assert any(output.rglob("*.html"))
    assert vnu_report[build] == []
    assert vnu_report["unattributed"] == []
