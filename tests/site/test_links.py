"""Every internal link, image and stylesheet in the output resolves."""

from pathlib import Path

from tests.conftest import PRODUCTION_SITEURL
from tests.support import Build, internal_refs, parse_html, resolve_internal


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


def test_production_pages_use_absolute_urls_under_the_siteurl(production_site):
    for html_file in production_site.html_files():
        for tag, _attr, ref in internal_refs(parse_html(html_file)):
            # Links that say they lead elsewhere (share links, a source) are not the site's.
            if ref.startswith(("#", "mailto:")) or "external" in (tag.get("rel") or []):
                continue
            assert ref.startswith(PRODUCTION_SITEURL + "/"), (html_file, tag.name, ref)


def test_srcset_candidates_are_checked_like_any_other_reference(tmp_path):
    (tmp_path / "a.png").write_bytes(b"")
    page = tmp_path / "index.html"
    page.write_text('<img src="a.png" alt="" srcset="a.png 1x, missing.png 2x">')
    build = Build(output=tmp_path)
    checked, broken = broken_refs(build)
    assert checked == 3
    assert broken == [(Path("index.html"), "img", "missing.png")]
