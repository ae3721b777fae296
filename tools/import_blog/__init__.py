"""Import an existing blog: ``make import SRC=<folder>``.

    python -m tools.import_blog <folder> [-s pelicanconf.py]

Brings the posts of a Pelican, Hugo or Jekyll blog (SRC is its root or its
content folder) into ``content/essays/`` (and its pages into
``content/pages/``), its images into ``content/images/`` and its other files
into ``content/files/``, so that ``make publish`` builds them with no hand
edits:

- metadata in any form (Pelican's ``Key: value`` lines in any case, with or
  without ``---`` fences; YAML, TOML or JSON front matter), every required
  key filled from what the post and its blog imply, dates in ISO 8601,
  ``Update``/``lastmod`` as ``Modified``, ``Lang: zh`` for mostly-Chinese
  posts (``meta``);
- files in UTF-8 with newlines, whatever the encoding, byte-order mark or
  line endings (``front``);
- the body as the site builds it: headings, embeds, scripts and styles,
  shortcodes, tags named in the text (``body``);
- every link and image resolved: images and files copied and linked with
  ``{static}``, links to other posts (root-relative, old ``.html`` addresses,
  relative, ``{filename}``, with their anchors) as ``{filename}``; a link that
  leads nowhere keeps its text and a missing image its alt text (``links``).

It prints one line per file: what it changed, and what it could not do.  It
never overwrites a file: a post whose slug an essay already has gets the
next free one (``-2``), and a post imported before (same title and date) is
left as it is, so running it twice changes nothing.  Then it runs the content
checks over the whole site (``make check``) and exits 1 if they find a
problem.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

import markdown
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from plugins.core import html as bzhtml
from plugins.core.reading import markdown_config
from plugins.core.urls import make_slug

from .blog import find_blog
from .body import Body
from .front import decode, split
from .links import Imported, Resolver, _github
from .meta import Metadata, as_list


def site_markdown(settings):
    """A Markdown converter configured as the site's reader is (without metadata)."""
    config = markdown_config(settings)
    config["extensions"] = [e for e in config["extensions"] if e != "markdown.extensions.meta"]
    return markdown.Markdown(**config)


def existing_content(content):
    """{(slug, lang): (path, its metadata lines)} of the essays and pages already in the site."""
    found = {}
    for path in sorted(Path(content).rglob("*.md")):
        try:
            text, _ = decode(path.read_bytes())
        except OSError:
            continue
        meta, body, _ = split(text, "pelican")
        slug = str(meta.get("slug") or path.stem)
        lang = str(meta.get("lang") or "en")
        found[(slug, lang)] = (path, text[: len(text) - len(body)].rstrip("\n") + "\n")
    return found


