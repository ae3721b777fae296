"""The checks across files, on the content objects Pelican makes of them.

Each essay and page is made into Pelican's own ``Article`` or ``Page`` by
Pelican's ``Readers.read_file`` (through the site's reader, so from the
memo), grouped into originals and translations by Pelican's
``process_translations`` and placed by the site's URL rule
(``plugins.core.urls``), exactly as the build will; so the output paths and
slugs compared here are the build's.  Links are resolved by Pelican itself:
each object's content is rendered with Pelican's link replacement against
every source and static file of the site, and a ``{filename}``, ``{static}``
or ``{attach}`` link still in the result is one Pelican could not resolve,
whatever spaces, parentheses or percent-encoding its path has.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from pelican.contents import Article, Page
from pelican.generators import Generator
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import process_translations

from plugins.core import urls

from . import links
from .source import Problem, pelican_quiet

KINDS = {"essay": ("article", Article, "ARTICLE_TRANSLATION_ID"),
         "page": ("page", Page, "PAGE_TRANSLATION_ID")}  # fmt: skip


class SourceFinder(Generator):
    """Pelican's own discovery of the files a generator reads (``get_files``),
    without the rest of a generator: no templates, no signals."""

    def __init__(self, settings, readers):
        self.settings = settings
        self.path = settings["PATH"]
        self.readers = readers


class _StaticFile:
    """A file a link may point at; Pelican asks it for its URL."""

    def __init__(self, url):
        self.url = url

    def attach_to(self, content):
        pass


def static_files(settings, sources):
    """Every file under the content folder that is not an essay or page."""
    root = Path(settings["PATH"])
    found = {}
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = Path(folder, name)
            if path not in sources:
                relative = path.relative_to(root).as_posix()
                found[relative] = _StaticFile(relative)
    return found


def place(objects, settings):
    """Pelican's grouping into originals and translations, by kind and status
    as the generators group them, then the site's URL rule; the addresses."""
    by_group = {}
    for source, item in objects:
        status = getattr(item, "status", "published") or "published"
        by_group.setdefault((source.kind, status), []).append(item)
    translated = set()
    for (kind, _status), items in by_group.items():
        name, _, id_setting = KINDS[kind]
        with pelican_quiet():  # what it warns of, the checks say with the line
            originals, translations = process_translations(
                items, translation_id=settings.get(id_setting, "slug")
            )
        urls.place_all(name, [(originals, translations)], settings)
        translated |= {id(item) for item in translations}
    return Addresses(objects)


class Addresses:
    """Each placed object's URL and output path, asked of Pelican once: it
    formats them from the settings every time they are asked for."""

    def __init__(self, objects):
        self.by_id = {id(item): (item.url, item.save_as) for _, item in objects}

    def url(self, item):
        return self.by_id[id(item)][0]

    def save_as(self, item):
        return self.by_id[id(item)][1]


def reserved_outputs(settings):
    reserved = {}
    for template in settings.get("DIRECT_TEMPLATES", []):
        save_as = settings.get(f"{template.upper()}_SAVE_AS", f"{template}.html")
        if save_as:
            reserved[save_as] = f"the {template} listing"
    if settings.get("INDEX_SAVE_AS"):
        reserved[settings["INDEX_SAVE_AS"]] = "the index listing"
    return reserved


def _slug_line(source):
    return source.line_of_key("slug", source.line_of_key("title"))


def check_uniqueness(objects, settings, problems, addresses):
    """Each (slug, language) and each output path belongs to one file only
    (``addresses``: what ``place`` returned).

    Every file of a clash gets its own message naming the others."""
    reserved = reserved_outputs(settings)
    by_slug = {}
    for source, item in objects:
        if getattr(item, "slug", ""):
            by_slug.setdefault((item.slug, item.lang), []).append((source, item))
    by_output = {}
    for (slug, _), group in by_slug.items():
        for source, item in group:
            others = [o.shown for o, _ in group if o is not source]
            if others:
                problems.append(
                    Problem(
                        source.shown,
                        _slug_line(source),
                        f"slug {slug!r} is also used by {', '.join(others)}",
                        "give one of them a different 'Slug:' (never change a published one)",
                    )
                )
            output = addresses.save_as(item)
            if not output:
                continue
            if output in reserved:
                problems.append(
                    Problem(
                        source.shown,
                        _slug_line(source),
                        f"its output {output!r} would overwrite {reserved[output]}",
                        "give it a different 'Slug:'",
                    )
                )
            else:
                by_output.setdefault(output, []).append((source, group))
    for output, entries in by_output.items():
        for source, group in entries:
            # Files that share a slug were told so already.
            sharing = {id(o) for o, _ in group}
            others = [o.shown for o, _ in entries if o is not source and id(o) not in sharing]
            if others:
                problems.append(
                    Problem(
                        source.shown,
                        _slug_line(source),
                        f"its output {output!r} is also written by {', '.join(others)}",
                        "give one of them a different 'Slug:' or 'Save_as:'",
                    )
                )


