"""Close every essay with one disclosure block: the essay's own, then the site's.

The site-wide disclaimer (commentary, not investment advice) is a setting; an
essay may add its own disclosure (positions held, conflicts of interest) with
a ``Disclosure:`` metadata line.  Both go into one ``<aside
class="disclosure">`` appended to the essay's rendered content after
generation, so the Atom and RSS feeds carry exactly what the page shows.

Signals:
  initialized                  apply the defaults below
  article_generator_finalized  append the block to every essay (published,
                               hidden, draft and their translations)

Settings (defaults in ``DEFAULTS``):
  DISCLOSURE_DEFAULT  the site-wide disclaimer, plain text ("" for none)
  DISCLOSURE_TITLE    the block's heading ("Disclosure")

Metadata read: ``disclosure`` (plain text; escaped).
Attributes: ``article.disclosures``, the texts shown, essay's own first.

Why a project plugin: no maintained Pelican plugin appends a standing
disclaimer to content, and a template-only block would be missing from feeds.
"""

import html
import logging

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {
    "DISCLOSURE_DEFAULT": (
        "This essay is commentary, not investment advice. It gives the author's "
        "opinion and does not recommend buying or selling any security."
    ),
    "DISCLOSURE_TITLE": "Disclosure",
}


def disclosure_texts(article, default):
    own = article.metadata.get("disclosure")
    texts = [own] if isinstance(own, str) else list(own or [])
    texts = [t.strip() for t in texts if t and t.strip()]
    if default and default.strip():
        texts.append(default.strip())
    return texts


def disclosure_block(texts, title):
    paragraphs = "\n".join(f"<p>{html.escape(text)}</p>" for text in texts)
    return (
        '\n<aside class="disclosure editorial-note" aria-labelledby="disclosure-title">\n'
        f'<h2 id="disclosure-title">{html.escape(title)}</h2>\n{paragraphs}\n</aside>'
    )


def set_content(item, markup):
    """Replace rendered content and drop what Pelican memoised from the old one."""
    item._content = markup
    cache = type(item).get_content.cache
    for key in [k for k in cache if k and k[0] is item]:
        del cache[key]


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    apply_defaults(pelican.settings)


def add_disclosures(generator):
    settings = generator.settings
    apply_defaults(settings)
    for article in [
        *generator.articles,
        *generator.translations,
        *generator.hidden_articles,
        *generator.hidden_translations,
        *generator.drafts,
        *generator.drafts_translations,
    ]:
        texts = disclosure_texts(article, settings["DISCLOSURE_DEFAULT"])
        article.disclosures = texts
        if texts:
            block = disclosure_block(texts, settings["DISCLOSURE_TITLE"])
            set_content(article, (article._content or "") + block)


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(add_disclosures)
