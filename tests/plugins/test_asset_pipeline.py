"""Scripts referenced plainly by templates come out named by their content hash."""

import hashlib

from plugins.asset_pipeline.asset_pipeline import fingerprint_scripts, rewrite_references

SITE = "https://example.test/sub"


def make_output(tmp_path):
    js = tmp_path / "theme" / "js"
    js.mkdir(parents=True)
    (js / "search.js").write_text("console.log('search');\n")
    (js / "done.0123456789.js").write_text("already fingerprinted\n")
    page = tmp_path / "essays" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        f'<script src="{SITE}/theme/js/search.js" defer></script>\n'
        f"<script src={SITE}/theme/js/search.js?v=1></script>\n"
        f'<a href="{SITE}/mytheme/js/search.js">not ours</a>\n'
        f'<a href="{SITE}/theme/js/search.jsx">not ours either</a>\n'
    )
    return page


def test_script_is_renamed_to_its_content_hash_and_every_reference_follows(tmp_path):
    page = make_output(tmp_path)
    digest = hashlib.sha256(b"console.log('search');\n").hexdigest()[:10]
    renamed = fingerprint_scripts(tmp_path, ["theme/js"])
    assert renamed == {"theme/js/search.js": f"theme/js/search.{digest}.js"}
    assert rewrite_references(tmp_path, renamed) == 1
    html = page.read_text()
    assert html.count(f"{SITE}/theme/js/search.{digest}.js") == 2
    assert f"{SITE}/mytheme/js/search.js" in html
    assert f"{SITE}/theme/js/search.jsx" in html
    assert not (tmp_path / "theme" / "js" / "search.js").exists()


def test_a_file_already_named_by_a_hash_is_left_alone(tmp_path):
    make_output(tmp_path)
    renamed = fingerprint_scripts(tmp_path, ["theme/js"])
    assert "theme/js/done.0123456789.js" not in renamed
    assert (tmp_path / "theme" / "js" / "done.0123456789.js").exists()


def test_a_changed_script_gets_a_new_name(tmp_path):
    make_output(tmp_path)
    first = fingerprint_scripts(tmp_path, ["theme/js"])["theme/js/search.js"]
    (tmp_path / first).unlink()
    (tmp_path / "theme" / "js" / "search.js").write_text("console.log('changed');\n")
    second = fingerprint_scripts(tmp_path, ["theme/js"])["theme/js/search.js"]
    assert first != second


def test_missing_folder_means_nothing_to_do(tmp_path):
    assert fingerprint_scripts(tmp_path, ["theme/js"]) == {}
    assert rewrite_references(tmp_path, {}) == 0
