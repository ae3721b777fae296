"""Compressed copies are exact, reproducible, and reused from the cache."""

import gzip
from types import SimpleNamespace

import brotli
import pytest

from plugins.compressed_copies import compressed_copies as cc

PAGE = ("<!doctype html><title>t</title>" + "<p>Settlement takes two days. " * 200).encode()


def pelican_for(output, cache, workers=0):
    settings = {"CACHE_PATH": str(cache), "COMPRESSED_COPIES_WORKERS": workers}
    cc.apply_defaults(settings)
    return SimpleNamespace(settings=settings, output_path=str(output))


def test_copies_decompress_to_the_file_and_carry_no_timestamp(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_bytes(PAGE)
    (tmp_path / "out" / "tiny.txt").write_bytes(b"ok")
    cc.write_copies(pelican_for(tmp_path / "out", tmp_path / "cache"))
    gz = (tmp_path / "out" / "index.html.gz").read_bytes()
    assert gzip.decompress(gz) == PAGE and gz[4:8] == b"\0\0\0\0"
    assert brotli.decompress((tmp_path / "out" / "index.html.br").read_bytes()) == PAGE
    # Compression would grow a two-byte file: it gets no copies.
    assert not (tmp_path / "out" / "tiny.txt.gz").exists()


@pytest.mark.parametrize("workers", [0, 2])
def test_a_rebuild_takes_unchanged_files_from_the_cache(tmp_path, monkeypatch, workers):
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        out.mkdir()
        (out / "index.html").write_bytes(PAGE)
    cc.write_copies(pelican_for(first, tmp_path / "cache", workers))

    def must_not_compress(args):
        raise AssertionError(f"compressed again: {args}")

    monkeypatch.setattr(cc, "_compress_file", must_not_compress)
    cc.write_copies(pelican_for(second, tmp_path / "cache", workers))
    for suffix in (".gz", ".br"):
        name = "index.html" + suffix
        assert (second / name).read_bytes() == (first / name).read_bytes()


def test_a_changed_file_is_compressed_again(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_bytes(PAGE)
    cc.write_copies(pelican_for(out, tmp_path / "cache"))
    changed = PAGE.replace(b"two days", b"one day!")
    (out / "index.html").write_bytes(changed)
    cc.write_copies(pelican_for(out, tmp_path / "cache"))
    assert gzip.decompress((out / "index.html.gz").read_bytes()) == changed
