"""The build's shortcuts (build cache, worker processes) never change its output."""

import re


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


def reuse_counts(build):
    found = re.search(r"build_cache: (\d+) results reused, (\d+) computed", build.log)
    assert found, build.log[-2000:]
    return int(found.group(1)), int(found.group(2))


def test_second_build_reuses_what_the_first_computed(speed_builds):
    assert "build_cache" not in speed_builds["plain"].log
    _, cold_computed = reuse_counts(speed_builds["cold"])
    warm_reused, warm_computed = reuse_counts(speed_builds["warm"])
    assert cold_computed > 0
    assert warm_computed == 0
    assert warm_reused >= cold_computed
