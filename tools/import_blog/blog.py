"""The blog being imported: which engine wrote it, its settings, its posts and its files.

Pelican, Hugo and Jekyll folders are recognised by their settings files
(``pelicanconf.py``; ``hugo.toml``/``config.toml``/``config.yaml``;
``_config.yml``) or, without one, by their layout.  SRC may be the blog's
root or its content folder.  Settings are read without running anything:
``pelicanconf.py`` by its literal assignments (``AUTHOR = "…"``), Hugo's and
Jekyll's as TOML or YAML.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")
OTHER_FORMATS = {".rst": "reStructuredText", ".ipynb": "a Jupyter notebook",
                 ".html": "HTML", ".htm": "HTML", ".textile": "Textile", ".org": "Org"}  # fmt: skip
IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico")
HUGO_SETTINGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml",
                 "config.yaml", "config.yml", "config.json")  # fmt: skip
SKIPPED_NAMES = {"readme", "license", "changelog", "404", "index", "_index", "search", "tags",
                 "categories", "archives", "feed"}  # fmt: skip
# A date leading a file name: Jekyll's 2019-05-12-title, Pelican's FILENAME_METADATA.
DATED_NAME = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[-_](.+)$")


@dataclass
class SourcePost:
    path: Path  # the file
    kind: str  # "essay" or "page"
    folder_category: str = ""  # Pelican's category from the folder, if it uses one
    draft: bool = False  # Jekyll's _drafts
    name: str = ""  # the name its address was made from: stem, bundle folder, Jekyll title


@dataclass
class Blog:
    root: Path  # the blog's folder
    content: Path  # where its posts are
    engine: str  # "pelican", "hugo" or "jekyll"
    settings: dict = field(default_factory=dict)
    static_roots: list = field(default_factory=list)  # folders served at the site's root
    posts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (path, why) of files that are no posts

    def setting(self, *names, default=None):
        """The first of the settings ``names`` (dotted for nested tables) the blog has."""
        for name in names:
            value = self.settings
            for part in name.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value not in (None, "", [], {}):
                return value
        return default

    @property
    def siteurl(self):
        """The blog's own address (no trailing slash), from its settings, or ""."""
        if self.engine == "jekyll":
            url = str(self.setting("url", default="")).rstrip("/")
            return url + str(self.setting("baseurl", default="")).rstrip("/")
        return str(self.setting("SITEURL", "baseURL", "baseurl", default="")).rstrip("/")

    def relative(self, path):
        return PurePosixPath(Path(path).resolve().relative_to(self.root.resolve()).as_posix())


def literal_assignments(path):
    """``NAME = literal`` assignments of a Python settings file, without running it."""
    found = {}
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return found
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.isupper():
                with contextlib.suppress(ValueError, SyntaxError, TypeError):
                    found[target.id] = ast.literal_eval(node.value)
    return found


