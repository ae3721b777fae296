"""What plugins give the theme's templates: filters and globals, declared, installed once.

A plugin declares its template functions where it defines them::

    templates.add_filter(__name__, "sidenotes", sidenotes)
    templates.add_global(__name__, "absolute_url", absolute_url_for, per_settings=True)

(a value that depends on the settings is given as a function of them).  The
core puts the functions of the plugins in the build into every generator's
Jinja environment in one step (``generator_init``), so no plugin touches
Pelican's environments itself, and two plugins declaring one name is an
error at start rather than whichever came last in ``PLUGINS``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import jinja2

from .pipeline import owner_of_module, takes_part


@dataclass(frozen=True)
class Declared:
    owner: str
    kind: str  # "filters" or "globals"
    name: str
    value: object
    per_settings: bool  # value(settings) gives the function


_DECLARED: dict[tuple[str, str], Declared] = {}


def _declare(module_name, kind, name, value, per_settings):
    owner = owner_of_module(module_name)
    found = _DECLARED.get((kind, name))
    if found is not None and found.owner != owner:
        raise ValueError(
            f"{owner} and {found.owner} both declare the template {kind[:-1]} {name!r}"
        )
    _DECLARED[(kind, name)] = Declared(owner, kind, name, value, per_settings)


def add_filter(module_name, name, function, *, per_settings=False):
    """Declare a Jinja filter of the plugin whose module is ``module_name``."""
    _declare(module_name, "filters", name, function, per_settings)


def add_global(module_name, name, value, *, per_settings=False):
    """Declare a Jinja global of the plugin whose module is ``module_name``."""
    _declare(module_name, "globals", name, value, per_settings)


def install(generator, plugins=None):
    """generator_init: the declared filters and globals of the build's plugins."""
    env = getattr(generator, "env", None)
    if env is None:
        return
    for declared in _DECLARED.values():
        if takes_part(declared.owner, plugins):
            value = declared.value(generator.settings) if declared.per_settings else declared.value
            getattr(env, declared.kind)[declared.name] = value


def keep_compiled(settings, folder):
    """Have Pelican's template environments keep compiled templates in
    ``folder`` between builds (Jinja's ``FileSystemBytecodeCache``, given
    through Pelican's ``JINJA_ENVIRONMENT``): every build compiled the
    theme's 70 templates again, a third of a second of a rebuild's.

    A compiled template is only valid for the environment options it was
    compiled with (extensions, delimiters), so the folder is named by those
    options and Jinja's version; Jinja itself checks each template's source
    and the Python version.  A cache given in the settings is left alone.
    """
    options = dict(settings.get("JINJA_ENVIRONMENT") or {})
    if "bytecode_cache" in options:
        return
    described = json.dumps(
        [jinja2.__version__, {key: repr(value) for key, value in sorted(options.items())}]
    )
    name = "templates-" + hashlib.sha256(described.encode()).hexdigest()[:16]
    directory = os.path.join(os.fspath(folder), name)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return  # no folder for them (the memo's is unusable): templates are compiled
    options["bytecode_cache"] = jinja2.FileSystemBytecodeCache(directory)
    settings["JINJA_ENVIRONMENT"] = options
