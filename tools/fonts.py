"""Subset the site's text face to Latin: `make fonts`.

The face is Literata (SIL Open Font License 1.1), designed for long reading
on screens (Google Play Books), from the npm package ``@fontsource/literata``
pinned in package.json (``make tools`` installs it).  Its Latin files still
carry glyphs and features this site never shows; pyftsubset (fonttools) keeps
the characters of English prose and the OpenType features the stylesheet
uses, drops hinting, and writes WOFF2 into ``theme/static/fonts/``, with the
licence beside it.  The output is committed, so a fresh clone needs no Node to
build the site; run this again only to change the face, its characters or its
features.  Chinese is never subset: it is set in the reader's system fonts.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules" / "@fontsource" / "literata"
TARGET = ROOT / "theme" / "static" / "fonts"
# (source file, output name): regular and italic; bold is synthesised, since
# the body text rarely uses it and every file counts on the first view.
FACES = [
    ("literata-latin-400-normal.woff2", "literata-latin-regular.woff2"),
    ("literata-latin-400-italic.woff2", "literata-latin-italic.woff2"),
]
# Basic Latin, Latin-1, the ligature œ and the dotless i, and the
# typographic punctuation typogrify writes: dashes, curly quotes, ellipsis,
# bullets, primes, the euro and trade marks, the minus sign.
UNICODES = (
    "U+0020-007E,U+00A0-00FF,U+0131,U+0152-0153,U+02C6,U+02DA,U+02DC,"
    "U+2009-200B,U+2010-2015,U+2018-201E,U+2020-2022,U+2026,U+2030,U+2032-2033,"
    "U+2039-203A,U+2044,U+20AC,U+2122,U+2190-2193,U+2212"
)
# What the stylesheet asks for: kerning and ligatures, old-style and lining,
# proportional and tabular figures, small capitals (typogrify's .caps), and
# case-sensitive forms and fractions as the face provides them.
FEATURES = "kern,liga,clig,calt,onum,lnum,pnum,tnum,smcp,c2sc,case,frac,numr,dnom,locl"


def subset_face(source: Path, target: Path):
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES.split(",")
    options.hinting = False
    options.desubroutinize = True
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names and the licence
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def main():
    if not SOURCE.is_dir():
        sys.exit("fonts: @fontsource/literata is not installed: run `make tools` (npm ci)")
    TARGET.mkdir(parents=True, exist_ok=True)
    total = 0
    for source, name in FACES:
        target = TARGET / name
        subset_face(SOURCE / "files" / source, target)
        size = target.stat().st_size
        total += size
        print(f"{target.relative_to(ROOT)}: {size / 1024:.1f} KB")
    shutil.copyfile(SOURCE / "LICENSE", TARGET / "OFL.txt")
    print(f"together {total / 1024:.1f} KB; licence in {(TARGET / 'OFL.txt').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
