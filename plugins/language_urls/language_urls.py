"""Give every original its plain URL, whatever its language; only translations
carry the language in theirs.

The rule itself is the core's (``plugins.core.urls``), shared with the content
checks, which predict output paths the same way.  This plugin applies it to
the essays once their originals and translations are known, before anything
uses a URL: ``/essays/<slug>/`` is the essay as written, in its own language;
``/essays/<slug>/<lang>/`` is a translation of it.

Signals: ``article_generator_pretaxonomy`` (originals and translations of
essays, hidden essays and drafts are known, nothing has used a URL yet) and
``page_generator_finalized`` (the same for pages).
Settings: none of its own; reads ARTICLE_URL/SAVE_AS, DRAFT_URL/SAVE_AS,
PAGE_URL/SAVE_AS, DRAFT_PAGE_URL/SAVE_AS and their ``_LANG_`` forms.
Attributes: sets ``override_url`` and ``override_save_as`` where the language
rule and Pelican's differ (Pelican reads them before its own patterns).

Why a project plugin: Pelican has no setting for "language in the URL only for
translations", and i18n_subsites builds a whole site per language.
"""

from plugins import core
from plugins.core import pipeline, urls
from plugins.core.pipeline import Order


def place_articles(generator):
    urls.place_all(
        "article",
        [
            (generator.articles, generator.translations),
            (generator.hidden_articles, generator.hidden_translations),
            (generator.drafts, generator.drafts_translations),
        ],
        generator.settings,
    )


def place_pages(generator):
    urls.place_all(
        "page",
        [
            (generator.pages, generator.translations),
            (generator.hidden_pages, generator.hidden_translations),
            (generator.draft_pages, generator.draft_translations),
        ],
        generator.settings,
    )


def register():
    core.register()
    pipeline.on("article_generator_pretaxonomy", place_articles, Order.URLS)
    # Before the editorial check of the glossary page, which reads its URL.
    pipeline.on("page_generator_finalized", place_pages, Order.URLS)
