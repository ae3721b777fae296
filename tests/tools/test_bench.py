"""make bench runs end to end (on a tiny corpus, once: its timings mean nothing)."""

import re
import subprocess
import sys

from tests.support import ROOT


def test_bench_runs_on_a_tiny_corpus_and_reports_every_figure():
    result = subprocess.run(
        [sys.executable, "tools/bench.py", "--essays", "5", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    for label in ("a. cold", "b. warm", "c. stock", "b'. preview", "a/c", "b/c", "memory a/c"):
        assert label in out, out
    assert re.search(r"seed essay first view: \d+ requests, .* KB brotli, 0 scripts", out), out
