"""List up to RELATED_ESSAYS_MAX published essays that share the most tags.

Signals: ``article_generator_finalized``.
Settings (defaults in ``DEFAULTS``): RELATED_ESSAYS_MAX (3).
Attributes added to every essay, translation, draft and hidden essay:
``related_essays``, a list of published original essays, most shared tags
first, then newest first, then in the order they are met (through the essay's
tags in order, each tag's essays in the generator's order); never the essay
itself or one of its translations.  Each essay's tags are counted over an
index by tag, and only the essays that can make the cut are sorted.

The ranking of every essay is one memo entry, keyed by what it reads: each
published essay's source path, tags (by slug, as Pelican compares them) and
date, and each essay's tags and translations.  A build in which no essay's
tags, date or translations changed (an edited body) takes the ranking from
the memo instead of counting tags over the whole site again.

Why not pelican-related-posts: it looks tags up in the generator's
``defaultdict`` for drafts too, which creates empty tags, so a tag used only
by a draft got an empty tag page and a feed whose ``<updated>`` came from the
build clock (breaking reproducible builds); and it breaks ties by dictionary
order rather than by date.
"""

from collections import Counter, defaultdict
from itertools import chain

from plugins import core
from plugins.core import config, essays, pipeline
from plugins.core import memo as memos
from plugins.core.pipeline import Order

DEFAULTS = config.declare(__name__, {"RELATED_ESSAYS_MAX": 3}, prefixes=("RELATED_ESSAYS_",))


class PublishedIndex:
    """The published essays by tag, each with its timestamp computed once.

    Essays are numbered by their place in ``generator.articles``; ``by_tag``
    lists the numbers of the essays carrying a tag, once per time they carry it.
    """

    def __init__(self, articles):
        self.articles = list(articles)
        self.by_tag = defaultdict(list)
        self.by_source = defaultdict(list)
        self.number = {}
        self.newest_first = {}  # number -> sort key: newer essays sort first
        for number, article in enumerate(self.articles):
            self.number[id(article)] = number
            self.by_source[article.source_path].append(number)
            tags = getattr(article, "tags", [])
            for tag in tags:
                self.by_tag[tag].append(number)
            if tags:
                self.newest_first[number] = -article.date.timestamp()


def related(article, index, limit):
    """The published essays sharing most tags with ``article``, ties newest first.

    Ties on both are kept in the order the essays are first met: by the
    article's tags in order, then in the generator's order.
    """
    return [index.articles[number] for number in related_numbers(article, index, limit)]


def related_numbers(article, index, limit):
    """``related``, as the essays' numbers in ``index``."""
    tags = getattr(article, "tags", [])
    shared = Counter(chain.from_iterable(index.by_tag.get(tag, ()) for tag in tags))
    own = [article, *getattr(article, "translations", [])]
    for number in [index.number.get(id(item)) for item in own]:
        shared.pop(number, None)
    for number in index.by_source.get(article.source_path, ()):
        shared.pop(number, None)
    if limit > 0 and len(shared) > limit:
        # Only essays sharing at least as many tags as the limit-th best can rank.
        least = limit_th_largest(shared.values(), limit)
        candidates = [item for item in shared.items() if item[1] >= least]
    else:
        candidates = list(shared.items())
    newest_first = index.newest_first
    candidates.sort(key=lambda item: (-item[1], newest_first[item[0]]))
    return [number for number, _ in candidates[:limit]]


def limit_th_largest(values, limit):
    """The limit-th largest of ``values``, counting repeats (more than limit values)."""
    remaining = limit
    for value, times in sorted(Counter(values).items(), reverse=True):
        remaining -= times
        if remaining <= 0:
            return value
    raise ValueError("fewer values than the limit")


def rank_all(everything, index, limit):
    """The numbers of each essay's related essays, in the order of ``everything``."""
    return [related_numbers(article, index, limit) for article in everything]


def _tag_key(tag):
    # Pelican's tags are equal when their slugs are: by_tag groups them so.
    return (type(tag).__name__, getattr(tag, "slug", tag))


def ranking_inputs(everything, index):
    """Everything ``rank_all`` reads of the essays, as one key part."""
    published = [
        (article.source_path, [_tag_key(tag) for tag in getattr(article, "tags", [])],
         article.date.timestamp() if getattr(article, "tags", []) else None)
        for article in index.articles
    ]  # fmt: skip
    each = [
        (article.source_path, [_tag_key(tag) for tag in getattr(article, "tags", [])],
         [index.number.get(id(item)) for item in [article, *getattr(article, "translations", [])]])
        for article in everything
    ]  # fmt: skip
    return repr((published, each))


def add_related(generator):
    config.apply_defaults(generator.settings)
    index = PublishedIndex(generator.articles)
    limit = generator.settings["RELATED_ESSAYS_MAX"]
    everything = essays.every(generator)
    memo = memos.current()
    if memo.enabled:
        key = memo.key("related essays", limit, ranking_inputs(everything, index))
        ranking = memo.compute(key, rank_all, everything, index, limit)
    else:
        ranking = rank_all(everything, index, limit)
    for article, numbers in zip(everything, ranking, strict=True):
        article.related_essays = [index.articles[number] for number in numbers]


def register():
    core.register()
    # After the essays are read and their statuses known; tags are all it reads.
    pipeline.on("article_generator_finalized", add_related, Order.DERIVED)
