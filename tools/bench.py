"""Benchmark the site against stock Pelican on a generated corpus.

`make bench` (``N=`` essays, default 1000, or several: ``N="1000 5000"``;
``REPEAT=`` runs of each build, default 3; ``HUGO=path/to/hugo`` adds Hugo as a
reference) writes a corpus shaped like the seed essay into a temporary folder
for each N, then measures in one run, builds alternating so background load
falls on all alike, and reports medians:

- **preview**: `make serve` on the corpus; five essays edited one after the
  other (a sentence appended, as an author types); the time from the file's
  save to the edited page being served with the edit;
- **production cold**: `make publish` (``tools.build`` with publishconf.py:
  every feature on, search, cards, compressed copies, minifying) with an
  empty cache and no output;
- **production after one edit**: `make publish` again after one essay changed;
- **stock**: the same corpus built by stock Pelican 4.12 (its default theme,
  the same Markdown extensions, typogrify on, no plugins): the reference every
  ratio is taken to;
- with ``HUGO``: Hugo's cold build of the same essays (a minimal layout) and
  `hugo server`'s time from a save to the served page.

Every build runs in a child process, on a settled disk (``os.sync`` first:
the writeback of a cold build's 50,000 files is not timed as the next
build's); wall time is measured around it, to ``wait4``'s return.  Peak
memory is that of the largest single process (the build, a worker or
Pagefind: the resident set ``wait4`` reports), the measure the target is
set in, and, for the record, the largest proportional set size (PSS, shared
pages split between processes) of the whole process tree, sampled four
times a second in a thread of its own (reading a large process's
``smaps_rollup`` costs CPU the build would otherwise have).  The seed
essay's first view is measured too: the bytes of its HTML, stylesheet,
scripts and images, raw and brotli-compressed, and the number of requests.

The machine may be busy with other work: compare the ratios of one run, not
seconds across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "essays" / "the-logic-behind-the-mutual-gold-giants.md"

# Targets: each a ratio to stock Pelican's cold build of the same corpus but
# the preview's, in seconds by corpus size, and the memory's, at the largest.
TARGETS = {
    "preview": {1000: 0.5, 5000: 1.5},
    "cold": 1.25,
    "edit": 0.35,
    "memory": 3.0,
    "scaling": 5.5,  # cold time at 5,000 essays over that at 1,000
    "first view (brotli)": 60 * 1024,
}

CATEGORIES = ["cms", "payments", "banking", "regulation", "markets"]
TAGS = [
    "Fintech", "Internet finance", "Banking", "Partnerships", "Payments", "Clearing",
    "Credit", "Regulation", "Wealth management", "Insurance", "Blockchain", "Big data",
    "Mobile payments", "Deposits", "Lending", "Risk", "Open banking", "Cross-border",
]  # fmt: skip

# Chinese text for the Chinese essays (in a data file, away from the linter).
CHINESE = tomllib.loads((Path(__file__).with_name("bench_chinese.toml")).read_text("utf-8"))
EN_TITLES = [
    "The logic behind the mutual gold giants", "Why banks open their accounts",
    "Payments plumbing after the clearing reform", "What data the platforms bring",
    "Credit scores and the thin-file borrower", "The cost of landing a regulation",
]  # fmt: skip
EN_NOTES = ["A note on the first paragraph.", "A second, longer note on a later claim."]
CHART = """
```chart
csv: deposits.csv
type: line
x: year
y: deposits, loans
title: Deposits and loans at Example Bank
units: CNY bn
source: Example Bank annual reports
as_of: 2025-12-31
```
"""


def split_seed():
    text = SEED.read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    return header, body


def english_body(rng, seed_body, index):
    """The seed essay's body with its paragraphs rotated and one sentence of its own.

    Every essay's text differs, so no step can reuse another essay's result.
    """
    blocks = seed_body.strip().split("\n\n")
    shift = index % len(blocks)
    blocks = blocks[shift:] + blocks[:shift]
    first = next(i for i, block in enumerate(blocks) if not block.startswith(("#", "*", "-")))
    blocks[first] = f"This is essay number {index} of the archive. " + blocks[first]
    return "\n\n".join(blocks)


def chinese_body(rng, length):
    """Chinese paragraphs and headings of about ``length`` characters."""
    parts, size = [], 0
    while size < length:
        if parts and rng.random() < 0.15:
            parts.append("## " + rng.choice(CHINESE["headings"]))
        paragraph = "".join(rng.choice(CHINESE["sentences"]) for _ in range(rng.randint(3, 6)))
        parts.append(paragraph)
        size += len(paragraph)
    return "\n\n".join(parts)


def essay_text(rng, index, seed_body, zh_length):
    chinese = index % 3 == 2  # one essay in three is in Chinese
    slug = f"essay-{index:05d}"
    year, day = 2020 + index % 6, index % 365
    date = f"{year}-{1 + day // 31 % 12:02d}-{1 + day % 28:02d} {index % 24:02d}:{index % 60:02d}"
    if chinese:
        title = CHINESE["title_format"].format(title=rng.choice(CHINESE["titles"]), number=index)
    else:
        title = f"{rng.choice(EN_TITLES)} {index}"
    meta = {
        "Title": title,
        "Date": date,
        "Author": rng.choice(["Xue Hong Yan", "Li Wei", "Anna Berg"]),
        "Category": rng.choice(CATEGORIES),
        "Tags": ", ".join(rng.sample(TAGS, rng.randint(2, 4))),
        "Slug": slug,
        "Lang": "zh" if chinese else "en",
    }
    body = chinese_body(rng, zh_length) if chinese else english_body(rng, seed_body, index)
    first = body.split("\n\n", 1)[0]
    meta["Summary"] = re.split(r"(?<=[.。])", first, maxsplit=1)[0].strip()
    if index % 10 < 3:  # series of three parts
        meta["Series"] = f"Series {index // 10}"
        meta["Series_part"] = str(index % 10 + 1)
    if index % 4 == 0:
        meta["Source"] = "Hung Yan whisper (WeChat official account)"
    # A mention of a glossary term, in the essay's language.
    body += "\n\n" + (CHINESE["glossary_mention"] if chinese else "Landing is the hard part.")
    if index % 50 == 7:
        body += "\n" + CHART
    if index % 2 == 0:  # two footnotes in half the essays
        blocks = body.split("\n\n")
        prose = [i for i, block in enumerate(blocks) if not block.startswith(("#", "`"))]
        blocks[prose[0]] += "[^1]"
        blocks[prose[-1]] += "[^2]"
        notes = CHINESE["notes"] if chinese else EN_NOTES
        body = "\n\n".join(blocks) + f"\n\n[^1]: {notes[0]}\n[^2]: {notes[1]}"
    header = "\n".join(f"{key}: {value}" for key, value in meta.items())
    return slug, header + "\n\n" + body + "\n"


def generate_corpus(dest: Path, count: int, seed: int = 1) -> Path:
    """Write ``count`` essays plus the site's pages and glossary into ``dest``."""
    rng = random.Random(seed)
    _, seed_body = split_seed()
    zh_length = len(seed_body) // 3  # about as long to read as the seed
    content = dest / "content"
    (content / "essays").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "pages", content / "pages")
    shutil.copy(ROOT / "content" / "glossary.toml", content / "glossary.toml")
    (content / "data").mkdir()
    with (content / "data" / "deposits.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["year", "deposits", "loans"])
        for year in range(2016, 2026):
            writer.writerow([year, 800 + 45 * (year - 2016), 600 + 52 * (year - 2016)])
    # The seed essay itself, unchanged, so its page can be measured.
    shutil.copy(SEED, content / "essays" / SEED.name)
    for index in range(count - 1):
        slug, text = essay_text(rng, index, seed_body, zh_length)
        (content / "essays" / f"{slug}.md").write_text(text, encoding="utf-8")
    return content


# Settings -------------------------------------------------------------------

# The site's own settings on the corpus: publishconf for a and b, pelicanconf
# (what `make serve` builds with) for b'.
SITE_SETTINGS = """\
import sys
sys.path.insert(0, {root!r})
from {conf} import *
PATH = {content!r}
STATIC_PATHS = ["data"]
CACHE_PATH = {cache!r}
"""

# Stock Pelican as `pelican-quickstart` sets it up, with the site's Markdown
# extensions and typogrify: the default theme and no plugins.
STOCK_SETTINGS = """\
import sys
sys.path.insert(0, {root!r})
from pelicanconf import MARKDOWN, TYPOGRIFY_IGNORE_TAGS, TIMEZONE, LOCALE
SITENAME = "bzdww"
SITEURL = "https://bzdww.github.io"
RELATIVE_URLS = False
PATH = {content!r}
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
# The glossary and corrections pages need the site's own templates.
IGNORE_FILES = [".#*", "glossary.md", "corrections.md"]
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{{slug}}.atom.xml"
DELETE_OUTPUT_DIRECTORY = True
TYPOGRIFY = True
PLUGINS = []
CACHE_PATH = {cache!r}
"""


# Measuring -----------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    maxrss_kb: int  # largest resident set of any one process (wait4)
    peak_pss_kb: int  # largest sum of proportional set sizes of the process tree
    main_pss_kb: int = 0  # largest proportional set size of the build process alone


def _tree(pid):
    """The pid and all its descendants, from /proc."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(child) for child in task.read_text().split()]
    return pids


def _pss_kb(pid):
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    match = re.search(r"^Pss:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


# How often the process tree's memory is sampled: reading a large process's
# smaps_rollup costs the kernel a walk of its page tables, CPU the measured
# build would otherwise have.
SAMPLE_SECONDS = 0.25


def run_measured(command, cwd, env=None) -> Run:
    """Run a command; its wall time, max RSS (wait4) and sampled peak PSS of its tree.

    The disk is settled first (``os.sync``), so the writeback of one build's
    files is not timed as the next one's; the end is ``wait4``'s own, and
    the tree is sampled in a thread of its own, a few times a second."""
    if hasattr(os, "sync"):
        os.sync()
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=cwd, env={**os.environ, **(env or {})}, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        peaks = {"tree": 0, "main": 0}
        done = threading.Event()

        def sample():
            while not done.wait(SAMPLE_SECONDS):
                if Path("/proc").is_dir():
                    tree = sum(_pss_kb(pid) for pid in _tree(proc.pid))
                    peaks["tree"] = max(peaks["tree"], tree)
                    peaks["main"] = max(peaks["main"], _pss_kb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            log.seek(0)
            output = log.read().decode(errors="replace")
            sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{output}")
    return Run(seconds, usage.ru_maxrss, peaks["tree"] or usage.ru_maxrss, peaks["main"])


def pelican_command(content, settings, output, *extra):
    return [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output),
            *extra]  # fmt: skip


def median_run(runs):
    return Run(
        statistics.median(r.seconds for r in runs),
        int(statistics.median(r.maxrss_kb for r in runs)),
        int(statistics.median(r.peak_pss_kb for r in runs)),
        int(statistics.median(r.main_pss_kb for r in runs)),
    )


# First view ----------------------------------------------------------------


def first_view(output: Path, page: str, siteurl: str):
    """(requests, raw bytes, brotli bytes, scripts) of a page's first view.

    Counts the HTML, stylesheets, scripts, images and the icon it links, and
    anything the stylesheets load with url().
    """
    import brotli  # noqa: PLC0415
    from bs4 import BeautifulSoup  # noqa: PLC0415

    base = siteurl.rstrip("/") + "/"
    files, scripts = {page: output / page / "index.html"}, 0
    soup = BeautifulSoup(files[page].read_text(encoding="utf-8"), "lxml")
    refs = [link["href"] for link in soup.select("link[rel~=stylesheet][href]")]
    refs += [s["src"] for s in soup.select("script[src]")]
    scripts = len(soup.select("script[src]")) + len(
        [s for s in soup.select("script:not([src])") if s.get("type") != "application/ld+json"]
    )
    refs += [img["src"] for img in soup.select("img[src]")]
    icon = soup.select_one("link[rel~=icon][href]")
    if icon:
        refs.append(icon["href"])
    page_url = urljoin(base, page)
    for ref in refs:
        url = urljoin(page_url, ref)
        if not url.startswith(base):
            continue
        # The path under the site's own (SITEURL may have a sub-path).
        path = output / urlsplit(url[len(base) :]).path
        files[url] = path
        if path.suffix == ".css":
            for inner in re.findall(r"url\(['\"]?([^'\")]+)", path.read_text(encoding="utf-8")):
                if not inner.startswith("data:"):
                    inner_url = urljoin(url, inner)
                    files[inner_url] = output / urlsplit(inner_url[len(base) :]).path
    raw = compressed = 0
    for path in files.values():
        data = path.read_bytes()
        raw += len(data)
        compressed += len(brotli.compress(data, quality=11))
    return len(files), raw, compressed, scripts


# The run --------------------------------------------------------------------


def fmt_mb(kb):
    return f"{kb / 1024:7.0f} MB"


def verdict(value, target):
    return "meets" if value <= target else "MISSES"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--essays", default="1000", help='corpus sizes, e.g. "1000 5000" (default 1000)'
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--hugo", default=os.environ.get("HUGO"), help="a Hugo binary to compare")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    try:
        sizes = [int(size) for size in re.split(r"[\s,]+", args.essays.strip())]
    except ValueError:
        parser.error('--essays takes whole numbers: 1000 or "1000 5000"')
    if min(sizes) < 1 or args.repeat < 1:
        parser.error("--essays and --repeat must be at least 1")
    print(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}; "
          f"{args.repeat} run(s) of each build")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="bzdww-bench-"))
    try:
        results = {size: bench(work / str(size), size, args) for size in sizes}
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    report(results)
    return 0


@dataclass
class Result:
    cold: Run
    edit: Run
    stock: Run
    preview: list  # seconds from save to served page, one an edit
    first_view: tuple
    hugo_cold: Run | None = None
    hugo_preview: list | None = None


def tools_build(settings, content, output):
    return [
        sys.executable,
        "-m",
        "tools.build",
        str(content),
        "-s",
        str(settings),
        "-o",
        str(output),
    ]


def bench(work: Path, size, args) -> Result:
    content = generate_corpus(work, size)
    site_cache, stock_cache = work / "cache", work / "stock-cache"
    site_conf, stock_conf = work / "site_settings.py", work / "stock_settings.py"
    preview_conf = work / "preview_settings.py"
    for path, conf, cache in ((site_conf, "publishconf", site_cache),
                              (preview_conf, "pelicanconf", work / "dev-cache")):  # fmt: skip
        path.write_text(
            SITE_SETTINGS.format(root=str(ROOT), conf=conf, content=str(content), cache=str(cache))
        )
    stock_conf.write_text(
        STOCK_SETTINGS.format(root=str(ROOT), content=str(content), cache=str(stock_cache))
    )
    site_out, stock_out = work / "site", work / "stock"
    env = {"SITEURL": "https://bzdww.github.io", "PYTHONHASHSEED": "0"}
    changed = content / "essays" / "essay-00001.md"
    original = changed.read_text(encoding="utf-8")
    print(f"\n{size} essays in {content}", flush=True)

    cold, edit, stock = [], [], []
    for number in range(args.repeat):
        shutil.rmtree(site_cache, ignore_errors=True)
        shutil.rmtree(site_out, ignore_errors=True)
        changed.write_text(original, encoding="utf-8")
        cold.append(run_measured(tools_build(site_conf, content, site_out), ROOT, env))
        changed.write_text(original + f"\nEdited for run {number}.\n", encoding="utf-8")
        edit.append(run_measured(tools_build(site_conf, content, site_out), ROOT, env))
        stock.append(run_measured(pelican_command(content, stock_conf, stock_out), work, env))
        print(
            f"  run {number + 1}: cold {cold[-1].seconds:6.1f} s   after one edit "
            f"{edit[-1].seconds:6.1f} s   stock {stock[-1].seconds:6.1f} s",
            flush=True,
        )
    changed.write_text(original, encoding="utf-8")
    preview = preview_latency(preview_conf, content, work / "preview")
    print("  preview, save to served page: " + ", ".join(f"{t:.2f} s" for t in preview), flush=True)
    slug = "the-logic-behind-the-mutual-gold-giants"
    result = Result(
        median_run(cold), median_run(edit), median_run(stock), preview,
        first_view(site_out, f"essays/{slug}/", env["SITEURL"]),
    )  # fmt: skip
    if args.hugo:
        site = hugo_site(content, work / "hugo")
        runs = [run_measured([args.hugo, "--source", str(site), "--quiet"], site)
                for _ in range(args.repeat)]  # fmt: skip
        result.hugo_cold = median_run(runs)
        result.hugo_preview = hugo_latency(args.hugo, site)
    return result


# The preview's latency ----------------------------------------------------------


EDITS = 6  # the first warms the process up and is not counted


def _serve(command, cwd, ready):
    """Start a server; (process, a queue of its output lines, its base URL)."""
    proc = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )  # fmt: skip
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + 3600
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        found = ready.search(line)
        if found:
            return proc, lines, found.group(1)
    proc.kill()
    sys.exit(f"bench: {' '.join(map(str, command))} did not start serving")


def spread(essays):
    """EDITS essays from across the archive (the same one again on a small one)."""
    return [essays[(10 + 37 * number) % len(essays)] for number in range(EDITS)]


def _edit_latencies(essays, page_url):
    """Seconds from each essay's save to its page served with the edit."""
    times = []
    for number, essay in enumerate(essays[:EDITS]):
        text = essay.read_text(encoding="utf-8")
        slug = re.search(r"(?m)^slug\s*[:=]\s*\"?([^\"\n]+)", text, re.IGNORECASE).group(1)
        marker = f"edit-marker-{number}-{random.randrange(10**9)}"
        time.sleep(2)  # as an author between edits; the server settles
        started = time.monotonic()
        addition = f"\nA sentence added by the benchmark, {marker}.\n"
        essay.write_text(text + addition, encoding="utf-8")
        while marker not in _fetch(page_url(slug)):
            if time.monotonic() - started > 300:
                sys.exit(f"bench: the edit of {essay} never reached the served page")
            time.sleep(0.01)
        times.append(time.monotonic() - started)
    return times[1:]


def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def preview_latency(settings, content, output):
    command = [sys.executable, "-m", "tools.preview", str(content), "-s", str(settings),
               "-o", str(output), "--port", "0"]  # fmt: skip
    proc, _, base = _serve(command, ROOT, re.compile(r"Serving (http://\S+/)"))
    try:
        essays = spread(sorted((content / "essays").glob("essay-*.md")))
        return _edit_latencies(essays, lambda slug: f"{base}essays/{slug}/")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


# Hugo, as a reference -------------------------------------------------------------

HUGO_LAYOUTS = {
    "baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head>"
    '<body>{{ block "main" . }}{{ end }}</body></html>',
    "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}',
    "list.html": '{{ define "main" }}<ul>{{ range .Paginator.Pages }}'
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
}


def hugo_site(content, site):
    """The corpus's essays as a Hugo site with a minimal layout."""
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'baseURL = "https://example.test/"\ntitle = "bzdww"\n[pagination]\npagerSize = 10\n'
        "[markup.goldmark.renderer]\nunsafe = true\n",
        encoding="utf-8",
    )
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (layouts / name).write_text(text, encoding="utf-8")
    for essay in sorted((content / "essays").glob("*.md")):
        header, _, body = essay.read_text(encoding="utf-8").partition("\n\n")
        meta = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
        date = meta["Date"].replace(" ", "T") + (":00" if meta["Date"].count(":") == 1 else "")
        tags = [t.strip() for t in meta.get("Tags", "").split(",") if t.strip()]
        front = (
            f"+++\ntitle = {json.dumps(meta['Title'])}\ndate = {date}\n"
            f"slug = {json.dumps(meta['Slug'])}\ntags = {json.dumps(tags)}\n"
            f"categories = {json.dumps([meta.get('Category', 'misc')])}\n+++\n\n"
        )
        (posts / essay.name).write_text(front + body, encoding="utf-8")
    return site


