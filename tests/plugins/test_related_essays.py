"""Related essays: most shared tags first, then newest, ties in the order met."""

from datetime import UTC, datetime
from types import SimpleNamespace

from plugins.related_essays.related_essays import add_related
from tests.support import build_memo


class Essay:
    """An essay as the plugin sees it (hashed by identity, as Pelican's are)."""

    def __init__(self, name, tags, day, translations=()):
        self.name = name
        self.tags = tags.split()
        self.date = datetime(2026, 1, day, tzinfo=UTC)
        self.source_path = f"{name}.md"
        self.translations = list(translations)


def related_names(essays, limit=3, **others):
    generator = SimpleNamespace(
        articles=essays,
        translations=others.get("translations", []),
        settings={"RELATED_ESSAYS_MAX": limit},
    )
    add_related(generator)
    return {e.name: [r.name for r in e.related_essays] for e in essays + generator.translations}


def test_more_shared_tags_rank_before_newer_essays():
    essays = [
        Essay("own", "a b c", 1),
        Essay("new-one-tag", "a", 20),
        Essay("old-two-tags", "a b", 2),
        Essay("older-three-tags", "a b c", 1),
        Essay("unrelated", "z", 28),
    ]
    assert related_names(essays)["own"] == ["older-three-tags", "old-two-tags", "new-one-tag"]


def test_many_essays_sharing_as_many_tags_are_cut_to_the_newest():
    essays = [Essay("own", "a b", 1), Essay("two-tags", "a b", 3)]
    essays += [Essay(f"one-tag-{day}", "a", day) for day in (5, 9, 7, 2)]
    assert related_names(essays)["own"] == ["two-tags", "one-tag-9", "one-tag-7"]


def test_ties_on_tags_and_date_keep_the_order_the_essays_are_met():
    # Same count, same date: first those met through the essay's first tag,
    # each tag's essays in the generator's order.
    essays = [
        Essay("own", "b a", 1),
        Essay("via-a-first", "a", 5),
        Essay("via-b", "b", 5),
        Essay("via-a-second", "a", 5),
        Essay("via-b-second", "b", 5),
    ]
    assert related_names(essays, limit=3)["own"] == ["via-b", "via-b-second", "via-a-first"]


def test_translation_gets_its_original_s_related_essays_but_never_its_original():
    original = Essay("original", "a", 1)
    translation = Essay("translation", "a", 1)
    original.translations = [translation]
    translation.translations = [original]
    other = Essay("other", "a", 4)
    names = related_names([original, other], translations=[translation])
    assert names["translation"] == ["other"]
    assert names["original"] == ["other"]


def test_essay_with_repeated_tag_counts_it_each_time():
    # Pelican keeps a tag written twice; each copy counts as a shared tag.
    essays = [
        Essay("own", "a a b", 1),
        Essay("shares-b", "b", 9),
        Essay("shares-a", "a", 2),
    ]
    assert related_names(essays, limit=1)["own"] == ["shares-a"]


def test_the_ranking_is_kept_in_the_memo_by_the_tags_and_dates_it_reads(tmp_path):
    def site():
        return [Essay("a", "x y", 1), Essay("b", "x", 2), Essay("c", "y", 3), Essay("d", "z", 4)]

    with build_memo(tmp_path / "memo") as memo:
        first = related_names(site(), limit=1)
        assert memo.computed == 1
        # New objects, same tags and dates (a build after a body was edited).
        assert related_names(site(), limit=1) == first
        assert (memo.computed, memo.hits) == (1, 1)
        essays = site()
        essays[3].tags = ["x"]  # d is newer than b and now shares x with a
        assert related_names(essays, limit=1)["a"] == ["d"]
        essays = site()
        essays[1].date = essays[1].date.replace(day=9)  # b is now newer than c
        assert related_names(essays, limit=1)["a"] == ["b"]
        assert memo.computed == 3
