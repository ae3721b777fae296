"""An e-mail edition of every essay, and the optional subscribe form.

Readers of newsletters expect essays in their inbox.  The site sends no mail
itself: every build writes, for each published essay (and translation), a
page an author can paste or import into their own list tool (Buttondown,
Listmonk, Mailchimp…):

- ``email/<slug>/index.html``: the essay as mail clients render it, from
  the theme's ``email.html`` template and ``css/email.css``, the styles
  inlined into ``style`` attributes (mail clients drop ``<style>`` and
  stylesheets) by css-inline, every link absolute, charts' SVG left out
  (their data table and CSV link stay), footnotes as numbered notes;
- ``email/<slug>/index.txt``: the same as plain text (html2text), links
  numbered at the end.

Translations go to ``email/<slug>/<lang>/``.  These pages are for mail, not
for the site's readers: they carry ``noindex`` and a canonical link to the
essay, and are not in the sitemap or the search index.  They get no
compressed copies (``output.not_for_readers``): precompressed files serve
browsers only, and the editions were half the files compressed.  A host
that sends the site's Content-Security-Policy as a header (``_headers``)
keeps their inline styles from applying in a browser; the files themselves
are intact.

The subscribe form: with ``SUBSCRIBE_FORM_ACTION`` set to a list's sign-up
address, every essay ends with an e-mail field posting there, and the
Content-Security-Policy's ``form-action`` allows that origin (in the pages'
``<meta>`` and in ``_headers``, which both read ``CONTENT_SECURITY_POLICY``);
without it (the default) there is no form and the policy is unchanged.

Signals: ``initialized`` (widen the policy when a form action is set),
``article_writer_finalized`` (decide the editions, once the essays' content
is final, and hand them to workers), ``finalized`` (write them, while the
search index is made) and the site's ``essay_changed`` (a preview writes the
editions of the essay whose text changed).

Settings (defaults in ``DEFAULTS``):
  EMAIL_EDITION_ENABLED        write the editions (True)
  EMAIL_EDITION_SAVE_AS        path of an essay's edition ("email/{slug}/index.html");
                               the text edition is beside it as index.txt
  EMAIL_EDITION_LANG_SAVE_AS   the same for a translation ("email/{slug}/{lang}/index.html")
  EMAIL_EDITION_TEMPLATE       the theme template ("email")
  EMAIL_EDITION_STYLESHEET     CSS inlined into it, under the theme ("css/email.css")
  EMAIL_EDITION_TEXT_WIDTH     column the text edition wraps at (72)
  SUBSCRIBE_FORM_ACTION        a list's sign-up URL (None: no form)
  SUBSCRIBE_FORM_METHOD        "post" or "get" ("post")
  SUBSCRIBE_FORM_EMAIL_FIELD   the name the list expects for the address ("email")
  SUBSCRIBE_FORM_HIDDEN        extra hidden fields the list needs ({})

Template filters: ``email_content`` (the edition's content without charts' SVG).

Attributes: none.

Why not a maintained plugin: none writes an e-mail edition of a Pelican
article.  css-inline (maintained, in Rust) inlines the CSS; html2text
writes the plain text.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
import html2text
from markupsafe import Markup
from pelican.utils import sanitised_join

from plugins import core
from plugins.core import config, csp, essays, memory, output, pages, pipeline, templates
from plugins.core import html as bzhtml
from plugins.core import memo as memos
from plugins.core.pipeline import Order
from plugins.core.workers import can_fork

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "EMAIL_EDITION_ENABLED": True,
        "EMAIL_EDITION_SAVE_AS": "email/{slug}/index.html",
        "EMAIL_EDITION_LANG_SAVE_AS": "email/{slug}/{lang}/index.html",
        "EMAIL_EDITION_TEMPLATE": "email",
        "EMAIL_EDITION_STYLESHEET": "css/email.css",
        "EMAIL_EDITION_TEXT_WIDTH": 72,
        "SUBSCRIBE_FORM_ACTION": None,
        "SUBSCRIBE_FORM_METHOD": "post",
        "SUBSCRIBE_FORM_EMAIL_FIELD": "email",
        "SUBSCRIBE_FORM_HIDDEN": {},
    },
    prefixes=("EMAIL_EDITION_", "SUBSCRIBE_FORM_"),
)


# The subscribe form ---------------------------------------------------------------


def subscribe_origin(action):
    """The origin a form action posts to, or None for a site-relative one."""
    parts = urlsplit(str(action))
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def allow_subscribe_form(pelican):
    """With a form action set, the policy's form-action allows its origin."""
    settings = pelican.settings
    action = settings["SUBSCRIBE_FORM_ACTION"]
    if not action:
        return
    origin = subscribe_origin(action)
    if origin is None and not str(action).startswith("/"):
        logger.error(
            "setting SUBSCRIBE_FORM_ACTION %r is not an http(s) address — give the list's "
            "full sign-up URL (https://…)",
            action,
        )
        return
    if origin:
        settings["CONTENT_SECURITY_POLICY"] = csp.widen(
            settings["CONTENT_SECURITY_POLICY"], {"form-action": [origin]}
        )