def check_translations(objects, problems):
    """A file marked ``Translation: true`` needs an original with its slug."""
    groups = {}
    for source, item in objects:
        if getattr(item, "slug", ""):
            groups.setdefault((source.kind, item.slug), []).append((source, item))
    for (_, slug), group in groups.items():
        flagged = [(s, i) for s, i in group if str(i.metadata.get("translation")).lower() == "true"]
        if flagged and len(flagged) == len(group):
            for source, _ in flagged:
                problems.append(
                    Problem(
                        source.shown,
                        source.line_of_key("translation"),
                        f"it is marked as a translation, but no original has the slug {slug!r}",
                        "give it the original's Slug, or remove the 'Translation: true' line",
                    )
                )


def may_link(html, settings):
    """False when ``html`` holds no intrasite link: with Pelican's own pattern
    every one starts with "{" or "|" (``{filename}``, ``|static|``)."""
    if settings.get("INTRASITE_LINK_REGEX") != DEFAULT_CONFIG["INTRASITE_LINK_REGEX"]:
        return True
    return "{" in html or "|" in html


def unresolved_links(item, html):
    """(what, target) of every intrasite link Pelican left as written in ``html``."""
    if not html:
        return []
    found = []
    for match in item._get_intrasite_link_regex().finditer(html or ""):
        what = "image" if match.group("markup").lstrip().lower().startswith("<img") else "link"
        found.append((what, match.group("path")))
    return found


def new_context(settings):
    """The context the checks' content objects share (see ``check_links``)."""
    return {
        "generated_content": {},
        "static_content": {},
        "static_links": set(),
        "localsiteurl": settings.get("SITEURL", ""),
    }


def check_links(objects, settings, context, static, problems, *, addresses, ids):
    """Every {filename}, {static} and {attach} link, in bodies and summaries,
    resolved by Pelican's own link replacement (``_update_content``, which
    ``get_content`` memoises for the build: these objects are not the build's).
    ``context`` is the one the objects were made with; ``addresses`` what
    ``place`` returned, ``ids`` the ids in each object's content (``links``)."""
    context["generated_content"].update({i.relative_source_path: i for _, i in objects})
    context["static_content"].update(static)
    siteurl = settings.get("SITEURL", "")
    with pelican_quiet():
        for source, item in objects:
            content = item._content or ""
            body = []
            if may_link(content, settings):
                body = unresolved_links(item, item._update_content(content, siteurl))
            summary = []
            if isinstance(item.metadata.get("summary"), str):
                summary = unresolved_links(
                    item, item._update_content(item.metadata["summary"], siteurl)
                )
            for in_summary, found in ((False, body), (True, summary)):
                for what, target in found:
                    line = (
                        source.line_of_key("summary")
                        if in_summary
                        else source.line_of(target.split("#")[0])[0]
                    )
                    problems.append(
                        Problem(
                            source.shown,
                            line,
                            f"{what} target {target} does not exist",
                            "fix the path (relative to this file, or starting with / for the "
                            "content folder) or add the missing file",
                        )
                    )
            check_static_copies(source, item, settings, problems)
        links.check_links(objects, settings, static, problems, addresses=addresses, ids=ids)


def check_static_copies(source, item, settings, problems):
    """The files Pelican copies for {static} and {attach} links exist as named.

    Pelican finds a linked file by its path as written, then percent-decoded,
    but copies it by its path with only ``%20`` decoded: a link written
    ``%28`` for "(" works on the page, and the build warns that the file
    cannot be copied."""
    root = Path(settings["PATH"])
    for path in sorted(item.get_static_links()):
        if (root / path).is_file() or not (root / unquote(path)).is_file():
            continue  # as written, or missing (said above)
        problems.append(
            Problem(
                source.shown,
                source.line_of(PurePosixPath(path).name)[0],
                f"the file {path!r} of a {{static}} link is written with percent-encoding "
                "Pelican does not decode when it copies the file (only %20)",
                f"write the characters themselves: {unquote(path)!r}",
            )
        )
