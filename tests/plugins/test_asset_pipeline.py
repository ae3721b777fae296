"""Scripts referenced plainly by templates come out named by their content hash."""

import hashlib

from plugins.asset_pipeline import asset_pipeline
from plugins.core import config

SITE = "https://example.test/sub"
PAGE = (
    f'<script src="{SITE}/theme/js/search.js" defer></script>\n'
    f"<script src={SITE}/theme/js/search.js?v=1></script>\n"
    f'<a href="{SITE}/mytheme/js/search.js">not ours</a>\n'
    f'<a href="{SITE}/theme/js/search.jsx">not ours either</a>\n'
)


def settings_for(theme, **extra):
    settings = {"THEME": str(theme), "THEME_STATIC_DIR": "theme", "THEME_STATIC_PATHS": ["static"]}
    settings.update(extra)
    config.apply_defaults(settings)
    return settings


def make_theme(tmp_path):
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (js / "search.js").write_text("console.log('search');\n")
    (js / "done.0123456789.js").write_text("already fingerprinted\n")
    return tmp_path


def test_script_is_named_by_its_content_hash_and_every_reference_follows(tmp_path):
    settings = settings_for(make_theme(tmp_path), ASSET_PIPELINE_MINIFY_HTML=False)
    digest = hashlib.sha256(b"console.log('search');\n").hexdigest()[:10]
    renamed = asset_pipeline.script_names(settings)
    assert renamed == {"theme/js/search.js": f"theme/js/search.{digest}.js"}
    asset_pipeline.prepare(type("Pelican", (), {"settings": settings}))
    html = asset_pipeline.finish_html(PAGE, settings)
    assert html.count(f"{SITE}/theme/js/search.{digest}.js") == 2
    assert f"{SITE}/mytheme/js/search.js" in html
    assert f"{SITE}/theme/js/search.jsx" in html


def test_a_file_already_named_by_a_hash_is_left_alone(tmp_path):
    renamed = asset_pipeline.script_names(settings_for(make_theme(tmp_path)))
    assert "theme/js/done.0123456789.js" not in renamed


def test_a_changed_script_gets_a_new_name(tmp_path):
    theme = make_theme(tmp_path)
    first = asset_pipeline.script_names(settings_for(theme))["theme/js/search.js"]
    (theme / "static" / "js" / "search.js").write_text("console.log('changed');\n")
    assert asset_pipeline.script_names(settings_for(theme))["theme/js/search.js"] != first


def test_missing_folder_means_nothing_to_do(tmp_path):
    assert asset_pipeline.script_names(settings_for(tmp_path)) == {}
    assert asset_pipeline.reference_pattern({}) is None


def test_pages_are_minified_with_inline_css_and_scripts_left_as_written(tmp_path):
    settings = settings_for(tmp_path)
    asset_pipeline.prepare(type("Pelican", (), {"settings": settings}))
    page = (
        "<!DOCTYPE html><html><head><style> p { color : red ; } </style></head>\n"
        '<body>  <p>Hello   there</p>  <script type=application/ld+json>{ "a" : 1 }</script>'
        "</body></html>"
    )
    html = asset_pipeline.finish_html(page, settings)
    assert "p{color:red}" in html
    assert "Hello there" in html
    assert '{ "a" : 1 }' in html
