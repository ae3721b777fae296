"""Builds are clean: no warnings, and the production build passes --fatal warnings."""

import re

from tests.conftest import PRODUCTION_SITEURL, warnings_in
from tests.support import parse_html


def test_build_logs_no_warnings(site):
    assert [r.getMessage() for r in warnings_in(site.records)] == []
    # The capture works: Pelican's own progress messages were recorded.
    assert any(r.getMessage().startswith("Writing") for r in site.records)


def test_production_build_with_fatal_warnings_succeeds(production_site):
    assert production_site.returncode == 0
    assert "WARNING" not in production_site.log
    assert "ERROR" not in production_site.log
    assert (production_site.output / "index.html").is_file()


def test_pages_share_one_fingerprinted_stylesheet(site, production_site):
    for build, prefix in ((site, None), (production_site, PRODUCTION_SITEURL)):
        sheets = set()
        for html_file in build.html_files():
            links = parse_html(html_file).find_all("link", rel="stylesheet")
            assert len(links) == 1, html_file
            sheets.add(links[0]["href"].rsplit("/", 1)[-1])
        assert len(sheets) == 1
        (name,) = sheets
        assert re.fullmatch(r"site\.[0-9a-f]{10}\.css", name)
        assert (build.output / "theme" / "css" / name).is_file()
        if prefix:
            page = parse_html(build.output / "index.html")
            assert page.find("link", rel="stylesheet")["href"].startswith(prefix + "/theme/css/")


def test_production_stylesheet_is_minified(site, production_site):
    dev = next((site.output / "theme" / "css").glob("site.*.css"))
    prod = next((production_site.output / "theme" / "css").glob("site.*.css"))
    assert prod.stat().st_size < dev.stat().st_size * 0.85
    compact = prod.read_text().replace(" ", "")
    # Dark mode survives minifying: the light-dark() pairs and the toggle's rule.
    assert "--bz-color-bg:light-dark(#fdfcf9,#161614)" in compact
    assert ':root[data-theme="dark"]{color-scheme:dark}' in compact
    assert "@media print" in prod.read_text()
