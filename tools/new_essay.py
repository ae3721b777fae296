"""Start a new essay: ``make new TITLE="…" [LANG=zh]``.

Writes ``content/essays/<slug>.md`` with every required key filled in (the
date is now in the site's time zone, the status is draft), refuses to
overwrite an existing file, and prints the path and where the preview shows it.

Slugs are ASCII, made by the site's one slug rule (``plugins.core.urls``,
which the content checks use too): Chinese titles are spelt in Hanyu Pinyin,
word by word (银行 is ``yin-hang``).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from plugins.core.urls import make_slug

PLACEHOLDER_SUMMARY = "One or two sentences for listings, feeds and search, taken from the essay."
PLACEHOLDER_BODY = "Write the essay here. Remove the Status line to publish it.\n"


def essay_text(title, *, slug, lang, author, category, now):
    return (
        f"Title: {title}\n"
        f"Date: {now:%Y-%m-%d %H:%M}\n"
        f"Author: {author}\n"
        f"Category: {category}\n"
        "Tags:\n"
        f"Slug: {slug}\n"
        f"Lang: {lang}\n"
        "Status: draft\n"
        f"Summary: {PLACEHOLDER_SUMMARY}\n"
        "\n"
        f"{PLACEHOLDER_BODY}"
    )


def create_essay(title, lang, settings, now=None) -> Path:
    """Write the new essay and return its path; raise ValueError for a bad request."""
    title = " ".join(title.split())
    if not title:
        raise ValueError('give a title: make new TITLE="The title"')
    languages = settings.get("CONTENT_GUARD_LANGUAGES", ["en", "zh"])
    if lang not in languages:
        raise ValueError(f"LANG={lang} is not one of {', '.join(languages)}")
    slug = make_slug(title)
    if not slug:
        raise ValueError(f"cannot make a URL slug from {title!r}: use some letters or digits")
    folder = Path(settings["PATH"]) / settings["ARTICLE_PATHS"][0]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{slug}.md"
    now = now or datetime.datetime.now(ZoneInfo(settings["TIMEZONE"]))
    text = essay_text(
        title,
        slug=slug,
        lang=lang,
        author=settings.get("AUTHOR") or "Author",
        category=settings["DEFAULT_CATEGORY"],
        now=now,
    )
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise ValueError(
            f"{os.path.relpath(path)} already exists: edit it, or choose another title"
        ) from None
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make new", description=__doc__.splitlines()[0])
    parser.add_argument("title", nargs="?", default=os.environ.get("TITLE", ""))
    parser.add_argument("--lang", default="en")
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    args = parser.parse_args(argv)

    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(args.settings)
    try:
        path = create_essay(args.title, args.lang, settings)
    except ValueError as error:
        print(f"make new: {error}", file=sys.stderr)
        return 1
    # A new essay is an original: plain URL in any language (language_urls).
    url = settings["DRAFT_URL"].format(slug=path.stem, lang=args.lang)
    print(os.path.relpath(path))
    print(f"A draft: `make serve`, then open http://127.0.0.1:8000/{url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
