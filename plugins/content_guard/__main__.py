"""`make check`: run the content checks alone, without building the site.

    python -m plugins.content_guard [-s pelicanconf.py] [content]

Prints every problem as ``path:line: what is wrong — how to fix it`` and exits
1 when there is any, 0 otherwise.
"""

import argparse
import sys

from pelican.settings import read_settings

from .content_guard import apply_defaults, check_site


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make check", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="content folder (default: PATH in the settings)")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)
    override = {"PATH": args.path} if args.path else {}
    settings = read_settings(args.settings, override=override)
    apply_defaults(settings)
    problems, count = check_site(settings)
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
