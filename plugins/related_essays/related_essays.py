"""List up to RELATED_ESSAYS_MAX published essays that share the most tags.

Signals: ``initialized`` (defaults) and ``article_generator_finalized``.
Settings (defaults in ``DEFAULTS``): RELATED_ESSAYS_MAX (3).
Attributes added to every essay, translation, draft and hidden essay:
``related_essays``, a list of published original essays, most shared tags
first, then newest first; never the essay itself or one of its translations.

Why not pelican-related-posts: it looks tags up in the generator's
``defaultdict`` for drafts too, which creates empty tags, so a tag used only
by a draft got an empty tag page and a feed whose ``<updated>`` came from the
build clock (breaking reproducible builds); and it breaks ties by dictionary
order rather than by date.
"""

from collections import Counter, defaultdict
from itertools import chain

from pelican import signals

DEFAULTS = {"RELATED_ESSAYS_MAX": 3}


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)


def initialized(pelican):
    apply_defaults(pelican.settings)


def related(article, by_tag, limit):
    """The published essays sharing most tags with ``article``, ties newest first."""
    own = {id(article), *(id(t) for t in getattr(article, "translations", []))}
    scores = Counter(
        other
        for tag in getattr(article, "tags", [])
        for other in by_tag.get(tag, ())
        if id(other) not in own and other.source_path != article.source_path
    )
    ranked = sorted(scores.items(), key=lambda item: (-item[1], -item[0].date.timestamp()))
    return [other for other, _ in ranked[:limit]]


def add_related(generator):
    apply_defaults(generator.settings)
    by_tag = defaultdict(list)
    for article in generator.articles:
        for tag in getattr(article, "tags", []):
            by_tag[tag].append(article)
    limit = generator.settings["RELATED_ESSAYS_MAX"]
    for article in chain(
        generator.articles,
        generator.translations,
        getattr(generator, "drafts", []),
        getattr(generator, "drafts_translations", []),
        getattr(generator, "hidden_articles", []),
        getattr(generator, "hidden_translations", []),
    ):
        article.related_essays = related(article, by_tag, limit)


def register():
    signals.initialized.connect(initialized)
    signals.article_generator_finalized.connect(add_related)
