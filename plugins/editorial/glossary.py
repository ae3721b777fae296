"""Link the first use of each glossary term in an essay to its definition.

Authors keep the glossary in one TOML file under the content folder
(``glossary.toml``): one ``[[term]]`` table per entry with ``term``,
``definition`` (one sentence), and optionally ``aliases``, ``chinese`` (the
original Chinese term), ``chinese_except`` and ``note``.  After the essays are read, the first
occurrence of each term, alias or Chinese original in every essay becomes a
link to the term's entry on the glossary page.  The link carries the short
definition twice, without script: as ``title`` (shown on hover) and through
``aria-describedby`` to a "Terms in this essay" list appended to the essay,
which feeds carry too.  Text inside headings, links, code, preformatted
text, figures and asides is never linked.

Chinese has no spaces to mark words, and an original often has other senses:
落地 ("landing", a plan put into practice) is also the coins that hit the
ground in 几枚硬币应声落地.  A term's ``chinese_except`` lists phrases in
which its original is not the term (``["应声落地", "落地窗"]``): a use inside
one of them is passed over and the next use counts.  An essay switches terms
off for itself with ``Glossary_skip:`` (the terms, or any of their spellings,
comma-separated); a name that is no term in the glossary is an error with its
line.

Matching works on the rendered HTML as typogrify left it: ``&nbsp;`` and
other entities count as the characters they stand for, typogrify's
``<span class="caps|amp|dquo|quo">`` wrappers are looked through, apostrophes
and hyphens match their typographic forms, and case is ignored.  The essay's
bytes are only ever inserted into, never re-serialised.  Each essay's HTML is
read once into runs of text (by the shared HTML reader, ``core.html``, told
which elements to skip and which wrappers to look through); the one regex
for all terms is then tried only where the first word of a term occurs
(found by plain substring search), so essays that mention few terms cost
little more than reading their HTML.

Mistakes in the glossary (TOML syntax, an entry without a definition, an
alias claimed by two terms, an unknown key) are logged as errors naming the
file and line, so ``--fatal errors`` fails the build.

Called from ``editorial.py``: ``link_essays`` after the essays are read
(it also publishes ``glossary_terms`` in the shared context),
``check_glossary_page`` after the pages are read and ``write_term_pages``
once the essays' pages are written.  A term's own page lists every essay
that uses it in any of its spellings, so a Chinese essay that uses only the
original is found there (a search for the English words would miss it).

Settings (defaults in ``DEFAULTS``):
  GLOSSARY_PATH   the glossary file, relative to PATH (``glossary.toml``);
                  when it does not exist, nothing is linked
  GLOSSARY_PAGE   source path (relative to PATH) of the page that lists the
                  terms with ``Template: glossary`` (``pages/glossary.md``);
                  links point at it through Pelican's ``{filename}`` syntax,
                  so they are relative on pages and absolute in feeds
  GLOSSARY_ESSAYS_LISTED  how many of a term's essays, newest first, the
                  glossary page lists (10); a term used in more says how
                  many and links to its own page, which lists them all:
                  listing every essay made the glossary page 3.3 MB at
                  5,000 essays
  GLOSSARY_TERM_URL, GLOSSARY_TERM_SAVE_AS  that page's address and file
                  ("glossary/{slug}/", "glossary/{slug}/index.html")

Metadata read: ``glossary_skip``.

Attributes: ``article.glossary_terms`` (entries linked in that essay, in order
of first use); context ``glossary_terms`` (every entry, alphabetical, each with
the published essays that use it, newest first, and the URL of its own page
when it has one).

Why not an existing tool: the legacy pelican-plugins ``glossary`` collects
the ``<dl>`` lists already written in articles into a page, and
Python-Markdown's ``abbr`` extension (part of ``extra``) needs the
definitions repeated in every essay and marks every use, not the first;
neither reads one shared file, links to a glossary page or knows typogrify's
markup.
"""

import array
import bisect
import html
import itertools
import logging
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from plugins.core import config, essays, interface, languages, pipeline
from plugins.core import html as bzhtml
from plugins.core import memo as memos

from .common import set_content

logger = logging.getLogger(__name__)

