"""Close every essay with one disclosure block: the essay's own, then the site's.

The site-wide disclaimer (commentary, not investment advice) is a setting; an
essay may add its own disclosure (positions held, conflicts of interest) with
a ``Disclosure:`` metadata line.  Both go into one ``<aside
class="disclosure">`` appended to the essay's rendered content after
generation, so the Atom and RSS feeds carry exactly what the page shows.

Called from ``editorial.py``: ``add_disclosures`` after the essays are
read, after the glossary and corrections.

Settings (defaults in ``DEFAULTS``), each one text or ``{language: text}``
(an essay gets its own language's, else the site language's):
  DISCLOSURE_DEFAULT  the site-wide disclaimer, plain text ("" for none)
  DISCLOSURE_TITLE    the block's heading ("Disclosure")

Metadata read: ``disclosure`` (plain text; escaped).
Attributes: ``article.disclosures``, the texts shown, essay's own first.

Why a project plugin: no maintained Pelican plugin appends a standing
disclaimer to content, and a template-only block would be missing from feeds.
"""

import html
import logging

from plugins.core import config, essays

from .common import set_content

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "DISCLOSURE_DEFAULT": (
            "This essay is commentary, not investment advice. It gives the author's "
            "opinion and does not recommend buying or selling any security."
        ),
        "DISCLOSURE_TITLE": "Disclosure",
    },
    prefixes=("DISCLOSURE_",),
)


def localised(value, lang, default_lang):
    """A setting that is one text, or a text per language."""
    if isinstance(value, dict):
        return value.get(lang) or value.get(default_lang) or ""
    return value


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


def add_disclosure(article, settings):
    """Close one essay with its disclosures."""
    site_lang = settings["DEFAULT_LANG"]
    default = localised(settings["DISCLOSURE_DEFAULT"], article.lang, site_lang)
    texts = disclosure_texts(article, default)
    article.disclosures = texts
    if texts:
        title = localised(settings["DISCLOSURE_TITLE"], article.lang, site_lang)
        block = disclosure_block(texts, title)
        set_content(article, (article._content or "") + block)


def add_disclosures(generator):
    for article in essays.every(generator):
        add_disclosure(article, generator.settings)
