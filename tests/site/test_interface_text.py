"""Interface text: the catalogs are complete, Chinese pages are Chinese, a
Chinese site is Chinese throughout, and the subscribe form widens the policy
only when it is set."""

import re
from urllib.parse import unquote

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.support import FIXTURE_CONTENT, ROOT, build_in_process, parse_html

CATALOGS = ROOT / "theme" / "translations"
LIST_ACTION = "https://lists.example.org/subscribe"


def extracted_messages():
    with open(CATALOGS / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.setdefault(message if isinstance(message, str) else message[0], filename)
    return found


def test_every_interface_text_has_a_chinese_translation():
    with open(CATALOGS / "zh" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and (m.string if isinstance(m.string, str) else all(m.string))
    }
    extracted = extracted_messages()
    assert len(extracted) > 80
    missing = {text: where for text, where in extracted.items() if text not in translated}
    assert missing == {}, "run `make translations` and translate the new messages"


def test_a_chinese_essay_page_has_chinese_furniture(fixture_site):
    page = fixture_site.page("essays/mobile-payment-clearing/")
    assert page.html["lang"] == "zh"
    assert page.select_one(".skip-link").get_text() == "跳到正文"
    assert [a.get_text() for a in page.select(".site-nav a")][:3] == ["文章", "归档", "话题"]
    assert page.select_one(".byline time").get_text() == "2026年11月2日"
    assert re.fullmatch(r"\d+ 字 · 约 \d+ 分钟", page.select_one(".reading-time").get_text())
    assert page.select_one(".share-title").get_text() == "分享本文"
    # Furniture is not marked as another language; English names are.
    assert page.select_one(".site-header").get("lang") is None
    assert page.select_one(".site-title a")["lang"] == "en"
    assert page.select_one(".byline-author a")["lang"] == "en"


@pytest.fixture(scope="session")
def chinese_site(tmp_path_factory):
    """The fixture site with DEFAULT_LANG = "zh" and a subscribe form."""
    return build_in_process(
        ROOT / "pelicanconf.py",
        tmp_path_factory.mktemp("chinese_site"),
        content=FIXTURE_CONTENT,
        STATIC_PATHS=["data"],
        DEFAULT_LANG="zh",
        SUBSCRIBE_FORM_ACTION=LIST_ACTION,
    )


def test_a_chinese_site_is_chinese_on_every_listing(chinese_site):
    home = chinese_site.page("")
    assert home.html["lang"] == "zh"
    assert home.select_one("h1").get_text() == "最新文章"
    assert chinese_site.page("archives/").select_one("h1").get_text() == "归档"
    assert chinese_site.page("tags/").select_one("h1").get_text() == "话题"
    assert chinese_site.page("404.html").select_one("h1").get_text() == "找不到页面"
    dates = [t.get_text() for t in home.select(".byline time")]
    assert dates and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", d) for d in dates)


def test_an_english_essay_on_a_chinese_site_keeps_english_furniture(chinese_site):
    page = chinese_site.page("essays/ledger-basics/")
    assert page.html["lang"] == "en"
    assert page.select_one(".skip-link").get_text() == "Skip to content"


def policy_of(page):
    meta = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    return dict((part.split()[0], part.split()[1:]) for part in meta["content"].split(";"))


def test_subscribe_form_posts_to_the_list_and_only_then_widens_form_action(
    chinese_site, fixture_site
):
    essay = chinese_site.page("essays/ledger-basics/")
    form = essay.select_one("form.subscribe-form")
    assert form["action"] == LIST_ACTION and form["method"] == "post"
    assert form.select_one("input[type=email]")["name"] == "email"
    assert policy_of(essay)["form-action"] == ["'self'", "https://lists.example.org"]
    headers = (chinese_site.output / "_headers").read_text(encoding="utf-8")
    assert "form-action 'self' https://lists.example.org" in headers
    # Off by default: no form, and the policy as written.
    plain = fixture_site.page("essays/ledger-basics/")
    assert plain.select_one("form.subscribe-form") is None
    assert policy_of(plain)["form-action"] == ["'self'"]
    assert "lists.example.org" not in (fixture_site.output / "_headers").read_text("utf-8")


def test_every_essay_has_share_links_and_its_permalink(site):
    for html_file in (site.output / "essays").rglob("index.html"):
        page = parse_html(html_file)
        links = [a["href"] for a in page.select(".share-links a")]
        assert len(links) == 4, html_file
        permalink = page.select_one(".share-permalink input")["value"]
        assert permalink.startswith("http") and permalink.endswith("/"), html_file
        assert all(permalink in unquote(link) for link in links), html_file


def test_seed_essay_says_in_its_structured_data_that_it_is_a_translation(site, essay_url):
    import json  # noqa: PLC0415

    page = site.page(essay_url)
    data = json.loads(page.find("script", type="application/ld+json").string)
    posting = next(n for n in data.get("@graph", [data]) if n.get("@type") == "BlogPosting")
    assert posting["inLanguage"] == "en"
    assert posting["translationOfWork"]["inLanguage"] == "zh"
    assert posting["isBasedOn"]["name"] == "Hung Yan whisper (WeChat official account)"
