"""Settings for local work: relative URLs, so `output/` opens from any folder.

publishconf.py imports everything here and adds the production overrides.
"""

from pathlib import Path

from markdown.extensions.toc import slugify_unicode

_HERE = Path(__file__).resolve().parent

# Site identity -------------------------------------------------------------
SITENAME = "bzdww"
SITESUBTITLE = "Get answers and suggestions for various questions from here"
AUTHOR = "Xue Hong Yan"
# Pages link to each other relatively, so output/ works from any folder or
# sub-path; feeds need absolute links, and locally that is `make serve`.
SITEURL = "http://127.0.0.1:8000"
RELATIVE_URLS = True

TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "en"
# C.UTF-8 exists on every glibc system and gives English month names, so dates
# render the same on every machine.
LOCALE = ("C.UTF-8", "C")
DEFAULT_DATE_FORMAT = "%-d %B %Y"
DEFAULT_DATE = None

# Sources --------------------------------------------------------------------
PATH = "content"
ARTICLE_PATHS = ["essays"]
PAGE_PATHS = ["pages"]
# Only folders that exist: Pelican warns about (and cannot watch) missing ones.
# images/ and files/ (PDFs, spreadsheets) are where `make import` copies a blog's files.
STATIC_PATHS = [p for p in ("images", "files", "data", "extra") if (_HERE / "content" / p).is_dir()]
IGNORE_FILES = [".#*", "*~", "*.swp", "README.md"]
THEME = str(_HERE / "theme")
THEME_STATIC_DIR = "theme"
OUTPUT_PATH = "output"
DELETE_OUTPUT_DIRECTORY = True
# Same input, same output: file mtimes must not leak into dates.
DEFAULT_METADATA = {}
USE_FOLDER_AS_CATEGORY = False
DEFAULT_CATEGORY = "misc"
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# The project's plugins are imported as plugins.<name> by the build, the tools
# and the tests alike. Their order here does not matter: each step says when it
# runs (plugins/core/pipeline.py), so any order builds the same site.
PLUGIN_PATHS = [str(_HERE)]
PLUGINS = [
    "plugins.core",
    "plugins.stylesheet",
    "plugins.language_urls",
    "plugins.share_meta",
    "plugins.social_image",
    "plugins.json_feed",
    "plugins.email_edition",
    "plugins.editorial",
    "plugins.markup",
    "plugins.site_search",
    "plugins.sidenotes",
    "plugins.essay_outline",
    "plugins.essay_series",
    "plugins.related_essays",
    "neighbors",
    "plugins.content_guard",
    "plugins.host_headers",
]

# Every metadata key an essay or page may use. Plugins that read a key add it
# here with a line saying what it means; anything else is an author's typo.
METADATA_KEYS = {
    "title": "the title, as text",
    "date": "when it is published on this site, ISO 8601",
    "modified": "when it last changed substantively, ISO 8601",
    "author": "the author's name",
    "authors": "several authors, comma-separated",
    "category": "the section it belongs to",
    "tags": "topics, comma-separated",
    "summary": "one or two sentences for listings, feeds and search",
    "slug": "the URL name",
    "lang": "language code: en or zh",
    "status": "published, draft or hidden",
    "translation": "true when this file is a translation of another",
    "template": "a page's own template (pages only)",
    "save_as": "a page's own output path (pages only)",
    "url": "a page's own URL (pages only)",
    "disclosure": "the essay's own disclosure (positions held, conflicts), plain text",
    "correction": "repeatable: 'YYYY-MM-DD — what was corrected'; the latest sets modified",
    "source": "where the essay first appeared: the publication or account's name",
    "source_url": "the address of the first publication, only when known",
    "original_language": "language code of the original (zh, en)",
    "translator": "who translated the essay",
    "machine_translated": "yes when the text is a machine translation",
    "series": "the name of the series an essay belongs to",
    "series_part": "the essay's part number in its series: 1, 2, 3…",
    "glossary_skip": "glossary terms not to link in this essay, comma-separated",
}

