"""The seed essay's first view stays light with the text face: at most 60 KB brotli."""

from tests.conftest import PRODUCTION_SITEURL
from tools.bench import first_view

BUDGET = 60 * 1024


def test_seed_essays_first_view_with_its_font_is_at_most_60_kb_brotli(production_site, essay_url):
    requests, raw, compressed, scripts = first_view(
        production_site.output, essay_url, PRODUCTION_SITEURL
    )
    fonts = sorted(p.name for p in (production_site.output / "theme" / "fonts").glob("*.woff2"))
    # HTML, stylesheet, icon and the face's regular and italic (the stylesheet's url()s).
    assert len(fonts) == 2 and requests == 5
    assert scripts == 0
    assert compressed <= BUDGET, f"{compressed / 1024:.1f} KB brotli ({raw / 1024:.1f} KB raw)"


def test_the_regular_and_italic_faces_are_at_most_80_kb_together(production_site):
    sizes = [p.stat().st_size for p in (production_site.output / "theme" / "fonts").glob("*.woff2")]
    assert len(sizes) == 2 and sum(sizes) <= 80 * 1024
    assert (production_site.output / "theme" / "fonts" / "OFL.txt").is_file()
