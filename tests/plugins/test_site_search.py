"""Pagefind indexes exactly the published essays, per language, reproducibly,
in shards that one edit leaves alone but for the edited page's."""

import gzip
import json
import shutil
from types import SimpleNamespace

from pelican.settings import read_settings

from plugins.core import output
from plugins.site_search import shards
from plugins.site_search.site_search import (
    DEFAULTS,
    build_index,
    finish_index,
    index_folder,
    sort_entry_languages,
)
from tests.conftest import FIXTURE_SHARD_SIZE
from tests.support import FIXTURE_CONTENT, ROOT, fixture_essays, read_source


def shard_bundles(bundle):
    """The shards' bundles, in the order shards.json lists them."""
    manifest = json.loads((bundle / "shards.json").read_text())
    return [bundle / name for name in manifest["shards"]]


def indexed_records(bundle):
    """Every page's record in every shard: (shard name, record)."""
    records = []
    for shard in shard_bundles(bundle):
        for fragment in sorted((shard / "fragment").glob("*.pf_fragment")):
            data = gzip.decompress(fragment.read_bytes())
            records.append((shard.name, json.loads(data[data.index(b"{") :])))
    return records


def bundle_bytes(bundle):
    return {
        path.relative_to(bundle).as_posix(): path.read_bytes()
        for path in sorted(bundle.rglob("*"))
        if path.is_file()
    }


def test_every_published_essay_and_page_is_indexed_and_nothing_else(fixture_site):
    records = [record for _, record in indexed_records(fixture_site.output / "pagefind")]
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
    # Each page once, in one shard.
    assert indexed == sorted(archived + translations + pages)
    assert not any("/drafts/" in url for url in indexed)
    titles = {record["url"]: record["meta"]["title"] for record in records}
    assert titles["/essays/mobile-payment-clearing/"] == "移动支付的清算逻辑"


def test_the_fixture_site_is_indexed_in_several_shards_of_the_pages_they_list(fixture_site):
    bundle = fixture_site.output / "pagefind"
    manifest = json.loads((bundle / "shards.json").read_text())
    assert len(manifest["shards"]) >= 4
    assert sorted(p.name for p in bundle.iterdir()) == sorted([*manifest["shards"], "shards.json"])
    records = indexed_records(bundle)
    count = shards.shard_count(len(records), FIXTURE_SHARD_SIZE)
    for shard, record in records:
        assert shard == str(shards.shard_of(record["url"].lstrip("/") + "index.html", count))


def test_each_shard_holds_the_search_api_and_not_pagefinds_own_interfaces(fixture_site):
    for shard in shard_bundles(fixture_site.output / "pagefind"):
        assert (shard / "pagefind.js").is_file() and (shard / "pagefind-worker.js").is_file()
        assert sorted(p.name for p in shard.glob("pagefind*ui*")) == []
        assert not (shard / "pagefind-highlight.js").exists()


def test_one_index_per_language(fixture_site):
    counts = {}
    for shard in shard_bundles(fixture_site.output / "pagefind"):
        entry = json.loads((shard / "pagefind-entry.json").read_text())
        assert list(entry["languages"]) == sorted(entry["languages"])
        for language, index in entry["languages"].items():
            counts[language] = counts.get(language, 0) + index["page_count"]
    assert sorted(counts) == ["en", "zh"]
    chinese = [m for m in fixture_essays() if m["lang"] == "zh"]
    chinese_pages = [p for p in (FIXTURE_CONTENT / "pages").glob("*.md")
                     if read_source(p)[0].get("lang") == "zh"]  # fmt: skip
    assert counts["zh"] == len(chinese) + len(chinese_pages) >= 2


def search_settings():
    """The search settings the fixture site was built with."""
    site = read_settings(str(ROOT / "pelicanconf.py"))
    site["SITE_SEARCH_SHARD_SIZE"] = FIXTURE_SHARD_SIZE
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


