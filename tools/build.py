"""Build the site into a staging folder; replace the output only after a clean build.

    python -m tools.build [-s pelicanconf.py] [-o output] [content]

Pelican writes straight into OUTPUT_PATH, and with DELETE_OUTPUT_DIRECTORY an
aborted build leaves it empty or half-written.  This runs Pelican into
``.<output>.staging`` beside the output folder, and only when the build ends
with no error and no warning swaps it in (two renames on the same file
system); otherwise the last good output stays exactly as it was and the
command exits 1.  A swap that was interrupted is completed on the next run.
Files whose bytes did not change are hard links to the last good output's,
which nothing rewrites in place.

The output a swap replaces is kept as ``.<output>.superseded`` until the
next build, which removes its files in a process of its own while it builds:
at 5,000 essays removing its 55,000 files and folders took a rebuild 0.4 s
on an idle disk and several seconds on a busy one, all of it waited for at
the end.  It costs little room, since its unchanged files are the same files
as the output's (hard links).  Its page folders (those that held an
``index.html``, and the folders above them) are kept, empty, as
``.<output>.folders``, and the build after takes them as its staging folder:
creating the 13,000 folders of a 5,000-essay site anew cost a rebuild 0.5 to
2 s of file-system work, depending on the disk's load.  A build with no
such folders (the first after a cold build) has the last output's page
folders made in staging by a process of its own while it checks and reads
the essays.  Folders a build leaves empty are removed before its output is
swapped in, so the output holds what a build into an empty folder would.

Every message is printed plainly: content errors as ``path:line: what is wrong
— how to fix it``, anything else with its level.  Failures inside Pelican (a
broken template, a plugin's exception) are reported in one line each, with the
file and line where known; ``--debug`` adds the traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BuildResult:
    ok: bool
    output: Path
    messages: list[str] = field(default_factory=list)  # warnings and errors, as printed
    crashed: BaseException | None = None  # an exception that is not an author's mistake

    @property
    def returncode(self):
        return 0 if self.ok else 1


class _Collector(logging.Handler):
    """Keep every warning and error; print what the author should see."""

    def __init__(self, stream, verbose):
        super().__init__(level=logging.DEBUG)
        self.stream = stream
        self.verbose = verbose
        self.problems = []

    def emit(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the rest
            message = str(record.msg)
        if record.levelno >= logging.WARNING:
            text = (
                message
                if getattr(record, "plain_problem", False)
                else (f"{record.levelname.lower()}: {message}")
            )
            self.problems.append(text)
        elif self.verbose or (record.levelno >= logging.INFO and message.startswith("Done:")):
            text = message
        else:
            return
        if self.stream is not None:
            print(text, file=self.stream, flush=True)


def staging_paths(output: Path):
    return (
        output.with_name(f".{output.name}.staging"),
        output.with_name(f".{output.name}.previous"),
    )


def superseded_path(output: Path):
    """Where the output a swap replaced waits for the next build to remove it."""
    return output.with_name(f".{output.name}.superseded")


def folders_path(output: Path):
    """Where the page folders of a removed output wait for the next build."""
    return output.with_name(f".{output.name}.folders")


def recover(output: Path):
    """Finish a swap that was interrupted between its renames."""
    _, previous = staging_paths(output)
    if previous.exists():
        if output.exists():
            supersede(previous, output)
        else:
            os.replace(previous, output)


def swap_in(staging: Path, output: Path):
    _, previous = staging_paths(output)
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    if previous.exists():
        supersede(previous, output)


def supersede(previous: Path, output: Path):
    superseded = superseded_path(output)
    shutil.rmtree(superseded, ignore_errors=True)  # only if its removal failed
    os.replace(previous, superseded)


# -I -S: the standard library only, whatever the environment says.  Every
# file goes; a folder stays when it held a page (index.html) or keeps one
# that did; the rest is renamed to the folders' place, or removed when it
# cannot be.
_REMOVE = """
import os, shutil, sys
folder, keep = sys.argv[1], sys.argv[2]
try:
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))
        if root != folder and "index.html" not in files:
            try:
                os.rmdir(root)
            except OSError:
                pass
    os.rename(folder, keep)
except OSError:
    shutil.rmtree(folder, ignore_errors=True)
"""


# The page folders of the last good output, made in staging (see ``build``).
_MAKE_FOLDERS = """
import os, sys
source, target = sys.argv[1], sys.argv[2]
for root, dirs, files in os.walk(source):
    if "index.html" in files:
        try:
            os.makedirs(os.path.join(target, os.path.relpath(root, source)), exist_ok=True)
        except OSError:
            pass
