"""Reuse a page's rendered HTML when nothing it read has changed.

Rendering the templates is the largest cost of a rebuild, and after one essay
changed almost every page renders to the same bytes as before.  The writer
(``MemoWriter``, Pelican's writer through its ``get_writer`` extension point)
keeps each page and Atom or RSS feed in the memo under a key made of

- the site digest: the memo's salt (libraries and plugin code), every file
  of the theme and plugin folders, every data file of the content folder,
  and the shared template context (settings included), in which each essay
  or page stands by its source path, URL and output path;
- the template's name, the output file and the page's own variables (the
  essay, the listing page and its essays, by source path);

and with it the essays and pages the render read, each with a digest of
what the page read of it: the fields a template asked for (``essay.title``,
``essay|attr("summary")``), or all its state (text, metadata, what plugins
added) when it read its text or handed it to a filter or function.  A page
is reused only when its key is found and every essay it read is still there
with the same digest; otherwise it is rendered again.  So a listing is keyed
by what it shows (titles, dates, summaries), and an edit to an essay's text
leaves the listings, neighbours and glossary that show it as they were
(``_field_digest`` says how each field is digested).

What a render reads is seen by rendering in a ``TrackingEnvironment``: the
generator's own templates, filters, tests and globals in a Jinja environment
whose ``getattr``/``getitem`` (which templates use for every ``a.b`` and
``a[b]``) note each essay or page they are asked about, and whose filters,
tests and global functions note the essays and pages passed to them.  This
is Jinja's documented way to watch attribute access (its sandbox overrides
the same two methods); nothing of Pelican's or Jinja's classes is changed.
A feed's render reads exactly the essays it includes, which are noted
explicitly.

So an edit to one essay's text renders again its own page and the few pages
that show it (listings, neighbours, related essays, feeds), not the whole
site.  On a cold build, workers forked from the build render the listings
and then essay pages from the last while the build renders from the first
(``start_render_workers``); when few essays changed since the last build
(``mostly_reused``), the build renders them itself.

A page whose key and reads are unchanged is not even read from the memo
when the last good output still holds the very file it was written to
(``written_file``: inode, size and time, kept for the next build as one
memo entry): that file is linked into the new output.

Output is byte-identical to a plain render: a reused page is the string the
template returned for the same inputs, and messages logged while it was
rendered are logged again.  The state of the build is taken to be settled
while pages are written (as Pelican's own writer assumes): shared objects
are digested once a build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import io
import logging
import os
import zlib
from itertools import chain, compress
from operator import ne
from pathlib import Path

import jinja2
from pelican import signals
from pelican.contents import Content, Static
from pelican.urlwrappers import URLWrapper
from pelican.utils import sanitised_join
from pelican.writers import FileOverwriteFailedError

from . import config, essays, memory, output, pipeline
from . import memo as memos
from .feeds import FeedWriter
from .workers import can_fork

logger = logging.getLogger(__name__)

# Attributes that hold the whole site (settings, the shared context), not the
# object's own state: the site digest covers them.
SHARED_ATTRIBUTES = frozenset({"settings", "_context"})
# Context entries that change from page to page while pages are written.
PER_PAGE = frozenset({"localsiteurl", "output_file"})
# Lists and dicts longer than this are digested once a build (by identity).
LONG = 16
# Settings that say where and how fast to build, not what.
NOT_OUTPUT = {
    "OUTPUT_PATH", "CACHE_PATH", "DELETE_OUTPUT_DIRECTORY", "OUTPUT_RETENTION",
    "WRITE_SELECTED", "WORKERS", "WORKERS_MIN_TASKS", "MEMO_ENABLED", "MEMO_PATH",
    "OUTPUT_REUSE_PATH",
}  # fmt: skip

_STATE = {
    "touched": None,  # {id: content} read by the page being rendered
    "site": None,  # (digest, {key: id(value)}) of the shared context
    "site_order": ([], []),  # the shared context's keys and their values' ids, in order
    "site_files": None,  # digests of the theme's, plugins' and content folder's other files
    # what the last build wrote and was made of (``written files``): None
    # until loaded, once a build
    "before_build": None,
    "context": None,  # the generators' shared context, complete
    "objects": {},  # (class, source path) -> the content object of this build
    "digests": {},  # id(content) -> digest of its state
    "field_digests": {},  # id(content) -> {fields read: digest, a field: its digest}
    "refs": {},  # id(content) -> how other objects refer to it
    "objects_digests": {},  # id(object) -> (object, digest of its state)
    "envs": {},  # id(generator env) -> (env, its TrackingEnvironment)
    "by_workers": set(),  # memo keys of pages workers rendered in this build
    "stale": set(),  # source paths of essays changed in place (a preview's update)
    # pages from earlier builds, rendered in this one, by workers; linked as held
    "stats": [0, 0, 0, 0],
    # memo key -> [(keys read, digest of their digests), [(file, inode, size, mtime)],
    # messages] of this build
    "written": {},
    "inputs": None,  # digest of the code, theme, data files and settings (``mostly_reused``)
    "few_changed": False,  # this build found ``mostly_reused`` true (``few_changed``)
    "changed": [],  # then: its essays and pages whose state is not the last build's
    # essays' pages to write, and asked for (``essays_written``): [generator, count, asked]
    "essays_due": None,
    "read_keys": {},  # (class, source path) -> itself: one object for all pages' reads
}


def shapes_output(key):
    """Whether a setting (or context entry) is part of what a build makes."""
    return key not in NOT_OUTPUT


# Noting what a render reads ----------------------------------------------------


# What a page read of an essay or page: a field's name, or all of it.
WHOLE = None


def _note(value, field=WHOLE):
    touched = _STATE["touched"]
    if touched is not None and isinstance(value, Content):
        found = touched.get(id(value))
        if found is None:
            touched[id(value)] = (value, {field})
        else:
            found[1].add(field)


def _note_arguments(args, kwargs):
    if _STATE["touched"] is None:
        return
    for value in (*args, *kwargs.values()):
        _note(value)
        if isinstance(value, (list, tuple)) and len(value) <= LONG:
            for item in value:
                _note(item)


def _noting(function):
    """``function`` that notes the essays and pages passed to it."""

    @functools.wraps(function)  # keeps Jinja's pass_context & co.
    def noting(*args, **kwargs):
        _note_arguments(args, kwargs)
        return function(*args, **kwargs)

    return noting


class TrackingEnvironment(jinja2.Environment):
    """A Jinja environment that notes the essays and pages templates read."""

    def getattr(self, obj, attribute):
        _note(obj, attribute if isinstance(attribute, str) else WHOLE)
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _note(obj, argument if isinstance(argument, str) else WHOLE)
        return super().getitem(obj, argument)


def tracking_environment(env, settings):
    """The TrackingEnvironment of a generator's environment, made at its first page.

    Built as Pelican builds the generator's (its loader and JINJA_ENVIRONMENT
    options), then given the generator's filters, tests and globals as
    plugins left them; the project's own (not Jinja's built-ins) note what
    they are passed.
    """
    found = _STATE["envs"].get(id(env))
    if found is not None and found[0] is env:
        return found[1]
    tracking = TrackingEnvironment(loader=env.loader, **settings["JINJA_ENVIRONMENT"])
    defaults = jinja2.Environment()
    for mine, theirs, builtin in (
        (tracking.filters, env.filters, defaults.filters),
        (tracking.tests, env.tests, defaults.tests),
        (tracking.globals, env.globals, defaults.globals),
    ):
        for name, value in theirs.items():
            own = callable(value) and builtin.get(name) is not value
            mine[name] = _noting(value) if own else value
    _STATE["envs"][id(env)] = (env, tracking)
    return tracking


# Digests ----------------------------------------------------------------------


def _content_ref(value):
    """An essay or page as other objects refer to it: what links to it use."""
    refs = _STATE["refs"]
    found = refs.get(id(value))
    if found is None:
        found = _digest((type(value).__qualname__, value.source_path, value.url,
                         value.save_as)).encode()  # fmt: skip
        refs[id(value)] = found
    return found


def _feed(update, value, seen, shallow=True):
    """Feed a stable, typed serialisation of value to a hash's update()."""
    kind = type(value)
    # Texts are most of what is fed (an essay's state is mostly strings):
    # one call for them, by exact type, before the isinstance chain.
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        update(b"S%d:%b" % (len(data), data))
    elif value is None or kind in _SCALARS or isinstance(value, (str, bool, int, float, bytes)):
        _feed_scalar(update, value)
    elif kind is list or kind is tuple or kind is dict:
        _feed_collection(update, value, seen)
    elif isinstance(value, Content):
        if shallow:
            update(b"C")
            update(_content_ref(value))
        else:
            _feed_object(update, value, seen, shallow=False)
    elif isinstance(value, URLWrapper):
        update(b"W")
        _feed(update, (type(value).__qualname__, value.name), seen)
    elif isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        update(b"D")
        _feed(update, (value.isoformat(), repr(getattr(value, "tzinfo", None))), seen)
    elif isinstance(value, (dict, list, tuple, set, frozenset)):
        _feed_collection(update, value, seen)
    elif callable(value) and hasattr(value, "__qualname__"):
        update(b"F")
        _feed(update, f"{getattr(value, '__module__', '')}.{value.__qualname__}", seen)
    elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
        _feed_object(update, value, seen)
    else:
        text = repr(value)
        _feed(update, type(value).__qualname__ if " at 0x" in text else text, seen)