# Markdown and typography -----------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.toc": {"permalink": False},
        "markdown.extensions.sane_lists": {},
        # The site's Markdown: formulas become MathML as the essay is read, table
        # columns are aligned by class (plugins/markup), before typography.
        "plugins.markup": {},
    },
    "output_format": "html5",
}
# Typography (typogrify: curly quotes, dashes, no lone last word) is applied by
# the site's reader, which leaves Chinese text as typed and caches the result
# (plugins/core/reading.py); Pelican's own TYPOGRIFY would apply it again.
TYPOGRIFY = False
TYPOGRAPHY = True
# typogrify always skips pre and code; keep keyboard input, sample output and
# variables literal too, and formulas (MathML), where its <span>s would break
# the layout.
TYPOGRIFY_IGNORE_TAGS = ["pre", "code", "kbd", "samp", "var", "math"]
SUMMARY_MAX_LENGTH = 60

# Security: every page carries this policy in a <meta> tag (hosts that honour
# _headers get it as a header too). No inline script or style anywhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'"
)
REFERRER_POLICY = "strict-origin-when-cross-origin"

# Jinja: escape everything by default; rendered content is marked safe in one
# macro (theme/templates/macros/content.html). Interface text goes through
# gettext ({{ _("…") }}, {% trans %}): the core gives templates the catalog of
# each page's language (plugins/core/interface.py, theme/translations/).
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
}

# URLs: one folder with index.html per page ------------------------------------
ARTICLE_URL = "essays/{slug}/"
ARTICLE_SAVE_AS = "essays/{slug}/index.html"
ARTICLE_LANG_URL = "essays/{slug}/{lang}/"
ARTICLE_LANG_SAVE_AS = "essays/{slug}/{lang}/index.html"
DRAFT_URL = "drafts/{slug}/"
DRAFT_SAVE_AS = "drafts/{slug}/index.html"
DRAFT_LANG_URL = "drafts/{slug}/{lang}/"
DRAFT_LANG_SAVE_AS = "drafts/{slug}/{lang}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_LANG_URL = "{slug}/{lang}/"
PAGE_LANG_SAVE_AS = "{slug}/{lang}/index.html"
CATEGORY_URL = "category/{slug}/"
CATEGORY_SAVE_AS = "category/{slug}/index.html"
TAG_URL = "tag/{slug}/"
TAG_SAVE_AS = "tag/{slug}/index.html"
AUTHOR_URL = "author/{slug}/"
AUTHOR_SAVE_AS = "author/{slug}/index.html"

DIRECT_TEMPLATES = ["index", "archives", "categories", "tags", "authors", "notfound"]
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
NOTFOUND_URL = "404.html"
NOTFOUND_SAVE_AS = "404.html"
YEAR_ARCHIVE_URL = "archives/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archives/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "archives/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "archives/{date:%Y}/{date:%m}/index.html"

DEFAULT_PAGINATION = 10
DEFAULT_ORPHANS = 2
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: Atom and RSS, full content, for everything and for each listing -------
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/category/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
AUTHOR_FEED_ATOM = "feeds/author/{slug}.atom.xml"
AUTHOR_FEED_RSS = "feeds/author/{slug}.rss.xml"
FEED_ATOM = None
FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50

# Navigation -----------------------------------------------------------------
DISPLAY_PAGES_ON_MENU = True
DISPLAY_CATEGORIES_ON_MENU = False
# The theme lists Essays, Archives and Topics and the pages; MENUITEMS adds
# links after them (their titles go through the interface catalogs).
MENUITEMS = []

# Plugins ----------------------------------------------------------------------
STYLESHEET_MINIFY = False

# Sharing and discovery ---------------------------------------------------------
# JSON Feed 1.1 beside Atom and RSS (json_feed), social cards (social_image),
# canonical/OpenGraph/JSON-LD (share_meta); sitemap.xml and robots.txt are
# direct templates of the theme.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "sitemap", "robots"]
SITEMAP_SAVE_AS = SITEMAP_URL = "sitemap.xml"
ROBOTS_SAVE_AS = ROBOTS_URL = "robots.txt"
JSON_FEED_ALL = "feeds/all.json"
JSON_FEED_CATEGORY = "feeds/category/{slug}.json"
JSON_FEED_TAG = "feeds/tag/{slug}.json"
JSON_FEED_AUTHOR = "feeds/author/{slug}.json"

