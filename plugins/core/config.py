"""Every plugin's settings, declared once with their defaults, and checked at start.

A feature declares its settings where it is defined, with their defaults and
the prefix its names share::

    DEFAULTS = config.declare(__name__, {"SIDENOTES_ENABLED": True}, prefixes=("SIDENOTES_",))

When a build starts (``pipeline`` runs ``apply_and_check`` before any other
work) the defaults of the plugins in this build's ``PLUGINS`` are applied
with ``setdefault``, never by changing Pelican's ``DEFAULT_CONFIG``, and the
settings are checked: a name that starts with a declared prefix but is not
declared (``BUILD_CACHE_WORKER`` for ``…_WORKERS``), or that is one or two
letters off a declared name, stops the build with the name, the closest
declared setting and its plugin.  pelican-plugins/sitemap's ``_check_config``
does the same for its one dict; mkdocs-material's ``config.py`` files type
every option with its default.  Pelican's own settings and the site's own
(``METADATA_KEYS``, ``LANGUAGE_NAMES``) are not plugin settings and are left
to Pelican and the theme, unless they look like a misspelt plugin setting.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from pelican.settings import DEFAULT_CONFIG

from .pipeline import owner_of_module, takes_part


@dataclass(frozen=True)
class Declaration:
    owner: str  # the plugin package, as PLUGINS names it: "plugins.sidenotes"
    defaults: MappingProxyType
    prefixes: tuple[str, ...]
    reads: frozenset[str]  # settings the plugin reads that it does not own


_DECLARED: dict[str, Declaration] = {}
# How close a name must be to a declared one to be taken for a misspelling of
# it (difflib's ratio): "SIDENOTE_ENABLED" for "SIDENOTES_ENABLED" is 0.97.
CLOSE = 0.88


def declare(module_name, defaults, *, prefixes=(), reads=()):
    """Declare a plugin's settings (call it with the module's ``__name__``);
    returns its defaults, read-only."""
    owner = owner_of_module(module_name)
    frozen = MappingProxyType(dict(defaults))
    _DECLARED[module_name] = Declaration(owner, frozen, tuple(prefixes), frozenset(reads))
    return frozen


def declared(plugins=None):
    """The declarations of the plugins named (all when None), by module."""
    return [d for _, d in sorted(_DECLARED.items()) if takes_part(d.owner, plugins)]


def plugin_folders(settings):
    """The folders of the plugin packages PLUGINS names under PLUGIN_PATHS
    (``plugins/`` for ``plugins.sidenotes``), not the PLUGIN_PATHS themselves,
    which may hold the whole project."""
    found = []
    for base in settings.get("PLUGIN_PATHS") or []:
        for name in settings.get("PLUGINS") or []:
            folder = Path(base, *str(name).split(".")[:1])
            if isinstance(name, str) and folder.is_dir() and folder not in found:
                found.append(folder)
    return found


def apply_defaults(settings, plugins=None):
    for declaration in declared(plugins):
        for key, value in declaration.defaults.items():
            settings.setdefault(key, value)


def problems(settings, plugins=None):
    """One message for each setting that looks like a misspelt plugin setting."""
    declarations = declared(plugins)
    known = {name: d.owner for d in declarations for name in (*d.defaults, *d.reads)}
    found = []
    for key in sorted(settings):
        if key in known or key in DEFAULT_CONFIG or not key.isupper():
            continue
        owner, prefix = next(
            ((d.owner, p) for d in declarations for p in d.prefixes if key.startswith(p)),
            (None, None),
        )
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=CLOSE)
        if close:
            found.append(
                f"setting {key!r} is not a setting of any plugin — did you mean {close[0]!r} "
                f"({known[close[0]]})? Correct its name in the settings file"
            )
        elif owner:
            names = ", ".join(sorted(n for n in known if n.startswith(prefix)))
            found.append(
                f"setting {key!r} is not one of {owner}'s settings ({names}) — correct its "
                "name in the settings file, or remove it"
            )
    return found