DEFAULTS = config.declare(
    __name__,
    {
        "GLOSSARY_PATH": "glossary.toml",
        "GLOSSARY_PAGE": "pages/glossary.md",
        "GLOSSARY_ESSAYS_LISTED": 10,
        "GLOSSARY_TERM_URL": "glossary/{slug}/",
        "GLOSSARY_TERM_SAVE_AS": "glossary/{slug}/index.html",
    },
    prefixes=("GLOSSARY_",),
)

ENTRY_KEYS = {"term", "aliases", "chinese", "chinese_except", "definition", "note"}
# Separators between the terms an essay's Glossary_skip names (ASCII and Chinese commas).
SKIP_SEPARATORS = re.compile(r"[,，、;；]")
# Elements whose text is never linked: headings, existing links, code, and the
# blocks that plugins add (figures for charts, asides for notes).
SKIP_ELEMENTS = {
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "samp", "var",
    "script", "style", "svg", "math", "abbr", "dfn", "figure", "aside", "details",
    "button", "label", "select", "textarea", "title",
}  # fmt: skip
# Inline wrappers typogrify adds inside words and phrases; matching sees through them.
TYPOGRIFY_WRAPPERS = frozenset(f'<span class="{name}">' for name in ("caps", "amp", "dquo", "quo"))
# Character references as the text runs decode them (with their semicolon).
ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
# A wrapper that a match starts right after; no longer than WRAPPER_WINDOW.
TYPOGRIFY_SPAN_BEFORE = re.compile(r'<span class="(?:caps|amp|dquo|quo)">$')
WRAPPER_WINDOW = 32
ENTRY_HEADER = re.compile(r"^\s*\[\[\s*term\s*\]\]")
TOML_LINE = re.compile(r"at line (\d+)")


@dataclass
class Term:
    term: str
    definition: str
    slug: str
    aliases: list = field(default_factory=list)
    chinese: str = ""
    chinese_except: list = field(default_factory=list)
    note: str = ""
    line: int = 0
    essays: list = field(default_factory=list)
    url: str = ""  # of its own page, when it has one (``write_term_pages``)

    def variants(self):
        return [self.term, *self.aliases, *([self.chinese] if self.chinese else [])]

    def excepted(self, text, start, end):
        """Whether text[start:end], a use of the Chinese original, lies inside
        one of the phrases where the original means something else."""
        if not self.chinese_except or text[start:end] != self.chinese:
            return False
        for phrase in self.chinese_except:
            at = phrase.find(self.chinese)
            while at >= 0:
                if start >= at and text.startswith(phrase, start - at):
                    return True
                at = phrase.find(self.chinese, at + 1)
        return False


def slugify_term(text):
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug or "term"


def _key_lines(lines, start, end):
    """Line numbers (1-based) of the keys set between two entry headers."""
    found = {}
    for number in range(start, end):
        match = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", lines[number])
        if match:
            found.setdefault(match.group(1), number + 1)
    return found


