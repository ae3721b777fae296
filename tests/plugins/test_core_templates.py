"""Compiled templates are kept between builds, per environment options."""

import jinja2

from plugins.core import templates


def test_compiled_templates_are_kept_in_a_folder_named_by_the_environment_options(tmp_path):
    plain = {"JINJA_ENVIRONMENT": {"trim_blocks": True}}
    other = {"JINJA_ENVIRONMENT": {"trim_blocks": True, "extensions": ["jinja2.ext.i18n"]}}
    templates.keep_compiled(plain, tmp_path)
    templates.keep_compiled(other, tmp_path)
    first = plain["JINJA_ENVIRONMENT"]["bytecode_cache"]
    second = other["JINJA_ENVIRONMENT"]["bytecode_cache"]
    assert isinstance(first, jinja2.FileSystemBytecodeCache)
    assert first.directory != second.directory
    assert first.directory.startswith(str(tmp_path))
    # The options themselves are unchanged.
    assert plain["JINJA_ENVIRONMENT"]["trim_blocks"] is True


def test_a_template_compiled_once_is_loaded_by_the_next_environment(tmp_path):
    settings = {"JINJA_ENVIRONMENT": {}}
    templates.keep_compiled(settings, tmp_path / "cache")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "page.html").write_text("{{ 1 + 1 }}", encoding="utf-8")
    loader = jinja2.FileSystemLoader(str(tmp_path / "t"))
    first = jinja2.Environment(loader=loader, **settings["JINJA_ENVIRONMENT"])
    assert first.get_template("page.html").render() == "2"
    kept = list((tmp_path / "cache").rglob("*.cache"))
    assert len(kept) == 1
    # A later build's environment loads the kept code: compiling would fail.
    second = jinja2.Environment(loader=loader, **settings["JINJA_ENVIRONMENT"])
    second.compile = None
    assert second.get_template("page.html").render() == "2"


def test_a_bytecode_cache_given_in_the_settings_is_left_alone(tmp_path):
    given = jinja2.FileSystemBytecodeCache(str(tmp_path))
    settings = {"JINJA_ENVIRONMENT": {"bytecode_cache": given}}
    templates.keep_compiled(settings, tmp_path / "other")
    assert settings["JINJA_ENVIRONMENT"]["bytecode_cache"] is given
    assert not (tmp_path / "other").exists()
