"""article.provenance: the dict structured data reads, with fixed keys."""

from plugins.editorial.provenance import build_provenance

KEYS = {"source_name", "source_url", "original_language", "translator", "machine_translated"}


def test_provenance_has_exactly_the_agreed_keys():
    provenance, errors = build_provenance(
        {
            "source": "Example Weekly",
            "source_url": "https://example.org/42",
            "original_language": "zh",
            "translator": "A. Translator",
            "machine_translated": "yes",
        }
    )
    assert errors == []
    assert provenance == {
        "source_name": "Example Weekly",
        "source_url": "https://example.org/42",
        "original_language": "zh",
        "translator": "A. Translator",
        "machine_translated": True,
    }


def test_only_a_source_name_leaves_the_other_keys_empty():
    provenance, errors = build_provenance({"source": "Hung Yan whisper"})
    assert errors == []
    assert set(provenance) == KEYS
    assert provenance["source_url"] is None
    assert provenance["machine_translated"] is False


def test_no_provenance_metadata_gives_none():
    assert build_provenance({"title": "x"}) == (None, [])


def test_bad_values_are_reported_by_key():
    _, errors = build_provenance(
        {"source": "X", "source_url": "example.org", "machine_translated": "maybe"}
    )
    assert [key for key, _ in errors] == ["source_url", "machine_translated"]