def _check_entry(entry, key_lines, header_line, claimed):
    """Validate one [[term]] table; returns (Term fields or None, errors)."""
    errors = [
        (
            key_lines.get(key, header_line),
            f"unknown key {key!r} — use term, aliases, chinese, chinese_except, definition or note",
        )
        for key in sorted(set(entry) - ENTRY_KEYS)
    ]
    name = entry.get("term")
    if not isinstance(name, str) or not name.strip():
        return None, [*errors, (header_line, 'entry has no term — add term = "…"')]
    name = name.strip()
    definition = entry.get("definition")
    if not isinstance(definition, str) or not definition.strip():
        errors.append(
            (
                key_lines.get("definition", header_line),
                f"term {name!r} has no definition — add definition = "
                '"one plain sentence" to the entry',
            )
        )
    aliases = entry.get("aliases", [])
    aliases = [aliases] if isinstance(aliases, str) else aliases
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        errors.append(
            (key_lines.get("aliases", header_line), f"aliases of {name!r} must be strings")
        )
        aliases = []
    aliases = [a.strip() for a in aliases if a.strip()]
    for key in ("chinese", "note"):
        if not isinstance(entry.get(key, ""), str):
            errors.append((key_lines.get(key, header_line), f"{key} of {name!r} must be a string"))
    excepted = entry.get("chinese_except", [])
    if not isinstance(excepted, list) or not all(isinstance(p, str) for p in excepted):
        errors.append(
            (
                key_lines.get("chinese_except", header_line),
                f'chinese_except of {name!r} must be a list of phrases: ["应声落地"]',
            )
        )
        excepted = []
    chinese = entry.get("chinese", "")
    chinese = chinese.strip() if isinstance(chinese, str) else ""
    for phrase in excepted:
        if not chinese or chinese not in phrase:
            errors.append(
                (
                    key_lines.get("chinese_except", header_line),
                    f"chinese_except phrase {phrase!r} of {name!r} does not contain its "
                    f"chinese original {chinese!r} — list phrases that contain it",
                )
            )
    for variant in [name, *aliases]:
        owner = claimed.get(variant.casefold())
        if owner and owner[0] != name:
            line = key_lines.get("term" if variant == name else "aliases", header_line)
            errors.append(
                (
                    line,
                    f"{variant!r} is claimed by both {owner[0]!r} (line {owner[1]}) and "
                    f"{name!r} — keep it in one entry only",
                )
            )
        else:
            claimed[variant.casefold()] = (name, key_lines.get("term", header_line))
    if errors:
        return None, errors
    fields = {
        "term": name,
        "definition": definition.strip(),
        "aliases": aliases,
        "chinese": chinese,
        "chinese_except": [phrase.strip() for phrase in excepted if phrase.strip()],
        "note": entry.get("note", "").strip(),
        "line": header_line,
    }
    return fields, []


def load_glossary(path):
    """Read and check the glossary; returns (terms, errors).

    Each error is ``(line, message)``; invalid entries are left out of terms.
    """
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = TOML_LINE.search(str(exc))
        message = f"not valid TOML ({exc}) — fix the syntax; each entry starts with [[term]]"
        return [], [(int(line.group(1)) if line else 1, message)]
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if ENTRY_HEADER.match(line)]
    errors = [
        (1, f"unknown top-level key {key!r} — entries go in [[term]] tables")
        for key in sorted(set(data) - {"term"})
    ]
    entries = data.get("term", [])
    if not isinstance(entries, list):
        return [], [(1, "'term' must be a list of [[term]] tables — write each entry as [[term]]")]
    terms, claimed, slugs = [], {}, set()
    for index, entry in enumerate(entries):
        start = headers[index] if index < len(headers) else 0
        end = headers[index + 1] if index + 1 < len(headers) else len(lines)
        fields, entry_errors = _check_entry(
            entry, _key_lines(lines, start, end), start + 1, claimed
        )
        errors.extend(entry_errors)
        if fields is None:
            continue
        slug = slugify_term(fields["term"])
        while slug in slugs:
            slug += "-2"
        slugs.add(slug)
        terms.append(Term(slug=slug, **fields))
    return terms, errors


# Matching -------------------------------------------------------------------


def _variant_pattern(text):
    """A regex for one term variant: flexible spaces, apostrophes, hyphens."""
    parts = []
    for word in text.split():
        escaped = re.escape(word)
        escaped = escaped.replace("'", "['\u2019]").replace(r"\-", "[-\u2010\u2011]")
        parts.append(escaped)
    body = r"[\s\u00a0]+".join(parts)
    # Latin words need word boundaries; Chinese text has no spaces to mark them.
    if re.match(r"\w", text, re.ASCII):
        body = r"(?<![\w])" + body
    if re.search(r"\w$", text, re.ASCII):
        body += r"(?![\w])"
    return body


def build_matcher(terms):
    """One regex for all terms; the group name says which term matched."""
    groups = []
    for index, term in enumerate(terms):
        variants = sorted(term.variants(), key=len, reverse=True)
        groups.append(f"(?P<t{index}>" + "|".join(_variant_pattern(v) for v in variants) + ")")
    if not groups:
        return None
    return re.compile("|".join(groups), re.IGNORECASE)


def _unescape(entity):
    return html.unescape(entity.group())


