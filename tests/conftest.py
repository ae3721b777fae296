"""Session-wide builds of the real site: each is built once and shared."""

import logging

import pytest

from tests.support import ESSAYS, ROOT, build_in_process, build_subprocess, read_source

PRODUCTION_SITEURL = "https://example.test/bzdww"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site built with pelicanconf.py, with every log record kept."""
    return build_in_process(ROOT / "pelicanconf.py", tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The real site built as `make publish` does, under a sub-path SITEURL."""
    build = build_subprocess(
        ROOT / "publishconf.py",
        tmp_path_factory.mktemp("production"),
        "--fatal",
        "warnings",
        env={"SITEURL": PRODUCTION_SITEURL},
    )
    assert build.returncode == 0, build.log
    return build


SEED_ESSAY = ESSAYS / "the-logic-behind-the-mutual-gold-giants.md"


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
