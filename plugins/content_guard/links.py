"""Where each link of an essay or page leads, in the site Pelican will build.

Every ``<a href>`` of an essay's or page's rendered body is resolved, in
whatever form it was written, against the addresses the build will produce:
the essays and pages as Pelican places them (by the site's URL rule), the
files it copies, and the listings it writes (categories, tags, authors,
archives, feeds, the direct templates).  Intrasite links (``{filename}``,
``{static}``, ``{tag}``…) are resolved by Pelican's own link replacement;
the fragment of a link is looked for among the ids the target will carry:
those in its rendered content (heading ids as the site's Markdown makes them,
footnotes, ids written in HTML) and those the theme's templates write.

What is reported:

- a link, root-relative (``/note/gcc.html``), relative (``../x/``) or
  absolute under ``SITEURL``, that leads to no page or file of the site,
  with the essay it most likely meant (by the last part of its address);
- a root-relative link that does resolve: it breaks when the site is
  published under a sub-path of its host, so it should be written with
  ``{filename}`` (or ``{static}``);
- a fragment that the target does not have, with the ids it does have;
- a relative or root-relative link in a summary, which listings show on
  pages at other addresses.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from plugins.core import html as bzhtml
from plugins.core import urls

from .source import Problem

# An address no link of the site has: links Pelican resolved start with it.
SENTINEL = "http://bzdww.invalid"
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
PAGINATED = re.compile(r"(?:^|/)page/\d+/(?:index\.html)?$")
TEMPLATE_ID = re.compile(r"""\bid=["']([A-Za-z][\w:.-]*)["']""")
OLD_EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".php", ".aspx")
FEED_SETTINGS = ("FEED_ALL_ATOM", "FEED_ALL_RSS", "FEED_ATOM", "FEED_RSS",
                 "CORRECTIONS_FEED_ATOM", "JSON_FEED_ALL")  # fmt: skip
TERM_FEEDS = {
    "category": ("CATEGORY_FEED_ATOM", "CATEGORY_FEED_RSS", "JSON_FEED_CATEGORY"),
    "tag": ("TAG_FEED_ATOM", "TAG_FEED_RSS", "JSON_FEED_TAG"),
    "author": ("AUTHOR_FEED_ATOM", "AUTHOR_FEED_RSS", "JSON_FEED_AUTHOR"),
}
ARCHIVES = ("YEAR_ARCHIVE", "MONTH_ARCHIVE", "DAY_ARCHIVE")