_SCALARS = frozenset({bool, int, float, bytes})


def _feed_scalar(update, value):
    if value is None:
        update(b"N")
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        update(b"S%d:%b" % (len(data), data))
    elif isinstance(value, bool):
        update(b"T" if value else b"F")
    elif isinstance(value, bytes):
        update(b"B%d:" % len(value))
        update(value)
    else:
        update(b"I%r;" % value)


def _feed_collection(update, value, seen):
    if isinstance(value, (set, frozenset)):
        update(b"<%d" % len(value))
        for part in sorted(_digest(item) for item in value):
            update(part.encode())
    elif len(value) > LONG:
        # Listings share their long lists from page to page: digest each once.
        _feed_object(update, value, seen)
    elif isinstance(value, dict):
        update(b"{%d" % len(value))
        for key, item in _sorted_items(value):
            _feed(update, key, seen)
            _feed(update, item, seen)
    else:
        update(b"[%d" % len(value))
        for item in _ordered(value):
            _feed(update, item, seen)


def _feed_object(update, value, seen, shallow=True):
    """An object by its state, each shared object digested once a build.

    ``seen`` holds the objects being digested: a reference back to one of
    them (a cycle) counts as a marker.  Objects are digested in the order
    the build reaches them, the same in every build of the same input.
    """
    if id(value) in seen:
        update(b"^")
        return
    memo = _STATE["objects_digests"]
    found = memo.get(id(value), (None, None))[1] if shallow else None
    if found is None:
        digest = hashlib.sha256()
        seen.add(id(value))
        try:
            digest.update(type(value).__qualname__.encode())
            if isinstance(value, dict):
                pairs = [item for pair in _sorted_items(value) for item in pair]
            elif isinstance(value, (list, tuple)):
                pairs = _ordered(value)
            else:
                pairs = [item for name, item in _state_of(value).items()
                         if name not in SHARED_ATTRIBUTES for item in (name, item)]  # fmt: skip
            for item in pairs:
                _feed(digest.update, item, seen)
        finally:
            seen.discard(id(value))
        found = digest.digest()
        if shallow:
            memo[id(value)] = (value, found)  # holding it keeps its id from being reused
    update(b"O")
    update(found)


