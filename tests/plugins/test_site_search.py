"""Pagefind indexes exactly the published essays, per language, reproducibly."""

import gzip
import json
import shutil
from types import SimpleNamespace

from pelican.settings import read_settings

from plugins.site_search.site_search import DEFAULTS, build_index, sort_entry_languages
from tests.support import FIXTURE_CONTENT, ROOT, fixture_essays, read_source


def indexed_records(bundle):
    records = []
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        records.append(json.loads(data[data.index(b"{") :]))
    return records


def bundle_bytes(bundle):
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def test_every_published_essay_and_page_is_indexed_and_nothing_else(fixture_site):
    records = indexed_records(fixture_site.output / "pagefind")
    indexed = sorted(record["url"] for record in records)
    archived = sorted(
        "/" + a["href"].removeprefix("../").lstrip("/")
        for a in fixture_site.page("archives/").select("main .dated-list a")
    )
    translations = ["/essays/mobile-payment-clearing/en/"]
    # Pages (About, Glossary, Corrections…) are searched too; listings are not.
    pages = sorted(
        f"/{read_source(p)[0]['slug']}/" for p in (FIXTURE_CONTENT / "pages").glob("*.md")
    )
    assert len(pages) == 4
    assert indexed == sorted(archived + translations + pages)
    assert not any("/drafts/" in url for url in indexed)
    titles = {record["url"]: record["meta"]["title"] for record in records}
    assert titles["/essays/mobile-payment-clearing/"] == "移动支付的清算逻辑"


def test_bundle_holds_the_search_api_and_not_pagefinds_own_interfaces(fixture_site):
    bundle = fixture_site.output / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-worker.js").is_file()
    assert sorted(p.name for p in bundle.glob("pagefind*ui*")) == []
    assert not (bundle / "pagefind-highlight.js").exists()


def test_one_index_per_language(fixture_site):
    entry = json.loads((fixture_site.output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en", "zh"]
    chinese = [m for m in fixture_essays() if m["lang"] == "zh"]
    chinese_pages = [p for p in (FIXTURE_CONTENT / "pages").glob("*.md")
                     if read_source(p)[0].get("lang") == "zh"]  # fmt: skip
    assert entry["languages"]["zh"]["page_count"] == len(chinese) + len(chinese_pages) >= 2


def search_settings():
    """The search settings the fixture site was built with."""
    site = read_settings(str(ROOT / "pelicanconf.py"))
    return {**DEFAULTS, **{k: v for k, v in site.items() if k.startswith("SITE_SEARCH_")}}


def test_indexing_the_same_site_twice_gives_identical_bytes(fixture_site, tmp_path):
    bundles = []
    for run in range(3):
        site = tmp_path / f"run{run}"
        shutil.copytree(fixture_site.output, site)
        shutil.rmtree(site / "pagefind")
        build_index(SimpleNamespace(settings=search_settings(), output_path=str(site)))
        bundles.append(bundle_bytes(site / "pagefind"))
    assert bundles[0] == bundles[1] == bundles[2]
    assert bundles[0] == bundle_bytes(fixture_site.output / "pagefind")


def test_entry_languages_are_written_in_name_order(tmp_path):
    entry = {"version": "1", "languages": {"zh": {"hash": "z"}, "en": {"hash": "e"}}}
    (tmp_path / "pagefind-entry.json").write_text(json.dumps(entry))
    sort_entry_languages(tmp_path)
    text = (tmp_path / "pagefind-entry.json").read_text()
    assert text == '{"version":"1","languages":{"en":{"hash":"e"},"zh":{"hash":"z"}}}'
