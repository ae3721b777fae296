"""The production build is lean: fingerprinted assets, minified HTML, precompressed
text, and a _headers file with the same policy as the pages; and it is the same
bytes every time."""

import filecmp
import gzip
import hashlib
import re
from fnmatch import fnmatch

import brotli
import pytest

from tests.conftest import PRODUCTION_SITEURL, build_production
from tests.support import parse_html

TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".json", ".txt", ".svg"}
HASHED = re.compile(r"\.([0-9a-f]{10})\.(css|js)$")


@pytest.fixture(scope="session")
def production_site_again(tmp_path_factory):
    return build_production(tmp_path_factory, "production_again")


def parse_headers_file(text):
    """[(path pattern, {header: value})] in file order."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith((" ", "\t")):
            name, _, value = line.strip().partition(":")
            assert name not in rules[-1][1], f"{name} twice in the rule for {rules[-1][0]}"
            rules[-1][1][name] = value.strip()
        else:
            rules.append((line.strip(), {}))
    return rules


def headers_for(rules, url_path):
    """{header: [values]} a host sends for a path: every matching rule's headers."""
    sent = {}
    for pattern, headers in rules:
        if fnmatch(url_path, pattern):
            for name, value in headers.items():
                sent.setdefault(name, []).append(value)
    return sent


def test_every_asset_a_page_loads_is_named_by_its_content_hash(production_site):
    assets = set()
    for html_file in production_site.html_files():
        soup = parse_html(html_file)
        assets |= {s["src"] for s in soup.find_all("script", src=True)}
        assets |= {link["href"] for link in soup.find_all("link", rel="stylesheet")}
    # The theme's assets; tools that manage their own files (a search index) are not ours.
    assets = {url for url in assets if url.startswith(f"{PRODUCTION_SITEURL}/theme/")}
    assert assets
    for url in assets:
        match = HASHED.search(url)
        assert match, f"{url} is not fingerprinted"
        path = production_site.output / url.removeprefix(PRODUCTION_SITEURL + "/")
        assert hashlib.sha256(path.read_bytes()).hexdigest()[:10] == match.group(1), url


def test_no_unfingerprinted_script_or_stylesheet_is_published(production_site):
    theme = production_site.output / "theme"
    plain = [
        p for p in theme.rglob("*") if p.suffix in (".css", ".js") and not HASHED.search(p.name)
    ]
    assert plain == []


def test_production_html_is_minified(site, production_site):
    for url in ("", "essays/the-logic-behind-the-mutual-gold-giants/", "archives/"):
        dev = site.file_for(url).read_text(encoding="utf-8")
        prod = production_site.file_for(url).read_text(encoding="utf-8")
        assert re.search(r">\s+<", dev), url  # the check can fail: dev output is indented
        assert not re.search(r">\s*\n\s*<", re.sub(r"<pre.*?</pre>", "", prod, flags=re.S)), url
        assert prod.count("\n") < dev.count("\n") / 4, url
    # Minifying keeps the content: the essay's text is all there.
    essay = "essays/the-logic-behind-the-mutual-gold-giants/"
    dev_text = " ".join(site.page(essay).select_one(".essay-body").get_text(" ").split())
    prod_text = " ".join(
        production_site.page(essay).select_one(".essay-body").get_text(" ").split()
    )
    assert prod_text == dev_text


def test_every_text_file_is_precompressed_next_to_itself(production_site):
    root = production_site.output
    texts = [
        p for p in root.rglob("*")
        if p.is_file() and p.suffix in TEXT_SUFFIXES and p.relative_to(root).parts[0] != "email"
    ]  # fmt: skip
    assert len(texts) > 30
    for path in texts:
        original = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if len(original) < 1024 and not gz.exists():
            continue  # tiny files that compression would only grow are left alone
        assert gzip.decompress(gz.read_bytes()) == original, gz
        assert brotli.decompress(br.read_bytes()) == original, br
        assert len(br.read_bytes()) < len(original)
        # No timestamp in the gzip header: the same input gives the same bytes.
        assert gz.read_bytes()[4:8] == b"\0\0\0\0", gz


def test_email_editions_get_no_compressed_copies_as_no_browser_fetches_them(production_site):
    root = production_site.output
    editions = sorted((root / "email").rglob("index.*"))
    assert {p.suffix for p in editions} == {".html", ".txt"}
    assert len(editions) >= 2
    copies = [p for p in (root / "email").rglob("*") if p.suffix in (".gz", ".br")]
    assert copies == []
    # The essays' own pages beside them still have theirs.
    essay = next(p for p in root.rglob("index.html") if p.relative_to(root).parts[0] == "essays")
    assert essay.with_name("index.html.br").is_file()


def test_production_build_is_byte_for_byte_reproducible(production_site, production_site_again):
    first, second = production_site.output, production_site_again.output
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_headers_file_repeats_the_pages_policy_with_what_only_headers_can_do(production_site):
    rules = parse_headers_file((production_site.output / "_headers").read_text())
    page = production_site.page("")

    def meta_policy(url):
        meta = production_site.page(url).find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"}
        )
        return meta["content"]

    # A page obeys both its <meta> policy and the header, so the header (one
    # policy for every path) is the loosest page's: search, which runs WebAssembly.
    search_policy = f"{meta_policy('search/')}; frame-ancestors 'none'"
    for path in (
        "/search/",
        "/pagefind/0/pagefind.js",
        "/essays/the-logic-behind-the-mutual-gold-giants/",
    ):
        assert headers_for(rules, path)["Content-Security-Policy"] == [search_policy], path
    assert "'wasm-unsafe-eval'" not in meta_policy("")
    sent = headers_for(rules, "/essays/the-logic-behind-the-mutual-gold-giants/")
    assert sent["X-Content-Type-Options"] == ["nosniff"]
    assert sent["Referrer-Policy"] == [page.find("meta", attrs={"name": "referrer"})["content"]]
    (hsts,) = sent["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000


def test_fingerprinted_files_are_cached_for_a_year_and_pages_briefly(production_site):
    output = production_site.output
    rules = parse_headers_file((output / "_headers").read_text())
    hashed = [p for p in output.rglob("*") if HASHED.search(p.name)]
    assert hashed
    for path in hashed:
        (cache,) = headers_for(rules, "/" + path.relative_to(output).as_posix())["Cache-Control"]
        assert "immutable" in cache and "max-age=31536000" in cache, path
    pages = [*production_site.html_files(), *output.glob("feeds/**/*.xml")]
    for path in pages:
        url = "/" + path.relative_to(output).as_posix().removesuffix("index.html")
        sent = headers_for(rules, url)
        # Exactly one rule sets the lifetime: hosts join values several rules set.
        (cache,) = sent["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", cache).group(1)) <= 600, url
        assert "immutable" not in cache
        for name, values in sent.items():
            assert len(values) == 1, (url, name)
