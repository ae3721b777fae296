"""Benchmark the site build against stock Pelican on a generated corpus.

`make bench` (``N=`` essays, default 1000; ``REPEAT=`` runs of each, default 3)
writes a corpus shaped like the seed essay into a temporary folder, then
measures in one run, each several times, reporting the median:

  a. a cold production build of the site (publishconf.py, every plugin, empty
     caches: the social card cache and the content cache start empty);
  b. a warm rebuild of the same site after one essay changed;
  c. the same corpus built by stock Pelican 4.12: its default theme, the same
     Markdown extensions, typogrify on, no plugins;

and, for the author's loop, b'. the rebuild `make serve` runs after one
essay changed (``tools.build`` with pelicanconf.py, its cache warmed by a
first, unmeasured build).

Every build runs in a child process; wall time is measured around it.  Peak
memory is given three ways: the maximum resident set size of the build or of
any process it waited for (``os.wait4``: Pagefind is one), and, sampled every
50 ms, the largest proportional set size (PSS, shared pages split between
processes) of the whole process tree (workers included) and of the build
process alone.  The memory target compares the trees.  The ratios
a/c and b/c are printed against their targets, and so is the seed essay's
first view: the bytes of its HTML, stylesheet, scripts and images, raw and
brotli-compressed, and the number of requests.

The machine may be busy with other work: compare the ratios of one run, not
seconds across runs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "essays" / "the-logic-behind-the-mutual-gold-giants.md"

TARGETS = {"a/c": 0.75, "b/c": 0.15, "first view (brotli)": 20 * 1024}

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


def run_measured(command, cwd, env=None) -> Run:
    """Run a command; its wall time, max RSS (wait4) and sampled peak PSS of its tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    peak = main_peak = 0
    log = bytearray()
    os.set_blocking(proc.stdout.fileno(), False)
    while True:
        result = os.wait4(proc.pid, os.WNOHANG)
        if result[0]:
            break
        if Path("/proc").is_dir():
            peak = max(peak, sum(_pss_kb(pid) for pid in _tree(proc.pid)))
            main_peak = max(main_peak, _pss_kb(proc.pid))
        chunk = proc.stdout.read()
        if chunk:
            log += chunk
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    _, status, usage = result
    proc.returncode = os.waitstatus_to_exitcode(status)
    log += proc.stdout.read() or b""
    proc.stdout.close()
    if proc.returncode != 0:
        sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{log.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss, peak or usage.ru_maxrss, main_peak)


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
    parser.add_argument("--essays", type=int, default=1000, help="corpus size (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each build (default 3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if args.essays < 1 or args.repeat < 1:
        parser.error("--essays and --repeat must be at least 1")

    work = Path(tempfile.mkdtemp(prefix="bzdww-bench-"))
    try:
        return bench(work, args)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def bench(work: Path, args):
    content = generate_corpus(work, args.essays)
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
    print(f"corpus: {args.essays} essays in {content}; {args.repeat} run(s) of each build")
    print(f"machine: {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")

    preview_out = work / "preview"
    preview = [sys.executable, "-m", "tools.build", "-s", str(preview_conf), "-o", str(preview_out)]
    preview_env = {**env, "SITEURL": ""}
    run_measured(preview, ROOT, preview_env)  # warms the preview's cache

    cold, warm, stock, loop = [], [], [], []
    for number in range(args.repeat):
        # Runs alternate, so background load falls on all three alike.
        shutil.rmtree(site_cache, ignore_errors=True)
        changed.write_text(original, encoding="utf-8")
        cold.append(run_measured(pelican_command(content, site_conf, site_out), work, env))
        changed.write_text(original + f"\nEdited for warm run {number}.\n", encoding="utf-8")
        warm.append(run_measured(pelican_command(content, site_conf, site_out), work, env))
        stock.append(run_measured(pelican_command(content, stock_conf, stock_out), work, env))
        changed.write_text(original + f"\nEdited for preview run {number}.\n", encoding="utf-8")
        loop.append(run_measured(preview, ROOT, preview_env))
        print(
            f"  run {number + 1}: a {cold[-1].seconds:6.1f} s   b {warm[-1].seconds:6.1f} s"
            f"   c {stock[-1].seconds:6.1f} s   b' {loop[-1].seconds:6.1f} s",
            flush=True,
        )

    a, b, c = median_run(cold), median_run(warm), median_run(stock)
    b_loop = median_run(loop)
    print()
    print("build (median)                          wall     max RSS  peak PSS: tree, build process")
    for label, run in (
        ("a. cold production build, our site", a),
        ("b. warm rebuild, one essay changed", b),
        ("c. stock Pelican 4.12, same corpus", c),
        ("b'. preview rebuild (make serve)", b_loop),
    ):
        print(
            f"{label:38} {run.seconds:6.1f} s {fmt_mb(run.maxrss_kb)} {fmt_mb(run.peak_pss_kb)}"
            f" {fmt_mb(run.main_pss_kb)}"
        )
    print()
    ratios = {"a/c": a.seconds / c.seconds, "b/c": b.seconds / c.seconds}
    for name, value in ratios.items():
        target = TARGETS[name]
        print(f"{name:8} {value:5.2f}   target <= {target:.2f}   {verdict(value, target)}")
    print(f"b'/c     {b_loop.seconds / c.seconds:5.2f}   (the author's loop; no target)")
    memory = a.peak_pss_kb / c.peak_pss_kb
    print(f"memory a/c {memory:5.2f} (peak PSS of the process tree)   target <= 1.00   "
          f"{verdict(memory, 1.0)}")  # fmt: skip

    slug = "the-logic-behind-the-mutual-gold-giants"
    requests, raw, compressed, scripts = first_view(site_out, f"essays/{slug}/", env["SITEURL"])
    print()
    print(f"seed essay first view: {requests} requests, {raw / 1024:.1f} KB raw, "
          f"{compressed / 1024:.1f} KB brotli, {scripts} scripts")  # fmt: skip
    limit = TARGETS["first view (brotli)"]
    print(f"  brotli bytes {compressed} target <= {limit}   {verdict(compressed, limit)}; "
          f"scripts {scripts} target 0   {verdict(scripts, 0)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
