"""The build's shared services, which the features import and call explicitly.

Nothing here changes another module's behaviour at run time; each service is
something a feature calls, or one of Pelican's extension points used once:

- ``config``    every plugin's settings, declared with their defaults; the
                check at start that stops a misspelt setting;
- ``pipeline``  the order of the plugins' work on each signal, fixed by the
                steps themselves and not by the order of ``PLUGINS``;
- ``memo``      results of pure, expensive steps, one file an entry, read on
                demand, keyed where the work is done;
- ``workers``   the build's worker processes, forked to compute memo entries
                ahead of the build;
- ``memory``    free heap handed back to the system, and the copies of an
                essay's text Pelican memoised let go once it is written;
- ``reading``   the site's one Markdown reader (``readers_init``): Pelican's,
                with metadata escaped, typography (CJK left as typed) and the
                memo, composed in one place;
- ``pages``     the writer (``get_writer``) that reuses pages whose inputs did
                not change;
- ``feeds``     the one subclass of Pelican's feed writer, which ``pages``
                builds on: one id per feed, absolute URLs, each entry's
                language, plain titles;
- ``templates`` the filters and globals plugins give the theme, installed in
                every generator's Jinja environment in one place;
- ``interface`` interface text in each page's language: gettext catalogs
                (``theme/translations``), dates and numbers by Babel;
- ``html``      the one HTML tokenizer and walker for plugins that scan
                rendered HTML;
- ``essays``    which essays a step walks (all, published) and absolute URLs;
- ``urls``      where an essay or page is published, the slug of a title, and
                valid URLs for files whose names have spaces;
- ``languages`` whether a text is mostly Chinese, and word counts;
- ``output``    the build's files: only what changed is written, the rest
                linked from the last good output; transforms of every page;
- ``files``     atomic writes and cache folders; ``errors``: how the build
                stops for a mistake someone can fix.

Every project plugin uses the core, so it takes part in every build whether
or not ``PLUGINS`` names it; its own steps run first and last.

Settings (defaults in ``DEFAULTS``):
  MEMO_ENABLED               keep and reuse results across builds (True)
  MEMO_PATH                  folder of the memo; None: <CACHE_PATH>/memo
  WORKERS                    worker processes; None: one fewer than the CPUs;
                             0: none
  WORKERS_MIN_TASKS          fewer tasks than this (32) are done by the build
                             alone
  TYPOGRAPHY                 typogrify essays while reading them (True);
                             Pelican's TYPOGRIFY must then be False
  TYPOGRAPHY_VERBATIM_LANGS  languages (and their regional forms, zh-TW…)
                             left as typed: ["zh", "ja", "ko"]
  OUTPUT_REUSE_PATH          the last good output, whose unchanged files a
                             build links instead of writing (None: write all;
                             tools.build sets it)
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from . import (
    config,
    essays,
    interface,  # noqa: F401  (declares its template functions on import)
    output,
    pages,
    pipeline,
    reading,
    templates,
    urls,
)
from . import memo as memos
from .errors import stop
from .files import cache_folder
from .pipeline import Order
from .workers import Pool, worker_count

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "MEMO_ENABLED": True,
        "MEMO_PATH": None,
        "WORKERS": None,
        "WORKERS_MIN_TASKS": 32,
        "TYPOGRAPHY": True,
        "TYPOGRAPHY_VERBATIM_LANGS": ["zh", "ja", "ko"],
        "OUTPUT_REUSE_PATH": None,
    },
    prefixes=("MEMO_", "WORKERS_", "TYPOGRAPHY_"),
)
PLUGIN_ROOT = Path(__file__).resolve().parent.parent


def check_settings(pelican):
    """Every plugin's defaults, then the check for misspelt settings."""
    settings = pelican.settings
    plugins = pipeline.active_plugins()
    config.apply_defaults(settings, plugins)
    problems = config.problems(settings, plugins)
    if settings.get("TYPOGRIFY") and settings.get("TYPOGRAPHY"):
        problems.append(
            "setting 'TYPOGRIFY' is True: Pelican would set type again after the site's "
            "reader did (CJK essays included) — set TYPOGRIFY = False; TYPOGRAPHY = True "
            "has the reader typogrify with Pelican's TYPOGRIFY_* options"
        )
    if problems:
        stop(problems, "setting problem")


