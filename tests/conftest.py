"""Session-wide builds and tools: each site is built once and shared."""

import contextlib
import functools
import http.server
import logging
import shutil
import threading

import pytest

from tests.support import (
    CHROMIUM_ARGS,
    ESSAYS,
    FIXTURE_CONTENT,
    ROOT,
    build_in_process,
    build_subprocess,
    read_source,
    require_tool,
)

PRODUCTION_SITEURL = "https://example.test/bzdww"
# Pages a search shard holds on the fixture site: a few, so it has several.
FIXTURE_SHARD_SIZE = 4
SEED_ESSAY = ESSAYS / "the-logic-behind-the-mutual-gold-giants.md"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site built with pelicanconf.py, with every log record kept."""
    return build_in_process(ROOT / "pelicanconf.py", tmp_path_factory.mktemp("site"))


def build_production(tmp_path_factory, name="production"):
    """The real site built with publishconf.py under a sub-path SITEURL, in a
    child process (production plugins must not stay connected in this one)."""
    build = build_subprocess(
        ROOT / "publishconf.py",
        tmp_path_factory.mktemp(name),
        "--fatal",
        "warnings",
        env={"SITEURL": PRODUCTION_SITEURL},
    )
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The real site built as `make publish` does, under a sub-path SITEURL."""
    return build_production(tmp_path_factory)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """tests/fixtures/site built with the real settings, two essays a page, its
    search index in several shards and one essay a glossary term listed, as
    a large archive's are."""
    static = [p for p in ("images", "data", "extra") if (FIXTURE_CONTENT / p).is_dir()]
    return build_in_process(
        ROOT / "pelicanconf.py",
        tmp_path_factory.mktemp("fixture_site"),
        content=FIXTURE_CONTENT,
        STATIC_PATHS=static,
        DEFAULT_PAGINATION=2,
        DEFAULT_ORPHANS=0,
        SITE_SEARCH_SHARD_SIZE=FIXTURE_SHARD_SIZE,
        GLOSSARY_ESSAYS_LISTED=1,
    )


@pytest.fixture(scope="session")
def seed_source():
    """(metadata, Markdown body) of the seed essay as committed."""
    return read_source(SEED_ESSAY)


@pytest.fixture(scope="session")
def essay_url(seed_source):
    """The seed essay's URL path, from the slug in its source."""
    return f"essays/{seed_source[0]['slug']}/"


def warnings_in(records):
    return [r for r in records if r.levelno >= logging.WARNING]


# Browsers and local servers -------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve_folder(folder):
    """Serve a folder on an ephemeral loopback port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_server(site):
    """Base URL of the real site's output, served over HTTP."""
    with serve_folder(site.output) as url:
        yield url


@pytest.fixture(scope="session")
def fixture_site_server(fixture_site):
    with serve_folder(fixture_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_path():
    return require_tool(
        shutil.which("chromium"), "Chromium", "apt-get install -y chromium (Debian's package)"
    )


@pytest.fixture(scope="session")
def browser(chromium_path):
    """Debian's Chromium driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page at 1280x900; tests resize it as they need."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def fixture_site_subpath_server(fixture_site, tmp_path_factory):
    """The fixture site's output served under /deep/path/, as a sub-path deploy."""
    root = tmp_path_factory.mktemp("subpath")
    (root / "deep").mkdir()
    (root / "deep" / "path").symlink_to(fixture_site.output, target_is_directory=True)
    with serve_folder(root) as url:
        yield url + "deep/path/"


# Quality checks: the checkers npm installs into node_modules/ ----------------

NODE_MODULES = ROOT / "node_modules"
INSTALL_CHECKERS = "make tools (runs npm ci; needs Debian's nodejs and npm)"


@pytest.fixture(scope="session")
def vnu_command():
    """How to run the Nu HTML Checker: Debian's Java and the pinned npm vnu-jar."""
    java = require_tool(shutil.which("java"), "Java", "apt-get install -y default-jre-headless")
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    require_tool(jar.is_file(), "The Nu HTML Checker (npm vnu-jar)", INSTALL_CHECKERS)
    return [java, "-jar", str(jar)]


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's browser bundle, from the pinned npm package."""
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    require_tool(path.is_file(), "axe-core (npm)", INSTALL_CHECKERS)
    return path.read_text(encoding="utf-8")


# Build speed ------------------------------------------------------------------

# Settings that turn off every shortcut of the build: no memo read or
# written, no worker processes, Pagefind reading every page.
PLAIN_BUILD = {
    "SITE_SEARCH_GLOB": None,
    "MEMO_ENABLED": False,
    "WORKERS": 0,
}


@pytest.fixture(scope="session")
def speed_builds(tmp_path_factory):
    return _speed_builds(tmp_path_factory, FIXTURE_CONTENT, edit=None)


def _edit_two_essays(content):
    """One essay's text and another's title change, as an author edits them."""
    ledger = content / "essays" / "ledger-basics.md"
    ledger.write_text(
        ledger.read_text(encoding="utf-8") + "\nA paragraph added after the first build.\n",
        encoding="utf-8",
    )
    scores = content / "essays" / "credit-scores.md"
    text = scores.read_text(encoding="utf-8")
    scores.write_text(text.replace("Title: Credit scores", "Title: Credit ratings", 1), "utf-8")


@pytest.fixture(scope="session")
def edit_builds(tmp_path_factory):
    """A copy of the fixture site built with the cache, edited, rebuilt with
    the same cache ("warm"), and built plainly as edited ("plain")."""
    content = tmp_path_factory.mktemp("edited") / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    return _speed_builds(tmp_path_factory, content, edit=_edit_two_essays)


def _speed_builds(tmp_path_factory, content, edit):
    """A site built plainly ("plain"), then twice with the cache and workers
    ("cold", "warm"); with ``edit``, the site is edited between the two.

    Each build runs as `make html` does, in its own process.  The cold and
    warm builds share a cache folder: one starts empty, the other reuses it.
    Workers start for any number of essays, so the parallel path is taken.
    """
    import json  # noqa: PLC0415

    base = {
        "STATIC_PATHS": [p for p in ("images", "data", "extra") if (FIXTURE_CONTENT / p).is_dir()],
        "DEFAULT_PAGINATION": 2,
        "DEFAULT_ORPHANS": 0,
    }
    fast = {
        "CACHE_PATH": str(tmp_path_factory.mktemp("speed_cache")),
        "WORKERS": 1,
        "WORKERS_MIN_TASKS": 1,
    }
    builds = {}
    runs = [("plain", PLAIN_BUILD), ("cold", fast), ("warm", fast)]
    if edit is not None:  # the plain build is of the edited site
        runs = [runs[1], ("edit", edit), runs[2], runs[0]]
    for name, extra in runs:
        if callable(extra):
            extra(content)
            continue
        # One -e with every pair: a second -e would replace the first.
        pairs = [f"{key}={json.dumps(value)}" for key, value in {**base, **extra}.items()]
        args = ["--fatal", "warnings", "-v", "-e", *pairs]
        build = build_subprocess(
            ROOT / "pelicanconf.py",
            tmp_path_factory.mktemp(f"speed_{name}"),
            *args,
            content=content,
            env={"COLUMNS": "400"},  # one log record a line
        )
        assert build.returncode == 0, build.log
        builds[name] = build
    return builds
