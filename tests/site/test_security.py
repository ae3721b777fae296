"""Every page carries the strict policy, and nothing in a page needs it loosened."""

import pytest
from bs4 import BeautifulSoup

from tests.conftest import PRODUCTION_SITEURL
from tests.support import ROOT, parse_html

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


@pytest.mark.parametrize("build", BUILDS)
def test_no_page_has_inline_script_handlers_or_styles(build, request):
    pages = request.getfixturevalue(build).html_files()
    assert pages
    found = {p.name: inline_code(parse_html(p)) for p in pages}
    assert {name: items for name, items in found.items() if items} == {}


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
    pages = request.getfixturevalue(build).html_files()
    found = {p.name: foreign_loads(parse_html(p), own) for p in pages}
    assert {name: urls for name, urls in found.items() if urls} == {}
