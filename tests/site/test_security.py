"""Every page carries the strict policy, and nothing in a page needs it loosened."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PRODUCTION_SITEURL
from tests.support import ROOT, built_copy, parse_html, plant

BUILDS = ("site", "fixture_site", "production_site")
# The one loosening the policy allows, on the page that needs it (search).
ALLOWED_EXTRA = {"script-src": {"'wasm-unsafe-eval'"}}


def directives(policy):
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = set(values)
    return parsed


@pytest.fixture(scope="session")
def settings_policy():
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    return settings["CONTENT_SECURITY_POLICY"], settings["REFERRER_POLICY"]


def inline_code(soup):
    """Everything in a page that a strict CSP would refuse: (what, where)."""
    found = []
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type") != "application/ld+json":
            found.append(("inline script", str(script)[:80]))
    for tag in soup.find_all(True):
        found += [(f"{attr} handler", tag.name) for attr in tag.attrs if attr.startswith("on")]
        if tag.has_attr("style"):
            found.append(("style attribute", tag.name))
    found += [("style element", str(s)[:80]) for s in soup.find_all("style")]
    return found


def test_the_inline_code_check_finds_scripts_handlers_and_styles():
    soup = BeautifulSoup(
        '<script>alert(1)</script><script type="application/ld+json">{}</script>'
        '<a onclick="x()" style="color:red">a</a><style>p{}</style>',
        "lxml",
    )
    assert sorted(kind for kind, _ in inline_code(soup)) == [
        "inline script",
        "onclick handler",
        "style attribute",
        "style element",
    ]


def by_page(build, check):
    """{page's path in the output: what ``check`` found in it}, for pages with findings.

    Keyed by the full path: nearly every page is an index.html."""
    found = {}
    for page in build.html_files():
        items = check(parse_html(page))
        if items:
            found[page.relative_to(build.output).as_posix()] = items
    return found


@pytest.mark.parametrize("build", BUILDS)
def test_no_page_has_inline_script_handlers_or_styles(build, request):
    site = request.getfixturevalue(build)
    assert len(site.html_files()) > 10
    assert by_page(site, inline_code) == {}


def test_the_inline_code_gate_reports_each_page_a_defect_is_planted_in(fixture_site, tmp_path):
    copy = built_copy(fixture_site, tmp_path / "copy")
    plant(copy.file_for("essays/ledger-basics/"), "<p>", '<p style="color:red">')
    plant(copy.file_for("archives/"), "<main", '<main onclick="go()"')
    assert by_page(copy, inline_code) == {
        "essays/ledger-basics/index.html": [("style attribute", "p")],
        "archives/index.html": [("onclick handler", "main")],
    }


@pytest.mark.parametrize("build", BUILDS)
def test_every_page_carries_the_strict_policy(build, request, settings_policy):
    policy, referrer = settings_policy
    expected = directives(policy)
    assert expected["default-src"] == {"'self'"}
    assert "'unsafe-inline'" not in expected["script-src"]
    for html_file in request.getfixturevalue(build).html_files():
        soup = parse_html(html_file)
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, html_file
        found = directives(meta["content"])
        assert found.keys() == expected.keys(), html_file
        for name, values in found.items():
            assert expected[name] <= values <= expected[name] | ALLOWED_EXTRA.get(name, set())
        assert soup.find("meta", attrs={"name": "referrer"})["content"] == referrer


# <link> relations that make the browser fetch or connect; the others
# (canonical, alternate, author, ...) only describe.
FETCHING_RELS = {
    "stylesheet", "icon", "apple-touch-icon", "manifest", "preload", "prefetch",
    "preconnect", "dns-prefetch", "modulepreload", "prerender",
}  # fmt: skip
LOADERS = ("script", "img", "iframe", "source", "video", "audio", "object", "embed", "track")


def foreign_loads(soup, own_prefix):
    """Every URL a page would fetch from outside its own site."""
    urls = []
    for tag in soup.find_all(["link", *LOADERS]):
        if tag.name == "link" and not FETCHING_RELS & set(tag.get("rel", [])):
            continue
        for attr in ("href", "src", "data", "poster"):
            value = tag.get(attr, "")
            absolute = value.startswith(("http:", "https:", "//"))
            if absolute and not (own_prefix and value.startswith(own_prefix + "/")):
                urls.append(value)
    return urls


def test_the_foreign_load_check_finds_fonts_trackers_and_preconnects():
    soup = BeautifulSoup(
        '<link rel="preconnect" href="https://fonts.example">'
        '<link rel="canonical" href="https://elsewhere.example/a/">'
        '<script src="//cdn.example/x.js"></script><img src="https://site.example/me.png" alt="">',
        "lxml",
    )
    assert foreign_loads(soup, "https://site.example") == [
        "https://fonts.example",
        "//cdn.example/x.js",
    ]


@pytest.mark.parametrize("build", BUILDS)
def test_no_page_loads_anything_from_another_origin(build, request):
    own = PRODUCTION_SITEURL if build == "production_site" else ""
    site = request.getfixturevalue(build)
    assert len(site.html_files()) > 10
    assert by_page(site, lambda soup: foreign_loads(soup, own)) == {}


def test_the_foreign_load_gate_reports_the_page_a_tracker_is_planted_in(fixture_site, tmp_path):
    copy = built_copy(fixture_site, tmp_path / "copy")
    pixel = '<img src="https://tracker.example/p.gif" alt="">'
    plant(copy.file_for("essays/discounted-cash-flow/"), "</main>", pixel + "</main>")
    assert by_page(copy, lambda soup: foreign_loads(soup, "")) == {
        "essays/discounted-cash-flow/index.html": ["https://tracker.example/p.gif"]
    }
