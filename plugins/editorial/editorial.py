"""Editorial features that earn a reader's trust in financial commentary.

One plugin, five features, each in its own module (its docstring says what it
reads and writes):

- ``charts``       fenced ``chart`` blocks become inline SVG charts drawn from
                   CSV files, with a data table and a download link;
- ``glossary``     the first use of each term from ``content/glossary.toml``
                   links to the Glossary page and carries its definition;
- ``corrections``  ``Correction:`` lines become a log at the end of the essay,
                   set its modified date, and feed the Corrections page and
                   an Atom feed;
- ``disclosures``  every essay ends with the site's disclaimer and its own
                   ``Disclosure:``;
- ``provenance``   ``Source:`` and related lines become ``article.provenance``
                   and a note under the byline;
- ``term_popovers`` the ``term_popovers`` filter: on the page, each linked
                   term opens its definition in a popover.

Everything that must reach the feeds is written into each essay's rendered
content after the essays are read (``article_generator_finalized``), in that
order: charts first, so the glossary never links inside a chart; the
glossary before the appended notes, so it never links inside them;
corrections before the disclosure, which closes the essay.  One receiver runs
the steps, so their order is written here once.

Signals:
  initialized                  derived settings; publish the chart data folder
  article_generator_finalized  run the five features over every essay
  page_generator_finalized     check that the glossary page exists
  article_writer_finalized     write the corrections feed and the glossary
                               terms' own pages
  essay_changed (the site's)   the same steps for one essay a preview changed

Settings (declared with their defaults in each module's ``DEFAULTS``):
  GLOSSARY_PATH, GLOSSARY_PAGE, GLOSSARY_ESSAYS_LISTED, GLOSSARY_TERM_URL,
  GLOSSARY_TERM_SAVE_AS, DISCLOSURE_DEFAULT, DISCLOSURE_TITLE,
  CORRECTIONS_PAGE, CORRECTIONS_FEED_ATOM, CORRECTIONS_FEED_TITLE,
  PROVENANCE_LANGUAGE_NAMES, CHARTS_DATA_PATH, CHARTS_WIDTH, CHARTS_HEIGHT,
  CHARTS_COLORS.

Attributes added to articles: ``charts``, ``glossary_terms``, ``corrections``,
``modified``/``locale_modified`` (when corrected), ``disclosures``,
``provenance``.  Context: ``glossary_terms``, ``corrections_log``.

Why a project plugin: no maintained Pelican plugin does any of these from
plain data an author edits (see each module), and doing them together keeps
one order of work over the essays' content.
"""

from pathlib import Path

from plugins import core
from plugins.core import config, pipeline, templates
from plugins.core.pipeline import Order

from . import charts, corrections, disclosures, glossary, provenance, term_popovers


def prepare(pelican):
    """Settings that follow from others: the feed title, the data folder."""
    settings = pelican.settings
    if not settings["CORRECTIONS_FEED_TITLE"]:
        settings["CORRECTIONS_FEED_TITLE"] = f"{settings['SITENAME']}: corrections"
    # Charts link to their CSV files, so the data folder is published as is.
    data = settings["CHARTS_DATA_PATH"]
    static = list(settings.get("STATIC_PATHS") or [])
    if (Path(settings["PATH"]) / data).is_dir() and data not in static:
        settings["STATIC_PATHS"] = [*static, data]


def finalize_articles(generator):
    config.apply_defaults(generator.settings)
    charts.draw_charts(generator)
    glossary.link_essays(generator)
    corrections.record_corrections(generator)
    disclosures.add_disclosures(generator)
    provenance.add_provenance(generator)


def refresh_essay(article, generator):
    """essay_changed: the same steps for one essay whose text changed in place
    (its metadata did not: provenance and the corrections log stand)."""
    settings = generator.settings
    charts.draw_essay_charts(article, settings)
    glossary.relink_essay(article)
    corrections.record_essay(article, settings, corrections.corrections_page(settings))
    disclosures.add_disclosure(article, settings)


def check_pages(generator):
    glossary.check_glossary_page(generator)


def write_files(generator, writer=None):
    corrections.write_feed(generator)
    glossary.write_term_pages(generator, writer)


def register():
    core.register()
    templates.add_filter(__name__, "term_popovers", term_popovers.term_popovers)
    pipeline.on("initialized", prepare, Order.PREPARE)
    # First of the steps on the essays' content: feeds carry what it adds,
    # and reading time, series and related essays read the finished content.
    pipeline.on("article_generator_finalized", finalize_articles, Order.CONTENT)
    pipeline.on("essay_changed", refresh_essay, Order.CONTENT)
    # After language_urls has placed the pages (Order.URLS).
    pipeline.on("page_generator_finalized", check_pages, Order.CONTENT)
    pipeline.on("article_writer_finalized", write_files, Order.WRITE)
