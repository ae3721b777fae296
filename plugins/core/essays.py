"""The site's essays and pages as every plugin walks them, and their absolute URLs.

One definition of "every essay": what Pelican's generators keep in six
lists, in one order, so no plugin forgets the hidden ones or the drafts'
translations.
"""

from __future__ import annotations

import re

SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def every(generator):
    """Every essay the build renders: published, hidden and drafts, with translations."""
    return [
        *generator.articles,
        *generator.translations,
        *getattr(generator, "hidden_articles", []),
        *getattr(generator, "hidden_translations", []),
        *getattr(generator, "drafts", []),
        *getattr(generator, "drafts_translations", []),
    ]


def published(generator):
    """The essays listings show: published ones and their translations."""
    return [*generator.articles, *generator.translations]


def every_page(generator):
    """Every page (About, Glossary…) the build renders, with translations."""
    return [
        *generator.pages,
        *generator.translations,
        *getattr(generator, "hidden_pages", []),
        *getattr(generator, "hidden_translations", []),
        *getattr(generator, "draft_pages", []),
        *getattr(generator, "draft_translations", []),
    ]


def absolute_url(base, path=""):
    """``base`` (SITEURL or FEED_DOMAIN) joined with a site-relative path;
    a path that is already a full URL is returned as it is."""
    path = str(path)
    if SCHEME.match(path):
        return path
    return f"{str(base).rstrip('/')}/{path.lstrip('/')}"