def _run_text(run):
    """The run's text as readers see it: entities decoded."""
    if len(run) == 1 and "&" not in run[0][1]:
        return run[0][1]
    return "".join(ENTITY.sub(_unescape, value) if "&" in value else value for _, value in run)


class _SourceMap:
    """Where each character of a run's decoded text comes from in the source.

    ``pieces`` holds, in order, (offset in the text, raw start, raw end) for
    every entity and (offset, raw start, None) for every stretch of plain
    text, whose characters map one to one onto the source.
    """

    def __init__(self, run):
        pieces, offset = [], 0
        for start, value in run:
            last = 0
            if "&" in value:
                for entity in ENTITY.finditer(value):
                    if entity.start() > last:
                        pieces.append((offset, start + last, None))
                        offset += entity.start() - last
                    pieces.append((offset, start + entity.start(), start + entity.end()))
                    offset += len(html.unescape(entity.group()))
                    last = entity.end()
            if last < len(value):
                pieces.append((offset, start + last, None))
                offset += len(value) - last
        self.pieces = pieces
        self.offsets = [piece[0] for piece in pieces]

    def span(self, index):
        """The raw [start, end) of the character at ``index`` of the text."""
        offset, start, end = self.pieces[bisect.bisect_right(self.offsets, index) - 1]
        if end is None:
            return start + index - offset, start + index - offset + 1
        return start, end


class _Prefilter:
    """Which runs of an essay can hold a match at all, found with str.find.

    Every match of a variant begins with its literal prefix (its first word up
    to any apostrophe or hyphen, which match several characters).  The runs
    are joined and lower-cased once, and the matcher is tried only where a
    lower-cased prefix begins.  ``str.lower`` agrees with the matcher's
    case-insensitivity except for a few characters (dotless i, long s, final
    sigma, ...); ``unsure`` finds the ones of those that the prefixes'
    characters match, found by asking the regex engine itself about every
    code point, and an essay containing one is searched whole.
    """

    def __init__(self, prefixes):
        self.needles = sorted({"".join(char.lower() for char in prefix) for prefix in prefixes})
        self.unsure = _unsure_characters({char for prefix in prefixes for char in prefix})

    def candidates(self, texts):
        """{run index: the positions in its text where a match may begin},
        or None when every position of every run must be tried."""
        joined = "\n".join(texts)
        if self.unsure is not None and self.unsure.search(joined):
            return None
        lowered = joined.lower()
        if len(lowered) != len(joined):  # a character lower-cased to two
            return None
        ends = list(itertools.accumulate(len(text) + 1 for text in texts))
        found = {}
        for needle in self.needles:
            at = lowered.find(needle)
            while at >= 0:
                run = bisect.bisect_right(ends, at)
                found.setdefault(run, set()).add(at - (ends[run - 1] if run else 0))
                at = lowered.find(needle, at + 1)
        return {run: sorted(found[run]) for run in sorted(found)}


def _unsure_characters(chars):
    """A regex for the characters that match one of ``chars`` ignoring case
    (as the matcher does) but lower-case to something else, or in context."""
    if not chars:
        return None
    every_code_point = array.array("I", range(sys.maxunicode + 1)).tobytes()
    every_code_point = every_code_point.decode(f"utf-32-{sys.byteorder[0]}e", "surrogatepass")
    pattern = "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"
    unsure = set()
    for found in set(re.findall(pattern, every_code_point, re.IGNORECASE)):
        for char in chars:
            same = re.fullmatch(re.escape(char), found, re.IGNORECASE)
            if same and (found.lower() != char.lower() or found == "\u03a3"):
                unsure.add(found)
    if not unsure:
        return None
    return re.compile("[" + "".join(re.escape(char) for char in sorted(unsure)) + "]")


_PREFILTERS = {}


