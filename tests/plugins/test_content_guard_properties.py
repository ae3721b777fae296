"""Whatever an author writes, the build succeeds or says what to fix: never a traceback."""

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plugins.test_content_guard import write_good_site
from tests.support import ROOT
from tools.build import build

KEYS = [
    "Title",
    "Date",
    "Author",
    "Authors",
    "Category",
    "Tags",
    "Summary",
    "Slug",
    "Lang",
    "Status",
    "Modified",
    "Template",
    "Save_as",
    "Translation",
]
TYPOS = ["Titel", "Stauts", "Catgory", "Mood", "tags", "DATE", "X-Y"]
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</title>",
    "&amp; &",
    "'",
    "[x](javascript:alert(1))",
    "*em*",
    "{filename}nope.md",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            "2026-03-01",
            "2026-03-01 10:00",
            "2026-03-01T10:00+08:00",
            "2026-02-30",
            "2026",
            "tomorrow",
            "9999-12-31",
            "0001-01-01",
        ]
    ),
    st.sampled_from(
        [
            "published",
            "draft",
            "hidden",
            "pending",
            "en",
            "zh",
            "fr",
            "",
            "   ",
            "true",
            "a-slug",
            "Bad Slug",
        ]
    ),
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",),
            blacklist_characters="\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
        ),
        max_size=30,
    ),
)
# Mostly printable text; control characters now and then.
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
TEXT = st.one_of(
    PRINTABLE,
    PRINTABLE,
    PRINTABLE,
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=10),
)
LINE = st.tuples(st.sampled_from(KEYS + TYPOS), VALUES)
BODY_PARTS = st.sampled_from(
    [
        "Plain paragraph.",
        "## A heading",
        "- a\n- list",
        "![A chart]({static}/images/chart.png)",
        "![](x.png)",
        "[About]({filename}/pages/about.md)",
        "[Missing]({filename}missing.md)",
        "<script>alert(1)</script>",
        '<div onclick="x">x</div>',
        "```\n<script>in code</script>\n```",
        "[j](javascript:alert(1))",
        "",
        "中文段落。",
    ]
)
ESSAY = st.tuples(
    st.lists(LINE, max_size=3),
    st.lists(st.one_of(BODY_PARTS, TEXT), min_size=1, max_size=5),
    st.sampled_from([True, True, True, False]),  # start from a complete, valid header
    st.sampled_from([False] * 7 + [True]),  # break the encoding
)
COMPLETE = [
    ("Title", "Generated"),
    ("Date", "2026-03-03"),
    ("Author", "Gen"),
    ("Category", "Markets"),
    ("Summary", "S."),
    ("Slug", "generated"),
]
MESSAGE = re.compile(r".+\.\w+:\d+: .+ — .+")


def essay_bytes(lines, parts, complete, broken):
    header = [*(COMPLETE if complete else []), *lines]
    text = "".join(f"{key}: {value}\n" for key, value in header) + "\n" + "\n\n".join(parts) + "\n"
    data = text.encode("utf-8")
    return data.replace(b"S.", b"S\xff", 1) if broken else data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(essay=ESSAY)
def test_any_essay_builds_or_fails_with_validation_messages_only(essay):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        write_good_site(base / "content")
        bad = base / "content" / "essays" / "generated.md"
        bad.write_bytes(essay_bytes(*essay))

        result = build(
            ROOT / "pelicanconf.py",
            base / "output",
            base / "content",
            stream=None,
            STATIC_PATHS=["images"],
        )

        assert result.crashed is None, result.messages
        if result.ok:
            assert (base / "output" / "index.html").is_file()
        else:
            assert result.messages
            for message in result.messages:
                assert MESSAGE.fullmatch(message), message
                assert message.startswith(str(base / "content")), message
            assert not (base / "output").exists()
        shutil.rmtree(base / "output", ignore_errors=True)