def hugo_latency(hugo, site):
    command = [hugo, "server", "--source", str(site), "--port", "0", "--disableLiveReload"]
    proc, _, base = _serve(command, site, re.compile(r"Web Server is available at (http://\S+/)"))
    try:
        essays = spread(sorted((site / "content" / "posts").glob("essay-*.md")))
        return _edit_latencies(essays, lambda slug: f"{base}posts/{slug}/")
    finally:
        proc.terminate()
        proc.wait(timeout=60)


# The report -----------------------------------------------------------------------


def _ratio(value, target):
    return f"{value:.2f}x (target <= {target}) {verdict(value, target)}"


def _preview_cell(size, result):
    median = statistics.median(result.preview)
    spread = f"{min(result.preview):.2f}-{max(result.preview):.2f}"
    target = TARGETS["preview"].get(size)
    verdict_text = f" (target <= {target} s) {verdict(median, target)}" if target else ""
    return f"{median:.2f} s ({spread}){verdict_text}"


def _cold_cell(size, result):
    ratio = _ratio(result.cold.seconds / result.stock.seconds, TARGETS["cold"])
    return f"{result.cold.seconds:.1f} s / {result.stock.seconds:.1f} s = {ratio}"


def _edit_cell(size, result):
    ratio = _ratio(result.edit.seconds / result.stock.seconds, TARGETS["edit"])
    return f"{result.edit.seconds:.1f} s = {ratio}"


