"""An incremental build writes the same bytes as a clean build of the same content.

A copy of the fixture site goes through a random sequence of the edits an
author makes (body, title, date, tags, a new essay, a deleted essay, a draft
turned published, a glossary change, a template change).  After each edit it
is built incrementally, as `make publish` builds it again (the same memo, the
last good output to link from), and cleanly (an empty memo, no output), and
every file of the two outputs is compared byte for byte.  The search index
is in several shards, and a shard is indexed again exactly when one of its
pages changed: the others are the last build's files, linked.
"""

import io
import json
import random
import re
import shutil

import pytest
from pelican.settings import read_settings

from plugins.site_search import shards
from tests.support import FIXTURE_CONTENT, ROOT
from tools.build import build

SEED = 20261130
STEPS = 9
SITEURL = "https://example.test/sub"
OVERRIDES = {
    "STATIC_PATHS": ["data"],
    "DEFAULT_PAGINATION": 2,
    "DEFAULT_ORPHANS": 0,
    "WORKERS": 1,
    "WORKERS_MIN_TASKS": 1,
    "SITE_SEARCH_SHARD_SIZE": 4,
    # A term used in more essays than its glossary entry lists has a page of its own.
    "GLOSSARY_ESSAYS_LISTED": 1,
}
SEARCH_GLOB = read_settings(str(ROOT / "pelicanconf.py"))["SITE_SEARCH_GLOB"]


def essays_of(site):
    return sorted((site / "content" / "essays").glob("*.md"))


def edit_body(site, rng):
    essay = rng.choice(essays_of(site))
    essay.write_text(essay.read_text("utf-8") + f"\nA sentence added ({rng.random()}).\n", "utf-8")


def edit_title(site, rng):
    essay = rng.choice(essays_of(site))
    text = re.sub(r"(?m)^Title: (.*)$", r"Title: \1, revised", essay.read_text("utf-8"), count=1)
    essay.write_text(text, "utf-8")


def edit_date(site, rng):
    essay = rng.choice(essays_of(site))
    day = rng.randint(1, 28)
    text = re.sub(r"(?m)^Date: .*$", f"Date: 2026-09-{day:02d} 10:00", essay.read_text("utf-8"))
    essay.write_text(text, "utf-8")


def edit_tags(site, rng):
    essay = rng.choice(essays_of(site))
    tag = rng.choice(["Settlement", "APIs", "Cards", "Deposits"])
    text = essay.read_text("utf-8")
    if re.search(r"(?m)^Tags: ", text):
        text = re.sub(r"(?m)^Tags: (.*)$", rf"Tags: \1, {tag}", text, count=1)
    essay.write_text(text, "utf-8")


def new_essay(site, rng):
    number = rng.randint(100, 999)
    (site / "content" / "essays" / f"new-{number}.md").write_text(
        f"Title: A new essay {number}\nDate: 2026-11-{rng.randint(1, 28):02d}\n"
        "Author: Test Author\nCategory: Payments\nTags: APIs\n"
        f"Slug: new-{number}\nSummary: A new essay.\n\nIt mentions open banking.\n",
        "utf-8",
    )


def delete_essay(site, rng):
    # Not one another essay links to or translates: that would be a content error.
    candidates = [e for e in essays_of(site) if e.stem.startswith(("new-", "credit", "settlement"))]
    texts = {e: e.read_text("utf-8") for e in essays_of(site)}
    free = [e for e in candidates if not any(e.stem in t for o, t in texts.items() if o != e)]
    if free:
        rng.choice(free).unlink()


def publish_draft(site, rng):
    drafts = [e for e in essays_of(site) if "\nStatus: draft\n" in e.read_text("utf-8")]
    if drafts:
        draft = rng.choice(drafts)
        draft.write_text(draft.read_text("utf-8").replace("\nStatus: draft\n", "\n"), "utf-8")


def edit_glossary(site, rng):
    glossary = site / "content" / "glossary.toml"
    glossary.write_text(
        glossary.read_text("utf-8") + f'\n[[term]]\nterm = "clearing house {rng.randint(1, 99)}"\n'
        'definition = "An institution that settles trades between members."\n',
        "utf-8",
    )


def edit_template(site, rng):
    footer = site / "theme" / "templates" / "partials" / "site_footer.html"
    footer.write_text(footer.read_text("utf-8") + f"\n<!-- revision {rng.random()} -->\n")


EDITS = [
    edit_body, edit_title, edit_date, edit_tags, new_essay, delete_essay, publish_draft,
    edit_glossary, edit_template,
]  # fmt: skip