def _prefilter(terms, matcher):
    """The prefilter for a matcher built from ``terms``; None: search every run."""
    variants = tuple(tuple(term.variants()) for term in terms)
    key = (matcher.pattern, matcher.flags, variants)
    if key not in _PREFILTERS:
        prefilter = None
        own = build_matcher(terms)
        prefixes = [re.split(r"['-]", variant.split()[0])[0] if variant.split() else ""
                    for group in variants for variant in group]  # fmt: skip
        if own is not None and (own.pattern, own.flags) == key[:2] and all(prefixes):
            prefilter = _Prefilter(prefixes)
        if len(_PREFILTERS) > 8:
            _PREFILTERS.clear()
        _PREFILTERS[key] = prefilter
    return _PREFILTERS[key]


def _balanced(segment):
    depth = 0
    for tag in re.finditer(r"<span[^>]*>|</span>", segment):
        depth += -1 if tag.group().startswith("</") else 1
        if depth < 0:
            return False
    return depth == 0


def _expand(markup, start, end):
    """Widen [start, end) over typogrify wrappers the match begins or ends in."""
    while not _balanced(markup[start:end]):
        # The wrapper must end right at start (or before a newline there): it
        # is at most 20 characters long, so the characters before suffice.
        window = max(0, start - WRAPPER_WINDOW)
        before = TYPOGRIFY_SPAN_BEFORE.search(markup, window, start)
        after = re.match(r"</span>", markup[end:])
        if markup[start:end].count("</span>") > len(re.findall(r"<span", markup[start:end])):
            if not before:
                return None
            start = before.start()
        elif after:
            end += after.end()
        else:
            return None
    return start, end


def _matches_at(matcher, text, positions):
    """What ``matcher.finditer(text)`` yields, when every match begins at one
    of ``positions`` (ascending) and none is empty."""
    end = 0
    for position in positions:
        if position >= end:
            match = matcher.match(text, position)
            if match:
                end = match.end()
                yield match


def link_first_uses(markup, terms, matcher, link_for, skip=frozenset()):
    """Return (markup with first uses linked, terms linked in order of use).

    ``link_for(term)`` gives the opening ``<a …>`` tag for a term; terms whose
    slug is in ``skip`` are not linked.
    """
    if not markup or matcher is None:
        return markup, []
    runs = list(bzhtml.text_runs(markup, SKIP_ELEMENTS, TYPOGRIFY_WRAPPERS))
    texts = [_run_text(run) for run in runs]
    prefilter = _prefilter(terms, matcher)
    candidates = None if prefilter is None else prefilter.candidates(texts)
    if candidates is None:
        searches = ((index, matcher.finditer(text)) for index, text in enumerate(texts))
    else:
        searches = (
            (index, _matches_at(matcher, texts[index], positions))
            for index, positions in candidates.items()
        )
    linked, seen = [], set()
    insertions = []
    for index, matches in searches:
        source = None
        for match in matches:
            term = terms[int(match.lastgroup[1:])]
            if term.slug in seen or term.slug in skip:
                continue
            if term.excepted(texts[index], match.start(), match.end()):
                continue
            source = source or _SourceMap(runs[index])
            start, end = source.span(match.start())[0], source.span(match.end() - 1)[1]
            span = _expand(markup, start, end)
            if span is None:
                continue
            linked.append(term)
            seen.add(term.slug)
            insertions.append((span[0], span[1], link_for(term)))
    for start, end, opening in sorted(insertions, reverse=True):
        markup = markup[:start] + opening + markup[start:end] + "</a>" + markup[end:]
    return markup, linked


# Rendering ------------------------------------------------------------------


def term_link(term, page_path):
    return (
        f'<a class="glossary-term" href="{{filename}}/{html.escape(page_path)}#term-{term.slug}"'
        f' title="{html.escape(term.definition)}"'
        f' aria-describedby="glossary-{term.slug}">'
    )


def lang_attribute(text, page_lang):
    """` lang="…"` when ``text`` is written in another language than the page's."""
    written = languages.written_in(text)
    return "" if page_lang is None or written == page_lang else f' lang="{written}"'


