"""Drafts show locally and never in production; future essays wait for their date;
two production builds of the same sources are byte-identical."""

import datetime
import os
import shutil
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import PRODUCTION_SITEURL
from tests.support import FIXTURE_CONTENT, ROOT, normalise_text, parse_html

DRAFT_SLUG = "interchange-fees"
DRAFT_TITLE = "Interchange fees, a draft"


def scheduled_essay(title, slug, when):
    return (
        f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nAuthor: Test Author\n"
        f"Category: Payments\nTags: Scheduling\nSlug: {slug}\nSummary: {title}.\n\n"
        f"The body of {title}.\n"
    )


@pytest.fixture(scope="session")
def scheduled_production(tmp_path_factory):
    """The fixture site plus a future and a just-due essay, built twice as `make
    publish` does, with different hash seeds."""
    base = tmp_path_factory.mktemp("scheduled")
    content = base / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    now = datetime.datetime.now(ZoneInfo("Asia/Shanghai"))
    essays = content / "essays"
    (essays / "future.md").write_text(
        scheduled_essay(
            "Next year's rate cycle", "next-years-rate-cycle", now + datetime.timedelta(days=400)
        )
    )
    (essays / "due.md").write_text(
        scheduled_essay("Due an hour ago", "due-an-hour-ago", now - datetime.timedelta(hours=1))
    )
    outputs = []
    for seed in ("1", "2"):
        output = base / f"output-{seed}"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "tools.build",
                str(content),
                "-s",
                "publishconf.py",
                "-o",
                str(output),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONHASHSEED": seed,
                "SITEURL": PRODUCTION_SITEURL,
                "PYTHONWARNINGS": "",
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        outputs.append(output)
    return outputs


def all_text(output):
    return "\n".join(
        p.read_text(encoding="utf-8")
        for p in sorted(output.rglob("*"))
        if p.suffix in (".html", ".xml")
    )


def test_future_dated_essay_is_not_published(scheduled_production):
    output = scheduled_production[0]
    assert not (output / "essays" / "next-years-rate-cycle").exists()
    text = all_text(output)
    assert "next-years-rate-cycle" not in text
    assert "rate cycle" not in text


def test_essay_whose_date_has_passed_is_published(scheduled_production):
    output = scheduled_production[0]
    page = parse_html(output / "essays" / "due-an-hour-ago" / "index.html")
    assert normalise_text(page.h1.get_text()) == "Due an hour ago"
    assert "due-an-hour-ago" in (output / "feeds" / "all.atom.xml").read_text()


def test_production_has_no_drafts_anywhere(scheduled_production):
    output = scheduled_production[0]
    assert not (output / "drafts").exists()
    assert not list(output.rglob(f"*{DRAFT_SLUG}*"))
    assert DRAFT_SLUG not in all_text(output)


def test_two_builds_of_the_same_sources_are_byte_identical(scheduled_production):
    first, second = scheduled_production
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 40
    different = [f for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_local_build_shows_the_draft_with_a_marker(fixture_site):
    page = parse_html(fixture_site.output / "drafts" / DRAFT_SLUG / "index.html")
    marker = page.select_one(".draft-marker")
    assert marker is not None
    assert "Draft" in marker.get_text()
    assert normalise_text(page.h1.get_text()) == DRAFT_TITLE


def test_local_build_lists_drafts_and_keeps_them_out_of_listings_and_feeds(fixture_site):
    listing = parse_html(fixture_site.output / "drafts" / "index.html")
    assert listing.body["data-page-type"] == "drafts"
    links = [a["href"] for a in listing.select("main a")]
    assert any(f"drafts/{DRAFT_SLUG}/" in href for href in links)
    assert DRAFT_SLUG not in (fixture_site.output / "index.html").read_text()
    assert DRAFT_SLUG not in (fixture_site.output / "feeds" / "all.atom.xml").read_text()
    published = parse_html(fixture_site.output / "essays" / "credit-scores" / "index.html")
    assert published.select_one(".draft-marker") is None


@pytest.mark.parametrize("settings_file", ["pelicanconf.py", "publishconf.py"])
def test_content_cache_stays_off(settings_file):
    """Pelican's content cache ignores settings changes, so builds never use it."""
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(str(ROOT / settings_file))
    assert settings["CACHE_CONTENT"] is False
    assert settings["LOAD_CONTENT_CACHE"] is False


def test_unpublished_essays_never_replace_the_site_card(scheduled_production):
    # A draft in production has no page (empty save_as): a card drawn "beside
    # it" would land on the site root and overwrite the site's own card.
    from pelican.settings import read_settings  # noqa: PLC0415

    from plugins.social_image.social_image import packaged_font, render_card  # noqa: PLC0415

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    site_card = render_card(
        settings["SITESUBTITLE"], "", settings["SITENAME"], "en", packaged_font()
    )
    for output in scheduled_production:
        assert (output / "social.png").read_bytes() == site_card
