"""The build's shortcuts (the memo, worker processes) never change its output."""

import logging
import re

from tests.support import FIXTURE_CONTENT, ROOT


def files_of(build):
    return {
        path.relative_to(build.output).as_posix(): path.read_bytes()
        for path in sorted(build.output.rglob("*"))
        if path.is_file()
    }


def test_cached_and_parallel_builds_write_the_same_bytes_as_a_plain_build(speed_builds):
    plain = files_of(speed_builds["plain"])
    assert any(name.endswith("social.png") for name in plain)
    assert any(name.startswith("pagefind/") for name in plain)
    for name in ("cold", "warm"):
        other = files_of(speed_builds[name])
        assert sorted(other) == sorted(plain), name
        different = [path for path in plain if other[path] != plain[path]]
        assert different == [], name


def reuse_counts_in(text):
    found = re.search(r"memo: (\d+) results reused, (\d+) computed", text)
    assert found, text[-2000:]
    return int(found.group(1)), int(found.group(2))


def reuse_counts(build):
    return reuse_counts_in(build.log)


def test_second_build_reuses_what_the_first_computed(speed_builds):
    assert "results reused" not in speed_builds["plain"].log
    _, cold_computed = reuse_counts(speed_builds["cold"])
    warm_reused, warm_computed = reuse_counts(speed_builds["warm"])
    assert cold_computed > 0
    assert warm_computed == 0
    assert warm_reused > 0
    # Every page comes back as it was rendered, with nothing rendered again.
    assert page_counts(speed_builds["warm"]) == (page_counts(speed_builds["cold"])[1], 0)


def test_a_rebuild_in_the_same_process_reuses_the_first_build(tmp_path):
    """A long-lived process that runs the same Pelican object again reuses the memo."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(
        str(ROOT / "pelicanconf.py"),
        override={
            "PATH": str(FIXTURE_CONTENT),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "STATIC_PATHS": ["data"],
        },
    )
    messages = []
    handler = logging.Handler(level=logging.INFO)
    handler.emit = lambda record: messages.append(record.getMessage())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        pelican = Pelican(settings)
        pelican.run()
        pelican.run()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    counts = [reuse_counts_in(m) for m in messages if "results reused" in m]
    assert len(counts) == 2
    (_, first_computed), (second_reused, second_computed) = counts
    assert first_computed > 0
    assert second_computed == 0 and second_reused > 0


def page_counts(build):
    found = re.search(r"memo: (\d+) pages and feeds reused, (\d+) rendered", build.log)
    assert found, build.log[-2000:]
    return int(found.group(1)), int(found.group(2))


def test_the_build_takes_pages_its_render_worker_rendered(speed_builds):
    """The worker and the build agree on every page's key, listings included."""
    found = re.search(r"pages and feeds reused, (\d+) rendered \((\d+) by workers\)",
                      speed_builds["cold"].log)  # fmt: skip
    assert found, speed_builds["cold"].log[-2000:]
    rendered, by_workers = int(found.group(1)), int(found.group(2))
    assert 0 < by_workers < rendered


def test_a_rebuild_after_edits_writes_the_same_bytes_as_a_plain_build_of_the_edited_site(
    edit_builds,
):
    plain, warm = files_of(edit_builds["plain"]), files_of(edit_builds["warm"])
    assert sorted(warm) == sorted(plain)
    assert [path for path in plain if warm[path] != plain[path]] == []
    # The edits are in both, so the comparison is of edited sites.
    assert "A paragraph added after the first" in warm["essays/ledger-basics/index.html"].decode(
        "utf-8"
    )
    assert "Credit ratings" in warm["tag/apis/index.html"].decode("utf-8")


def test_a_rebuild_after_edits_renders_again_only_the_pages_that_show_the_edited_essays(
    edit_builds,
):
    cold_reused, cold_rendered = page_counts(edit_builds["cold"])
    warm_reused, warm_rendered = page_counts(edit_builds["warm"])
    assert cold_reused == 0
    assert warm_reused + warm_rendered == cold_rendered
    assert 0 < warm_rendered < warm_reused