def first_heading(body):
    """The text of a Markdown body's first level-one heading (# or ===), outside code."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("```") or line.startswith("    "):
            return None
        if re.match(r"^#\s+\S", line):
            return line.lstrip("#").strip().rstrip("#").strip()
        if index + 1 < len(lines) and re.match(r"^=+\s*$", lines[index + 1]) and line.strip():
            return line.strip()
    return None


class Post:
    """One source file on its way into the site."""

    def __init__(self, blog, source, settings, md):
        self.blog, self.source = blog, source
        self.notes, self.problems = [], []
        text, self.notes = decode(source.path.read_bytes())
        raw, body, _ = split(text, blog.engine)
        if not raw.get("title"):
            heading = first_heading(body)
            if heading:
                raw["title"] = heading
                self.notes.append("title from its first heading")
        title = str(raw.get("title") or source.name)
        self.body = Body(body, title).prepare()
        md.reset()
        self.html = md.convert(self.body.text)
        if self.body.formulas_as_code(self.html):
            md.reset()
            self.html = md.convert(self.body.text)
        if self.body.loose_tex_as_code(self.html):
            md.reset()
            self.html = md.convert(self.body.text)
        self.meta = Metadata(blog, source, raw, settings).build(self.html)
        lang = self.meta.values["lang"]
        self.imported = Imported(source=source.path, kind=source.kind, lang=lang)
        self.outcome = None  # "written", "unchanged" or why it was not imported

    def names(self, raw_slug):
        title = self.meta.values["title"]
        names = {raw_slug, self.source.name, self.source.path.stem, self.imported.slug,
                 pelican_slugify(title, DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]),
                 _github(title), make_slug(title), make_slug(self.source.name)}  # fmt: skip
        return {name for name in names if name}

    def old_urls(self):
        """The post's addresses on its blog: those its metadata names (Hugo's
        ``aliases`` and ``url``, Jekyll's ``permalink``) and, on a Pelican
        blog, the one its ARTICLE_URL or PAGE_URL made."""
        named = [*as_list(self.meta.raw.get("aliases")), self.meta.raw.get("url"),
                 self.meta.raw.get("permalink")]  # fmt: skip
        found = {"/" + str(url).strip("/") + "/" for url in named if url}
        found |= {url.rstrip("/") for url in found}
        pattern = self.blog.setting("ARTICLE_URL" if self.source.kind == "essay" else "PAGE_URL")
        pattern = pattern or ("{slug}.html" if self.source.kind == "essay" else "pages/{slug}.html")
        if self.blog.engine != "pelican":
            return found
        import datetime  # noqa: PLC0415

        slug = self.meta.raw.get("slug") or pelican_slugify(
            self.meta.values["title"], DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
        )
        try:
            date = datetime.datetime.fromisoformat(self.meta.values["date"])
            category = pelican_slugify(self.meta.values["category"],
                                       DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])  # fmt: skip
            url = pattern.format(slug=slug, date=date, category=category,
                                 lang=self.meta.values["lang"], author="")  # fmt: skip
        except (KeyError, ValueError, AttributeError, IndexError):
            return found
        return found | {"/" + url.lstrip("/")}

    def anchors(self):
        """Every id of the post's rendered body, and its headings' (id, text)."""
        ids, headings = [], []
        names = ("h1", "h2", "h3", "h4", "h5", "h6")
        for tag in bzhtml.start_tags(self.html):
            ident = tag.get("id") if "id" in tag.attributes else None
            if ident:
                ids.append(ident)
            if tag.name in names and ident:
                close = bzhtml.end_tag(self.html, tag.name, tag.end)
                text = bzhtml.text_of(self.html[tag.end : close[0] if close else tag.end])
                headings.append((ident, " ".join(text.split())))
        return ids, headings


def place(posts, content, settings):
    """Give each post a slug and a file no other file has; a post imported
    before finds its own file again."""
    existing = existing_content(content)
    reserved = {name.lower() for name in settings.get("DIRECT_TEMPLATES", [])}
    taken = set(existing)
    for post in posts:
        values = post.meta.values
        folder = "essays" if post.source.kind == "essay" else "pages"
        base, lang = values["slug"], values["lang"]
        for number in range(1, 100):
            slug = base if number == 1 else f"{base}-{number}"
            path = Path(content) / folder / f"{slug}.md"
            if any(s == slug for s, other in taken if other != lang):
                path = path.with_name(f"{slug}-{lang}.md")  # a translation: the same slug
            found = existing.get((slug, lang))
            values["slug"] = slug
            if found and found[1] == post.meta.text():
                post.outcome = "unchanged"  # this very post, imported before
                break
            if (slug, lang) in taken or path.exists() or (folder == "pages" and slug in reserved):
                if folder == "pages":
                    post.outcome = f"the site already has a page {slug!r}"
                    break
                continue
            break
        values["slug"] = slug
        taken.add((slug, lang))
        post.imported.slug = slug
        post.imported.target = (
            (found[0] if post.outcome == "unchanged" else path).relative_to(content).as_posix()
        )


def import_blog(src, settings, out=print):
    """Import the blog at ``src`` into the site's content; returns the posts."""
    content = Path(settings["PATH"])
    blog = find_blog(src)
    md = site_markdown(settings)
    posts = []
    for source in blog.posts:
        try:
            post = Post(blog, source, settings, md)
        except Exception as error:  # one post the tool cannot read must not stop the others
            out(f"{shown(source.path, src)} → not imported: it could not be read "
                f"({type(error).__name__}: {error}) — convert it by hand")  # fmt: skip
            continue
        if not post.body.text.strip():
            out(f"{shown(source.path, src)} → not imported: it has no text")
            continue
        posts.append(post)
    place(posts, content, settings)
    for post in posts:
        post.imported.names = post.names(str(post.meta.raw.get("slug") or ""))
        post.imported.old_urls = post.old_urls()
        post.imported.ids, post.imported.headings = post.anchors()
    resolver = Resolver(blog, content, [p.imported for p in posts])
    for post in posts:
        if post.outcome is None:
            post.body.links(lambda url, image, p=post: resolver.resolve(url, p.imported, image))
    copied = copy_files(resolver, content)
    for post in posts:
        write(post, content)
        out(report_line(post, src, content))
    for path, why in blog.skipped:
        out(f"{shown(path, src)} → not imported: it {why}")
    written = sum(p.outcome == "written" for p in posts)
    unchanged = sum(p.outcome == "unchanged" for p in posts)
    refused = len(posts) - written - unchanged + len(blog.skipped)
    out(
        f"{written} imported, {unchanged} unchanged (imported before), {refused} not imported; "
        f"{copied} files copied into {content}/ ({blog.engine} blog at {src})."
    )
    return posts


def copy_files(resolver, content):
    copied = 0
    for source, target in sorted(resolver.copies.items()):
        path = Path(content) / target
        if path.is_file() and path.read_bytes() == source.read_bytes():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, path)
        copied += 1
    return copied


def write(post, content):
    if post.outcome is not None:
        return
    path = Path(content) / post.imported.target
    path.parent.mkdir(parents=True, exist_ok=True)
    text = post.meta.text() + "\n" + post.body.text.strip("\n") + "\n"
    with path.open("x", encoding="utf-8") as handle:  # never over a file
        handle.write(text)
    post.outcome = "written"


def report_line(post, src, content):
    where = f"{Path(content) / post.imported.target}"
    if post.outcome == "unchanged":
        return f"{shown(post.source.path, src)} → {where}: unchanged (imported before)"
    if post.outcome != "written":
        return f"{shown(post.source.path, src)} → not imported: {post.outcome}"
    done = [*post.notes, *post.meta.notes, *post.body.notes]
    line = f"{shown(post.source.path, src)} → {where}: {'; '.join(done) or 'as it was'}"
    if post.body.problems:
        line += f"; could not: {'; '.join(dict.fromkeys(post.body.problems))}"
    return line


def shown(path, src):
    try:
        return Path(path).relative_to(Path(src)).as_posix()
    except ValueError:
        return str(path)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make import", description=__doc__.splitlines()[0])
    parser.add_argument("src", nargs="?", default=os.environ.get("SRC", ""))
    parser.add_argument("-s", "--settings", default="pelicanconf.py")
    parser.add_argument("--no-check", action="store_true", help="do not run the content checks")
    args = parser.parse_args(argv)
    if not args.src or not Path(args.src).is_dir():
        print("make import: give the blog's folder: make import SRC=<folder>", file=sys.stderr)
        return 2

    from pelican.settings import read_settings  # noqa: PLC0415

    settings = read_settings(args.settings)
    import_blog(args.src, settings)
    if args.no_check:
        return 0
    from plugins.content_guard.__main__ import main as check  # noqa: PLC0415

    return check([settings["PATH"], "-s", args.settings])
