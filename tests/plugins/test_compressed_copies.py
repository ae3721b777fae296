"""Compressed copies are exact, reproducible, and reused from the memo."""

import gzip
import pickle
from pathlib import Path
from types import SimpleNamespace

import brotli
import pytest

from plugins.compressed_copies import compressed_copies as cc
from plugins.core import config, output
from tests.support import ROOT, build_memo, memo_entries

PAGE = ("<!doctype html><title>t</title>" + "<p>Settlement takes two days. " * 200).encode()


def pelican_for(output):
    settings = {}
    config.apply_defaults(settings)
    return SimpleNamespace(settings=settings, output_path=str(output))


def write_copies(output, memo_folder, workers=0):
    with build_memo(memo_folder, workers):
        cc.write_copies(pelican_for(output))


def test_copies_decompress_to_the_file_and_carry_no_timestamp(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_bytes(PAGE)
    (tmp_path / "out" / "tiny.txt").write_bytes(b"ok")
    write_copies(tmp_path / "out", tmp_path / "memo")
    gz = (tmp_path / "out" / "index.html.gz").read_bytes()
    assert gzip.decompress(gz) == PAGE and gz[4:8] == b"\0\0\0\0"
    assert brotli.decompress((tmp_path / "out" / "index.html.br").read_bytes()) == PAGE
    # Compression would grow a two-byte file: it gets no copies.
    assert not (tmp_path / "out" / "tiny.txt.gz").exists()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_rebuild_takes_unchanged_files_from_the_memo(tmp_path, monkeypatch, workers):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        out.mkdir()
        (out / "index.html").write_bytes(PAGE)
    write_copies(first, tmp_path / "memo", workers)

    def must_not_compress(*args):
        raise AssertionError(f"compressed again: {args}")

    monkeypatch.setattr(cc, "compress_file", must_not_compress)
    write_copies(second, tmp_path / "memo", workers)
    for suffix in (".gz", ".br"):
        name = "index.html" + suffix
        assert (second / name).read_bytes() == (first / name).read_bytes()


def test_a_changed_file_is_compressed_again(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_bytes(PAGE)
    write_copies(out, tmp_path / "memo")
    changed = PAGE.replace(b"two days", b"one day!")
    (out / "index.html").write_bytes(changed)
    write_copies(out, tmp_path / "memo")
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == changed


def test_the_stylesheet_is_compressed_harder_than_pages(tmp_path):
    # The stylesheet is on every first view; pages are many and each is read once.
    css = b"".join(p.read_bytes() for p in sorted((ROOT / "theme" / "css").glob("*.css")))
    out = tmp_path / "out"
    out.mkdir()
    (out / "site.css").write_bytes(css)
    (out / "page.html").write_bytes(css)
    write_copies(out, tmp_path / "memo")
    stylesheet = (out / "site.css.br").read_bytes()
    page = (out / "page.html.br").read_bytes()
    assert brotli.decompress(stylesheet) == css == brotli.decompress(page)
    assert len(stylesheet) < len(page)


@pytest.mark.parametrize("size", [0, 1, 1008, 1009, 60_000, 1 << 22, 40 << 20])
def test_brotli_window_is_the_smallest_that_holds_the_whole_file(size):
    window = cc.brotli_window(size)
    assert 10 <= window <= 24
    # Brotli's window holds 16 bytes fewer than its power of two.
    assert (1 << window) - 16 >= size or window == 24
    assert window == 10 or (1 << (window - 1)) - 16 < size


def test_a_large_file_round_trips_through_a_fitted_window(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    page = b"".join(b"<p>Settlement %d takes %d days.\n" % (n, n % 7) for n in range(40_000))
    (out / "big.html").write_bytes(page)
    write_copies(out, tmp_path / "memo")
    assert brotli.decompress((out / "big.html.br").read_bytes()) == page


def test_the_memo_keeps_one_entry_per_file_with_both_copies(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_bytes(PAGE)
    (out / "tiny.txt").write_bytes(b"ok")
    write_copies(out, tmp_path / "memo")
    entries = [pickle.loads(p.read_bytes())[0] for p in memo_entries(tmp_path / "memo")]
    assert len(entries) == 2
    # A file that gets no copies is remembered too (as None).
    copies = next(entry for entry in entries if entry is not None)
    assert gzip.decompress(copies[0]) == PAGE and brotli.decompress(copies[1]) == PAGE
    assert None in entries


# Builds that link from the last good output ---------------------------------------


@pytest.fixture
def build_output():
    """``start(folder, previous)``: a build's output service, as tools.build
    starts it; the one before is back afterwards."""
    before = output.current()
    yield output.start
    output.settle_all()
    output._CURRENT["output"] = before


def test_an_unchanged_file_takes_its_copies_from_the_last_output_and_a_changed_one_fresh_copies(
    tmp_path, build_output, monkeypatch
):
    last, new = tmp_path / "last", tmp_path / "new"
    last.mkdir()
    for name in ("same.html", "edited.html", "renamed.js"):
        (last / name).write_bytes(PAGE)
    build_output(last, None)
    write_copies(last, tmp_path / "memo")
    edited = PAGE.replace(b"two days", b"one day!")
    out = build_output(new, last)
    out.write("same.html", PAGE)
    out.write("edited.html", edited)
    # A file the output's bookkeeping does not know (a step renamed it in
    # place) is not taken as unchanged, whatever its name.
    (new / "renamed.js").write_bytes(edited)
    compressed = []
    monkeypatch.setattr(cc, "compress_file", lambda path, q: compressed.append(path) or None)
    write_copies(new, tmp_path / "memo")
    assert sorted(Path(p).name for p in compressed) == ["edited.html", "renamed.js"]
    for suffix in (".gz", ".br"):
        assert (new / f"same.html{suffix}").samefile(last / f"same.html{suffix}")
        # compress_file gave nothing: no copies at all, none linked from before.
        assert not (new / f"edited.html{suffix}").exists()
        assert not (new / f"renamed.js{suffix}").exists()
    assert out.is_unchanged("same.html.gz") and out.is_unchanged("same.html.br")


def test_an_unchanged_file_whose_copies_the_last_output_lacks_is_compressed(tmp_path, build_output):
    last, new = tmp_path / "last", tmp_path / "new"
    last.mkdir()
    (last / "page.html").write_bytes(PAGE)  # no copies: written before compression ran
    out = build_output(new, last)
    out.write("page.html", PAGE)
    write_copies(new, tmp_path / "memo")
    assert gzip.decompress((new / "page.html.gz").read_bytes()) == PAGE
    assert brotli.decompress((new / "page.html.br").read_bytes()) == PAGE
    assert not (last / "page.html.gz").exists()


def test_a_folder_still_being_written_gets_its_copies_once_finished(tmp_path, build_output):
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "index.html").write_bytes(PAGE)
    (site / "pagefind" / "half.js").write_bytes(PAGE[:4000])
    out = build_output(site)

    def finish():
        (site / "pagefind" / "half.js").write_bytes(PAGE)
        return True

    out.in_background("pagefind", finish)
    with build_memo(tmp_path / "memo"):
        cc.write_copies(pelican_for(site))
        assert (site / "index.html.gz").is_file()
        assert not (site / "pagefind" / "half.js.gz").exists()
        assert out.settle("pagefind") is True
        cc.write_late_copies(pelican_for(site))
    assert gzip.decompress((site / "pagefind" / "half.js.gz").read_bytes()) == PAGE
    assert out.unfinished() == []


def test_a_file_not_for_readers_gets_no_copies_and_its_neighbours_do(tmp_path, build_output):
    """An e-mail edition beside its essay's page (EMAIL_EDITION_SAVE_AS
    "essays/{slug}/email.html"): the edition has no copies, the page has."""
    site = tmp_path / "site"
    (site / "essays" / "deposits").mkdir(parents=True)
    for name in ("index.html", "email.html", "email.txt"):
        (site / "essays" / "deposits" / name).write_bytes(PAGE)
    out = build_output(site)
    out.not_for_readers("essays/deposits/email.html")
    out.not_for_readers("essays/deposits/email.txt")
    write_copies(site, tmp_path / "memo")
    folder = site / "essays" / "deposits"
    for name in ("email.html", "email.txt"):
        assert not (folder / f"{name}.gz").exists()
        assert not (folder / f"{name}.br").exists()
    assert gzip.decompress((folder / "index.html.gz").read_bytes()) == PAGE
    assert brotli.decompress((folder / "index.html.br").read_bytes()) == PAGE


def test_copies_made_at_another_quality_are_not_linked_from_the_last_output(tmp_path, build_output):
    """An incremental build after the brotli quality changed writes the copies
    a clean build at the new quality writes."""
    last, new, clean = tmp_path / "last", tmp_path / "new", tmp_path / "clean"
    for folder in (last, clean):
        folder.mkdir()
        (folder / "page.html").write_bytes(PAGE)
    build_output(last, None)
    write_copies(last, tmp_path / "memo")
    out = build_output(new, last)
    out.write("page.html", PAGE)
    assert out.is_unchanged("page.html")
    with build_memo(tmp_path / "memo", 0):
        pelican = pelican_for(new)
        pelican.settings["COMPRESSED_COPIES_BROTLI_QUALITY"] = 4
        cc.write_copies(pelican)
    build_output(clean, None)
    with build_memo(tmp_path / "clean-memo", 0):
        pelican = pelican_for(clean)
        pelican.settings["COMPRESSED_COPIES_BROTLI_QUALITY"] = 4
        cc.write_copies(pelican)
    assert not (new / "page.html.br").samefile(last / "page.html.br")
    assert (new / "page.html.br").read_bytes() == (clean / "page.html.br").read_bytes()
    assert (new / "page.html.br").read_bytes() != (last / "page.html.br").read_bytes()
