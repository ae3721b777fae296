"""Every internal link, image and stylesheet in the output resolves."""

from pathlib import Path
from urllib.parse import urlsplit

from tests.conftest import PRODUCTION_SITEURL
from tests.support import (
    Build,
    built_copy,
    internal_refs,
    parse_html,
    plant,
    resolve_internal,
)


def broken_refs(build, site_prefix=""):
    checked, broken = 0, []
    ids = {}
    for html_file in build.html_files():
        for tag, _attr, ref in internal_refs(parse_html(html_file)):
            resolved = resolve_internal(build.output, html_file, ref, site_prefix)
            if resolved is None:
                continue
            target, fragment = resolved
            checked += 1
            if not target.is_file():
                broken.append((html_file.relative_to(build.output), tag.name, ref))
                continue
            if fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {el["id"] for el in parse_html(target).find_all(id=True)}
                if fragment not in ids[target]:
                    broken.append((html_file.relative_to(build.output), tag.name, ref))
    return checked, broken


def test_every_internal_link_resolves_to_a_file(site):
    checked, broken = broken_refs(site)
    assert broken == []
    assert checked > 100


def test_every_internal_link_in_the_fixture_site_resolves(fixture_site):
    checked, broken = broken_refs(fixture_site)
    assert broken == []
    assert checked > 100


def test_every_link_in_the_production_build_resolves_under_siteurl(production_site):
    checked, broken = broken_refs(production_site, PRODUCTION_SITEURL)
    assert broken == []
    assert checked > 100


def test_the_link_gate_reports_a_broken_link_and_a_missing_fragment_in_one_page(
    fixture_site, tmp_path
):
    copy = built_copy(fixture_site, tmp_path / "copy")
    page = copy.file_for("essays/ledger-basics/")
    plant(page, "</main>", '<a href="../no-such-essay/">x</a><a href="#no-such-id">y</a></main>')
    checked, broken = broken_refs(copy)
    assert checked > 100
    assert broken == [
        (Path("essays/ledger-basics/index.html"), "a", "../no-such-essay/"),
        (Path("essays/ledger-basics/index.html"), "a", "#no-such-id"),
    ]


def not_absolute_under(build, siteurl):
    """Every reference of a production build that is not an absolute URL under
    ``siteurl``: relative ones, and ones to the site's host outside it.  Links
    to other sites are the essays' business."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(siteurl))
    found = []
    for html_file in build.html_files():
        for tag, _attr, ref in internal_refs(parse_html(html_file)):
            parts = urlsplit(ref)
            if ref.startswith("#") or parts.scheme in ("mailto", "tel", "data"):
                continue
            if parts.scheme or parts.netloc:
                elsewhere = f"{parts.scheme}://{parts.netloc}" != origin
                if elsewhere or ref == siteurl or ref.startswith(siteurl + "/"):
                    continue
            found.append((html_file.relative_to(build.output).as_posix(), tag.name, ref))
    return found


def test_production_pages_use_absolute_urls_under_the_siteurl(production_site):
    assert not_absolute_under(production_site, PRODUCTION_SITEURL) == []


def test_the_absolute_url_gate_reports_relative_links_but_not_other_sites(
    production_site, tmp_path
):
    copy = built_copy(production_site, tmp_path / "copy")
    page = next(p for p in copy.html_files() if "/essays/" in p.as_posix())
    planted = (
        '<a href="https://elsewhere.example/a">other site</a>'
        '<a href="../relative/">relative</a><a href="https://example.test/outside">host</a>'
    )
    plant(page, "</main>", planted + "</main>")
    where = page.relative_to(copy.output).as_posix()
    assert not_absolute_under(copy, PRODUCTION_SITEURL) == [
        (where, "a", "../relative/"),
        (where, "a", "https://example.test/outside"),
    ]


def test_srcset_candidates_are_checked_like_any_other_reference(tmp_path):
    (tmp_path / "a.png").write_bytes(b"")
    page = tmp_path / "index.html"
    page.write_text('<img src="a.png" alt="" srcset="a.png 1x, missing.png 2x">')
    build = Build(output=tmp_path)
    checked, broken = broken_refs(build)
    assert checked == 3
    assert broken == [(Path("index.html"), "img", "missing.png")]
