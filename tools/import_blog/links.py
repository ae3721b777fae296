"""Where the links and images of imported posts lead, in this site.

Each post is known by every name its old address could have been made from:
its slug, its file name (without Jekyll's date), its title as Pelican,
Hugo and Jekyll made slugs of it, and the site's slug of each; and, for
Pelican blogs, its old address by the blog's ``ARTICLE_URL``.  An old link
(``/note/gcc-quick_reference.html#_3``, ``../2019/01/post/``,
``other-post.md``, ``{filename}other.md``, ``{{< ref "x" >}}``, a full
address on the old site) is matched by its address, else by its last part,
and becomes ``{filename}/essays/<slug>.md``.  A fragment is matched to the
target's heading by the ids old heading plugins made (Python-Markdown's
``toc`` with its ASCII slugs and ``_1`` numbering, Hugo's and GitHub's,
kramdown's, Pelican's) and gets the id this site makes.  A file (image or
attachment) is found beside the post, in the blog's content or static
folders, and is copied into ``content/images/`` (images) or
``content/files/`` (anything else) under its own name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown.extensions.toc import slugify, slugify_unicode
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from plugins.core.urls import make_slug

from .blog import DATED_NAME, IMAGES

INTRASITE = re.compile(r"^[{|](filename|static|attach|tag|category|author|index)[|}](.*)$")
OLD_EXTENSIONS = (".html", ".htm", ".md", ".markdown", ".php")


@dataclass
class Imported:
    """One post as it will be written: where, and how others find it."""

    source: Path
    kind: str
    slug: str = ""
    lang: str = "en"
    target: str = ""  # the file in content/, e.g. "essays/x.md"
    names: set = field(default_factory=set)
    old_urls: set = field(default_factory=set)
    ids: list = field(default_factory=list)  # every id its rendered body has
    headings: list = field(default_factory=list)  # (new id, text) of its headings, in order


@dataclass
class Resolved:
    url: str | None  # what to write, or None when it leads nowhere
    note: str = ""  # what was done or could not be


def old_heading_ids(texts):
    """{old id: heading index} for the ids other engines gave these headings."""
    found = {}
    schemes = [
        (lambda t: slugify(t, "-"), "_"),
        (lambda t: slugify_unicode(t, "-"), "_"),
        (lambda t: pelican_slugify(t, DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]), "_"),
        (_github, "-"),
        (_kramdown, "-"),
    ]
    for make, separator in schemes:
        seen = {}
        for index, text in enumerate(texts):
            base = make(text)
            if separator == "-" and not base and make is _kramdown:
                base = "section"
            ident = base
            while not ident or ident in seen:
                count = seen.get(base, 0) + 1
                seen[base] = count
                ident = f"{base}{separator}{count}"
            seen.setdefault(ident, 0)
            found.setdefault(ident, index)
    return found


def _github(text):
    text = text.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def _kramdown(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 -]", "", text)
    return re.sub(r"^[^a-z]+", "", text.replace(" ", "-"))


class Resolver:
    """Finds posts and files for the links of imported posts."""

    def __init__(self, blog, content, posts):
        self.blog = blog
        self.content = Path(content)
        self.posts = posts
        self.by_source = {p.source.resolve(): p for p in posts}
        self.by_name = {}
        for post in posts:
            for name in post.names:
                self.by_name.setdefault(name.lower(), set()).add(id(post))
        self.by_id = {id(p): p for p in posts}
        self.copies = {}  # source file -> path in content/
        site = urlsplit(blog.siteurl)
        self.old_host = site.netloc
        self.old_prefix = site.path.rstrip("/")

    # Posts --------------------------------------------------------------------

    def post_named(self, path):
        """The one post an old address's last part names, or None."""
        segments = [s for s in unquote(path).split("/") if s and s not in (".", "..")]
        if segments and segments[-1].lower() in ("index.html", "index.htm", "index.md"):
            segments.pop()
        if not segments:
            return None
        name = segments[-1]
        for extension in OLD_EXTENSIONS:
            if name.lower().endswith(extension):
                name = name[: -len(extension)]
        dated = DATED_NAME.match(name)
        for candidate in (name, dated.group(2) if dated else "", make_slug(name)):
            found = self.by_name.get(candidate.lower())
            if found and len(found) == 1:
                return self.by_id[next(iter(found))]
        return None

    def post_at(self, path):
        """The post at an old address (root-relative), by address or by name."""
        clean = "/" + unquote(path).strip("/")
        for post in self.posts:
            if clean in post.old_urls or clean + "/" in post.old_urls:
                return post
        return self.post_named(path)

    def post_file(self, path, here):
        """The post whose source is ``path`` (relative to ``here`` or the content folder)."""
        path = unquote(path)
        candidates = [self.blog.content / path.lstrip("/")] if path.startswith("/") else []
        candidates += [here.parent / path, self.blog.content / path]
        for candidate in candidates:
            found = self.by_source.get(candidate.resolve())
            if found is not None:
                return found
        return None

    # Files -----------------------------------------------------------------------

    def file_at(self, path, here):
        """The blog's file a link names, relative to the post or its site's root."""
        path = unquote(path)
        roots = [here.parent] if not path.startswith("/") else []
        roots += [*self.blog.static_roots, self.blog.content, self.blog.root]
        for root in roots:
            candidate = (root / path.lstrip("/")).resolve()
            if candidate.is_file() and candidate not in self.by_source:
                return candidate
        return None

    def copy_of(self, found):
        """Where a file of the blog goes in content/ (images/ or files/), as the
        site links it; the same file always goes to the same place."""
        if found in self.copies:
            return self.copies[found]
        relative = None
        roots = [*self.blog.static_roots, self.blog.content, self.blog.root]
        for root in sorted(roots, key=lambda r: len(r.resolve().parts), reverse=True):
            try:
                relative = PurePosixPath(found.relative_to(root.resolve()).as_posix())
                break
            except ValueError:
                continue
        relative = relative or PurePosixPath(found.name)
        folder = "images" if found.suffix.lower() in IMAGES else "files"
        parts = relative.parts
        if parts and parts[0].lower() in ("images", "image", "img", "static", "files",
                                          "attachments", "assets", "uploads"):  # fmt: skip
            relative = PurePosixPath(*parts[1:]) if len(parts) > 1 else relative
        target = PurePosixPath(folder) / relative
        digest = hashlib.sha256(found.read_bytes()).hexdigest()
        taken = {t for f, t in self.copies.items() if f != found}
        while target.as_posix() in taken or self._differs(target, digest):
            target = target.with_name(f"{target.stem}-{digest[:8]}{target.suffix}")
            if target.as_posix() in taken:
                target = target.with_name(f"{target.stem}-2{target.suffix}")
        self.copies[found] = target.as_posix()
        return self.copies[found]

    def _differs(self, target, digest):
        existing = self.content / target
        return existing.is_file() and hashlib.sha256(existing.read_bytes()).hexdigest() != digest

    # Links --------------------------------------------------------------------------

    def resolve(self, url, post, image=False):
        """Where ``url``, written in ``post``, leads in this site."""
        url = url.strip()
        if url.startswith("#"):
            return self.with_fragment(post, url[1:], post, same_page=True)
        intrasite = INTRASITE.match(url)
        if intrasite:
            return self.intrasite(intrasite.group(1), intrasite.group(2), post, image)
        parts = urlsplit(url)
        if parts.scheme.lower() in ("javascript", "vbscript"):
            return Resolved(None, f"script link {url[:40]} removed (essays carry no scripts)")
        elsewhere = parts.netloc and parts.netloc != self.old_host
        if (parts.scheme and parts.scheme not in ("http", "https")) or elsewhere:
            return Resolved(url)  # mail, another site
        if parts.netloc or parts.path.startswith("/"):
            path = parts.path
            if self.old_prefix and (path + "/").startswith(self.old_prefix + "/"):
                path = path[len(self.old_prefix) :]
            return self.site_path(path, parts.fragment, post, image, url)
        return self.relative(parts.path, parts.fragment, post, image, url)

    def intrasite(self, what, rest, post, image):
        parts = urlsplit(rest)
        if what == "filename":
            target = self.post_file(parts.path, post.source)
            if target is not None:
                return self.with_fragment(target, parts.fragment, post)
            found = self.file_at(parts.path, post.source)
            if found is not None:
                return Resolved("{static}/" + self.copy_of(found))
            return Resolved(None, f"{{filename}}{rest} names no post of the blog")
        if what in ("static", "attach"):
            found = self.file_at(parts.path, post.source)
            if found is None:
                return Resolved(None, f"{'image' if image else 'file'} {rest} is missing")
            return Resolved(f"{{{what}}}/" + self.copy_of(found))
        return Resolved(f"{{{what}}}{rest}")  # tags, categories, authors, the index

    def site_path(self, path, fragment, post, image, written):
        found = self.file_at(path, post.source) if path not in ("", "/") else None
        if found is not None:
            return Resolved("{static}/" + self.copy_of(found))
        if path in ("", "/", "/index.html"):
            return Resolved("{index}")
        target = self.post_at(path)
        if target is not None:
            return self.with_fragment(target, fragment, post)
        what = "image" if image else "link"
        return Resolved(None, f"{what} {written} leads to nothing the blog has")

    def relative(self, path, fragment, post, image, written):
        if not path:
            return Resolved(written)
        target = self.post_file(path, post.source)
        if target is None:
            found = self.file_at(path, post.source)
            if found is not None:
                return Resolved("{static}/" + self.copy_of(found))
            target = self.post_named(path)
        if target is not None:
            return self.with_fragment(target, fragment, post)
        what = "image" if image else "link"
        return Resolved(None, f"{what} {written} leads to nothing the blog has")

    def with_fragment(self, target, fragment, post, same_page=False):
        base = "" if same_page else f"{{filename}}/{target.target}"
        if not fragment:
            return Resolved(base or "#")
        fragment = unquote(fragment)
        if fragment in target.ids:
            return Resolved(f"{base}#{fragment}")
        old = old_heading_ids([text for _, text in target.headings])
        index = old.get(fragment, old.get(fragment.lower()))
        if index is not None:
            new = target.headings[index][0]
            return Resolved(f"{base}#{new}", f"anchor #{fragment} is now #{new}")
        if same_page:
            return Resolved(None, f"anchor #{fragment} names no heading")
        return Resolved(base, f"anchor #{fragment} names no heading of {target.target}: dropped")
