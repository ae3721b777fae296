"""Give every original its plain URL, whatever its language; only translations
carry the language in theirs.

Pelican picks ``*_LANG_URL``/``*_LANG_SAVE_AS`` for anything not in
DEFAULT_LANG, so a Chinese essay with no translation would live at
``/essays/<slug>/zh/``, and an English translation of a Chinese original would
take the plain ``/essays/<slug>/`` and collide with it. Here the rule is the
one readers can guess: ``/essays/<slug>/`` is the essay as written, in its own
language; ``/essays/<slug>/<lang>/`` is a translation of it.

Signals: ``article_generator_pretaxonomy`` (originals and translations of
essays, hidden essays and drafts are known, nothing has used a URL yet) and
``page_generator_finalized`` (the same for pages).
Settings: none of its own; reads ARTICLE_URL/SAVE_AS, DRAFT_URL/SAVE_AS,
PAGE_URL/SAVE_AS, DRAFT_PAGE_URL/SAVE_AS and their ``_LANG_`` forms.
Attributes: sets ``override_url`` and ``override_save_as`` where the language
rule and Pelican's differ (Pelican reads them before its own patterns).
``plain_or_lang_key`` is shared with the content checks, which predict output
paths the same way.

Why a project plugin: Pelican has no setting for "language in the URL only for
translations", and i18n_subsites builds a whole site per language.
"""

from pelican import signals

_KIND_PREFIX = {
    ("article", "published"): "ARTICLE",
    ("article", "hidden"): "ARTICLE",
    ("article", "draft"): "DRAFT",
    ("page", "published"): "PAGE",
    ("page", "hidden"): "PAGE",
    ("page", "draft"): "DRAFT_PAGE",
}


def plain_or_lang_key(kind, status, is_translation, what="SAVE_AS"):
    """The setting holding the URL or save_as pattern for such an item."""
    prefix = _KIND_PREFIX.get((kind, status), "ARTICLE" if kind == "article" else "PAGE")
    return f"{prefix}_LANG_{what}" if is_translation else f"{prefix}_{what}"


def place(item, kind, is_translation, settings):
    # Metadata save_as/url (pages that name their own path) always wins.
    if "save_as" in item.metadata or "url" in item.metadata:
        return
    if item.in_default_lang != is_translation:
        return  # Pelican's own choice already follows the rule
    status = getattr(item, "status", "published")
    for what in ("URL", "SAVE_AS"):
        pattern = settings.get(plain_or_lang_key(kind, status, is_translation, what))
        if pattern:
            setattr(item, f"override_{what.lower()}", pattern.format(**item.url_format))


def place_all(generator, kind, pairs):
    for originals, translations in pairs:
        for item in originals:
            place(item, kind, False, generator.settings)
        for item in translations:
            place(item, kind, True, generator.settings)


def place_articles(generator):
    place_all(
        generator,
        "article",
        [
            (generator.articles, generator.translations),
            (generator.hidden_articles, generator.hidden_translations),
            (generator.drafts, generator.drafts_translations),
        ],
    )


def place_pages(generator):
    place_all(
        generator,
        "page",
        [
            (generator.pages, generator.translations),
            (generator.hidden_pages, generator.hidden_translations),
            (generator.draft_pages, generator.draft_translations),
        ],
    )


def register():
    signals.article_generator_pretaxonomy.connect(place_articles)
    signals.page_generator_finalized.connect(place_pages)
