"""Join essays into numbered series.

An essay joins a series with two metadata lines::

    Series: Payments plumbing
    Series_part: 2

Every published essay of the series (in one language) then has
``article.series``, a dict with ``name``, ``part`` (its position, from 1),
``total``, ``parts`` (the published essays in order), ``previous`` and
``next``; the theme shows "Part 2 of 3" and links every part.  Drafts and
hidden essays are never listed, so a published page cannot point at unfinished
work; a draft still sees the series it will join.

Author mistakes are errors naming the file: a ``Series_part`` that is not a
whole number from 1, a series without a part number (or a part without a
series), and two essays claiming the same part.

Signals: ``article_generator_finalized``.
Settings: none.
Attributes added to articles: ``series`` (dict, above) when the essay
declares one.

Why not ``pelican-series`` (3.1.1, works with Pelican 4.12): it puts drafts and
hidden essays into every published part's list and count, orders unnumbered
parts by date silently, keeps series in module globals that outlive a build,
and marks every series ``"lang": "en"``.
"""

import logging
from collections import defaultdict

from plugins import core
from plugins.core import essays, pipeline
from plugins.core.pipeline import Order

logger = logging.getLogger(__name__)


def _line_of(path, key):
    """1-based line of a metadata key in a source file (1 when not found)."""
    try:
        with open(path, encoding="utf-8") as source:
            for number, line in enumerate(source, start=1):
                if line.lower().startswith(f"{key}:"):
                    return number
    except OSError:
        pass
    return 1


def _part_number(article):
    """The declared part as an int, or None after logging the author's mistake."""
    name = article.metadata.get("series")
    raw = article.metadata.get("series_part")
    if name and raw is None:
        logger.error(
            "%s:%s: series %r has no part number — add `Series_part: N` (1 for the first part)",
            article.source_path,
            _line_of(article.source_path, "series"),
            name,
        )
        return None
    if raw is not None and not name:
        logger.error(
            "%s:%s: Series_part without a series — add `Series: <name>` or remove the line",
            article.source_path,
            _line_of(article.source_path, "series_part"),
        )
        return None
    try:
        part = int(str(raw).strip())
    except ValueError:
        part = 0
    if part < 1:
        logger.error(
            "%s:%s: Series_part %r is not a part number — write a whole number from 1",
            article.source_path,
            _line_of(article.source_path, "series_part"),
            raw,
        )
        return None
    return part


def series_groups(articles):
    """{(series name, lang): [(part, article)]} sorted by part; mistakes logged."""
    groups = defaultdict(list)
    for article in articles:
        if "series" not in article.metadata and "series_part" not in article.metadata:
            continue
        part = _part_number(article)
        if part is not None:
            groups[(article.metadata["series"], article.lang)].append((part, article))
    for (name, _lang), members in groups.items():
        members.sort(key=lambda member: (member[0], member[1].source_path))
        seen = {}
        for part, article in members:
            if part in seen:
                logger.error(
                    "%s:%s: part %s of series %r is also %s — give each part its own number",
                    article.source_path,
                    _line_of(article.source_path, "series_part"),
                    part,
                    name,
                    seen[part].source_path,
                )
            else:
                seen[part] = article
    return groups


def series_info(name, published, article):
    """The ``series`` dict for one essay, given the series' published parts."""
    position = published.index(article) if article in published else None
    return {
        "name": name,
        "part": position + 1 if position is not None else None,
        "total": len(published),
        "parts": published,
        "previous": published[position - 1] if position else None,
        "next": (
            published[position + 1]
            if position is not None and position + 1 < len(published)
            else None
        ),
    }


def add_series(generator):
    published = essays.published(generator)
    published_ids = {id(article) for article in published}
    for (name, _lang), members in series_groups(essays.every(generator)).items():
        parts = [article for _part, article in members if id(article) in published_ids]
        for _part, article in members:
            article.series = series_info(name, parts, article)


def register():
    core.register()
    pipeline.on("article_generator_finalized", add_series, Order.DERIVED)
