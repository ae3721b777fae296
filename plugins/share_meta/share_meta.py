"""Absolute URLs and schema.org JSON-LD for sharing and search engines.

Templates print canonical links, OpenGraph and Twitter card tags themselves
(``partials/share_meta.html``); this plugin gives them the two things Jinja
cannot do well:

``absolute_url(path)``
    a template global, and a filter of the same name for mapping it over a
    list (``paths|map("absolute_url")``): ``SITEURL`` + ``/`` + ``path``.  With
    ``RELATIVE_URLS`` the writer swaps ``SITEURL`` for a relative prefix in
    each page's context, but OpenGraph, JSON-LD, sitemaps and robots.txt need
    absolute URLs, so this reads the setting itself.
``item|json_ld``
    a template filter: the schema.org description of an essay (a
    ``BlogPosting`` and its ``BreadcrumbList`` in one ``@graph``) as JSON that
    is safe inside ``<script type="application/ld+json">``: ``<``, ``>`` and
    ``&`` are written as ``\\u003c``, ``\\u003e`` and ``\\u0026``, so a title
    such as ``</script><script>…`` stays data.  The block is not executed, so
    the Content-Security-Policy's ``script-src`` does not apply to it.

Data read from each essay: title, summary, date, ``modified`` (set by an
author or by corrections) for ``dateModified``, authors, category, tags, lang,
``social_image`` (a site-relative path, set by the social_image plugin) and
``provenance`` when present: a dict with ``source_name``, ``source_url``,
``original_language``, ``translator`` and ``machine_translated``, mapped to
``isBasedOn`` (a ``CreativeWork`` in the original language) and
``translator`` (a ``Person``, or an ``Organization`` for machine translation).

Signals: none; the ``absolute_url`` global and filter and the ``json_ld``
filter are declared to the core's template service.

Settings (defaults in ``DEFAULTS``):
  SHARE_META_LOGO          site-relative path of the publisher logo (a square
                           PNG) for JSON-LD and the JSON Feed icon
  SHARE_META_LOGO_SIZE     its width and height in pixels
  SHARE_META_LOCALES       language code -> OpenGraph locale (``og:locale``)
  SHARE_META_TWITTER_SITE  the site's @handle for ``twitter:site``, or None

Attributes added: none; everything is computed when a page is rendered, so
changes that other plugins make after generation (corrections, provenance)
are seen.

Why not pelican-seo (1.4.0): it parses and rewrites every written page with
BeautifulSoup, puts ``json.dumps`` output into the script element unescaped
(a title containing ``</script>`` ends the element), has no ``dateModified``
or provenance, and writes a robots.txt of its own.  The theme already knows
every value, so templates plus this small filter do it in one pass.
"""

import json
import logging
from functools import partial

from markupsafe import Markup

from plugins import core
from plugins.core import config, essays, templates

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "SHARE_META_LOGO": "theme/img/icon-512.png",
        "SHARE_META_LOGO_SIZE": 512,
        "SHARE_META_LOCALES": {"en": "en_US", "zh": "zh_CN"},
        "SHARE_META_TWITTER_SITE": None,
    },
    prefixes=("SHARE_META_",),
)

SOCIAL_IMAGE_SIZE = (1200, 630)

# Characters that could end the <script> element or start markup or an
# entity inside it; JSON lets them be written as \u escapes instead.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def absolute_url(settings, path=""):
    """``SITEURL`` joined with a site-relative path (``""`` is the home page)."""
    return essays.absolute_url(settings.get("SITEURL", ""), path)


def script_safe_json(data):
    """Serialise ``data`` for an HTML ``<script>`` data block."""
    # Compact: HTML minifiers leave script contents alone.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_SAFE))


def _text(value):
    """Plain text of a rendered title or summary (tags dropped, entities read)."""
    return " ".join(Markup(str(value)).striptags().split())


def _person(author, url):
    return {"@type": "Person", "name": str(author), "url": url(author.url)}


def provenance_data(provenance, lang):
    """schema.org properties for an essay based on (or translated from) another work."""
    if not isinstance(provenance, dict):
        return {}
    data = {}
    source = {"@type": "CreativeWork"}
    if provenance.get("source_name"):
        source["name"] = str(provenance["source_name"])
    if provenance.get("source_url"):
        source["url"] = str(provenance["source_url"])
    original = provenance.get("original_language")
    if original:
        source["inLanguage"] = str(original)
    if len(source) > 1:
        data["isBasedOn"] = source
        if original and str(original) != str(lang):
            data["translationOfWork"] = source
    translator = provenance.get("translator")
    if provenance.get("machine_translated"):
        data["translator"] = {
            "@type": "Organization",
            "name": str(translator) if translator else "Machine translation",
        }
    elif translator:
        data["translator"] = {"@type": "Person", "name": str(translator)}
    return data


def article_graph(article, settings):
    """The schema.org graph of one essay: BlogPosting plus BreadcrumbList."""
    url = partial(absolute_url, settings)
    canonical = url(article.url)
    headline = _text(article.title)
    published = article.date.isoformat()
    modified = getattr(article, "modified", None)
    posting = {
        "@type": "BlogPosting",
        "@id": canonical + "#article",
        "mainEntityOfPage": canonical,
        "url": canonical,
        "headline": headline,
        "description": _text(getattr(article, "summary", "") or ""),
        "inLanguage": article.lang,
        "datePublished": published,
        "dateModified": modified.isoformat() if modified else published,
        "author": [_person(author, url) for author in getattr(article, "authors", [])],
        "publisher": {
            "@type": "Organization",
            "name": settings["SITENAME"],
            "url": url(""),
            "logo": {
                "@type": "ImageObject",
                "url": url(settings["SHARE_META_LOGO"]),
                "width": settings["SHARE_META_LOGO_SIZE"],
                "height": settings["SHARE_META_LOGO_SIZE"],
            },
        },
    }
    image = getattr(article, "social_image", None)
    if image:
        width, height = SOCIAL_IMAGE_SIZE
        posting["image"] = {
            "@type": "ImageObject",
            "url": url(image),
            "width": width,
            "height": height,
        }
    category = getattr(article, "category", None)
    if category:
        posting["articleSection"] = str(category)
    tags = getattr(article, "tags", None)
    if tags:
        posting["keywords"] = [str(tag) for tag in tags]
    posting.update(provenance_data(getattr(article, "provenance", None), article.lang))

    crumbs = [(settings["SITENAME"], url(""))]
    if category:
        crumbs.append((str(category), url(category.url)))
    crumbs.append((headline, canonical))
    breadcrumbs = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": item}
            for number, (name, item) in enumerate(crumbs, start=1)
        ],
    }
    return {"@context": "https://schema.org", "@graph": [posting, breadcrumbs]}


def json_ld_filter(settings, article):
    return script_safe_json(article_graph(article, settings))


def absolute_url_for(settings):
    """The ``absolute_url`` of the templates of a build with these settings."""
    return partial(absolute_url, settings)


def json_ld_for(settings):
    """The ``json_ld`` filter of a build with these settings."""
    return partial(json_ld_filter, settings)


def register():
    core.register()
    # ``absolute_url`` is also a filter, so a template can map it over a list of paths.
    for add in (templates.add_global, templates.add_filter):
        add(__name__, "absolute_url", absolute_url_for, per_settings=True)
    templates.add_filter(__name__, "json_ld", json_ld_for, per_settings=True)