def key(path):
    """A site path as this module compares them: decoded, no leading slash,
    ``…/index.html`` as its folder."""
    path = unquote(path).lstrip("/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


class SiteMap:
    """The addresses of the site the build will write, and the ids of its pages.

    ``addresses`` has each object's URL and output path (``site.place``),
    ``ids`` the ids in each object's content by ``id(item)`` (``content_ids``,
    kept with each file's own checks).
    """

    def __init__(self, objects, settings, static, addresses, ids):
        self.settings = settings
        self.prefix = urlsplit(settings.get("SITEURL") or "").path.rstrip("/")
        self.siteurl = (settings.get("SITEURL") or "").rstrip("/")
        self.addresses = addresses
        self.items = {}
        for source, item in objects:
            for path in addresses.by_id[id(item)]:
                if path:
                    self.items.setdefault(key(path), (source, item))
        self.files = {key(path) for path in static}
        self.theme_ids = template_ids(settings)
        self.objects = objects
        self.content_ids = ids
        self._ids = {}

    @functools.cached_property
    def listings(self):
        """Made only when a link leads to no page or file: every listing and
        feed the essays put on the site."""
        return {key(path) for path in listing_paths(self.settings, self.objects)}

    def target(self, path):
        """("item", (source, item)), ("file", path), ("listing", path) or None."""
        path = key(path)
        if path in self.items:
            return "item", self.items[path]
        if path in self.files:
            return "file", path
        if path in self.listings or PAGINATED.search(path):
            return "listing", path
        return None

    def ids(self, item):
        """The ids a page will carry, or None when its own template decides them."""
        if item.metadata.get("template"):
            return None
        if id(item) not in self._ids:
            found = self.content_ids.get(id(item))
            if found is None:
                found = content_ids(item._content)
            self._ids[id(item)] = found | self.theme_ids
        return self._ids[id(item)]

    @functools.cached_property
    def by_name(self):
        """Made only when a link leads nowhere: it spells every file name in pinyin."""
        return names_index(self.objects)

    def guess(self, path):
        """The one essay or page an old address most likely meant, or None."""
        segments = [s for s in unquote(urlsplit(path).path).split("/") if s]
        if segments and segments[-1] in ("index.html", "index.htm"):
            segments.pop()
        if not segments:
            return None
        name = segments[-1].lower()
        for extension in OLD_EXTENSIONS:
            if name.endswith(extension):
                name = name[: -len(extension)]
        for candidate in (name, urls.make_slug(name)):
            found = self.by_name.get(candidate)
            if found is not None and len(found) == 1:
                return found[0]
        return None


def content_ids(content):
    """The ids written in rendered content."""
    return {
        tag.get("id")
        for tag in bzhtml.start_tags(content or "")
        if "id" in tag.attributes.lower() and tag.get("id")
    }


def names_index(objects):
    """{slug, file stem or the slug of the stem: [items]} for guessing old addresses."""
    index = {}
    for _, item in objects:
        stem = PurePosixPath(item.relative_source_path).stem.lower()
        for name in {item.slug.lower(), stem, urls.make_slug(stem)}:
            if name:
                index.setdefault(name, [])
                if item not in index[name]:
                    index[name].append(item)
    return index


def listing_paths(settings, objects):
    """Every listing, feed and theme file the build writes (not pages or files)."""
    paths = {"", "index.html"}
    for name in settings.get("DIRECT_TEMPLATES") or []:
        upper = name.upper()
        paths |= {settings.get(f"{upper}_URL") or "", settings.get(f"{upper}_SAVE_AS") or ""}
        paths.add(f"{name}.html")
    for setting in (*FEED_SETTINGS, "DRAFTS_URL", "INDEX_SAVE_AS"):
        if settings.get(setting):
            paths.add(settings[setting])
    terms, dates = {}, set()
    for _, item in objects:
        if item.__class__.__name__ == "Article" and getattr(item, "status", "") == "published":
            for kind, term in essay_terms(item):
                # Essays share their terms: each one's addresses are made once.
                terms.setdefault((kind, type(term), str(term)), (kind, term))
            if getattr(item, "date", None):
                dates.add(item.date)
    for kind, term in terms.values():
        paths |= term_listings(kind, term, settings)
    for date in dates:
        paths |= archive_listings(date, settings)
    theme = Path(settings.get("THEME") or "") / "static"
    if theme.is_dir():
        folder = settings.get("THEME_STATIC_DIR", "theme")
        paths |= {f"{folder}/{p.relative_to(theme).as_posix()}" for p in theme.rglob("*")}
    return {path for path in paths if path is not None}


def essay_terms(item):
    """(kind, term) of an essay's category, tags and authors."""
    terms = [("category", getattr(item, "category", None))]
    terms += [("tag", tag) for tag in getattr(item, "tags", []) or []]
    terms += [("author", author) for author in getattr(item, "authors", []) or []]
    return terms


def term_listings(kind, term, settings):
    """The listing and feeds of one category, tag or author."""
    if term is None or not getattr(term, "slug", ""):
        return set()
    paths = {term.url, term.save_as}
    feeds = [settings.get(setting) for setting in TERM_FEEDS[kind]]
    return paths | {str(feed).format(slug=term.slug) for feed in feeds if feed}


def archive_listings(date, settings):
    """The archives that list an essay of ``date``."""
    paths = set()
    for archive in ARCHIVES:
        for suffix in ("_URL", "_SAVE_AS"):
            pattern = settings.get(archive + suffix)
            if pattern:
                paths.add(pattern.format(date=date))
    return paths


def template_ids(settings):
    """The ids the theme's templates write as they are (not made from data)."""
    folder = Path(settings.get("THEME") or "") / "templates"
    found = set()
    for template in sorted(folder.rglob("*.html")) if folder.is_dir() else []:
        found |= set(TEMPLATE_ID.findall(template.read_text(encoding="utf-8")))
    return found


def written_with_pelican(item, value):
    """Where Pelican's link replacement sends an intrasite link, under SENTINEL;
    None when it cannot resolve it (the checks say so elsewhere)."""
    markup = f'<a href="{html.escape(value)}">'
    replaced = item._update_content(markup, SENTINEL)
    href = bzhtml.attribute_value(replaced[2:-1], "href") or ""
    return href[len(SENTINEL) :] if href.startswith(SENTINEL) else None


class LinkCheck:
    """The links of one essay or page."""

    def __init__(self, site, source, item, problems):
        self.site, self.source, self.item, self.problems = site, source, item, problems
        self.url = site.addresses.url(item)
        self.after = {}

    def say(self, written, what, fix, line=None):
        if line is None:
            start = self.after.get(written, 0)
            line, at = self.source.line_of(written, start)
            if at >= 0:
                self.after[written] = at + len(written)
        self.problems.append(Problem(self.source.shown, line, what, fix))

    def run(self):
        intrasite = re.compile(self.item.settings["INTRASITE_LINK_REGEX"])
        for tag in bzhtml.start_tags(self.item._content or "", ("a", "area")):
            written = tag.get("href")
            if written and intrasite.match(written):
                self.check_intrasite(written)
            elif written:
                self.check(written)
        summary = self.item.metadata.get("summary")
        if isinstance(summary, str):
            for tag in bzhtml.start_tags(summary, ("a",)):
                self.check_summary(tag.get("href") or "")

    def resolve(self, written):
        """(form, site path, fragment) of a link written in the body; None
        when it leaves the site."""
        parts = urlsplit(written)
        if parts.scheme or parts.netloc:
            site = self.site.siteurl
            if not site or not SCHEME.match(site) or not written.startswith(site + "/"):
                return None
            return "absolute", urlsplit(written[len(site) :]).path, parts.fragment
        if not parts.path:
            return "fragment", self.url, parts.fragment
        if parts.path.startswith("/"):
            path = parts.path
            if self.site.prefix and (path + "/").startswith(self.site.prefix + "/"):
                path = path[len(self.site.prefix) :]
            return "root", path, parts.fragment
        base = f"{SENTINEL}/{self.url}"
        joined = urljoin(base, parts.path)
        if not joined.startswith(SENTINEL + "/"):
            joined = SENTINEL + "/" + posixpath.normpath(urlsplit(joined).path).lstrip("/")
        return "relative", joined[len(SENTINEL) :], parts.fragment

    def check(self, written):
        resolved = self.resolve(written)
        if resolved is None:
            return
        form, path, fragment = resolved
        found = self.site.target(path)
        if found is None:
            self.say(written, *self.nowhere(written, form, path))
            return
        kind, target = found
        if form == "root":
            self.say(
                written,
                f"link {written} is root-relative: it breaks when the site is published under "
                "a sub-path of its host",
                f"write it as {self.intrasite_form(kind, target, fragment)}",
            )
        if kind == "item":
            self.check_fragment(written, target, fragment)

    def check_intrasite(self, written):
        path = written_with_pelican(self.item, written)
        if path is None:
            return  # unresolved: said by check_links
        fragment = urlsplit(written).fragment
        found = self.site.target(urlsplit(path).path)
        if found is not None and found[0] == "item":
            self.check_fragment(written, found[1], fragment)

    def check_fragment(self, written, target, fragment):
        if not fragment:
            return
        source, item = target
        ids = self.site.ids(item)
        if ids is None or unquote(fragment) in ids or fragment in ids:
            return
        headings = [
            tag.get("id")
            for tag in bzhtml.start_tags(item._content or "", ("h1", "h2", "h3", "h4", "h5", "h6"))
            if tag.get("id")
        ]
        which = "this page" if item is self.item else source.shown
        listed = ", ".join(f"#{h}" for h in headings[:8]) + ("…" if len(headings) > 8 else "")
        fix = (
            f"point it at one of its headings ({listed}) or drop the #{fragment}"
            if headings
            else f"drop the #{fragment}: {which} has no headings"
        )
        self.say(written, f"link {written}: {which} has no element with the id {fragment!r}", fix)

    def nowhere(self, written, form, path):
        where = f" (from this page it is /{key(path)})" if form == "relative" else ""
        guess = self.site.guess(path)
        if guess is not None:
            fix = f"did you mean {{filename}}/{guess.relative_source_path}?"
        else:
            fix = (
                "link to an essay or page with {filename}/essays/<file>.md, to a file with "
                "{static}/<path>, or remove the link and keep its text"
            )
        return f"link {written} leads to no page or file of this site{where}", fix

    def intrasite_form(self, kind, target, fragment):
        hash_part = f"#{fragment}" if fragment else ""
        if kind == "item":
            return f"{{filename}}/{target[1].relative_source_path}{hash_part}"
        if kind == "file":
            return f"{{static}}/{target}"
        here = posixpath.dirname(key(self.url).rstrip("/")) or "."
        relative = posixpath.relpath(target or ".", here)
        return f"{relative.rstrip('.') or './'}{'/' if target.endswith('/') else ''}{hash_part}"

    def check_summary(self, written):
        if not written or SCHEME.match(written) or written.startswith(("//", "#", SENTINEL)):
            return
        if written.startswith(("{", "|")):
            return  # intrasite: Pelican writes it for each page that shows the summary
        self.say(
            written,
            f"link {written} in the summary is relative, and the summary is also shown on "
            "listing pages at other addresses, where it would lead elsewhere",
            "write it with {filename}/essays/<file>.md (or a full web address)",
            line=self.source.line_of_key("summary"),
        )


def check_links(objects, settings, static, problems, *, addresses, ids):
    """Every link of every essay and page, against the site the build will write
    (``addresses`` and ``ids`` as ``SiteMap`` takes them)."""
    site = SiteMap(objects, settings, static, addresses, ids)
    for source, item in objects:
        LinkCheck(site, source, item, problems).run()
