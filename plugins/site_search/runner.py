"""Run Pagefind on the search shards, a few at a time, in a process of its own.

    python runner.py [--low] JOBS EXECUTABLE FOLDER...

Each FOLDER holds a ``pagefind.json`` (the shard's configuration); Pagefind
runs there, its messages going to ``FOLDER/log`` and its exit code to
``FOLDER/status``.  ``--low``: at the lowest CPU priority, Pagefind's runs
too (the preview indexing while the author works).

Why a process and not a thread of the build: the build indexes while its
next steps go on, and those fork worker processes.  A process forked while a
thread of the build is starting Pagefind would hold the pipe through which
the start reports its errors, and the start would wait for it to end;
started by this process, which forks nothing else, Pagefind's runs share
nothing with the build's workers.  The build starts this one from its main
thread, before the next steps fork, with its output going to a file, not a
pipe, so no worker can hold the build waiting for it.

Run as a script, not as ``plugins.site_search.runner``: importing the plugin
package would import Pelican, for nothing.  Standard library only.
"""

import os
import subprocess
import sys
from pathlib import Path


def run(executable, folder):
    """Start Pagefind in ``folder``, its messages to ``folder/log``."""
    with open(Path(folder) / "log", "wb") as log:
        return subprocess.Popen(
            [executable, "--silent"], cwd=folder, stdout=log, stderr=subprocess.STDOUT
        )


def main(argv):
    low = argv[:1] == ["--low"]
    if low:
        argv = argv[1:]
        os.setpriority(os.PRIO_PROCESS, 0, 19)  # inherited by each Pagefind run
    jobs, executable, *folders = argv
    jobs = max(1, int(jobs))
    running = {}  # pid: (process, folder)
    for folder in [*folders, None]:
        while running and (folder is None or len(running) >= jobs):
            pid, status = os.wait()
            if pid not in running:
                continue
            process, done = running.pop(pid)
            process.returncode = os.waitstatus_to_exitcode(status)
            (Path(done) / "status").write_text(str(process.returncode))
        if folder is not None:
            process = run(executable, folder)
            running[process.pid] = (process, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