def _memory_cell(size, result):
    """The issue's measure: the largest one process (the build, a worker or
    Pagefind) against stock Pelican's one process."""
    ours, stock = result.cold.maxrss_kb, result.stock.maxrss_kb
    return f"{ours / 1024:.0f} / {stock / 1024:.0f} MiB = {_ratio(ours / stock, TARGETS['memory'])}"


def _tree_memory_cell(size, result):
    """Every process of the build at once (workers and Pagefind included)."""
    ours, stock = result.cold.peak_pss_kb, result.stock.peak_pss_kb
    return f"{ours / 1024:.0f} / {stock / 1024:.0f} MiB = {ours / stock:.2f}x"


def _hugo_cold_cell(size, result):
    return f"{result.hugo_cold.seconds:.2f} s" if result.hugo_cold else ""


def _hugo_preview_cell(size, result):
    return f"{statistics.median(result.hugo_preview):.2f} s" if result.hugo_preview else ""


ROWS = [
    ("preview: edit saved -> page served (median of 5)", _preview_cell),
    ("production cold: project / stock", _cold_cell),
    ("production after one edit / stock cold", _edit_cell),
    ("peak memory, largest process: project / stock", _memory_cell),
    ("peak memory, whole process tree (PSS): project / stock", _tree_memory_cell),
]
HUGO_ROWS = [
    ("Hugo: cold build (reference)", _hugo_cold_cell),
    ("Hugo: `hugo server`, edit saved -> page served", _hugo_preview_cell),
]


def report(results):
    """The figures of every corpus size as one Markdown table."""
    sizes = sorted(results)
    rows = ROWS + (HUGO_ROWS if any(r.hugo_cold for r in results.values()) else [])
    print()
    print("| | " + " | ".join(f"{size:,} essays" for size in sizes) + " |")
    print("|---|" + "---|" * len(sizes))
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(size, results[size]) for size in sizes) + " |")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        scale = results[large].cold.seconds / results[small].cold.seconds
        target = TARGETS["scaling"]
        print(f"\ncold at {large:,} / cold at {small:,}: {scale:.2f}x "
              f"(target <= {target} for 5,000 / 1,000) {verdict(scale, target)}")  # fmt: skip
    requests, raw, compressed, scripts = results[sizes[0]].first_view
    print(f"\nseed essay first view: {requests} requests, {raw / 1024:.1f} KB raw, "
          f"{compressed / 1024:.1f} KB brotli, {scripts} scripts")  # fmt: skip
    limit = TARGETS["first view (brotli)"]
    print(f"  brotli bytes {compressed} target <= {limit}   {verdict(compressed, limit)}; "
          f"scripts {scripts} target 0   {verdict(scripts, 0)}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
