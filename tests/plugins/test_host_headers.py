"""The _headers file: one policy for every response, non-overlapping cache rules."""

from plugins.host_headers.host_headers import DEFAULTS, cache_rules, render, security_headers

SETTINGS = {
    **DEFAULTS,
    "CONTENT_SECURITY_POLICY": "default-src 'self'; script-src 'self'",
    "REFERRER_POLICY": "no-referrer",
    "THEME_STATIC_DIR": "theme",
}


def make_output(tmp_path):
    for rel in (
        "index.html",
        "index.html.gz",
        "404.html",
        "robots.txt",
        "essays/a/index.html",
        "feeds/all.atom.xml",
        "theme/css/site.0123456789.css",
        "theme/css/site.0123456789.css.br",
        "theme/js/search.abcdefabcd.js",
        "theme/img/logo.svg",
        "_headers",
    ):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    return tmp_path


def test_policy_adds_header_only_directives_to_the_pages_policy():
    headers = security_headers(SETTINGS)
    assert headers["Content-Security-Policy"] == (
        "default-src 'self'; script-src 'self'; frame-ancestors 'none'"
    )
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=" in headers["Strict-Transport-Security"]


def test_fingerprinted_files_are_long_lived_and_the_rest_short(tmp_path):
    long_lived, short = cache_rules(make_output(tmp_path), "theme")
    assert long_lived == ["theme/css/site.0123456789.css", "theme/js/search.abcdefabcd.js"]
    assert short == ["", "404.html", "essays/*", "feeds/*", "index.html", "robots.txt"]


def test_rendered_file_sets_every_header_once_per_rule(tmp_path):
    text = render(SETTINGS, make_output(tmp_path))
    blocks = [b.splitlines() for b in text.split("\n\n")]
    assert blocks[0][1] == "/*"
    for block in blocks[1:]:
        path, *headers = block
        assert path.startswith("/")
        assert [h.split(":")[0].strip() for h in headers] == ["Cache-Control"]
    assert "/theme/*" not in text and "/theme/img" not in text
