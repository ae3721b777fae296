"""Record where an essay first appeared, for a note under the byline and for JSON-LD.

Metadata (every key optional; an essay with none has no provenance)::

    Source: Hung Yan whisper (WeChat official account)
    Source_URL: https://…            (only when known)
    Original_Language: zh            (a language code)
    Translator: A. Translator
    Machine_Translated: yes          (yes/no, true/false)

Each essay gets ``article.provenance``: ``None`` without provenance metadata,
otherwise a dict with exactly the keys ``source_name``, ``source_url``,
``original_language``, ``translator`` (strings, or None when not given) and
``machine_translated`` (bool; False unless the metadata says yes).  The theme
renders it as a short note under the byline (``partials/provenance_note.html``);
structured data reads the same dict.

A ``Source_URL`` that is not an http(s) address, a ``Machine_Translated`` that
is not yes/no, or an ``Original_Language`` that is not a language code is an
error naming the file and line.

Called from ``editorial.py``: ``add_provenance`` after the essays are read.

Settings (defaults in ``DEFAULTS``):
  PROVENANCE_LANGUAGE_NAMES  language code -> name shown in the note

Why a project plugin: no Pelican plugin models an essay's first publication;
the keys are fixed here so templates and structured data agree.
"""

import logging
import re

from plugins.core import config, essays

from .common import metadata_lines

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "PROVENANCE_LANGUAGE_NAMES": {
            "zh": "Chinese",
            "zh-hans": "Chinese (simplified)",
            "zh-hant": "Chinese (traditional)",
            "en": "English",
            "ja": "Japanese",
            "ko": "Korean",
            "fr": "French",
            "de": "German",
        },
    },
    prefixes=("PROVENANCE_",),
)

KEYS = {
    "source": "source_name",
    "source_url": "source_url",
    "original_language": "original_language",
    "translator": "translator",
}
TRUE = {"yes", "true", "1", "y"}
FALSE = {"no", "false", "0", "n"}
LANGUAGE_CODE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")


def _text(value):
    if isinstance(value, list):
        value = value[0] if value else ""
    value = str(value).strip() if value is not None else ""
    return value or None


def build_provenance(metadata):
    """Return (provenance dict or None, errors as (metadata key, message))."""
    present = [key for key in (*KEYS, "machine_translated") if metadata.get(key)]
    if not present:
        return None, []
    errors = []
    provenance = {name: _text(metadata.get(key)) for key, name in KEYS.items()}
    url = provenance["source_url"]
    if url and not re.match(r"^https?://[^\s/]+", url):
        errors.append(("source_url", f"{url!r} is not an http(s) address — give the full URL"))
        provenance["source_url"] = None
    language = provenance["original_language"]
    if language and not LANGUAGE_CODE.match(language):
        errors.append(
            (
                "original_language",
                f"{language!r} is not a language code — write one like zh or en",
            )
        )
        provenance["original_language"] = None
    flag = (_text(metadata.get("machine_translated")) or "no").lower()
    if flag not in TRUE | FALSE:
        errors.append(("machine_translated", f"{flag!r} is not yes or no — write yes or no"))
    provenance["machine_translated"] = flag in TRUE
    return provenance, errors


def add_provenance(generator):
    for article in essays.every(generator):
        provenance, errors = build_provenance(article.metadata)
        for key, message in errors:
            line = (metadata_lines(article.source_path, key) or [1])[0]
            logger.error("%s:%s: %s", article.source_path, line, message)
        article.provenance = provenance
