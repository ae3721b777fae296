"""Interface text in each page's language: gettext catalogs, dates and numbers.

Every word of the theme's furniture ("By", "Contents", "Previous essay") and
of the markup plugins write around an essay ("Terms in this essay", "Note")
goes through gettext, as Pelican's i18n plugins do it: one catalog a
language, ``theme/translations/<lang>/LC_MESSAGES/messages.po``, which
``make translations`` extracts from the templates and plugins and updates.

Catalogs are compiled when the build reads them, in memory, with Babel
(``read_po`` then ``write_mo``): no compiled ``.mo`` is committed, so none
can go stale against its ``.po`` or differ from one machine to the next, and
the output depends on the ``.po`` text alone.  Compiling one costs about a
millisecond; each is kept for the process by its bytes, so the preview
picks up an edited catalog on its next build.

Which catalog a page gets is the page's language: the essay's or page's
``lang``, or ``DEFAULT_LANG`` for listings.  So a Chinese essay on an
English site has Chinese furniture, and ``DEFAULT_LANG = "zh"`` makes every
listing Chinese.  A language without a catalog gets the English text.

Templates get, through the core's template service (Jinja's
``jinja2.ext.i18n`` extension is switched on by ``JINJA_ENVIRONMENT``, and
reads ``gettext`` and ``ngettext`` from the template globals):

- ``gettext``/``ngettext`` (``{{ _("…") }}``, ``{% trans %}``) and
  ``page_lang()``: the language of the page being rendered;
- the filters ``local_date`` (``2026年11月28日``, ``28 November 2026``),
  ``local_month`` (``2026年11月``), ``local_number`` (``1,129``),
  ``language_name`` (``zh`` is "Chinese" on an English page, "中文" on a
  Chinese one) and
  ``text_lang`` (the language a piece of metadata is written in, to mark it
  with ``lang`` where it differs from the page's).

Plugins call ``translator(settings, lang)`` for text they write into an
essay, in the essay's language.

Settings (defaults in ``DEFAULTS``):
  INTERFACE_TRANSLATIONS_PATH  folder of the catalogs (None: <THEME>/translations)
  INTERFACE_DOMAIN             catalog name ("messages")
  INTERFACE_LOCALES            language code -> Babel locale for dates and
                               numbers ({"en": "en_GB", "zh": "zh_Hans_CN"})

Why not pelican-i18n-subsites: it builds a whole site per language and
installs gettext on Pelican's environments itself; here one site carries
both languages and the catalog follows each page.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import os
import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.runtime import Undefined

from . import config, templates

DEFAULTS = config.declare(
    __name__,
    {
        "INTERFACE_TRANSLATIONS_PATH": None,
        "INTERFACE_DOMAIN": "messages",
        "INTERFACE_LOCALES": {"en": "en_GB", "zh": "zh_Hans_CN"},
    },
    prefixes=("INTERFACE_",),
)

# Han (with extension A and compatibility ideographs), kana and Hangul.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def translations_folder(settings):
    return settings.get("INTERFACE_TRANSLATIONS_PATH") or os.path.join(
        settings["THEME"], "translations"
    )


@lru_cache(maxsize=32)
def _compiled(po_bytes, locale):
    """The catalog of a .po file's bytes, compiled in memory."""
    catalog = read_po(io.BytesIO(po_bytes), locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def _catalog_file(settings, lang):
    folder = translations_folder(settings)
    domain = settings.get("INTERFACE_DOMAIN", "messages")
    for name in dict.fromkeys((lang, lang.replace("-", "_"), lang.split("-")[0])):
        path = os.path.join(folder, name, "LC_MESSAGES", f"{domain}.po")
        if os.path.isfile(path):
            return path, name
    return None, None


@lru_cache(maxsize=32)
def _catalog(path, name, _mtime_ns, _size):
    with open(path, "rb") as handle:
        return _compiled(handle.read(), name)


def translator(settings, lang):
    """A gettext translations object for ``lang``; English text when it has no catalog.

    The .po file is read again only when it changes (by its modification
    time and size), so a long-lived preview sees an edited catalog.
    """
    path, name = _catalog_file(settings, str(lang or settings["DEFAULT_LANG"]))
    if path is None:
        return gettext_module.NullTranslations()
    stat = os.stat(path)
    return _catalog(path, name, stat.st_mtime_ns, stat.st_size)


def _translators(settings):
    """translator(settings, lang), looked up once a language for one build."""
    found = {}

    def for_lang(lang):
        if lang not in found:
            found[lang] = translator(settings, lang)
        return found[lang]

    return for_lang


def babel_locale(settings, lang):
    code = settings.get("INTERFACE_LOCALES", {}).get(lang) or str(lang).replace("-", "_")
    try:
        return Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(settings.get("INTERFACE_LOCALES", {}).get("en", "en_GB"))


# The page being rendered ---------------------------------------------------------


def _lang_of(item):
    lang = getattr(item, "lang", None) if not isinstance(item, Undefined) else None
    return lang if isinstance(lang, str) and lang else None


def lang_of_context(context):
    """The language of the page a template renders: its essay's or page's, else the site's."""
    for name in ("article", "page"):
        lang = _lang_of(context.get(name))
        if lang:
            return lang
    return context.get("DEFAULT_LANG") or "en"


def text_lang(text, default=None):
    """The language a short text (a tag, a name) is written in: "zh" when it
    has CJK characters, "en" when it has Latin letters, else ``default``."""
    text = str(text)
    if CJK.search(text):
        return "zh"
    if LATIN.search(text):
        return "en"
    return default


# Template functions, one set per build's settings ------------------------------


def _gettext_for(settings):
    for_lang = _translators(settings)

    @pass_context
    def gettext(context, message):
        return for_lang(lang_of_context(context)).gettext(message)

    return gettext


def _ngettext_for(settings):
    for_lang = _translators(settings)

    @pass_context
    def ngettext(context, singular, plural, number):
        return for_lang(lang_of_context(context)).ngettext(singular, plural, number)

    return ngettext


def _page_lang_for(settings):
    @pass_context
    def page_lang(context):
        return lang_of_context(context)

    return page_lang


def _local_date_for(settings):
    @pass_context
    def local_date(context, value, lang=None):
        """A date as the page's language writes it in full: 2026年11月28日."""
        locale = babel_locale(settings, lang or lang_of_context(context))
        return format_date(value, format="long", locale=locale)

    return local_date


def _local_month_for(settings):
    @pass_context
    def local_month(context, value, lang=None):
        """A month and year: November 2026, 2026年11月."""
        locale = babel_locale(settings, lang or lang_of_context(context))
        return format_skeleton("yMMMM", value, locale=locale)

    return local_month


def _language_name_for(settings):
    @pass_context
    def language_name(context, code, lang=None):
        """A language's name in the page's language: Chinese, 中文."""
        locale = babel_locale(settings, lang or lang_of_context(context))
        try:
            name = Locale.parse(str(code).replace("-", "_")).get_display_name(locale)
        except (ValueError, UnknownLocaleError):
            return code
        return name or code

    return language_name


def _local_number_for(settings):
    @pass_context
    def local_number(context, value, lang=None):
        locale = babel_locale(settings, lang or lang_of_context(context))
        return format_decimal(value, locale=locale)

    return local_number


for _name, _factory in (
    ("gettext", _gettext_for),
    ("ngettext", _ngettext_for),
    ("page_lang", _page_lang_for),
):
    templates.add_global(__name__, _name, _factory, per_settings=True)
for _name, _factory in (
    ("local_date", _local_date_for),
    ("local_month", _local_month_for),
    ("local_number", _local_number_for),
    ("language_name", _language_name_for),
):
    templates.add_filter(__name__, _name, _factory, per_settings=True)
templates.add_filter(__name__, "text_lang", text_lang)
