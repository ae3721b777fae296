"""The stylesheet plugin joins sources in order and names the file by its hash."""

import pytest

from plugins.stylesheet.stylesheet import StylesheetError, build_bundle, output_path_for


def test_sources_are_joined_in_the_declared_order(tmp_path):
    (tmp_path / "a.css").write_text("a { color: red; }")
    (tmp_path / "b.css").write_text("b { color: blue; }")
    css = build_bundle(tmp_path, ["b.css", "a.css"]).decode()
    assert css.index("b {") < css.index("a {")


def test_minified_bundle_drops_comments_and_whitespace(tmp_path):
    (tmp_path / "a.css").write_text("/* note */\na {\n  color : red ;\n}\n")
    css = build_bundle(tmp_path, ["a.css"], minify=True).decode()
    assert css.strip() == "a{color:red}"


def test_output_name_changes_with_content_only():
    first = output_path_for(b"a{}", "css/site.{hash}.css")
    assert first == output_path_for(b"a{}", "css/site.{hash}.css")
    assert first != output_path_for(b"b{}", "css/site.{hash}.css")


def test_missing_source_names_the_file_and_the_fix(tmp_path):
    with pytest.raises(StylesheetError, match=r"missing\.css.*STYLESHEET_SOURCES"):
        build_bundle(tmp_path, ["missing.css"])
