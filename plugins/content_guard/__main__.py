"""`make check`: run the content checks alone, without building the site.

    python -m plugins.content_guard [-s pelicanconf.py] [content]

Prints every problem as ``path:line: what is wrong — how to fix it`` and exits
1 when there is any, 0 otherwise.  The plugins are loaded as a build loads
them, so misspelt settings are reported too, and files are read through the
build's memo: a check after a build reads nothing again, and a build after a
check neither.
"""

import argparse
import sys

from pelican.plugins._utils import get_plugin_name, load_plugins
from pelican.settings import read_settings

from plugins import core
from plugins.core import config

from .content_guard import check_site


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make check", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    override = {"PATH": args.path} if args.path else {}
    settings = read_settings(args.settings, override=override)
    plugins = load_plugins(settings)
    for plugin in plugins:
        plugin.register()
    names = [get_plugin_name(plugin) for plugin in plugins]
    config.apply_defaults(settings, names)
    problems = config.problems(settings, names)
    with core.services(settings):
        found, count = check_site(settings)
    problems += [str(problem) for problem in found]
    for problem in problems:
        print(problem, file=sys.stderr)
    files = f"{count} file{'s' if count != 1 else ''}"
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} ({files} checked).", file=sys.stderr)
        return 1
    print(f"{files} checked: no problems.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
