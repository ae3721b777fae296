"""The build cache: what it keeps, what it gives back, and what it says again."""

import logging
import pickle
from datetime import datetime

from pelican.log import LimitFilter
from pelican.urlwrappers import Category, Tag

from plugins.build_cache.build_cache import (
    BuildCache,
    _portable,
    _restore,
    fingerprint,
    key_for,
)


def test_metadata_comes_back_with_wrappers_bound_to_the_live_settings():
    settings = {"SLUGIFY_SOURCE": "title", "SLUG_REGEX_SUBSTITUTIONS": [], "TAG_URL": "tag/{slug}/"}
    metadata = {"tags": [Tag("Fintech", {}), Tag("Banks", {})], "category": Category("cms", {})}
    metadata["date"] = datetime(2026, 11, 28)
    restored = {k: _restore(_portable(v), settings) for k, v in metadata.items()}
    assert [t.name for t in restored["tags"]] == ["Fintech", "Banks"]
    assert all(t.settings is settings for t in restored["tags"])
    assert restored["category"].name == "cms" and restored["category"].settings is settings
    assert restored["date"] == metadata["date"]


def test_reused_result_is_a_fresh_copy(tmp_path):
    cache = BuildCache(tmp_path / "c.pickle", "f")
    first = cache.compute("k", lambda: {"terms": ["a"]})
    first["terms"].append("changed")
    assert cache.compute("k", lambda: None) == {"terms": ["a"]}


def test_a_warning_logged_while_computing_is_logged_again_on_reuse(tmp_path, caplog):
    def convert():
        logging.getLogger("pelican.readers").warning("%s: empty alt text", "essay.md")
        return "<p>done</p>"

    cold = BuildCache(tmp_path / "c.pickle", "f")
    with caplog.at_level(logging.INFO):
        assert cold.compute("k", convert) == "<p>done</p>"
    cold.save(keep=3)
    caplog.clear()
    # A warm build is a new process: Pelican has not yet seen the message
    # (its filter drops a message repeated within one process).
    LimitFilter._raised_messages.discard((logging.WARNING, "essay.md: empty alt text"))

    warm = BuildCache(tmp_path / "c.pickle", "f")
    with caplog.at_level(logging.INFO):
        assert warm.compute("k", lambda: "never called") == "<p>done</p>"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("pelican.readers", logging.WARNING, "essay.md: empty alt text")
    ]


def test_a_build_keeps_only_what_it_used(tmp_path):
    cache = BuildCache(tmp_path / "c.pickle", "f")
    cache.compute("old", lambda: 1)
    cache.compute("kept", lambda: 2)
    cache.save(keep=3)
    second = BuildCache(tmp_path / "c.pickle", "f")
    second.compute("kept", lambda: None)
    second.save(keep=3)
    third = BuildCache(tmp_path / "c.pickle", "f")
    assert third.get("kept") == (True, 2)
    assert third.get("old") == (False, None)


def test_fingerprint_changes_with_settings_that_shape_output_only():
    settings = {"TYPOGRIFY": True, "PLUGIN_PATHS": [], "OUTPUT_PATH": "output"}
    assert fingerprint(settings) == fingerprint(dict(settings))
    assert fingerprint(settings) != fingerprint({**settings, "TYPOGRIFY": False})
    # A build into a staging folder reuses what a build into output/ kept.
    assert fingerprint(settings) == fingerprint({**settings, "OUTPUT_PATH": "staging-1"})
    assert key_for("ab", "c") != key_for("a", "bc")


def test_an_empty_field_survives_the_cache_as_the_marker_pelican_drops():
    """``Tags:`` with nothing after it: Pelican drops the field by identity."""
    from pelican import readers  # noqa: PLC0415

    metadata = {"tags": readers._DISCARD, "title": "Kept"}
    stored = pickle.loads(pickle.dumps({k: _portable(v) for k, v in metadata.items()}))
    restored = {k: _restore(v, {}) for k, v in stored.items()}
    assert restored["tags"] is readers._DISCARD
    assert readers._filter_discardable_metadata(restored) == {"title": "Kept"}
