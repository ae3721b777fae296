"""Interface text: catalogs compiled from the .po files, chosen by the page's language."""

import datetime

import pytest
from jinja2 import Environment

from plugins.core import interface
from tests.support import ROOT

SETTINGS = {
    "THEME": str(ROOT / "theme"),
    "DEFAULT_LANG": "en",
    "INTERFACE_LOCALES": {"en": "en_GB", "zh": "zh_Hans_CN"},
}


class Essay:
    def __init__(self, lang):
        self.lang = lang


def render(source, **context):
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    for name, factory in (
        ("gettext", interface._gettext_for),
        ("ngettext", interface._ngettext_for),
    ):
        env.globals[name] = factory(SETTINGS)
    env.globals["page_lang"] = interface._page_lang_for(SETTINGS)
    env.filters["local_date"] = interface._local_date_for(SETTINGS)
    env.filters["local_number"] = interface._local_number_for(SETTINGS)
    return env.from_string(source).render(DEFAULT_LANG="en", **context)


def test_a_chinese_essay_gets_chinese_furniture_on_an_english_site():
    source = '{{ _("Contents") }}|{% trans minutes=3 %}{{ minutes }} min read{% endtrans %}'
    assert render(source, article=Essay("zh")) == "目录|约 3 分钟"
    assert render(source, article=Essay("en")) == "Contents|3 min read"
    assert render(source) == "Contents|3 min read"


def test_a_chinese_site_is_chinese_on_every_listing():
    env_source = '{{ _("Latest essays") }} {{ page_lang() }}'
    env = Environment(extensions=["jinja2.ext.i18n"])
    settings = {**SETTINGS, "DEFAULT_LANG": "zh"}
    env.globals["gettext"] = interface._gettext_for(settings)
    env.globals["ngettext"] = interface._ngettext_for(settings)
    env.globals["page_lang"] = interface._page_lang_for(settings)
    assert env.from_string(env_source).render(DEFAULT_LANG="zh") == "最新文章 zh"


def test_dates_and_plurals_in_each_language():
    day = datetime.date(2026, 11, 28)
    source = (
        "{{ day|local_date }}|{% trans count=n, n=n|local_number %}{{ n }} essay"
        "{% pluralize %}{{ n }} essays{% endtrans %}"
    )
    assert render(source, day=day, n=1) == "28 November 2026|1 essay"
    assert render(source, day=day, n=1129) == "28 November 2026|1,129 essays"
    assert render(source, day=day, n=2, article=Essay("zh")) == "2026年11月28日|2 篇文章"


def test_translated_text_is_escaped_where_its_values_are_not_markup():
    source = '{% trans name="<b>x</b>" %}By {{ name }}{% endtrans %}'
    assert render(source) == "By &lt;b&gt;x&lt;/b&gt;"


def test_a_language_without_a_catalog_gets_english_and_regional_forms_fall_back():
    assert interface.translator(SETTINGS, "fr").gettext("Contents") == "Contents"
    assert interface.translator(SETTINGS, "zh-CN").gettext("Contents") == "目录"


@pytest.mark.parametrize(
    ("text", "lang"), [("Fintech", "en"), ("互金巨头", "zh"), ("2026", None), ("Test 作者", "zh")]
)
def test_the_language_of_a_piece_of_metadata(text, lang):
    assert interface.text_lang(text) == lang
