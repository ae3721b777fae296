"""Writing files so that nothing ever reads half of one."""

import os
import tempfile
from pathlib import Path


def atomic_write(path, data: bytes):
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A build running beside this one (a preview, a worker process) sees the
    old file or the new one, never a part of it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
        handle.write(data)
    os.replace(handle.name, path)


def cache_folder(settings, configured, name):
    """A plugin's cache folder: ``configured`` when set, else ``<CACHE_PATH>/<name>``;
    None when ``configured`` is False (caching off)."""
    if configured is False:
        return None
    return Path(configured or os.path.join(settings["CACHE_PATH"], name))
