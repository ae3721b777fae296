"""The site's additions to Markdown, as one Python-Markdown extension.

- ``formulas``     TeX between ``$…$``, ``$$…$$``, ``\\(…\\)`` and ``\\[…\\]``
                   becomes MathML, with no script (see ``formulas.py``);
- ``tables``       table columns aligned with ``|--:|`` get a class instead of
                   the ``style`` attribute the Content-Security-Policy drops;
- ``code_blocks``  every ``<pre>`` gets ``tabindex="0"``, so a keyboard can
                   scroll a long line of code (see ``code_blocks.py``).

The extension is named in ``MARKDOWN["extension_configs"]``
(``"plugins.markup": {}``), so the site's reader (``plugins/core/reading.py``)
applies it while it reads each essay, before typography, and its result is
kept in the reader's memo.  As a Pelican plugin, ``register`` only checks at
start that the extension is configured and that typography skips ``math``.

Signals: ``initialized`` (the settings check).  Settings read: ``MARKDOWN``,
``TYPOGRAPHY``, ``TYPOGRIFY_IGNORE_TAGS``.  Attributes added: none.
"""

from __future__ import annotations

from markdown.extensions import Extension

from plugins import core
from plugins.core import pipeline
from plugins.core.errors import stop
from plugins.core.pipeline import Order

from . import code_blocks, formulas, tables

EXTENSION = "plugins.markup"


class SiteMarkup(Extension):
    def extendMarkdown(self, md):
        md.registerExtension(self)
        formulas.extend(md)
        tables.extend(md)
        code_blocks.extend(md)


def makeExtension(**kwargs):
    return SiteMarkup(**kwargs)


def check_settings(pelican):
    """The extension is configured, and typography leaves its formulas alone."""
    settings = pelican.settings
    markdown = settings.get("MARKDOWN") or {}
    named = [*(markdown.get("extensions") or []), *(markdown.get("extension_configs") or {})]
    problems = []
    if not any(str(name) == EXTENSION or str(name).startswith(EXTENSION + ".") for name in named):
        problems.append(
            f"the markup plugin is in PLUGINS but MARKDOWN does not use its extension, so "
            f'formulas would stay raw TeX — add "{EXTENSION}": {{}} to '
            'MARKDOWN["extension_configs"] in the settings'
        )
    if settings.get("TYPOGRAPHY") and "math" not in (settings.get("TYPOGRIFY_IGNORE_TAGS") or []):
        problems.append(
            "setting 'TYPOGRIFY_IGNORE_TAGS' lacks \"math\": typogrify would put <span> "
            'elements inside formulas — add "math" to it'
        )
    if problems:
        stop(problems, "setting problem")


def register():
    core.register()
    # With the settings check (Order.SETTINGS): before anything is read.
    pipeline.on("initialized", check_settings, Order.SETTINGS)
