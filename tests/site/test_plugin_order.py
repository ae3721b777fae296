"""The order of PLUGINS cannot make the site unsafe: any order builds the same, escaped site.

Each variant of the production plugin list (every plugin moved to the front
in turn, and the list reversed) builds a site with a hostile title in a
process of its own, so Pelican registers the plugins in that order.  Every
variant must escape the title on every page and write the same bytes as the
list in its usual order.
"""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from pelican.settings import read_settings

from tests.plugins.test_content_guard import write_good_site
from tests.support import ROOT, parse_html

TITLE = "Probe <script>alert(1)</script><img src=x onerror=alert(2)>"
HOSTILE = f"""\
Title: {TITLE}
Date: 2026-03-05
Author: Eve
Category: Risk
Tags: Probe
Slug: probe
Summary: A probe.

An ordinary body.
"""


BUILD = [sys.executable, "-m", "tools.build"]


def variants():
    plugins = read_settings(str(ROOT / "publishconf.py"))["PLUGINS"]
    found = {"as written": plugins, "reversed": plugins[::-1]}
    for name in plugins[1:]:
        found[f"{name} first"] = [name, *(p for p in plugins if p != name)]
    return found


def build_variant(base, name, plugins):
    settings = base / f"settings_{abs(hash(name))}.py"
    settings.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from publishconf import *\n"
        f"PLUGINS = {plugins!r}\n"
        "SITE_SEARCH_ENABLED = False\n",
        encoding="utf-8",
    )
    output = base / f"output_{abs(hash(name))}"
    proc = subprocess.run(
        [*BUILD, str(base / "content"), "-s", str(settings), "-o", str(output)],
        cwd=ROOT,
        env={**os.environ, "SITEURL": "https://example.test/site", "PYTHONWARNINGS": ""},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return name, proc, output


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("order")
    write_good_site(base / "content")
    (base / "content" / "essays" / "probe.md").write_text(HOSTILE, encoding="utf-8")
    with ThreadPoolExecutor(2) as pool:
        done = pool.map(lambda item: build_variant(base, *item), variants().items())
        return {name: (proc, output) for name, proc, output in done}


def files_of(output):
    return {
        path.relative_to(output).as_posix(): path.read_bytes()
        for path in sorted(output.rglob("*"))
        if path.is_file()
    }


def test_every_order_of_the_plugins_builds(builds):
    failed = {name: proc.stderr for name, (proc, _) in builds.items() if proc.returncode}
    assert failed == {}
    assert len(builds) >= 17


def test_every_order_escapes_the_title_on_every_page(builds):
    for name, (_, output) in builds.items():
        pages = sorted(output.rglob("*.html"))
        showing = 0
        for page in pages:
            soup = parse_html(page)
            key = f"{name}: {page.relative_to(output)}"
            assert not soup.find_all(attrs={"onerror": True}), key
            for script in soup.find_all("script"):
                if script.get("type") == "application/ld+json":
                    # A data block: the title is in it, with no "<" to end it.
                    assert "<" not in script.get_text(), key
                else:
                    assert "alert(" not in script.get_text(), key
            showing += "Probe <script>alert(1)</script>" in soup.get_text()
        # The title reads back as text on the essay, the listings and archives.
        assert showing >= 5, name
        essay = parse_html(output / "essays" / "probe" / "index.html")
        assert essay.find("h1").get_text(strip=True).replace("\xa0", " ") == TITLE, name


def test_every_order_writes_the_same_bytes(builds):
    _, usual = builds["as written"]
    expected = files_of(usual)
    for name, (_, output) in builds.items():
        found = files_of(output)
        assert sorted(found) == sorted(expected), name
        assert [path for path in expected if found[path] != expected[path]] == [], name