def terms_note(terms, page_path, title="Terms in this essay", lang=None):
    """The "Terms in this essay" list: the definitions the links describe.

    ``title`` is its heading, in the essay's language ``lang``; a term or
    definition written in the other language (an English glossary on a
    Chinese essay) says so with ``lang``, so screen readers switch voice.
    Chinese originals never break inside the word (the stylesheet keeps
    ``.term-chinese`` whole).
    """
    items = []
    for term in terms:
        chinese = (
            f' <span class="term-chinese" lang="zh">{html.escape(term.chinese)}</span>'
            if term.chinese
            else ""
        )
        items.append(
            f'<dt><a href="{{filename}}/{html.escape(page_path)}#term-{term.slug}"'
            f"{lang_attribute(term.term, lang)}>{html.escape(term.term)}</a>{chinese}</dt>\n"
            f'<dd id="glossary-{term.slug}"{lang_attribute(term.definition, lang)}>'
            f"{html.escape(term.definition)}</dd>"
        )
    return (
        '\n<aside class="glossary-notes editorial-note" aria-labelledby="glossary-notes-title">\n'
        '<h2 id="glossary-notes-title">'
        + html.escape(title)
        + "</h2>\n<dl>\n"
        + "\n".join(items)
        + "\n</dl>\n</aside>"
    )


# Over the site's essays ----------------------------------------------------


def read_site_glossary(settings):
    path = Path(settings["PATH"]) / settings["GLOSSARY_PATH"]
    if not path.is_file():
        return []
    terms, errors = load_glossary(path)
    for line, message in errors:
        logger.error("%s:%s: %s", path, line, message)
    return terms


def _link(markup, glossary, skip=frozenset(), note=None):
    """``link_first_uses`` as the memo keeps it: the terms used, by position;
    ``glossary`` is (terms, matcher, glossary page).  With ``note`` ((title,
    language)), the markup of an essay that uses a term ends with its terms
    note, kept in the memo with the links."""
    terms, matcher, page_path = glossary
    linked, used = link_first_uses(
        markup, terms, matcher, lambda term: term_link(term, page_path), skip
    )
    if note is not None and used:
        linked += terms_note(used, page_path, *note)
    return linked, [terms.index(term) for term in used]


def skipped_terms(article, terms):
    """The slugs of the terms an essay's ``Glossary_skip`` names, and the names
    that are no term's (logged as errors with the file and line)."""
    value = article.metadata.get("glossary_skip") or ""
    by_name = {variant.casefold(): term.slug for term in terms for variant in term.variants()}
    slugs = set()
    for written in SKIP_SEPARATORS.split(str(value)):
        name = " ".join(written.split())
        if not name:
            continue
        if name.casefold() in by_name:
            slugs.add(by_name[name.casefold()])
        else:
            logger.error(
                "%s:%d: Glossary_skip names %r, which is no term of the glossary — write a "
                "term, an alias or a chinese original from %s, or remove it",
                article.source_path,
                _key_line(article.source_path, "glossary_skip"),
                name,
                article.settings["GLOSSARY_PATH"],
            )
    return frozenset(slugs)


def _key_line(path, key):
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, start=1):
                if line.split(":", 1)[0].strip().lower() == key:
                    return number
    except OSError:
        pass
    return 1


def link_essays(generator):
    """Link every essay's first uses, each essay's result kept in the memo
    (keyed by its HTML and the whole glossary) and, on a cold build, made
    ahead by the build's workers."""
    settings = generator.settings
    terms = read_site_glossary(settings)
    generator.context["glossary_terms"] = sorted(terms, key=lambda t: t.term.casefold())
    generator.context["glossary_page_needed"] = bool(terms)
    matcher = build_matcher(terms)
    page_path = settings["GLOSSARY_PAGE"]
    listed = {id(a) for a in essays.published(generator)}
    everything = essays.every(generator)
    memo = memos.current()
    linking = Linking(terms, matcher, page_path, settings)
    _LAST["linking"] = linking
    jobs = []  # (essay, its task: (key, skip, note), or None when it has nothing to link)
    for article in everything:
        task = None
        if matcher is not None and article._content:
            task = linking.task(article, skipped_terms(article, terms))
        jobs.append((article, task))
    if memo.pool is not None and matcher is not None:
        memo.pool.ahead(
            [
                (key, _link, (a._content, (terms, matcher, page_path), skip, note))
                for a, (key, skip, note) in (job for job in jobs if job[1] is not None)
            ]
        )
    for article, task in jobs:
        used = linking.link(article, task)
        if id(article) in listed:
            for term in used:
                term.essays.append(article)
    listed_on_glossary = settings["GLOSSARY_ESSAYS_LISTED"]
    for term in terms:
        term.essays.sort(key=lambda a: (a.date, a.slug), reverse=True)
        if len(term.essays) > listed_on_glossary:
            term.url = settings["GLOSSARY_TERM_URL"].format(slug=term.slug)