# The editions -----------------------------------------------------------------------


def text_edition(markup, width=72):
    """The plain text of an edition: Markdown-like, links numbered at the end.

    Converted from the inside of the edition's layout table (html2text runs
    a table cell's paragraphs together), without the hidden preheader and
    without links' titles (the glossary's definitions, which the text has
    in its "Terms" list already).
    """
    converter = html2text.HTML2Text()
    converter.body_width = width
    converter.inline_links = False
    converter.links_each_paragraph = False
    converter.wrap_links = False
    converter.unicode_snob = True
    cell = next(
        (e for e in bzhtml.parse(markup) if e.name == "td" and e.has_class("email-cell")), None
    )
    body = markup[cell.inner : cell.close] if cell is not None else markup
    edits = [
        (attribute.start, attribute.end, "")
        for tag in bzhtml.start_tags(body, ("a",))
        for attribute in tag.attribute_items()
        if attribute.name == "title"
    ]
    return converter.handle(bzhtml.apply_edits(body, edits)).strip() + "\n"


def without_svg(content):
    """Charts' SVG out (mail clients show none); their tables and CSV links stay.
    The ``email_content`` filter of the edition's template."""
    if "<svg" not in content:
        return Markup(content)
    return Markup(bzhtml.replace_elements(content, ("svg",), lambda tag: True, ""))


def inline_styles(markup, css):
    """The page with the e-mail stylesheet in ``style`` attributes."""
    inliner = css_inline.CSSInliner(extra_css=css, load_remote_stylesheets=False)
    return inliner.inline(markup)


def edition_path(article, settings, is_translation):
    pattern = settings["EMAIL_EDITION_LANG_SAVE_AS" if is_translation else "EMAIL_EDITION_SAVE_AS"]
    return pattern.format(**article.url_format)


def _stylesheet(settings):
    path = Path(settings["THEME"]) / settings["EMAIL_EDITION_STYLESHEET"]
    return path.read_text(encoding="utf-8")


# Separates the two editions in the one text the memo keeps of them.
EDITIONS_SEPARATOR = "\x00"

# What a forked worker inherits: the editions to make and how.
_EDITIONS = {"template": None, "generator": None, "jobs": []}
# Editions planned once the essays' pages are written, to write while the
# search index is made, by output folder: (template, generator, jobs).
_DUE = {}


def plan_editions(generator, writer=None):
    """article_writer_finalized: decide every published essay's editions and
    hand them to workers; ``write_planned_editions`` writes them.

    On a rebuild of few essays they are written later
    (``write_planned_editions``): search indexes only the pages, and
    Pagefind's run on a changed shard (about a second) overlaps this work
    when it comes after the index is started rather than before."""
    # Whatever an earlier build that stopped before its end left is not this one's.
    _DUE.pop(str(generator.output_path), None)
    planned = _plan(generator)
    if planned is None:
        return
    if pages.few_changed():
        _DUE[str(generator.output_path)] = planned
    else:
        # A cold build: the workers are making them now, and the search
        # index's runs, later, take both CPUs.
        _write_all(*planned)


def write_planned_editions(pelican):
    """finalized: write the editions ``plan_editions`` decided for this output."""
    planned = _DUE.pop(str(pelican.output_path), None)
    if planned is not None:
        _write_all(*planned)