def read_data_file(path):
    """A TOML, YAML or JSON settings file as a dict ({} when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def find_blog(src):
    """The blog at ``src``: its engine, settings, posts and static folders."""
    src = Path(src)
    for folder in (src, src.parent, src.parent.parent):
        if (folder / "pelicanconf.py").is_file():
            return pelican_blog(folder, src)
        hugo = [folder / name for name in HUGO_SETTINGS] + [
            folder / "config" / "_default" / name for name in HUGO_SETTINGS
        ]
        if any(p.is_file() for p in hugo) and (folder / "content").is_dir():
            return hugo_blog(folder, next(p for p in hugo if p.is_file()))
        if (folder / "_config.yml").is_file() or (folder / "_posts").is_dir():
            return jekyll_blog(folder)
    if (src / "content").is_dir() and (src / "static").is_dir():
        return hugo_blog(src, None)
    return pelican_blog(src, src)


def pelican_blog(root, src):
    settings = literal_assignments(root / "pelicanconf.py")
    published = literal_assignments(root / "publishconf.py")
    if published.get("SITEURL"):
        settings["SITEURL"] = published["SITEURL"]
    content = root / str(settings.get("PATH", "content"))
    if not content.is_dir() or src != root:
        content = src if src != root else root
    blog = Blog(root=root, content=content, engine="pelican", settings=settings)
    statics = settings.get("STATIC_PATHS", ["images"])
    blog.static_roots = [content] + [content / s for s in statics if (content / s).is_dir()]
    pages = [content / p for p in settings.get("PAGE_PATHS", ["pages"])]
    articles = [content / p for p in settings.get("ARTICLE_PATHS", [""])]
    by_folder = settings.get("USE_FOLDER_AS_CATEGORY", True)
    for path in sorted(content.rglob("*")):
        if not path.is_file() or _hidden(path, content):
            continue
        kind = "page" if any(_inside(path, p) for p in pages) else "essay"
        if kind == "essay" and not any(_inside(path, a) for a in articles):
            continue
        if not _is_post(blog, path):
            continue
        category = ""
        if kind == "essay" and by_folder and path.parent != content:
            category = path.parent.name
        dated = DATED_NAME.match(path.stem)
        name = dated.group(2) if dated else path.stem
        blog.posts.append(SourcePost(path, kind, folder_category=category, name=name))
    return blog


def hugo_blog(root, settings_file):
    settings = read_data_file(settings_file) if settings_file else {}
    content = root / str(settings.get("contentDir", "content"))
    blog = Blog(root=root, content=content, engine="hugo", settings=settings)
    static = root / str(settings.get("staticDir", "static"))
    blog.static_roots = [p for p in (static, root / "assets") if p.is_dir()] + [content]
    for path in sorted(content.rglob("*")):
        if not path.is_file() or _hidden(path, content) or path.stem == "_index":
            continue
        if not _is_post(blog, path, allow_index=True):
            continue
        top_level = path.parent == content
        name = path.parent.name if path.stem == "index" else path.stem.split(".")[0]
        if path.stem == "index" and top_level:
            continue
        blog.posts.append(SourcePost(path, "page" if top_level else "essay", name=name))
    return blog


def jekyll_blog(root):
    settings = read_data_file(root / "_config.yml")
    blog = Blog(root=root, content=root, engine="jekyll", settings=settings)
    blog.static_roots = [root]
    for folder, draft in (("_posts", False), ("_drafts", True)):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.is_file() and _is_post(blog, path):
                dated = DATED_NAME.match(path.stem)
                name = dated.group(2) if dated else path.stem
                blog.posts.append(SourcePost(path, "essay", draft=draft, name=name))
    for path in sorted(root.glob("*")):
        markdown = path.is_file() and path.suffix.lower() in MARKDOWN
        if markdown and _has_front_matter(path) and path.stem.lower() not in SKIPPED_NAMES:
            blog.posts.append(SourcePost(path, "page", name=path.stem))
    return blog


def _is_post(blog, path, allow_index=False):
    suffix = path.suffix.lower()
    if suffix in MARKDOWN:
        stem = path.stem.lower().split(".")[0]
        if stem in SKIPPED_NAMES - ({"index"} if allow_index else set()) and stem != "about":
            blog.skipped.append((path, "is the blog's own listing or read-me, not a post"))
            return False
        return True
    if suffix in OTHER_FORMATS:
        blog.skipped.append((path, f"is {OTHER_FORMATS[suffix]}, which this site does not read"))
    return False


def _inside(path, folder):
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def _hidden(path, root):
    """In a hidden or Jekyll-private folder (not _posts or _drafts), or hidden itself."""
    folders = path.relative_to(root).parts[:-1]
    private = any(p.startswith((".", "_")) and p not in ("_posts", "_drafts") for p in folders)
    return private or path.name.startswith(".")


def _has_front_matter(path):
    try:
        with path.open("rb") as handle:
            return handle.read(8).lstrip(b"\xef\xbb\xbf").startswith((b"---", b"+++"))
    except OSError:
        return False