def write_term_pages(generator, writer):
    """The page of each term the glossary page lists only some essays of:
    every essay that uses it, newest first (``glossary_term.html``).

    Written through Pelican's writer like its own listings, so the page is
    kept in the memo and made again only when a title, date or URL it shows
    changed."""
    settings = generator.settings
    terms = [term for term in generator.context.get("glossary_terms") or [] if term.url]
    if not terms or writer is None:
        return
    page_path = settings["GLOSSARY_PAGE"]
    context = generator.context
    pages = [*context.get("pages", []), *context.get("hidden_pages", [])]
    glossary_page = next((p for p in pages if p.relative_source_path == page_path), None)
    template = generator.get_template("glossary_term")
    for term in terms:
        writer.write_file(
            settings["GLOSSARY_TERM_SAVE_AS"].format(slug=term.slug),
            template,
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            url=term.url,
            term=term,
            glossary_page=glossary_page,
        )


class Linking:
    """The glossary of one build, and how it links one essay."""

    def __init__(self, terms, matcher, page_path, settings):
        self.terms, self.matcher, self.page_path = terms, matcher, page_path
        self.settings = settings
        self.glossary = repr([(t.slug, t.term, t.aliases, t.chinese, t.chinese_except,
                               t.definition, term_link(t, page_path)) for t in terms])  # fmt: skip
        # The matcher and the glossary are the same for every essay: hashed once.
        self.digest = memos.key_for(self.matcher.pattern if self.matcher else "", self.glossary)

    def task(self, article, skip):
        """(memo key, terms skipped, (title, language) of the terms note) of
        linking one essay, made once for the workers and the build."""
        words = interface.translator(self.settings, article.lang)
        note = (words.gettext("Terms in this essay"), article.lang)
        parts = (article._content, self.digest, sorted(skip), repr(note))
        return memos.current().key("glossary", *parts), skip, note

    def link(self, article, task=None):
        """Link the essay's first uses (from the memo when it can), except the
        terms its ``Glossary_skip`` names; the terms used.  ``task`` is what
        ``task`` made for it, if it was made."""
        used = []
        if self.matcher is not None and article._content:
            if task is None:
                task = self.task(article, skipped_terms(article, self.terms))
            key, skip, note = task
            markup, positions = memos.current().compute(
                key,
                _link,
                article._content,
                (self.terms, self.matcher, self.page_path),
                skip,
                note,
                what=article.source_path,
            )
            used = [self.terms[index] for index in positions]
            if used:
                set_content(article, markup)
        article.glossary_terms = used
        return used


# The glossary of the last build, for a preview that links one essay again.
_LAST = {"linking": None}


def relink_essay(article):
    """Link one essay again with the last build's glossary.  The terms it uses
    must be the ones it used: the glossary page lists each term's essays."""
    linking = _LAST["linking"]
    before = [term.slug for term in getattr(article, "glossary_terms", [])]
    if linking is None:
        raise pipeline.Rebuild("no glossary from a full build")
    used = linking.link(article)
    if [term.slug for term in used] != before:
        raise pipeline.Rebuild(f"{article.source_path} uses other glossary terms now")


def check_glossary_page(generator):
    if not generator.context.get("glossary_page_needed"):
        return
    page_path = generator.settings["GLOSSARY_PAGE"]
    sources = {p.relative_source_path for p in [*generator.pages, *generator.hidden_pages]}
    if page_path not in sources:
        logger.error(
            "%s: the glossary has terms but there is no glossary page — create %s with "
            "'Template: glossary' (or set GLOSSARY_PAGE)",
            Path(generator.settings["PATH"]) / generator.settings["GLOSSARY_PATH"],
            page_path,
        )