def test_a_build_indexes_beside_its_next_steps_and_the_shard_is_in_place_once_settled(
    fixture_site, tmp_path
):
    """In a build, Pagefind runs while the steps after INDEX go on: the bundle
    folder is marked as still being written until finish_index, and then
    holds what indexing in one go gives."""
    last = fixture_site.output
    site, plain = tmp_path / "site", tmp_path / "plain"
    shutil.copytree(last, site)
    shutil.rmtree(site / "pagefind")
    page = sorted(site.glob("essays/*/index.html"))[0]
    text = page.read_bytes()
    assert b"data-pagefind-body" in text
    page.write_bytes(text.replace(b"</p>", b" Settled.</p>", 1))
    shutil.copytree(site, plain)
    pelican = SimpleNamespace(settings=search_settings(), output_path=str(site))
    before = output.current()
    try:
        out = output.start(site, last)
        build_index(pelican)
        assert out.unfinished() == ["pagefind"]
        assert not (site / "pagefind" / "shards.json").exists()
        finish_index(pelican)
        assert out.unfinished() == []
    finally:
        output.settle_all()
        output._CURRENT["output"] = before
    # Every shard but the edited page's is the last build's, linked.
    manifest = json.loads((site / "pagefind" / "shards.json").read_text())
    entry = "pagefind-entry.json"
    kept = [
        name
        for name in manifest["shards"]
        if (site / "pagefind" / name / entry).samefile(last / "pagefind" / name / entry)
    ]
    assert len(kept) == len(manifest["shards"]) - 1
    index_folder(search_settings(), plain)
    assert bundle_bytes(site / "pagefind") == bundle_bytes(plain / "pagefind")


def test_a_failed_pagefind_run_is_reported_and_its_shard_left_out(fixture_site, tmp_path, caplog):
    site = tmp_path / "site"
    shutil.copytree(fixture_site.output, site)
    shutil.rmtree(site / "pagefind")
    settings = {**search_settings(), "SITE_SEARCH_EXCLUDE": ["["]}  # not a CSS selector
    assert index_folder(settings, site) is False
    assert "Pagefind could not index" in caplog.text
    manifest = json.loads((site / "pagefind" / "shards.json").read_text())
    assert manifest["shards"] == {}
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == ["shards.json"]


def test_entry_languages_are_written_in_name_order(tmp_path):
    entry = {"version": "1", "languages": {"zh": {"hash": "z"}, "en": {"hash": "e"}}}
    (tmp_path / "pagefind-entry.json").write_text(json.dumps(entry))
    sort_entry_languages(tmp_path)
    text = (tmp_path / "pagefind-entry.json").read_text()
    assert text == '{"version":"1","languages":{"en":{"hash":"e"},"zh":{"hash":"z"}}}'


# Shards ------------------------------------------------------------------------

PATHS = [f"essays/essay-{n:05d}/index.html" for n in range(2000)]


def test_shard_count_is_the_power_of_two_that_keeps_shards_under_the_size():
    assert [shards.shard_count(n, 250) for n in (0, 1, 250, 251, 500, 501, 1000, 1001, 5000)] == [
        1, 1, 1, 2, 2, 4, 4, 8, 32,
    ]  # fmt: skip


def test_pages_spread_evenly_over_the_shards():
    count = shards.shard_count(len(PATHS), 250)
    sizes = [sum(shards.shard_of(p, count) == n for p in PATHS) for n in range(count)]
    assert count == 8 and min(sizes) > 0.8 * 250 and max(sizes) < 1.2 * 250


def test_new_pages_leave_every_other_page_in_its_shard():
    before = {p: shards.shard_of(p, 8) for p in PATHS[:1500]}
    assert shards.shard_count(1500, 250) == shards.shard_count(2000, 250) == 8
    assert {p: shards.shard_of(p, 8) for p in PATHS[:1500]} == before


def test_doubling_the_shards_splits_each_in_two():
    for path in PATHS:
        assert shards.shard_of(path, 16) % 8 == shards.shard_of(path, 8)


