"""Writing files so that nothing ever reads half of one."""

import os
import threading
from pathlib import Path


def atomic_write(path, data: bytes):
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A build running beside this one (a preview, a worker process) sees the
    old file or the new one, never a part of it.  The temporary file is named
    by process and thread, so two writers never share one; the folder is
    made only when the first write finds it missing (the memo writes
    thousands of entries into a few hundred folders).
    """
    path = os.fspath(path)
    temporary = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        handle = open(temporary, "wb")  # noqa: SIM115 (closed below, before the rename)
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handle = open(temporary, "wb")  # noqa: SIM115
    with handle:
        handle.write(data)
    try:
        os.replace(temporary, path)
    except IsADirectoryError:
        # An empty folder where the file goes (a page folder kept from an
        # earlier output by tools.build): the file takes its place.
        os.rmdir(path)
        os.replace(temporary, path)


def cache_folder(settings, configured, name):
    """A plugin's cache folder: ``configured`` when set, else ``<CACHE_PATH>/<name>``;
    None when ``configured`` is False (caching off)."""
    if configured is False:
        return None
    return Path(configured or os.path.join(settings["CACHE_PATH"], name))