def _sorted_items(mapping):
    """A dict's items by key: Pelican fills some (generated_content) in the
    order of a set of paths, which changes from run to run."""
    try:
        return sorted(mapping.items())
    except TypeError:  # keys that do not compare
        return sorted(mapping.items(), key=lambda item: repr(item[0]))


def _ordered(sequence):
    """Static files by path: Pelican lists them (``staticfiles``) in the order
    of a set, and no page depends on that order (it would not be reproducible)."""
    first = sequence[0] if sequence else None
    if isinstance(first, Static) and all(isinstance(item, Static) for item in sequence):
        return sorted(sequence, key=lambda item: item.source_path)
    return sequence


def _state_of(value):
    state = dict(vars(value)) if hasattr(value, "__dict__") else {}
    if dataclasses.is_dataclass(value):
        state.update((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
    return state


def _digest(value, shallow=True):
    digest = hashlib.sha256()
    _feed(digest.update, value, set(), shallow)
    return digest.hexdigest()


def content_digest(content):
    """Digest of all an essay's or page's own state (memoised for this build)."""
    found = _STATE["digests"].get(id(content))
    if found is None:
        found = _digest(content, shallow=False)
        _STATE["digests"][id(content)] = found
    return found


# Fields the site digest already covers for every essay and page of the build
# (``_content_ref``: where it is and how others link to it) or that hold the
# whole site, not the essay.
SITE_FIELDS = frozenset({"url", "save_as", "source_path", "relative_dir", *SHARED_ATTRIBUTES})


def fields_of(noted):
    """The fields a page read of an essay (``_note``), as a read keeps them:
    their names in order, or () when it read all of it."""
    if WHOLE in noted:
        return ()
    return tuple(sorted(noted))


def read_digest(item, fields):
    """Digest of the ``fields`` of an essay or page (``fields_of``; () for all
    its state), memoised for this build."""
    if not fields:
        return content_digest(item)
    mine = _STATE["field_digests"].setdefault(id(item), {})
    found = mine.get(fields)
    if found is None:
        # The few sets of fields pages read are kept, and each field's digest
        # (keyed by its name) while they are made: the sets share most fields.
        combined = hashlib.blake2b(digest_size=16)
        for name in fields:
            part = mine.get(name)
            if part is None:
                part = mine[name] = _field_digest(item, name)
            combined.update(part)
        found = mine[fields] = combined.hexdigest()
    return found


def _field_digest(item, name):
    """Digest of what reading ``item.<name>`` gives a template.

    - an instance attribute (title, date, tags, lang, metadata, what plugins
      added): its value, essays in it by reference (their fields are read,
      and noted, on their own);
    - ``summary``: the ``Summary:`` given in its metadata, which Pelican
      returns as it is; without one it is cut from the text, so all the
      essay's state;
    - ``status``: the attribute behind it;
    - ``url``, ``save_as`` and the like (``SITE_FIELDS``): nothing, the site
      digest covers them for every essay and page;
    - any other property or a method (``content``, ``get_content``): all the
      essay's state, since what it gives is made from it;
    - a name the essay lacks: its absence.
    """
    if name in SITE_FIELDS:
        return b"s"
    value = _field_value(item, name)
    if value is _WHOLE_STATE:
        return b"*" + content_digest(item).encode()
    return b"-" if value is _ABSENT else b"v" + _digest(value).encode()


def _field_value(item, name):
    """What ``_field_digest`` digests of ``item.<name>``: a value, ``_ABSENT``
    or ``_WHOLE_STATE``."""
    state = vars(item)
    if name == "summary":
        metadata = item.metadata
        return ("summary", metadata["summary"]) if "summary" in metadata else _WHOLE_STATE
    if name == "status":
        return state.get("_status")
    declared = getattr(type(item), name, _ABSENT)
    if declared is _ABSENT:
        return state.get(name, _ABSENT)
    if callable(declared) or hasattr(declared, "__get__"):
        return _WHOLE_STATE
    return state.get(name, declared)


_ABSENT = object()
_WHOLE_STATE = object()


def _files_digest(folder, skip):
    """Digest of every file under folder but the given ones (data, images)."""
    digest = hashlib.sha256()
    for base, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(base, name)
            if path in skip:
                continue
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogatepass"))
            digest.update(hashlib.sha256(Path(path).read_bytes()).digest())
    return digest.hexdigest()


def _site_files(settings):
    """Digests of the theme's and plugins' files and the content folder's
    files that are not essays or pages (made once a build)."""
    if _STATE["site_files"] is None:
        sources = {os.path.abspath(path) for _, path in _STATE["objects"]}
        # Templates, and whatever else a theme or plugin folder holds beside code.
        folders = [settings.get("THEME"), *(settings.get("THEME_TEMPLATES_OVERRIDES") or []),
                   *config.plugin_folders(settings)]  # fmt: skip
        found = [_files_digest(f, set()) for f in folders if f and os.path.isdir(f)]
        found.append(_files_digest(settings["PATH"], sources))
        _STATE["site_files"] = found
    return _STATE["site_files"]


def _site_digest(context):
    digest = hashlib.sha256()
    digest.update(memos.current().salt.encode())
    for part in _site_files(context):
        digest.update(part.encode())
    shared = {key: value for key, value in context.items() if key not in PER_PAGE}
    # Where the build goes is not what it makes.
    _feed(digest.update, {k: v for k, v in shared.items() if shapes_output(k)}, set())
    return digest.hexdigest(), {key: id(value) for key, value in shared.items()}


def site_digest(context):
    """(digest, {key: id(value)}) of the shared context, made at the first page.

    The shared context is the generators' own (``use_context``), whichever
    page comes first: pages may get a copy of it with entries added or
    swapped (the period archives do), and those entries count as the page's
    own.  Render workers must agree with the build on it.
    """
    if _STATE["site"] is None:
        touched, _STATE["touched"] = _STATE["touched"], None
        try:
            shared = _STATE.get("context") or context
            _STATE["site"] = _site_digest(shared)
            _STATE["site_order"] = (list(shared), [id(value) for value in shared.values()])
        finally:
            _STATE["touched"] = touched
    return _STATE["site"]


# Rendering --------------------------------------------------------------------


class _MemoTemplate:
    """A template whose render() is served from the memo when it can be.

    A page of the site is finished with the transforms declared for its kind
    (minified HTML…).  A file of a step's own (``memo_template``) is finished
    by the step's ``finish`` (text -> text), which is part of what the memo
    keeps, and named by ``kind`` in its key.
    """

    def __init__(self, template, context, settings, finish=None, kind=()):
        self.template = template
        self.context = context
        self.settings = settings
        self.own = finish
        self.kind = tuple(kind)
        self.name = template.name

    def __getattr__(self, name):
        return getattr(self.template, name)

    def _finish(self, localcontext):
        if self.own is not None:
            return self.own
        suffix = os.path.splitext(str(localcontext.get("output_file", "")))[1]
        return functools.partial(finished, suffix=suffix, settings=self.settings)

    def render(self, localcontext, reusable=None):
        """The page's text (``Rendered``), or ``Reused`` when the last good
        output holds it as written (``memoised``): a page of the site is
        reusable; a step's own text only when the step says it writes it to
        files as it is (``reusable=True``) and notes them (``written_file``)."""
        finish = self._finish(localcontext)
        if not memos.current().enabled:
            return finish(self.template.render(localcontext))
        key = page_key(self.context, localcontext, "page", self.name, *self.kind)
        env = tracking_environment(self.template.environment, self.settings)
        tracked = env.get_template(self.name)

        def render():
            return finish(tracked.render(localcontext))

        # A preview makes a step's own files again through the step (on
        # essay_changed), not by the recorded writer calls.
        output_name = localcontext.get("output_file") if self.own is None else None
        recording = _RECORDING["current"]
        if recording is not None and output_name:
            recording.producer[output_name] = recording.call
        if reusable is None:
            reusable = bool(output_name)
        return memoised(key, render, output_name=output_name, reusable=reusable)


def finished(text, suffix, settings):
    """A rendered file as it is written: with the transforms plugins declared
    for its kind (minified HTML, fingerprinted script names)."""
    return output.transform(text, suffix, settings, pipeline.active_plugins())


def memo_template(template, context, settings, finish, kind):
    """``template`` (from a generator's environment) rendered through the memo,
    keyed and checked as the site's pages are, then ``finish``-ed (text ->
    text, kept in the memo too): for a step that makes a file of its own for
    each essay.  ``kind`` (strings) tells its entries from the pages'."""
    return _MemoTemplate(template, context, settings, finish, kind)


def page_key(context, localcontext, kind, *parts):
    """The key of a page (or feed) rendered from localcontext, a copy of context."""
    site, shared = site_digest(context)
    own, missing = _own_entries(localcontext, shared)
    return memos.key_for(kind, site, *parts, _digest((own, missing)))


def _own_entries(localcontext, shared):
    """(the page's own entries: those not the shared context's, the shared
    context's entries it lacks).

    A page's context is a copy of the shared one with entries added or
    replaced, so its keys begin with the shared context's, in order: then
    the entries are told apart by comparing identities in C (``map``,
    ``compress``) rather than 260 lookups a page in Python, which at 13,000
    pages was most of the cost of keying them.
    """
    keys, ids = _STATE["site_order"]
    names = list(localcontext)
    if keys and names[: len(keys)] == keys:
        differing = compress(names, map(ne, map(id, localcontext.values()), ids))
        own = {name: localcontext[name] for name in chain(differing, names[len(keys) :])}
        own.update((name, localcontext[name]) for name in PER_PAGE if name in localcontext)
        return own, []
    own = {
        key: value
        for key, value in localcontext.items()
        if key in PER_PAGE or shared.get(key) != id(value)
    }
    return own, sorted(key for key in shared if key not in localcontext)


def memoised(key, function, *args, reads=(), output_name=None, reusable=False):
    """function(*args) -> str, from the memo when what it read is unchanged.

    ``reads``: essays and pages the render reads besides those it is seen to;
    ``output_name``: the file it becomes, for a recording (``Recording``);
    ``reusable``: the text is written as it is to files of the output (a
    page, a feed, a step's own files), so when the last good output holds
    them this returns ``Reused`` instead of the text (``written_file``).
    Otherwise the text is a ``Rendered``, which knows its key.
    """
    memo = memos.current()
    if reusable:
        reused = _reuse(memo, key, output_name, (function, args, reads, output_name))
        if reused is not None:
            return reused
    return _memoised(memo, key, (function, args, reads, output_name))


def _memoised(memo, key, make):
    function, args, reads, output_name = make
    found, entry, records = memo.load(key)
    if found and _still_valid(entry[0]):
        memo.hits += 1
        memos.replay(records)
        _count_reused(key)
        _record_reads(output_name, (path for _, path, _, _ in entry[0]))
        _note_reads(key, entry[0], records)
        return Rendered(zlib.decompress(entry[1]).decode("utf-8", "surrogatepass"), key)
    touched = {id(item): (item, {WHOLE}) for item in reads}
    _STATE["touched"] = touched
    try:
        output, records = memos.run_captured(function, *args)
    finally:
        _STATE["touched"] = None
    read = sorted(
        (type(item).__qualname__, item.source_path, fields, read_digest(item, fields))
        for item, noted in touched.values()
        for fields in (fields_of(noted),)
    )
    packed = zlib.compress(output.encode("utf-8", "surrogatepass"), 1)
    memo.store(key, (read, packed), records, what=f"the page {key[:12]}")
    memo.computed += 1
    logger.debug("pages: rendered %s", output_name or f"the entry {key[:12]}")
    _STATE["stats"][1] += 1
    _record_reads(output_name, (path for _, path, _, _ in read))
    _note_reads(key, read, records)
    return Rendered(output, key)


def _count_reused(key):
    by_worker = key in _STATE["by_workers"]
    _STATE["stats"][1 if by_worker else 0] += 1
    _STATE["stats"][2] += by_worker


# Files the last good output already holds --------------------------------------
#
# A page reused from the memo was read from its entry, decompressed, compared
# with the last good output's file and linked: at 5,000 essays, 13,000 pages
# cost a rebuild seven seconds for nothing.  So the build notes, for each memo
# entry written to files, the files' identities as it wrote or linked them
# (inode, size, modification time: files of the output are only ever
# replaced, by a rename or a link, never rewritten in place), and keeps that
# as one memo entry.  The next build links such a file from the last good
# output when its page's key is the same, what the page read is unchanged,
# and the file there is still that very file; it then needs neither the
# entry nor the file's bytes.  A file that was replaced since (by a later
# step of that build, by hand) has another identity and is made as before.


class Rendered(str):
    """A rendered text, with the memo key it is kept under (``memo_key``)."""

    def __new__(cls, text, key):
        made = super().__new__(cls, text)
        made.memo_key = key
        return made


class Reused(str):
    """A text the last good output holds: ``link()`` its files into this
    build; ``text()`` makes it (from the memo) when a link cannot be made."""

    def __new__(cls, key, files, make):
        made = super().__new__(cls, "")
        made.memo_key, made.files, made._make = key, files, make
        return made

    def link(self):
        found = output.current()
        return found is not None and _link_files(found, self.memo_key, self.files)

    def text(self):
        memo = memos.current()
        _STATE["stats"][0] -= 1  # counted again as it is made
        return _memoised(memo, self.memo_key, self._make)


WRITTEN_FILES = "written files"  # the memo namespace of the identities of files


def _written_before(key):
    """(the last build's entry of the files written with memo ``key``: (reads,
    [(file, inode, size, time)], messages), the build's output), or None when
    there is no last good output to link from or no such entry."""
    before = (_STATE["before_build"] or {}).get("files")
    found = output.current()
    if not before or found is None or found.previous is None:
        return None
    entry = before.get(key)
    return None if entry is None else (entry, found)


def _still_held(found, files):
    """Whether each of ``files`` ((file, inode, size, time)) is still the very
    file in the last good output."""
    previous = os.fspath(found.previous)
    for name, inode, size, modified in files:
        try:
            status = os.stat(os.path.join(previous, name))
        except OSError:
            return False
        if (status.st_ino, status.st_size, status.st_mtime_ns) != (inode, size, modified):
            return False
    return True


def _reuse(memo, key, output_name, make):
    written = _written_before(key)
    if written is None:
        return None
    entry, found = written
    if not entry[1] or not memo.has(key) or not _reads_unchanged(*entry[0]):
        return None
    if not _still_held(found, entry[1]):
        return None
    memo.used.add(key)
    memo.hits += 1
    memos.replay(entry[2])
    _count_reused(key)
    _record_reads(output_name, (path for _, path, _ in entry[0][0]))
    _STATE["written"][key] = [entry[0], [], entry[2]]
    return Reused(key, entry[1], make)


def _note_reads(key, reads, records):
    """A page made this build: what it read and logged, and (as they are
    written, ``written_file``) its files.

    What it read is kept as the essays' keys, each one object shared by
    every page that read it, and one digest of their digests: listings
    read thousands of essays, and the full list of every page's reads,
    held through the build and pickled at its end, was the build's largest
    single cost in memory at 5,000 essays.
    """
    shared = _STATE["read_keys"]
    keys = tuple(shared.setdefault(read[:3], read[:3]) for read in reads)
    _STATE["written"][key] = [(keys, _digest_of(read[3] for read in reads)), [], list(records)]


def _digest_of(digests):
    combined = hashlib.blake2b(digest_size=16)
    for digest in digests:
        combined.update(digest.encode())
    return combined.digest()


def _reads_unchanged(keys, combined):
    """Whether the essays and pages a page read (``_note_reads``: class,
    source path, fields) are all there with the digests they had."""
    objects, stale = _STATE["objects"], _STATE["stale"]
    if stale and any(path in stale and not fields for _, path, fields in keys):
        return False  # an essay's text changed in place: no need to digest the others
    found = [objects.get(key[:2]) for key in keys]
    if any(item is None for item in found):
        return False
    digests = (read_digest(item, key[2]) for item, key in zip(found, keys, strict=True))
    return _digest_of(digests) == combined


def link_as_written(key, names):
    """For a step's own files made from one memo entry and nothing else (a
    social card): link ``names`` from the last good output when the last
    build wrote them with the value kept under ``key`` and each is still the
    very file it wrote (``_reuse`` does this for pages); True when all were.
    The step then neither loads the entry nor compares the files' bytes."""
    written = _written_before(key)
    if written is None:
        return False
    entry, found = written
    if sorted(name for name, *_ in entry[1]) != sorted(names) or not _still_held(found, entry[1]):
        return False
    _entry_without_reads(key)
    return _link_files(found, key, entry[1])


def _link_files(found, key, files):
    """Link ``files`` ((name, inode, size, time) each, found still the last
    good output's by ``_still_held``) into ``found`` (the build's output),
    noting their identities under memo ``key``; False when one could not be
    linked.  A hard link is the same inode, size and time, so the identities
    are noted as they were found rather than asked of the system again (a
    rebuild at 5,000 essays links 28,000 files)."""
    if not all(found.link_unchanged(name) for name, *_ in files):
        return False
    entry = _STATE["written"].get(key)
    if entry is not None:
        entry[1].extend(files)
    _STATE["stats"][3] += len(files)
    return True


def files_written(key, names):
    """``names`` (paths in the output) were written or linked with the value
    kept under memo ``key``, which read no essay: note their identities for
    the next build (``link_as_written``)."""
    _entry_without_reads(key)
    for name in names:
        written_file(key, name)


def _entry_without_reads(key):
    """This build's entry (``_note_reads``) for files made from memo ``key`` alone."""
    _STATE["written"].setdefault(key, [((), _digest_of(())), [], []])


def written_file(key, name):
    """``name`` (a path in the output) was written or linked with the text
    kept under memo ``key``: note its identity for the next build."""
    entry = _STATE["written"].get(key)
    found = output.current()
    if entry is None or found is None:
        return
    try:
        status = os.stat(found.folder / name)
    except OSError:
        return
    entry[1].append((name, status.st_ino, status.st_size, status.st_mtime_ns))


def load_written_files():
    """The last build's file identities, before pages are written (and before
    render workers are forked, which then share them)."""
    memo = memos.current()
    if _STATE["before_build"] is None and memo.enabled:
        found, value, _ = memo.load(memo.key(WRITTEN_FILES))
        usable = found and isinstance(value, dict) and isinstance(value.get("files"), dict)
        _STATE["before_build"] = value if usable else {}


def keep_written_files():
    """At the end of a build: this build's file identities, for the next, with
    what it was made of (``mostly_reused``)."""
    memo = memos.current()
    if not memo.enabled or output.current() is None or not _STATE["written"]:
        return
    kept = {
        "files": {key: entry for key, entry in _STATE["written"].items() if entry[1]},
        "inputs": _STATE["inputs"],
        "contents": {
            key: _STATE["digests"][id(item)]
            for key, item in _STATE["objects"].items()
            if id(item) in _STATE["digests"]
        },
    }
    memo.store(memo.key(WRITTEN_FILES), kept, what="the identities of written files")


# At most this many essays or pages changed since the last build: the build
# renders their pages itself rather than fork render workers.
FEW_CHANGED = 8


def mostly_reused(settings):
    """Whether this build's pages are nearly all the last build's: the same
    code, theme, data files and settings, and at most ``FEW_CHANGED`` essays
    or pages changed, added or removed.

    Then render workers would render a few dozen pages, while handing them
    every page (a lookup each, and the build waiting on them for the pages
    they hold) costs more than the renders: at 5,000 essays, seconds.  The
    essays' digests made here are the ones their pages are checked by (the
    essays are settled once the generators are done, ``use_context``).
    """
    before = _STATE["before_build"]
    inputs = _digest((memos.current().salt, _site_files(settings),
                      {k: v for k, v in settings.items() if shapes_output(k)}))  # fmt: skip
    _STATE["inputs"] = inputs
    found = output.current()
    if not before or found is None or found.previous is None or before.get("inputs") != inputs:
        return False
    contents = before.get("contents") or {}
    changed = len(contents.keys() - _STATE["objects"].keys())
    items = []
    for key, item in _STATE["objects"].items():
        if contents.get(key) != content_digest(item):
            changed += 1
            items.append(item)
            if changed > FEW_CHANGED:
                return False
    _STATE["changed"] = items
    return True


def _still_valid(reads):
    """``_reads_unchanged`` for reads as a memo entry keeps them: (class,
    source path, fields, digest) each."""
    keys = tuple(read[:3] for read in reads)
    return _reads_unchanged(keys, _digest_of(read[3] for read in reads))


class MemoWriter(FeedWriter):
    """Pelican's writer, rendering pages and feeds through the memo, and
    writing through the build's output (``output``): a file whose bytes the
    last good output already has is linked, not written."""

    def write_file(self, name, template, context, *args, **kwargs):
        if template is not None:
            if memos.current().enabled:
                _collect_page(name)
            template = _MemoTemplate(template, context, self.settings)
            recording = _RECORDING["current"]
            if recording is not None:
                recording.calls[("file", name)] = (name, template.template, context, args, kwargs)
                recording.call = ("file", name)
        written = super().write_file(name, template, context, *args, **kwargs)
        # An essay's or page's own page is the last to read all its text
        # but its feeds' and edition's, which read it again if they need it.
        item = kwargs.get("article") or kwargs.get("page")
        if item is not None:
            memory.forget_rendered(item)
        _after_write()
        return written

    def _open_w(self, filename, encoding, override=False):
        """Pelican's bookkeeping of written files (Writer._open_w, which
        opens the file itself), then a file that is written through the
        build's output when it is closed."""
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return io.StringIO()
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it '
                    "previously (set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _OutputFile(filename, encoding)

    def write_feed(  # noqa: PLR0917 (Writer.write_feed's own signature)
        self, elements, context, path=None, url=None, feed_type="atom",
        override_output=False, feed_title=None,
    ):  # fmt: skip
        """A feed file as Writer.write_feed writes it, from the memo when it can be.

        Only when nothing listens for the feed objects (``feed_generated``,
        ``feed_written``), which a feed from the memo does not make.
        """
        args = (elements, context, path, url, feed_type, override_output, feed_title)
        if (
            not memos.current().enabled
            or not path
            or bool(signals.feed_generated.receivers)
            or bool(signals.feed_written.receivers)
        ):
            return super().write_feed(*args)
        included = list(elements[: self.settings["FEED_MAX_ITEMS"]])
        details = (path, url, feed_type, override_output, feed_title, included)
        key = page_key(context, {**context, "feed": details}, "feed")
        complete_path = sanitised_join(self.output_path, path)

        written = []

        def write():
            super(MemoWriter, self).write_feed(*args)
            written.append(complete_path)
            return Path(complete_path).read_text(encoding="utf-8")

        recording = _RECORDING["current"]
        if recording is not None:
            recording.calls[("feed", path)] = args
            recording.producer[path] = ("feed", path)
        text = memoised(key, write, reads=included, output_name=path, reusable=True)
        if not written:  # from the memo
            os.makedirs(os.path.dirname(complete_path), exist_ok=True)
            with self._open_w(complete_path, "utf-8", override_output) as handle:
                handle.write(text)
        elif output.current() is not None:  # Pelican's writer wrote it, in parts
            written_file(text.memo_key, output.current().relative(complete_path))
        return None


class _OutputFile(io.StringIO):
    """Text for one file, written through the build's output when closed;
    a page the last good output holds (``Reused``) is linked from it."""

    def __init__(self, filename, encoding):
        super().__init__()
        self.filename, self.encoding_name = filename, encoding
        self.memo_key = self.reused = None

    def write(self, text):
        # Pelican writes a page's text in one call: the page's key comes with it.
        if isinstance(text, Reused):
            self.reused = text
        self.memo_key = getattr(text, "memo_key", None)
        return super().write(text)

    def close(self):
        if not self.closed:
            self._write()
        super().close()

    def _write(self):
        found = output.current()
        name = found.relative(self.filename) if found is not None else None
        if self.reused is not None and self.getvalue() == "":
            if self.reused.link():
                return
            self.write(self.reused.text())
        output.write(self.filename, self.getvalue().encode(self.encoding_name))
        if self.memo_key is not None and name is not None:
            written_file(self.memo_key, name)


class _DiscardingWriter(MemoWriter):
    """In a render worker: renders into the memo and writes nothing."""

    @contextlib.contextmanager
    def _open_w(self, filename, encoding, override=False):
        yield io.StringIO()


# Render workers ---------------------------------------------------------------

# What a forked render worker inherits: the essays and how to write one.
_RENDER = {"generator": None, "items": [], "write": None, "listings": []}

# The listings ArticlesGenerator.generate_pages writes after the essays.
LISTINGS = [
    "generate_period_archives", "generate_direct_templates", "generate_tags",
    "generate_categories", "generate_authors", "generate_drafts",
]  # fmt: skip


def _render_listings(method):
    """In a forked worker: render one kind of listing page into the memo."""
    getattr(_RENDER["generator"], method)(_RENDER["write"])


def _render_essay(index):
    """In a forked worker: render one essay's page into the memo."""
    _write_essay(_RENDER["write"], _RENDER["generator"], _RENDER["items"][index])


def _write_essay(write, generator, article):
    # The call ArticlesGenerator.generate_articles makes for each essay.
    write(
        article.save_as,
        generator.get_template(article.template),
        generator.context,
        article=article,
        category=getattr(article, "category", None),
        override_output=hasattr(article, "override_save_as"),
        url=article.url,
        blog=True,
    )


def use_context(generators):
    """all_generators_finalized: the shared context and every essay, page and
    static file of this build, then the render workers."""
    articles_generator = next((g for g in generators if hasattr(g, "articles")), None)
    if articles_generator is None:
        return
    # The essays are final: what their reading, glossary and disclosure
    # steps freed goes back to the system before pages are rendered.
    memory.release()
    context = articles_generator.context
    _STATE["context"] = context
    if _RECORDING["current"] is not None:
        _RECORDING["current"].generators = generators
    for mapping in (context.get("generated_content", {}), context.get("static_content", {})):
        for item in mapping.values():
            if getattr(item, "source_path", None):
                _STATE["objects"][(type(item).__qualname__, item.source_path)] = item
    load_written_files()
    count = sum(len(getattr(articles_generator, name, ())) for name in ESSAY_PAGES)
    _STATE["essays_due"] = [articles_generator, count, 0] if count else None
    _STATE["few_changed"] = mostly_reused(articles_generator.settings)
    if _STATE["few_changed"]:
        logger.debug("pages: few essays changed; no render workers")
        write_changed_essays(articles_generator)
        return
    start_render_workers(articles_generator)


# The lists whose essays Pelican's ArticlesGenerator.generate_articles writes,
# one page each and first of all its pages (then archives and listings).
ESSAY_PAGES = ("translations", "articles", "hidden_translations", "hidden_articles")


def write_changed_essays(generator):
    """On a rebuild of few essays: write the pages of the essays whose state
    changed now, before Pelican writes every essay's, and send the site's
    ``essays_written`` then rather than after the last essay's page.

    Every other essay's page is then the last good output's, so a step that
    reads only essay pages (the search index) can start on them about 0.2 s
    earlier at 1,000 essays, while Pelican's loop links the rest.
    When Pelican reaches these essays, their pages are the memo's and the
    same bytes.  A page that changes although its essay did not (a
    neighbour's link, after a title edit) is written in Pelican's loop as
    usual; the search index plans again once every page is written."""
    due = {id(item) for item in _STATE["changed"]}
    items = [
        item for name in ESSAY_PAGES for item in getattr(generator, name, ()) if id(item) in due
    ]
    if not items or _STATE["essays_due"] is None:
        return
    # A writer of its own: Pelican's keeps the names it wrote and would warn
    # when its loop writes them again.
    writer = MemoWriter(generator.output_path, settings=generator.settings)
    write = functools.partial(writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"])
    for article in items:
        _write_essay(write, generator, article)
    logger.debug("pages: the %d changed essays' pages written first", len(items))
    _STATE["essays_due"] = None
    pipeline.send("essays_written", generator)


def essay_page_asked(generator, content=None):
    """article_generator_write_article: Pelican is about to write an essay's page."""
    due = _STATE["essays_due"]
    if due is not None and due[0] is generator:
        due[2] += 1


def _after_write():
    """After the writer wrote a page: once the last essay's page is written,
    send the site's ``essays_written`` (once a build): a step that reads
    only essay pages (the search index) may start on them while the
    listings are written."""
    due = _STATE["essays_due"]
    if due is not None and due[2] >= due[1]:
        _STATE["essays_due"] = None
        pipeline.send("essays_written", due[0])


def few_changed():
    """Whether this build is nearly all the last one's (``mostly_reused``,
    decided once the generators are done): a step with a task an essay does
    them itself then, rather than fork workers that would mostly look up
    what the memo holds while the build waits on them."""
    return _STATE["few_changed"]


def start_render_workers(generator):
    """Render the listings, then the essay pages from the last, in forked
    workers; the build renders from the first and takes each page from a
    worker when it gets there.

    The workers are forked from the build once its context is complete: the
    templates, filters and essays exist only there.  A page the memo holds
    costs a worker a lookup.
    """
    memo = memos.current()
    pool = memo.pool
    if pool is None or not can_fork():
        return
    items = [item for item in essays.every(generator) if getattr(item, "status", "") != "draft"]
    writer = _DiscardingWriter(generator.output_path, settings=generator.settings)
    _RENDER.update(
        generator=generator,
        items=items,
        write=functools.partial(
            writer.write_file, relative_urls=generator.settings["RELATIVE_URLS"]
        ),
    )
    # The listings first: the build reaches them last, after its half of the
    # essays, and takes them all at once.
    listings = [
        (("listings", method), _render_listings, (method,))
        for method in LISTINGS
        if hasattr(generator, method)
    ]
    pages = [(("page", item.save_as), _render_essay, (index,)) for index, item in enumerate(items)]
    tasks = [*pages, *reversed(listings)]  # handed out from the last: listings first
    if len(items) < pool.at_least:
        return
    if pool.ahead(tasks):
        _RENDER["listings"] = [task[0] for task in listings]


def claim(task):
    """Before the build makes what it handed the workers as ``task`` (a step's
    own files, ``memo_template``): wait for a worker at work on it, and count
    what the worker rendered as the workers'."""
    pool = memos.current().pool
    if pool is not None:
        _STATE["by_workers"].update(pool.claim(task))


def _collect_page(name):
    """Take a worker's rendering of this page: wait if it is at work on it.

    A page that is not an essay's takes the listings the workers rendered.
    """
    pool = memos.current().pool
    if pool is None:
        return
    if ("page", name) in pool.pending:
        _STATE["by_workers"].update(pool.claim(("page", name)))
    else:
        listings, _RENDER["listings"] = _RENDER["listings"], []
        _STATE["by_workers"].update(pool.claim_all(listings))


# Signals ----------------------------------------------------------------------


def writer_class(pelican):
    """get_writer: pages go through the memo and the build's output."""
    return MemoWriter


def reset():
    """A build begins or ends: log its page counts, let its objects go (a
    recording keeps what it needs of them)."""
    _RENDER.update(generator=None, items=[], write=None, listings=[])
    stats = _STATE["stats"]
    if any(stats):
        logger.info(
            "memo: %d pages and feeds reused, %d rendered (%d by workers); "
            "%d files linked as the last good output holds them",
            *stats,
        )
    recording = _RECORDING["current"]
    if recording is not None and _STATE["context"] is not None:
        recording.state = {key: _STATE[key] for key in Recording.KEPT}
    _STATE.update(touched=None, site=None, site_order=([], []), context=None, objects={})
    _STATE.update(digests={}, field_digests={})
    _STATE.update(stats=[0, 0, 0, 0])
    _STATE.update(refs={}, objects_digests={}, envs={}, by_workers=set(), stale=set())
    _STATE.update(written={}, before_build=None, site_files=None, inputs=None, few_changed=False)
    _STATE.update(essays_due=None, changed=[])
    _STATE.update(read_keys={})


# Recording a build for a long-lived preview -----------------------------------


class Recording:
    """What a long-lived preview needs of the last full build to write again
    only the files that show an essay whose text changed: each file's write
    (Pelican's call to the writer), which essays and pages each file read,
    the generators, and the build's digests (valid while the site's shape
    does not change).
    """

    KEPT = ("site", "site_order", "context", "objects", "digests", "field_digests", "refs",
            "objects_digests", "envs")  # fmt: skip

    def __init__(self):
        self.calls = {}  # ("file", name) or ("feed", path) -> the writer call's arguments
        self.call = None  # the call under way
        self.producer = {}  # output file -> the call that wrote it
        self.reads = {}  # output file -> source paths of the essays and pages it read
        self.generators = None
        self.state = None

    def affected(self, source_paths):
        """The calls that wrote a file which read one of ``source_paths``, in
        the order the build made them."""
        wanted = set(source_paths)
        hit = {self.producer[name] for name, read in self.reads.items() if read & wanted}
        return [call for call in self.calls if call in hit]

    def write_again(self, calls, writer):
        """Make the writer calls again (the memo serves what did not change)."""
        for call in calls:
            arguments = self.calls[call]
            self.call = call
            if call[0] == "feed":
                writer.write_feed(*arguments)
            else:
                name, template, context, args, kwargs = arguments
                writer.write_file(name, template, context, *args, **kwargs)


_RECORDING = {"current": None}


def record_into(recording):
    """Have the builds of this process record into ``recording`` (None: stop)."""
    _RECORDING["current"] = recording


def _record_reads(output_name, paths):
    recording = _RECORDING["current"]
    if recording is not None and output_name:
        recording.reads[output_name] = set(paths)


def resume(recording, changed):
    """For an update in place: the recorded build's digests again, but those
    of the ``changed`` objects, whose pages render again."""
    _STATE.update(recording.state)
    for item in changed:
        _STATE["digests"].pop(id(item), None)
        _STATE["field_digests"].pop(id(item), None)
        _STATE["objects_digests"].pop(id(item), None)
    _STATE["stale"] = {item.source_path for item in changed}