def files_of(folder):
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def search_state(output):
    """(indexed pages' digests, shard digests, {shard file: inode}) of a build."""
    pages = shards.site_pages(output, SEARCH_GLOB, skip="pagefind")
    bundle = output / "pagefind"
    digests = json.loads((bundle / "shards.json").read_text())["shards"]
    inodes = {
        path.relative_to(bundle).as_posix(): path.stat().st_ino
        for path in bundle.rglob("*")
        # Compressed copies are reused by their content wherever they are.
        if path.is_file() and path.parent != bundle and path.suffix not in (".gz", ".br")
    }
    return pages, digests, inodes


def reindexed_shards(before, after):
    """The shards the build indexed again, checked against the pages that
    changed: exactly their shards, every other shard's files linked."""
    (pages, digests, inodes), (new_pages, new_digests, new_inodes) = before, after
    changed = {p for p in pages.keys() | new_pages.keys() if pages.get(p) != new_pages.get(p)}
    count = shards.shard_count(len(new_pages), OVERRIDES["SITE_SEARCH_SHARD_SIZE"])
    if count == shards.shard_count(len(pages), OVERRIDES["SITE_SEARCH_SHARD_SIZE"]):
        expected = {str(shards.shard_of(p, count)) for p in changed} & new_digests.keys()
    else:
        expected = set(new_digests)
    reindexed = {name for name in new_digests if digests.get(name) != new_digests[name]}
    assert reindexed == expected
    for path, inode in new_inodes.items():
        linked = inodes.get(path) == inode
        assert linked == (path.split("/")[0] not in reindexed), path
    return reindexed


def build_site(site, output, cache):
    return build(
        ROOT / "publishconf.py",
        output,
        site / "content",
        stream=None,
        THEME=str(site / "theme"),
        CACHE_PATH=str(cache),
        **OVERRIDES,
    )


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", SITEURL)
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    return tmp_path


def test_random_edits_built_incrementally_give_the_bytes_of_a_clean_build(site):
    rng = random.Random(SEED)
    edits = [*EDITS]
    rng.shuffle(edits)
    incremental = site / "incremental"
    first = build_site(site, incremental, site / "cache")
    assert first.ok, first.messages
    reindexed = {}
    for step, edit in enumerate(edits[:STEPS]):
        before = search_state(incremental)
        edit(site, rng)
        warm = build_site(site, incremental, site / "cache")
        assert warm.ok, (edit.__name__, warm.messages)
        reindexed[edit.__name__] = reindexed_shards(before, search_state(incremental))
        clean_output = site / f"clean-{step}"
        clean = build_site(site, clean_output, site / f"clean-cache-{step}")
        assert clean.ok, (edit.__name__, clean.messages)
        expected, found = files_of(clean_output), files_of(incremental)
        assert sorted(found) == sorted(expected), edit.__name__
        different = [path for path in expected if found[path] != expected[path]]
        assert different == [], f"after {edit.__name__}: {different}"
        shutil.rmtree(clean_output)
    # The search index is in several shards; one essay's text edited makes
    # one of them indexed again.
    assert len(search_state(incremental)[1]) >= 4
    assert len(reindexed["edit_body"]) == 1, reindexed


def build_logged(site, output, cache):
    """A build as in ``build_site``, with what it logged at info level."""
    stream = io.StringIO()
    result = build(
        ROOT / "publishconf.py", output, site / "content", stream=stream, verbose=True,
        THEME=str(site / "theme"), CACHE_PATH=str(cache), **OVERRIDES,
    )  # fmt: skip
    assert result.ok, result.messages
    return stream.getvalue()


def linked_as_held(log):
    found = re.search(r"(\d+) files linked as the last good output holds them", log)
    assert found, log[-2000:]
    return int(found.group(1))


def test_a_rebuild_links_the_files_the_last_output_holds_and_remakes_one_changed_there(site):
    """Pages, feeds and e-mail editions whose key and reads are unchanged are
    linked from the last good output without their memo entries being read;
    a file of that output changed in place since is not taken for its page."""
    output = site / "output"
    assert linked_as_held(build_logged(site, output, site / "cache")) == 0
    before = files_of(output)
    essay = "essays/ledger-basics/index.html"
    pages_and_feeds = [name for name in before
                       if name.endswith((".html", ".xml", ".json", ".txt"))
                       and not name.startswith(("pagefind/", "theme/"))]  # fmt: skip
    card = "essays/ledger-basics/social.png"
    assert card in before
    # Changed in place: the same file (inode), other bytes, as a hand edit would.
    for name, extra in ((essay, b"<!-- changed in the output -->"), (card, b"\0")):
        with (output / name).open("ab") as handle:
            handle.write(extra)
    unchanged_card = output / "essays" / "credit-scores" / "social.png"
    card_identity = unchanged_card.stat().st_ino
    log = build_logged(site, output, site / "cache")
    after = files_of(output)
    assert after == before
    # Nearly every file came back as the identical file; the changed ones did not.
    assert linked_as_held(log) >= len(pages_and_feeds) * 9 // 10
    assert (output / essay).read_bytes() == before[essay]
    assert (output / card).read_bytes() == before[card]
    assert unchanged_card.stat().st_ino == card_identity
    # With nothing changed, the build renders what is left itself...
    assert "no render workers" in log
    # ...but not after an edit to the theme, which every page shows.
    edit_template(site, random.Random(SEED))
    log = build_logged(site, output, site / "cache")
    assert "no render workers" not in log
    assert linked_as_held(log) < len(pages_and_feeds) // 2


