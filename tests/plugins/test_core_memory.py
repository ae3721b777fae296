"""The core's memory service: free heap handed back, Pelican's copies let go."""

import datetime
import platform

import pytest
from pelican.contents import Article, Content
from pelican.settings import DEFAULT_CONFIG

from plugins.core import memory

SITEURL = "https://example.org/blog"


def essay(text):
    settings = {**DEFAULT_CONFIG, "SITEURL": SITEURL}
    context = {
        **settings,
        "localsiteurl": SITEURL,
        "generated_content": {},
        "static_content": {},
    }
    return Article(
        text,
        metadata={"title": "An essay", "date": datetime.datetime(2026, 11, 1)},
        settings=settings,
        context=context,
        source_path="essays/an-essay.md",
    )


def resident_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS in /proc/self/status")


def test_forget_rendered_drops_the_copy_pelican_memoised_and_a_new_read_remakes_it():
    item = essay('<p>See <a href="{index}">the index</a>.</p>')
    other = essay('<p>See <a href="{index}">the index</a> too.</p>')
    first = item.content
    kept = other.content
    assert first == f'<p>See <a href="{SITEURL}/index.html">the index</a>.</p>'
    assert (item, SITEURL) in Content.get_content.cache

    memory.forget_rendered(item)

    assert (item, SITEURL) not in Content.get_content.cache
    assert (other, SITEURL) in Content.get_content.cache  # only that essay's
    again = item.content
    assert again == first and again is not first
    assert other.content is kept
    memory.forget_rendered(item)
    memory.forget_rendered(other)
    memory.forget_rendered(item)  # nothing left to drop is no error


@pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
    reason="malloc_trim is glibc's; elsewhere release() does nothing",
)
def test_release_hands_back_heap_freed_between_live_blocks():
    # Blocks of an essay's size, every other one kept: the freed ones are
    # holes in the heap that glibc does not give back by itself.
    blocks = [bytes(20_000) + bytes([i % 256]) for i in range(10_000)]
    kept = blocks[::2]
    del blocks
    before = resident_kib()
    memory.release()
    after = resident_kib()
    assert len(kept) == 5_000
    assert before - after > 50_000, (before, after)  # of about 100 MB freed


def test_forget_every_rendered_drops_the_copies_for_every_site_url():
    item = essay('<p>See <a href="{index}">the index</a>.</p>')
    item.get_content("..")  # as a preview's page one folder down reads it
    item.get_content(SITEURL)

    memory.forget_every_rendered(item)

    assert not [key for key in Content.get_content.cache if key[0] is item]
