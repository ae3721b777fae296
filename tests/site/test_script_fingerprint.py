"""End to end: a script a template references plainly is published fingerprinted.

Builds the real content for production with a copy of the theme that has one
more script, referenced the way the contract says templates reference scripts.
"""

import re
import shutil

import pytest

from tests.conftest import PRODUCTION_SITEURL
from tests.support import ROOT, build_subprocess, parse_html

# Long enough that compressing it pays, so it gets .gz and .br siblings.
SCRIPT = "// A stand-in for the search script.\n" * 20 + 'document.body.dataset.probe = "on";\n'
REFERENCE = '<script src="{{ SITEURL }}/{{ THEME_STATIC_DIR }}/js/probe.js" defer></script>\n'


@pytest.fixture(scope="session")
def site_with_script(tmp_path_factory):
    theme = tmp_path_factory.mktemp("theme_with_script") / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "js").mkdir(parents=True, exist_ok=True)
    (theme / "static" / "js" / "probe.js").write_text(SCRIPT)
    base = theme / "templates" / "base.html"
    head_end = "{% endblock head %}"
    base.write_text(base.read_text().replace(head_end, REFERENCE + head_end))
    build = build_subprocess(
        ROOT / "publishconf.py",
        tmp_path_factory.mktemp("production_with_script"),
        "--fatal",
        "warnings",
        "-t",
        str(theme),
        env={"SITEURL": PRODUCTION_SITEURL},
    )
    assert build.returncode == 0, build.log
    return build


def test_script_is_published_under_its_hash_and_every_page_points_there(site_with_script):
    js = site_with_script.output / "theme" / "js"
    (script,) = [p for p in js.iterdir() if p.name.startswith("probe.") and p.suffix == ".js"]
    assert re.fullmatch(r"probe\.[0-9a-f]{10}\.js", script.name)
    assert script.read_text() == SCRIPT
    expected = f"{PRODUCTION_SITEURL}/theme/js/{script.name}"
    pages = site_with_script.html_files()
    assert pages
    for page in pages:
        sources = [s["src"] for s in parse_html(page).find_all("script", src=True)]
        assert expected in sources, page
        # The theme's own scripts (search) are fingerprinted the same way.
        for src in sources:
            assert re.search(r"/theme/js/[a-z-]+\.[0-9a-f]{10}\.js$", src), (page, src)


def test_the_fingerprinted_script_is_precompressed_and_the_old_name_is_gone(site_with_script):
    js = site_with_script.output / "theme" / "js"
    names = sorted(p.name for p in js.iterdir())
    assert not any(n.startswith("probe.js") for n in names)
    hashed = next(n for n in names if n.startswith("probe.") and n.endswith(".js"))
    assert {f"{hashed}.gz", f"{hashed}.br"} <= set(names)
