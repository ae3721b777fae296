"""Live preview: rebuild on every change and refresh the open browser page.

    python -m tools.preview [-s pelicanconf.py] [-o output] [--bind 127.0.0.1] [--port 8000]

Pelican's ``--autoreload --listen`` rebuilds but never tells the browser, so
the author keeps pressing reload (a known limitation of Pelican).  This serves the output
folder itself and adds one script tag to every HTML *response* (never to the
files: built pages stay script-free); the script listens on a Server-Sent
Events stream and reloads the page when a rebuild has been swapped in.

Each rebuild runs ``tools.build`` in a fresh Python process, so edits to
plugins and settings take effect, and a failed build leaves the last good
output (and the page in the browser) as it was; its messages are printed here
and shown in a panel on the open page until the next good build.
Watched: the content folder, the theme, the plugin packages PLUGINS names and the
settings file(s).  Drafts are built (with a "Draft" marker) and listed at
``/drafts/``.

Why not python-livereload (the tool Pelican's invoke template uses): it would
add Tornado and a WebSocket protocol for what one EventSource does, and its
in-process rebuild callback would neither reload edited plugins nor stage the
output; watchfiles is already installed with Pelican.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import secrets
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

PREFIX = "/__preview__/"
RELOAD_SCRIPT = b"""// Added by the preview server to its responses only; never in built files.
(function () {
  var seen = null;
  var events = new EventSource("/__preview__/events");
  events.onmessage = function (event) {
    if (seen !== null && event.data !== seen) {
      window.location.reload();
    }
    seen = event.data;
    showProblems([]);
  };
  // A failed rebuild: the page stays as it was, with the problems on top.
  events.addEventListener("failed", function (event) {
    if (seen === null) {
      seen = "";  // the next good build reloads this page
    }
    showProblems(JSON.parse(event.data));
  });
  function showProblems(lines) {
    var box = document.getElementById("bz-preview-problems");
    if (box) {
      box.remove();
    }
    if (!lines.length) {
      return;
    }
    box = document.createElement("aside");
    box.id = "bz-preview-problems";
    box.setAttribute("role", "alert");
    var heading = document.createElement("strong");
    heading.textContent = "The last change did not build; this page is the last good build.";
    var list = document.createElement("pre");
    list.textContent = lines.join("\\n");
    box.append(heading, list);
    // CSSOM styles: allowed by the pages' Content-Security-Policy.
    Object.assign(box.style, {
      position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "2147483647",
      maxHeight: "50vh", overflow: "auto", margin: "0", padding: "1rem",
      background: "#fff4f2", color: "#5c0a0a", borderTop: "3px solid #8a1c1c",
      font: "14px/1.4 ui-monospace, monospace", whiteSpace: "pre-wrap"
    });
    list.style.whiteSpace = "pre-wrap";
    document.body.append(box);
  }
})();
"""
SCRIPT_TAG = b'<script src="/__preview__/reload.js" defer></script>'
ROOT = Path(__file__).resolve().parent.parent


class BuildState:
    """The last good build's version and the last build's problems, if it
    failed; the events streams wait on ``changed``."""

    def __init__(self):
        self.boot = secrets.token_hex(4)
        self.generation = 0  # good builds
        self.revision = 0  # every build, good or not
        self.problems = []  # what the last build printed, when it failed
        self.changed = threading.Condition()

    @property
    def version(self):
        return f"{self.boot}-{self.generation}"

    def built(self, ok, problems=()):
        with self.changed:
            if ok:
                self.generation += 1
            self.problems = [] if ok else list(problems)
            self.revision += 1
            self.changed.notify_all()

    def bump(self):
        self.built(True)


def inject_reload_script(body: bytes) -> bytes:
    """Put the reload script tag before </head> (or </body>, or at the end)."""
    lower = body.lower()
    for marker in (b"</head>", b"</body>"):
        at = lower.rfind(marker)
        if at != -1:
            return body[:at] + SCRIPT_TAG + b"\n" + body[at:]
    return body + SCRIPT_TAG


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    state: BuildState = None

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT)
        if path == PREFIX + "events":
            return self._events()
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" and file.is_file():
            return self._send(
                200, "text/html; charset=utf-8", inject_reload_script(file.read_bytes())
            )
        if not file.exists():
            missing = Path(self.directory) / "404.html"
            if missing.is_file():
                return self._send(
                    404, "text/html; charset=utf-8", inject_reload_script(missing.read_bytes())
                )
        return super().do_GET()

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        state = self.state
        sent = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                with state.changed:
                    state.changed.wait_for(lambda s=sent: state.revision != s, timeout=15)
                    revision, version, problems = state.revision, state.version, state.problems
                if revision == sent:
                    self.wfile.write(b": still here\n\n")
                else:
                    sent = revision
                    if problems:
                        self.wfile.write(
                            f"event: failed\ndata: {json.dumps(problems)}\n\n".encode()
                        )
                    else:
                        self.wfile.write(f"data: {version}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            return


def watched_paths(settings_files, content=None):
    """Content, theme, plugin folders and settings files of a build."""
    from pelican.settings import read_settings  # noqa: PLC0415

    from plugins.core.config import plugin_folders  # noqa: PLC0415

    settings = read_settings(str(settings_files[0]))
    paths = [Path(content or settings["PATH"]), Path(settings["THEME"])]
    paths += plugin_folders(settings)
    paths += [Path(f) for f in settings_files]
    return [p.absolute() for p in paths if p.exists()]


def run_build(settings_file, output, content):
    cmd = [sys.executable, "-m", "tools.build", "-s", str(settings_file), "-o", str(output)]
    if content:
        cmd.append(str(content))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    proc = subprocess.run(
        cmd, cwd=os.getcwd(), env=env, capture_output=True, text=True, check=False
    )
    sys.stderr.write(proc.stdout + proc.stderr)
    sys.stderr.flush()
    problems = [
        line
        for line in proc.stderr.splitlines()
        if line.strip() and not line.startswith(("Done:", "and ", "Built "))
    ]
    return proc.returncode == 0, problems


def watch_and_rebuild(paths, build_args, state, stop):
    import watchfiles  # noqa: PLC0415

    def relevant(change, path):
        name = os.path.basename(path)
        return not (name.startswith((".#", ".")) or name.endswith(("~", ".swp", ".pyc")))

    for changes in watchfiles.watch(*paths, watch_filter=relevant, stop_event=stop, debounce=300):
        names = ", ".join(sorted({os.path.relpath(p) for _, p in changes})[:3])
        print(f"Changed: {names}; rebuilding…", file=sys.stderr, flush=True)
        ok, problems = run_build(*build_args)
        state.built(ok, problems)
        if ok:
            print("Rebuilt; the browser reloads.", file=sys.stderr, flush=True)
        else:
            print("The page in the browser stays as it was.", file=sys.stderr, flush=True)


def serve(output, bind, port, state):
    handler = type("Handler", (PreviewHandler,), {"state": state})
    server = http.server.ThreadingHTTPServer((bind, port), partial(handler, directory=str(output)))
    server.daemon_threads = True
    return server


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make serve", description=__doc__.splitlines()[0])
    parser.add_argument("content", nargs="?")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("-o", "--output", default="output")
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)

    output = Path(args.output).absolute()
    state = BuildState()
    ok, problems = run_build(args.settings, output, args.content)
    state.built(ok, problems)
    output.mkdir(parents=True, exist_ok=True)
    server = serve(output, args.bind, args.port, state)
    host, port = server.server_address[:2]
    print(
        f"Serving http://{host}:{port}/ (drafts: http://{host}:{port}/drafts/); Ctrl-C stops.",
        flush=True,
    )
    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_and_rebuild,
        args=(
            watched_paths([args.settings], args.content),
            (args.settings, output, args.content),
            state,
            stop,
        ),
        daemon=True,
    )
    watcher.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
