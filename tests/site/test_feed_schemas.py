"""Feeds are valid to their specifications, not just parseable.

Atom feeds validate against RFC 4287's own RELAX NG grammar (tests/schemas/)
with lxml, including the grammar's Schematron rules; RSS feeds parse with
feedparser and carry every element RSS 2.0 requires.
"""

import feedparser
import pytest
from lxml import etree

from tests.support import ROOT

SCHEMAS = ROOT / "tests" / "schemas"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "s": "http://www.ascc.net/xml/schematron",
    "rng": "http://relaxng.org/ns/structure/1.0",
}
BUILDS = ("site", "fixture_site", "production_site")


@pytest.fixture(scope="session")
def atom_grammar():
    tree = etree.parse(str(SCHEMAS / "atom.rng"))
    rules = [
        (rule.get("context"), check.get("test"), " ".join(check.text.split()))
        for rule in tree.iterfind(".//s:rule", NS)
        for check in rule.iterfind("s:assert", NS)
    ]
    return etree.RelaxNG(tree), rules


def atom_errors(grammar, path):
    relaxng, rules = grammar
    doc = etree.parse(str(path))
    errors = [] if relaxng.validate(doc) else [str(e) for e in relaxng.error_log]
    for context, test, message in rules:
        for node in doc.xpath("//" + context, namespaces=NS):
            if not node.xpath(f"boolean({test})", namespaces=NS):
                errors.append(message)
    return errors


def test_the_grammar_rejects_a_feed_without_id_or_updated(atom_grammar, tmp_path):
    feed = tmp_path / "bad.atom.xml"
    feed.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        "<entry><title>e</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated></entry>"
        "</feed>"
    )
    errors = atom_errors(atom_grammar, feed)
    assert errors
    assert any("must have an atom:author" in e for e in errors)


@pytest.mark.parametrize("build", BUILDS)
def test_every_atom_feed_is_valid_rfc_4287(atom_grammar, build, request):
    feeds = sorted(request.getfixturevalue(build).output.rglob("*.atom.xml"))
    assert feeds
    invalid = {f.name: atom_errors(atom_grammar, f) for f in feeds}
    assert {name: errors for name, errors in invalid.items() if errors} == {}


@pytest.mark.parametrize("build", BUILDS)
def test_every_rss_feed_has_the_elements_rss_2_requires(build, request):
    feeds = sorted(request.getfixturevalue(build).output.rglob("*.rss.xml"))
    assert feeds
    for path in feeds:
        raw = etree.parse(str(path)).getroot()
        assert raw.tag == "rss" and raw.get("version") == "2.0", path
        channel = raw.find("channel")
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (path, required)
        items = channel.findall("item")
        assert items, path
        for item in items:
            # RSS 2.0: an item needs at least a title or a description.
            assert item.findtext("title") or item.findtext("description"), path
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.version == "rss20"
        assert len(feed.entries) == len(items)
