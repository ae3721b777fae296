"""make bench runs end to end (on a tiny corpus, once: its timings mean nothing)."""

import re
import subprocess
import sys

from tests.support import ROOT


def test_bench_runs_on_a_tiny_corpus_and_reports_every_figure():
    result = subprocess.run(
        [sys.executable, "tools/bench.py", "--essays", "5 8", "--repeat", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "| | 5 essays | 8 essays |" in out, out
    for label in (
        "preview: edit saved -> page served",
        "production cold: project / stock",
        "production after one edit / stock cold",
        "peak memory, largest process",
        "peak memory, whole process tree",
        "cold at 8 / cold at 5",
    ):
        assert label in out, out
    # Every cell holds a figure: seconds, or megabytes and their ratio.
    rows = [line for line in out.splitlines() if line.startswith("| ") and "essays" not in line]
    cells = [cell for line in rows for cell in line.strip("| ").split(" | ")[1:]]
    assert len(cells) == 10, rows
    assert all(re.search(r"\d+\.\d+ s|\d+ MiB = \d+\.\d+x", cell) for cell in cells), cells
    assert re.search(r"seed essay first view: \d+ requests, .* KB brotli, 0 scripts", out), out
