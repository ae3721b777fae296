"""Every plugin's settings are declared with their defaults, and misspellings stop the build."""

import pytest

from plugins.core import config
from tests.support import ROOT, import_site_plugins


@pytest.fixture(autouse=True)
def declared_settings():
    import_site_plugins()


def site_settings(**extra):
    from pelican.settings import read_settings  # noqa: PLC0415

    return read_settings(str(ROOT / "pelicanconf.py"), override=extra)


def test_the_site_settings_have_no_problem():
    settings = site_settings()
    config.apply_defaults(settings)
    assert config.problems(settings) == []


def test_a_misspelt_plugin_setting_is_named_with_the_setting_it_resembles():
    settings = site_settings(SIDENOTE_ENABLED=True, WORKER=2)
    settings["MEMO_ENABLD"] = False
    found = config.problems(settings)
    assert any("'MEMO_ENABLD'" in p and "'MEMO_ENABLED'" in p for p in found), found
    assert any("'WORKER'" in p and "'WORKERS'" in p for p in found), found


def test_an_unknown_setting_with_a_plugins_prefix_lists_that_plugins_settings():
    settings = site_settings(SHARE_META_FACEBOOK_APP="1")
    (problem,) = config.problems(settings)
    assert "'SHARE_META_FACEBOOK_APP'" in problem and "SHARE_META_LOGO" in problem


def test_pelicans_own_settings_and_the_sites_own_are_left_alone():
    settings = site_settings(LANGUAGE_NAMES={"en": "English"}, ARTICLE_ORDER_BY="date")
    assert config.problems(settings) == []


def test_defaults_are_applied_without_overriding_the_settings_file():
    settings = {"RELATED_ESSAYS_MAX": 5}
    config.apply_defaults(settings)
    assert settings["RELATED_ESSAYS_MAX"] == 5
    assert settings["OUTLINE_TOC_MIN_HEADINGS"] == 3


def test_only_the_plugins_of_the_build_get_their_defaults():
    settings = {}
    config.apply_defaults(settings, plugins=["plugins.related_essays"])
    assert "RELATED_ESSAYS_MAX" in settings and "MEMO_ENABLED" in settings
    assert "OUTLINE_TOC_MIN_HEADINGS" not in settings