def write_editions(generator, writer=None, only=None):
    """Write both editions of every published essay (or only of the essay
    ``only``) now."""
    planned = _plan(generator, only)
    if planned is not None:
        _write_all(*planned)


def _plan(generator, only=None):
    """(template, generator, jobs) of the editions to write, or None.

    Each essay's two editions are made together through the pages' memo
    (``pages.memo_template``: keyed and checked by what the template reads, as
    the essay's own page is, with the inlined HTML and the text kept); on a
    cold build the workers make them (css-inline and html2text take about 10
    ms an essay) while the build takes them from the first.  When few essays
    changed (``pages.few_changed``) the build makes the few itself."""
    settings = generator.settings
    if not settings["EMAIL_EDITION_ENABLED"]:
        return None
    css = _stylesheet(settings)
    width = settings["EMAIL_EDITION_TEXT_WIDTH"]
    template = pages.memo_template(
        generator.get_template(settings["EMAIL_EDITION_TEMPLATE"]),
        generator.context,
        settings,
        finish=functools.partial(_editions, css=css, width=width),
        kind=("email edition", css, str(width)),
    )
    translations = {id(item) for item in generator.translations}
    siteurl = settings["SITEURL"]
    jobs = []
    for article in essays.published(generator):
        if only is None or article is only:
            path = edition_path(article, settings, id(article) in translations)
            jobs.append((path, {"article": article, "output_file": path, "localsiteurl": siteurl}))
    pool = memos.current().pool
    if pool is not None and only is None and can_fork() and not pages.few_changed():
        _EDITIONS.update(template=template, generator=generator, jobs=jobs)
        pool.ahead([(("email", index), _edition_in_worker, (index,)) for index in range(len(jobs))])
    return template, generator, jobs


def _write_all(template, generator, jobs):
    """Write each job's two files, through the build's output so unchanged
    files are kept."""
    base = generator.output_path
    out = output.current()
    try:
        for index, (path, local) in enumerate(jobs):
            # Relative to the build's output: a preview writes into the live
            # folder, not the one the generator was made for.
            relative = os.path.relpath(sanitised_join(base, path), base)
            names = (relative, os.path.splitext(relative)[0] + ".txt")
            if out is not None:
                for name in names:
                    out.not_for_readers(name)  # no compressed copies
            pages.claim(("email", index))
            made = _render(template, generator, local, reusable=True)
            memory.forget_rendered(local["article"])
            if isinstance(made, pages.Reused):
                if made.link():  # the last good output's two files
                    continue
                made = made.text()
            for name, data in zip(names, made.split(EDITIONS_SEPARATOR, 1), strict=True):
                output.write(name, data, base=base)
                pages.written_file(getattr(made, "memo_key", None), name)
    finally:
        _EDITIONS.update(template=None, generator=None, jobs=[])


def _editions(markup, css, width):
    """The e-mail edition with its styles inlined, and its text, as one text."""
    return inline_styles(markup, css) + EDITIONS_SEPARATOR + text_edition(markup, width)


def _render(template, generator, local, reusable=None):
    # The page's context is made as it is rendered: one copy of the site's
    # context an essay, held for all of them, was 25 MB at 5,000 essays.
    return template.render({**generator.context, **local}, reusable=reusable)


def _edition_in_worker(index):
    """In a forked worker: make one essay's editions into the memo."""
    _render(_EDITIONS["template"], _EDITIONS["generator"], _EDITIONS["jobs"][index][1])


def write_edition_of(article, generator):
    """essay_changed: the editions of the essay whose text changed."""
    write_editions(generator, only=article)


def register():
    core.register()
    # Before anything reads the policy to write it (templates, host_headers).
    pipeline.on("initialized", allow_subscribe_form, Order.PREPARE)
    templates.add_filter(__name__, "email_content", without_svg)
    # The essays' content is final once they are written (Order.WRITE: files
    # beside the pages); on a rebuild of few essays the files are written
    # while the search index is made, before compressed copies.
    pipeline.on("article_writer_finalized", plan_editions, Order.WRITE)
    pipeline.on("finalized", write_planned_editions, Order.BESIDE_INDEX)
    pipeline.on("essay_changed", write_edition_of, Order.WRITE)