# Editorial: glossary, disclosures, corrections, provenance, charts ----------
# The glossary lives in content/glossary.toml and is listed by the page
# content/pages/glossary.md (Template: glossary); corrections are listed by
# content/pages/corrections.md (Template: corrections) and in their own feed.
GLOSSARY_PATH = "glossary.toml"
GLOSSARY_PAGE = "pages/glossary.md"
# In the essay's language: readers of a Chinese essay get the Chinese text.
DISCLOSURE_DEFAULT = {
    "en": (
        "This essay is commentary, not investment advice. It gives the author\u2019s opinion "
        "and does not recommend buying or selling any security or financial product."
    ),
    "zh": "本文为评论，不构成投资建议。文中观点仅代表作者个人意见，不建议买卖任何证券或金融产品。",
}
DISCLOSURE_TITLE = {"en": "Disclosure", "zh": "声明"}
CORRECTIONS_PAGE = "pages/corrections.md"
CORRECTIONS_FEED_ATOM = "feeds/corrections.atom.xml"
CHARTS_DATA_PATH = "data"

# Reader features: search, sidenotes, outline, series, translations ----------
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "search"]
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
# Heading ids keep Chinese characters ("#网联的作用", not "#_1").
MARKDOWN["extension_configs"]["markdown.extensions.toc"]["slugify"] = slugify_unicode
# Related essays by shared tags, never more than three.
RELATED_ESSAYS_MAX = 3
# Names of languages, written in that language, for links between translations.
LANGUAGE_NAMES = {"en": "English", "zh": "中文"}
# The site's own notes in essays (disclosure, glossary, corrections) are the
# same boilerplate everywhere: searching them would match every essay.
SITE_SEARCH_EXCLUDE = [".editorial-note"]
# The search page's <meta> policy allows WebAssembly (Pagefind); the _headers
# policy covers every path, search and pagefind/ included, so it allows it too.
HOST_HEADERS_CSP_SOURCES = {"script-src": ["'wasm-unsafe-eval'"]}

# Authoring: content checks, drafts and previews --------------------------------
# content_guard checks every essay and page before each build (and alone with
# `make check`); see plugins/content_guard for its settings.
CONTENT_GUARD_LANGUAGES = ["en", "zh"]
# One "Correction:" line per correction (the editorial plugin reads them all).
CONTENT_GUARD_REPEATABLE = ["correction"]
# Locally drafts are built, marked "Draft", and listed at /drafts/;
# publishconf.py writes none of them.
DIRECT_TEMPLATES = [*DIRECT_TEMPLATES, "drafts"]
DRAFTS_URL = "drafts/"
DRAFTS_SAVE_AS = "drafts/index.html"
DRAFT_PAGE_URL = "drafts/pages/{slug}/"
DRAFT_PAGE_SAVE_AS = "drafts/pages/{slug}/index.html"
DRAFT_PAGE_LANG_URL = "drafts/pages/{slug}/{lang}/"
DRAFT_PAGE_LANG_SAVE_AS = "drafts/pages/{slug}/{lang}/index.html"

# Build speed ------------------------------------------------------------------
# The core's memo keeps the results of expensive steps (reading, glossary
# links, pages, cards, compressed copies) in cache/memo/, one file each, and
# worker processes compute what it lacks; output is the same bytes without it
# (MEMO_ENABLED = False, WORKERS = 0).
# Pagefind reads only the essays' and pages' files, the only ones with
# data-pagefind-body (ARTICLE_SAVE_AS, PAGE_SAVE_AS and their _LANG_ forms),
# and the few listings beside the pages: the same index, a third sooner.
SITE_SEARCH_GLOB = "{essays/**/*.html,*/index.html,*/*/index.html}"
