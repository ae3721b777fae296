"""make new: a complete draft at content/essays/<slug>.md, never overwriting."""

import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest
from pelican.settings import read_settings

from plugins.content_guard import check_site
from plugins.core.urls import make_slug
from tests.support import ROOT, read_source
from tools.new_essay import create_essay

NOW = datetime.datetime(2026, 11, 28, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def settings(tmp_path):
    (tmp_path / "content" / "essays").mkdir(parents=True)
    return read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path / "content")})


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The logic behind the mutual gold giants", "the-logic-behind-the-mutual-gold-giants"),
        ("Banks & “open” APIs: 2026's view", "banks-open-apis-2026-s-view"),
        # Words read in context: 银行 is yin-hang (not yin-xing), 重庆 chong-qing.
        ("互金巨头与大银行合作背后的逻辑", "hu-jin-ju-tou-yu-da-yin-hang-he-zuo-bei-hou-de-luo-ji"),
        ("重庆的 P2P 平台", "chong-qing-de-p2p-ping-tai"),
    ],
)
def test_titles_become_ascii_slugs(title, slug):
    assert make_slug(title) == slug


def test_new_essay_has_every_required_key_and_passes_the_checks(settings):
    path = create_essay("互金巨头与大银行合作背后的逻辑", "zh", settings, now=NOW)

    relative = path.relative_to(settings["PATH"]).as_posix()
    assert relative == "essays/hu-jin-ju-tou-yu-da-yin-hang-he-zuo-bei-hou-de-luo-ji.md"
    meta, body = read_source(path)
    assert meta["title"] == "互金巨头与大银行合作背后的逻辑"
    assert meta["date"] == "2026-11-28 09:30"
    assert meta["status"] == "draft"
    assert meta["lang"] == "zh"
    for key in ("author", "category", "summary", "slug"):
        assert meta[key]
    assert body.strip()
    problems, count = check_site(settings)
    assert (problems, count) == ([], 1)


def test_new_essay_never_overwrites(settings):
    path = create_essay("Settlement windows", "en", settings, now=NOW)
    path.write_text(path.read_text() + "\nThe author's words.\n")

    with pytest.raises(ValueError, match="already exists"):
        create_essay("Settlement windows", "en", settings, now=NOW)
    assert path.read_text().endswith("The author's words.\n")


def test_make_new_prints_the_path_and_refuses_a_second_time(tmp_path):
    (tmp_path / "content" / "essays").mkdir(parents=True)
    settings_file = tmp_path / "conf.py"
    settings_file.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
        f"PATH = {str(tmp_path / 'content')!r}\n"
    )
    command = [
        "make",
        "--no-print-directory",
        "-C",
        str(ROOT),
        "new",
        "TITLE=Gold & banks",
        f"CONFFILE={settings_file}",
    ]

    first = subprocess.run(command, capture_output=True, text=True, check=False)
    second = subprocess.run(command, capture_output=True, text=True, check=False)

    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().splitlines()[-1].endswith("content/essays/gold-banks.md")
    assert (tmp_path / "content" / "essays" / "gold-banks.md").is_file()
    assert second.returncode != 0
    assert "already exists" in second.stderr