"""


class Beside:
    """Work on folders done by a process of its own while the build goes on:
    ``Beside(_REMOVE, superseded, keep)`` removes the replaced output's files
    and keeps its page folders at ``keep`` (see the module docstring);
    ``Beside(_MAKE_FOLDERS, output, staging)`` makes the last output's page
    folders in staging.  Nothing depends on when it ends: the build makes any
    folder it writes into that is not there yet.

    A process, not a thread: the work is mostly system calls, but the loop
    around them would hold the interpreter's lock the build needs.
    """

    def __init__(self, script, folder: Path, other: Path):
        self.process = None
        if folder.exists():
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", script, str(folder), str(other)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )

    def wait(self):
        if self.process is not None:
            self.process.wait()
            self.process = None


def describe_crash(error: BaseException) -> str:
    """One line for an exception inside Pelican, the theme or a plugin."""
    import jinja2  # noqa: PLC0415

    if isinstance(error, jinja2.TemplateSyntaxError):
        where = error.filename or error.name or "a template"
        return (
            f"{where}:{error.lineno}: template error: {error.message} — "
            "fix the template syntax (see the Jinja documentation)"
        )
    if isinstance(error, jinja2.TemplateNotFound):
        return (
            f"template {error.name!r} was not found — check the theme's templates "
            "folder and the Template: key of the page"
        )
    if isinstance(error, jinja2.TemplateError):
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".html")
        ]
        where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
        return f"{where}template error: {error} — fix the template"
    frames = traceback.extract_tb(error.__traceback__)
    where = f" (at {frames[-1].filename}:{frames[-1].lineno})" if frames else ""
    return (
        f"error: the build stopped: {type(error).__name__}: {error}{where} — this is a bug "
        "in the theme, a plugin or the settings, not in an essay; rerun with --debug "
        "for the traceback"
    )


def build(
    settings_file,
    output,
    content=None,
    *,
    stream=sys.stderr,
    verbose=False,
    debug=False,
    **override,
) -> BuildResult:
    """Build into staging and swap in on success; never raises for a failed build."""
    from pelican import Pelican  # noqa: PLC0415
    from pelican.log import LimitFilter  # noqa: PLC0415
    from pelican.settings import read_settings  # noqa: PLC0415

    from plugins.core import output as outputs  # noqa: PLC0415
    from plugins.core.errors import BuildStop  # noqa: PLC0415

    output = Path(output).absolute()
    staging, _ = staging_paths(output)
    recover(output)
    shutil.rmtree(staging, ignore_errors=True)
    folders = folders_path(output)
    helpers = []
    if folders.is_dir():
        os.replace(folders, staging)  # empty page folders: see the module docstring
    else:
        # The first rebuild after a cold one has none kept: the last output's
        # are made beside the build while it checks and reads the essays.
        helpers.append(Beside(_MAKE_FOLDERS, output, staging))
    helpers.append(Beside(_REMOVE, superseded_path(output), folders))

    # Pelican drops repeated warnings process-wide; every build reports its own.
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()
    collector = _Collector(stream, verbose)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    crashed = None
    try:
        # Staging holds no file: there is nothing for Pelican to delete, and
        # the folders it may hold are there to be written into.
        override = {**override, "OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False}
        if output.is_dir():
            # Files whose bytes did not change are linked from the last good
            # output instead of written (plugins/core/output.py).
            override.setdefault("OUTPUT_REUSE_PATH", str(output))
        if content is not None:
            override["PATH"] = str(Path(content).absolute())
        settings = read_settings(str(settings_file), override=override)
        Pelican(settings).run()
    except BuildStop:
        pass  # every problem was logged, one line each
    except Exception as error:
        crashed = error
        collector.problems.append(describe_crash(error))
        if stream is not None:
            print(collector.problems[-1], file=stream, flush=True)
            if debug:
                traceback.print_exception(error, file=stream)
    finally:
        # A build that stopped early may have left work running beside it
        # (the search index's Pagefind runs): it ends before staging goes.
        outputs.settle_all()
        for helper in helpers:
            helper.wait()
        root.removeHandler(collector)
        root.setLevel(old_level)

    ok = settle(staging, output, collector.problems, stream)
    return BuildResult(ok=ok, output=output, messages=collector.problems, crashed=crashed)


def settle(staging, output, problems, stream):
    """Swap the staging folder in when the build had no problem (True);
    else drop it, leave the output as it was and say so (False)."""
    if not problems and staging.is_dir():
        drop_empty_folders(staging)
        swap_in(staging, output)
        return True
    shutil.rmtree(staging, ignore_errors=True)
    if stream is not None:
        count = len(problems)
        print(
            f"Build failed ({count} problem{'s' if count != 1 else ''}): "
            f"{shown(output)} was left as it was.",
            file=stream,
            flush=True,
        )
    return False


def drop_empty_folders(folder: Path):
    """Remove the folders under ``folder`` that hold no file (page folders
    kept from an earlier output that this build did not write into)."""
    for root, _, files in os.walk(folder, topdown=False):
        if not files and root != os.fspath(folder):
            # Fails, as it should, for a folder that holds one that holds files.
            with contextlib.suppress(OSError):
                os.rmdir(root)


def shown(path: Path) -> str:
    try:
        return f"{path.relative_to(Path.cwd())}/"
    except ValueError:
        return f"{path}/"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m tools.build", description=__doc__.splitlines()[0]
    )
    parser.add_argument("content", nargs="?", help="content folder (default: PATH in the settings)")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("-v", "--verbose", action="store_true", help="print Pelican's progress")
    parser.add_argument("--debug", action="store_true", help="print tracebacks of internal errors")
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = build(args.settings, args.output, args.content, verbose=args.verbose, debug=args.debug)
    if result.ok:
        print(
            f"Built {shown(result.output)} in {time.monotonic() - started:.1f} s.", file=sys.stderr
        )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
