"""Keep typogrify's Latin-only rules away from Chinese, Japanese and Korean text.

typogrify runs on every essay.  On Chinese text its smartypants step decides
whether a straight quote opens or closes by the character before it, and after
CJK punctuation (a full-width colon, say) it guesses wrong and turns both
quotes of ``"好"`` into closing quotes.  ``widont`` glues the last two space-separated "words" of a
paragraph, which in Chinese is a whole clause, and ``caps`` sets Latin
acronyms in small caps, a Latin convention.  Chinese authors type their own
punctuation (“”, ——, ……), so CJK essays are left as written.

How: a subclass of whatever reader each Markdown/HTML extension already uses
(so ``safe_metadata`` keeps working) wraps the body, title and summary of an
essay whose ``Lang`` is CJK in ``<bz-verbatim>``, a tag added to
``TYPOGRIFY_IGNORE_TAGS``, and the wrapper is removed again on
``content_object_init``, before anything else sees the content.

Signals: ``initialized`` (defaults, registers the ignore tag), ``readers_init``
(wraps the readers) and ``content_object_init`` (removes the wrapper).

Settings (defaults in ``DEFAULTS``):
  CJK_TYPOGRAPHY_LANGS   language codes (and their regional forms, zh-TW …)
                         left as written: ["zh", "ja", "ko"]

Attributes: none added.

Why not a setting: Pelican's ``TYPOGRIFY`` and ``TYPOGRIFY_OMIT_FILTERS`` apply
to every file alike; no maintained plugin switches typogrify per language.
"""

import logging

from pelican import signals

logger = logging.getLogger(__name__)

DEFAULTS = {"CJK_TYPOGRAPHY_LANGS": ["zh", "ja", "ko"]}
TAG = "bz-verbatim"
OPEN, CLOSE = f"<{TAG}>", f"</{TAG}>"


def is_cjk(lang, langs):
    lang = (lang or "").lower()
    return any(lang == code or lang.startswith(code + "-") for code in langs)


def wrap(text):
    return f"{OPEN}{text}{CLOSE}" if isinstance(text, str) and text else text


def unwrap(text):
    if isinstance(text, str) and text.startswith(OPEN) and text.endswith(CLOSE):
        return text[len(OPEN) : -len(CLOSE)]
    return text


def apply_defaults(settings):
    for key, value in DEFAULTS.items():
        settings.setdefault(key, value)
    ignore = list(settings.get("TYPOGRIFY_IGNORE_TAGS", []))
    if TAG not in ignore:
        settings["TYPOGRIFY_IGNORE_TAGS"] = [*ignore, TAG]


def initialized(pelican):
    apply_defaults(pelican.settings)


def _verbatim_reader(base):
    class CJKVerbatimReader(base):
        """``base`` that marks CJK essays for typogrify to leave alone."""

        def read(self, source_path):
            content, metadata = super().read(source_path)
            if self.settings.get("TYPOGRIFY") and is_cjk(
                metadata.get("lang"), self.settings["CJK_TYPOGRAPHY_LANGS"]
            ):
                content = wrap(content)
                for key in ("title", "summary"):
                    if key in metadata:
                        metadata[key] = wrap(metadata[key])
            return content, metadata

    CJKVerbatimReader.__name__ = base.__name__
    CJKVerbatimReader.__qualname__ = base.__qualname__
    return CJKVerbatimReader


def wrap_readers(readers):
    apply_defaults(readers.settings)
    wrapped = {}
    for ext, cls in list(readers.reader_classes.items()):
        if cls is None or ext not in ("md", "markdown", "mkd", "mdown", "html", "htm"):
            continue
        if cls not in wrapped:
            wrapped[cls] = _verbatim_reader(cls)
        readers.reader_classes[ext] = wrapped[cls]


def unwrap_content(instance):
    instance._content = unwrap(instance._content)
    for key in ("title", "summary"):
        if key in instance.metadata:
            instance.metadata[key] = unwrap(instance.metadata[key])
    if hasattr(instance, "title"):
        instance.title = unwrap(instance.title)
    if hasattr(instance, "_summary"):
        instance._summary = unwrap(instance._summary)


def register():
    signals.initialized.connect(initialized)
    signals.readers_init.connect(wrap_readers)
    signals.content_object_init.connect(unwrap_content)
