"""Titles are read as text: typogrify still works, markup cannot get in."""

from pelican.readers import Readers
from pelican.settings import read_settings

from tests.support import ROOT


def read(tmp_path, text):
    (tmp_path / "essay.md").write_text(text, encoding="utf-8")
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PATH": str(tmp_path)})
    from pelican import signals  # noqa: PLC0415

    from plugins.safe_metadata import safe_metadata  # noqa: PLC0415

    signals.readers_init.connect(safe_metadata.use_text_title_reader)
    return Readers(settings).read_file(str(tmp_path), "essay.md")


def test_markup_in_a_title_is_escaped(tmp_path):
    essay = read(tmp_path, 'Title: <script>alert(1)</script> & "x"\nDate: 2026-01-01\n\nBody.\n')
    assert "<script>" not in essay.title
    assert "&lt;script&gt;" in essay.title
    assert "&amp;" in essay.title


def test_typogrify_still_curls_quotes_in_titles(tmp_path):
    essay = read(tmp_path, 'Title: The "open" bank\nDate: 2026-01-01\n\nBody.\n')
    assert "&#8220;open&#8221;" in essay.title


def test_typogrify_leaves_code_alone(tmp_path):
    body = 'She said "yes" -- twice.\n\n    x = "a" -- "b"\n\nUse `"q" -- r` here.\n'
    essay = read(tmp_path, "Title: T\nDate: 2026-01-01\n\n" + body)
    assert "&#8220;yes&#8221;" in essay.content
    assert "<code>x = &quot;a&quot; -- &quot;b&quot;" in essay.content
    assert '<code>"q" -- r</code>' in essay.content
