"""What language a text is in, as far as the build needs to know: Chinese or not.

One rule for the content checks (a mostly-Chinese essay must say
``Lang: zh``), ``make import`` (which sets it) and the word counts
(``essay_outline``): every CJK character counts as one word, as Hugo counts
them with ``hasCJKLanguage``, and other words are separated by spaces.

A text is mostly Chinese when its CJK characters outnumber its other words
(each counted as Hugo counts them), code aside: a Chinese post full of
program names and English terms is Chinese, an English post quoting a
Chinese phrase is not.  Below ``MIN_CJK_CHARACTERS`` a text is too short to
say.  ``written_in`` applies the same count to a short text (a glossary
term, a definition), with no minimum, to mark it with ``lang`` on a page in
the other language.
"""

from __future__ import annotations

import re

# Han (with extension A and compatibility ideographs), kana and Hangul.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af]")
WORD = re.compile(r"[^\W_]")
MIN_CJK_CHARACTERS = 20


def count_words(text):
    """Return (words, cjk): CJK characters count one each, other words by spaces."""
    spaced, cjk = CJK.subn(" ", text)
    words = sum(1 for token in spaced.split() if WORD.search(token))
    return words + cjk, cjk


def mostly_chinese(text):
    """(whether ``text`` is mostly Chinese, its CJK characters, its other words)."""
    words, cjk = count_words(text)
    others = words - cjk
    return cjk >= MIN_CJK_CHARACTERS and cjk > others, cjk, others


def written_in(text):
    """ "zh" when a short text's CJK characters outnumber its other words, else "en"."""
    words, cjk = count_words(text)
    return "zh" if cjk > words - cjk else "en"