def rendered_pages(log):
    return set(re.findall(r"^pages: rendered (\S+)$", log, flags=re.MULTILINE))


def test_an_edit_to_an_essays_text_leaves_the_pages_that_show_only_its_title_as_they_were(site):
    """Listings, neighbours and the glossary show an essay's title, date and
    summary: an edit to its text renders again its own page and the feeds
    that carry the text, not them; an edit to its title renders them too."""
    output = site / "output"
    build_logged(site, output, site / "cache")
    essay = site / "content" / "essays" / "glossary-links.md"
    page = "essays/glossary-links/index.html"
    showing_title = pages_showing(output, "Where open banking links", besides=page)
    assert {
        "glossary/index.html",
        "glossary/open-banking/index.html",
        "archives/index.html",
    } <= showing_title
    assert len(showing_title) >= 5, showing_title

    essay.write_text(essay.read_text("utf-8") + "\nA sentence added.\n", "utf-8")
    rendered = rendered_pages(build_logged(site, output, site / "cache"))
    assert page in rendered
    assert "feeds/all.atom.xml" in rendered
    assert rendered & showing_title == set()

    text = essay.read_text("utf-8").replace("Title: Where open banking links",
                                            "Title: Where open banking links, revised")  # fmt: skip
    assert text != essay.read_text("utf-8")
    essay.write_text(text, "utf-8")
    rendered = rendered_pages(build_logged(site, output, site / "cache"))
    assert showing_title <= rendered
    assert pages_showing(output, "links, revised", besides=page) == (showing_title)


def pages_showing(output, text, besides):
    """The site's HTML pages (not e-mail editions) with ``text`` in them (a
    title's last two words are joined by a no-break space)."""
    return {
        path.relative_to(output).as_posix()
        for path in output.rglob("*.html")
        if not path.relative_to(output).as_posix().startswith(("email/", besides))
        and text in path.read_text("utf-8").replace("&nbsp;", " ").replace("\xa0", " ")
    }


def test_a_search_index_started_on_the_essays_pages_is_redone_where_pages_changed_after(site):
    """On a rebuild of few essays, search starts on the essays' pages while
    the rest is written, taking pages not yet written as the last output has
    them.  An edit to such a page shows only once every page is written:
    the shard that holds it is indexed again, and the output, its compressed
    copies included, is a clean build's."""
    output = site / "output"
    build_logged(site, output, site / "cache")
    about = site / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8") + "\nA sentence added to the page.\n", "utf-8")
    log = build_logged(site, output, site / "cache")
    assert "site_search: indexing 0 shards on the essays' pages" in log
    assert "site_search: pages changed since the index was started; indexing again" in log
    clean = site / "clean"
    assert build_site(site, clean, site / "clean-cache").ok
    expected, found = files_of(clean), files_of(output)
    assert sorted(found) == sorted(expected)
    assert [path for path in expected if found[path] != expected[path]] == []

    essay = site / "content" / "essays" / "ledger-basics.md"
    essay.write_text(essay.read_text("utf-8") + "\nA sentence added.\n", "utf-8")
    log = build_logged(site, output, site / "cache")
    assert "site_search: indexing 1 shards on the essays' pages" in log
    assert "site_search: the index started on the essays' pages stands" in log
    # The edited essay's page first, then the index starts, then Pelican
    # writes every essay's page (the others linked as the last output has them).
    first = log.index("pages: the 1 changed essays' pages written first")
    started = log.index("site_search: indexing 1 shards on the essays' pages")
    assert first < started
    assert re.search(r'Writing ".*/essays/[^"]+/index\.html"', log[started:]), log[started:]
    clean = site / "clean-after-essay"
    assert build_site(site, clean, site / "clean-cache-2").ok
    expected, found = files_of(clean), files_of(output)
    assert sorted(found) == sorted(expected)
    assert [path for path in expected if found[path] != expected[path]] == []
