"""Live preview: rebuild on every change and refresh the open browser page.

    python -m tools.preview [-s pelicanconf.py] [-o output] [--bind 127.0.0.1] [--port 8000]

Pelican's ``--autoreload --listen`` rebuilds but never tells the browser, so
the author keeps pressing reload (a known limitation of Pelican).  This serves the output
folder itself and adds one script tag to every HTML *response* (never to the
files: built pages stay script-free); the script listens on a Server-Sent
Events stream and reloads the page when a rebuild has been swapped in.

The site is built by a long-lived process (``tools.session``) that keeps the
built site: an edit to an essay's text writes again only the files that show
that essay (its page, the listings, feeds and neighbours), in well under a
second on a large archive; any other content change is a full build in that
process, and a change to the theme, a plugin or the settings starts a new
process, so the change takes effect.  A failed build or update leaves the last
good output (and the page in the browser) as it was; its messages are printed
here and shown in a panel on the open page until the next good build.  After
an update in place the search index is refreshed, once the page has reloaded.
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
import multiprocessing
import os
import secrets
import sys
import threading
import time
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
# Seconds after an update before the search index is refreshed.
SEARCH_DELAY = 2.0
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


def _session_main(connection, settings_file, output, content):
    """In the build process: build, then answer each change with an update."""
    sys.path.insert(0, str(ROOT))
    from tools.session import SiteSession  # noqa: PLC0415

    session = SiteSession(settings_file, output, content)
    result = session.build()
    connection.send((result.ok, problems_of(result.messages), False))
    while True:
        try:
            paths = connection.recv()
        except EOFError:
            return
        update = session.update(paths)
        connection.send((update.ok, problems_of(update.messages), update.in_place))


def problems_of(messages):
    return [line for line in messages if line.strip()]


class Builder:
    """The long-lived build process, started again when code changes."""

    def __init__(self, settings_file, output, content):
        self.args = (str(settings_file), str(output), str(content) if content else None)
        self.process = self.connection = None

    def start(self):
        """A new process, with a full build; (ok, problems, in place)."""
        self.stop()
        context = multiprocessing.get_context("spawn")  # a fresh import of the code
        self.connection, theirs = context.Pipe()
        # Not a daemon: the build process starts worker processes of its own.
        self.process = context.Process(target=_session_main, args=(theirs, *self.args))
        self.process.start()
        return self._answer()

    def update(self, paths):
        if self.process is None or not self.process.is_alive():
            return self.start()
        self.connection.send([str(p) for p in paths])
        return self._answer()

    def _answer(self):
        try:
            return self.connection.recv()
        except EOFError:
            self.process = None
            return False, ["the build process stopped; see the messages above"], False

    def stop(self):
        if self.process is not None:
            self.connection.close()
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.terminate()
            self.process = None


class SearchRefresh:
    """Index the output again for search after an update in place (which
    leaves the index as it was): in the background, at low priority, once
    the page has reloaded, and once for a burst of edits."""

    def __init__(self, settings_file, output):
        self.settings_file, self.output = settings_file, output
        self.wanted = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def __call__(self):
        self.wanted.set()

    def _run(self):
        from pelican.settings import read_settings  # noqa: PLC0415

        from plugins.site_search import site_search  # noqa: PLC0415

        while True:
            self.wanted.wait()
            time.sleep(SEARCH_DELAY)  # the next edit may follow: index once for both
            self.wanted.clear()
            site_search.index_folder(
                read_settings(str(self.settings_file)), self.output, priority="low"
            )


def watch_and_rebuild(paths, builder, *, code, state, stop, search):
    """Rebuild on each change: a new build process when ``code`` changed."""
    import watchfiles  # noqa: PLC0415

    def relevant(change, path):
        name = os.path.basename(path)
        return not (name.startswith((".#", ".")) or name.endswith(("~", ".swp", ".pyc")))

    for changes in watchfiles.watch(*paths, watch_filter=relevant, stop_event=stop, debounce=300):
        changed = sorted({path for _, path in changes})
        names = ", ".join(os.path.relpath(p) for p in changed[:3])
        print(f"Changed: {names}; rebuilding…", file=sys.stderr, flush=True)
        if any(Path(p).is_relative_to(folder) for p in changed for folder in code):
            ok, problems, in_place = builder.start()
        else:
            ok, problems, in_place = builder.update(changed)
        state.built(ok, problems)
        if ok:
            how = "the files that show it were written again" if in_place else "rebuilt"
            print(f"{how.capitalize()}; the browser reloads.", file=sys.stderr, flush=True)
            if in_place:
                search()
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
    builder = Builder(Path(args.settings).absolute(), output, args.content)
    ok, problems, _ = builder.start()
    state.built(ok, problems)
    output.mkdir(parents=True, exist_ok=True)
    server = serve(output, args.bind, args.port, state)
    host, port = server.server_address[:2]
    print(
        f"Serving http://{host}:{port}/ (drafts: http://{host}:{port}/drafts/); Ctrl-C stops.",
        flush=True,
    )
    stop = threading.Event()
    watched = watched_paths([args.settings], args.content)
    content = Path(args.content or "content").absolute()
    code = [path for path in watched if not path.is_relative_to(content)]
    watcher = threading.Thread(
        target=watch_and_rebuild,
        args=(watched, builder),
        kwargs={
            "code": code,
            "state": state,
            "stop": stop,
            "search": SearchRefresh(Path(args.settings).absolute(), output),
        },
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
        builder.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