_LAST = {"memo": None}


def start_services(pelican):
    """The memo and the workers of this build."""
    open_services(pelican.settings)


def open_services(settings):
    """The memo and the workers, for a build or a command that reads the site."""
    close_services(None)
    folder = None
    if settings["MEMO_ENABLED"]:
        folder = cache_folder(settings, settings["MEMO_PATH"], "memo")
    memo = memos.Memo(folder, memos.code_salt(PLUGIN_ROOT))
    if memo.enabled:
        memo.pool = Pool(memo, worker_count(settings), settings["WORKERS_MIN_TASKS"])
        templates.keep_compiled(settings, folder)
    memos.start(memo)
    output.start(settings["OUTPUT_PATH"], settings["OUTPUT_REUSE_PATH"])
    _LAST["memo"] = memo
    pages.reset()
    return memo


@contextlib.contextmanager
def services(settings):
    """The memo and the workers for a command that reads the site without
    building it (``make check``)."""
    try:
        yield open_services(settings)
    finally:
        close_services(None)


def services_for_run(pelican):
    """get_generators, sent as each run begins: a second ``run()`` of the same
    Pelican object (a long-lived preview) gets its services again."""
    if _LAST["memo"] is None:
        open_services(pelican.settings)


def close_services(pelican):
    """Stop the workers, tidy the memo, say what it saved."""
    memo, _LAST["memo"] = _LAST["memo"], None
    if memo is None:
        return
    if memo.pool is not None:
        memo.pool.stop()
    if pelican is not None:
        pages.keep_written_files()
    pages.reset()
    if memo.enabled and pelican is not None:
        removed = memo.prune()
        logger.info(
            "memo: %d results reused, %d computed (%d by workers), %d old entries removed, in %s",
            memo.hits,
            memo.computed,
            memo.by_workers,
            removed,
            memo.folder,
        )
    memos.start(memos.Memo(None))


def install_reader(readers_object):
    reading.install(readers_object)


def install_templates(generator):
    templates.install(generator, pipeline.active_plugins())


def encode_static_urls(generators):
    """Valid URLs for the site's files whose names have spaces (see ``urls``)."""
    static_files, contents = [], []
    for generator in generators:
        static_files += getattr(generator, "staticfiles", [])
        if hasattr(generator, "articles"):
            contents += essays.every(generator)
        if hasattr(generator, "pages"):
            contents += essays.every_page(generator)
    urls.encode_static_urls(static_files, contents)


def register():
    # Settings first: every other step reads them.
    pipeline.on("initialized", check_settings, Order.SETTINGS)
    pipeline.on("initialized", start_services, Order.SERVICES)
    pipeline.on("get_generators", services_for_run, Order.SERVICES)
    pipeline.on("readers_init", install_reader, Order.SERVICES)
    pipeline.on("generator_init", install_templates, Order.SERVICES)
    # Before anything writes a link to a file (Order.URLS).
    pipeline.on("all_generators_finalized", encode_static_urls, Order.URLS)
    # After every step that changes the essays: pages are keyed by their state.
    pipeline.on("all_generators_finalized", pages.use_context, Order.WRITE)
    # Counts the essays' pages as Pelican writes them (``essays_written``).
    pipeline.on("article_generator_write_article", pages.essay_page_asked, Order.WRITE)
    pipeline.on("get_writer", pages.writer_class, Order.SERVICES)
    pipeline.on("finalized", close_services, Order.CLOSE)