def test_one_edited_page_changes_the_digest_of_its_own_shard_only():
    pages = {path: f"<main data-pagefind-body>{path}</main>".encode() for path in PATHS}
    before = shards.plan(pages, 250, "key")
    edited = PATHS[1234]
    pages[edited] += b"<p>A sentence added.</p>"
    after = shards.plan(pages, 250, "key")
    changed = [name for name in after if after[name].digest != before[name].digest]
    assert changed == [str(shards.shard_of(edited, 8))]
    assert edited in after[changed[0]].pages
    assert shards.plan(pages, 250, "another key")["0"].digest != after["0"].digest


def test_a_removed_page_changes_the_digest_of_its_shard():
    pages = {path: b"<main data-pagefind-body></main>" for path in PATHS[:300]}
    before = shards.plan(pages, 250, "key")
    del pages[PATHS[7]]
    after = shards.plan(pages, 250, "key")
    changed = [name for name in after if after[name].digest != before[name].digest]
    assert changed == [str(shards.shard_of(PATHS[7], 2))]


def test_the_sites_glob_is_read_with_its_braces_as_pagefind_reads_it():
    matcher = shards.glob_regex("{essays/**/*.html,*/index.html,*/*/index.html}")
    matching = [
        "essays/a/index.html", "essays/a/en/index.html", "essays/x.html", "about/index.html",
        "tag/banks/index.html",
    ]  # fmt: skip
    other = ["index.html", "tag/banks/2/index.html", "feeds/all.atom.xml", "about/index.htm"]
    assert [p for p in matching + other if matcher.match(p)] == matching
    everything = shards.glob_regex(shards.DEFAULT_GLOB)
    assert everything.match("index.html") and everything.match("a/b/c.html")
    assert not everything.match("a/b/c.xml")
    assert shards.glob_regex("[!a]?.{md,txt}").match("bc.md")


def test_a_page_path_is_its_own_glob_whatever_its_characters():
    name = "images/Byte Order (big endian){1,2}[x]*?.html"
    assert shards.glob_regex(shards.glob_literal(name)).match(name)
    assert not shards.glob_regex(shards.glob_literal(name)).match(
        "images/Byte Order (big endian)1.html"
    )


def test_only_pages_that_mark_their_indexed_part_are_sharded(tmp_path):
    (tmp_path / "essays" / "a").mkdir(parents=True)
    (tmp_path / "essays" / "a" / "index.html").write_text('<main data-pagefind-body="">A</main>')
    (tmp_path / "archives").mkdir()
    (tmp_path / "archives" / "index.html").write_text("<main>A listing</main>")
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "x.html").write_text("<main data-pagefind-body>x</main>")
    assert list(shards.site_pages(tmp_path, None, skip="pagefind")) == ["essays/a/index.html"]
    (tmp_path / "essays" / "a" / "index.html").write_text("<main>No mark</main>")
    found = shards.site_pages(tmp_path, None, skip="pagefind")
    assert sorted(found) == ["archives/index.html", "essays/a/index.html"]


def test_a_page_that_is_still_the_file_seen_last_time_is_not_read_again(tmp_path):
    page = tmp_path / "essays" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text('<main data-pagefind-body="">A</main>')
    seen = {}
    first = shards.site_pages(tmp_path, None, skip="pagefind", seen=seen)
    assert seen["essays/a/index.html"][3] == first["essays/a/index.html"]
    # What was seen stands for the file while it is that file...
    known = {path: (*found[:3], b"as seen before", True) for path, found in seen.items()}
    again = shards.site_pages(tmp_path, None, skip="pagefind", known=known)
    assert again == {"essays/a/index.html": b"as seen before"}
    # ...and not once another file took its place (the output replaces files).
    replacement = page.with_name("new.html")
    replacement.write_text('<main data-pagefind-body="">B</main>')
    replacement.replace(page)
    after = shards.site_pages(tmp_path, None, skip="pagefind", known=known)
    assert after["essays/a/index.html"] not in (b"as seen before", first["essays/a/index.html"])
