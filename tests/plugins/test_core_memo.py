"""The memo: one file an entry, fresh copies, messages said again, workers ahead."""

import logging
import os
import pickle
from pathlib import Path

from pelican.log import LimitFilter

from plugins.core import memo as memos
from plugins.core.workers import Pool
from tests.support import build_memo, memo_entries


def test_each_entry_is_one_file_read_only_when_asked_for(tmp_path):
    memo = memos.Memo(tmp_path, "salt")
    memo.compute(memo.key("a", 1), lambda: "one")
    memo.compute(memo.key("a", 2), lambda: "two")
    assert len(memo_entries(tmp_path)) == 2
    later = memos.Memo(tmp_path, "salt")
    assert later.used == set()
    assert later.get(memo.key("a", 2)) == (True, "two")
    assert later.used == {memo.key("a", 2)}


def test_a_reused_result_is_a_fresh_copy(tmp_path):
    memo = memos.Memo(tmp_path, "salt")
    first = memo.compute("k" * 64, lambda: {"terms": ["a"]})
    first["terms"].append("changed")
    assert memo.compute("k" * 64, lambda: None) == {"terms": ["a"]}


def test_keys_differ_by_namespace_parts_settings_and_salt():
    memo = memos.Memo(None, "salt")
    key = memo.key("read", "ab", "c")
    assert key != memo.key("read", "a", "bc")
    assert key != memo.key("glossary", "ab", "c")
    assert key != memos.Memo(None, "other").key("read", "ab", "c")
    one = memos.settings_part({"MARKDOWN": {"x": 1}, "OTHER": 1}, ["MARKDOWN"])
    two = memos.settings_part({"MARKDOWN": {"x": 2}, "OTHER": 1}, ["MARKDOWN"])
    assert memo.key("read", "ab", settings=one) != memo.key("read", "ab", settings=two)
    # A setting the step does not read leaves its key alone.
    assert one == memos.settings_part({"MARKDOWN": {"x": 1}, "OTHER": 2}, ["MARKDOWN"])


def test_a_warning_logged_while_computing_is_logged_again_on_reuse(tmp_path, caplog):
    def convert():
        logging.getLogger("pelican.readers").warning("%s: empty alt text", "essay.md")
        return "<p>done</p>"

    key = "w" * 64
    with caplog.at_level(logging.INFO):
        assert memos.Memo(tmp_path, "s").compute(key, convert) == "<p>done</p>"
    caplog.clear()
    # A warm build is a new process: Pelican has not yet seen the message
    # (its filter drops a message repeated within one process).
    LimitFilter._raised_messages.discard((logging.WARNING, "essay.md: empty alt text"))
    with caplog.at_level(logging.INFO):
        assert memos.Memo(tmp_path, "s").compute(key, lambda: "never") == "<p>done</p>"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("pelican.readers", logging.WARNING, "essay.md: empty alt text")
    ]


def test_an_unreadable_entry_is_computed_again(tmp_path):
    memo = memos.Memo(tmp_path, "s")
    key = memo.key("x")
    memo.compute(key, lambda: "first")
    Path(memo.path(key)).write_bytes(b"not a pickle")
    assert memo.compute(key, lambda: "again") == "again"
    assert pickle.loads(Path(memo.path(key)).read_bytes())[0] == "again"


def test_a_result_that_cannot_be_kept_is_returned_and_named_not_raised(tmp_path, caplog):
    memo = memos.Memo(tmp_path, "s")
    with caplog.at_level(logging.INFO):
        value = memo.compute(memo.key("x"), lambda: lambda: None, what="essays/a (1).md")
    assert callable(value)
    assert memo_entries(tmp_path) == []
    (message,) = [r.getMessage() for r in caplog.records if r.name == memos.__name__]
    assert "essays/a (1).md" in message


def test_a_disabled_memo_computes_every_time(tmp_path):
    memo = memos.Memo(None)
    calls = []
    for _ in range(2):
        memo.compute("k" * 64, lambda: calls.append(1))
    assert len(calls) == 2


def test_a_build_that_used_few_of_many_entries_removes_the_rest(tmp_path):
    old = memos.Memo(tmp_path, "s")
    for number in range(10):
        old.compute(old.key("old", number), lambda: "x")
    new = memos.Memo(tmp_path, "s")
    kept = new.key("old", 3)
    new.get(kept)
    assert new.prune() == 9
    assert [p.name for p in memo_entries(tmp_path)] == [kept[2:]]


def _square(number):
    return number * number, os.getpid()


def test_workers_compute_ahead_and_the_build_takes_their_results(tmp_path):
    with build_memo(tmp_path, workers=1) as memo:
        tasks = [(memo.key("sq", n), _square, (n,)) for n in range(40)]
        assert memo.pool.ahead(tasks) == 40
        results = [memo.compute(key, _square, *args) for key, _, args in tasks]
    assert [value for value, _ in results] == [n * n for n in range(40)]
    # Some were done here, some by the worker: whichever got there first.
    processes = {pid for _, pid in results}
    assert os.getpid() in processes and len(processes) == 2
    assert memo.by_workers > 0


def test_work_the_memo_holds_is_not_handed_out(tmp_path):
    memo = memos.Memo(tmp_path, "s")
    pool = Pool(memo, 1, at_least=1)
    key = memo.key("sq", 3)
    memo.compute(key, _square, 3)
    try:
        assert pool.ahead([(key, _square, (3,))]) == 0
    finally:
        pool.stop()
