"""Authors' mistakes in editorial data fail the build with file, line and fix."""

import textwrap
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support import ROOT, build_subprocess

ESSAY = """\
Title: A bad essay
Date: 2026-08-01
Author: Test Author
Category: Payments
Slug: bad-essay
Summary: An essay with one mistake.
{extra}
Some text about Fintech.
{body}
"""
GLOSSARY_PAGE = "Title: Glossary\nSlug: glossary\nTemplate: glossary\n\nTerms.\n"
CHART = "```chart\ncsv: {csv}\nx: year\ny: {y}\ntitle: Deposits\n```\n"

CASES = {
    "glossary_without_definition": {
        "glossary.toml": '[[term]]\nterm = "Fintech"\ndefinition = "A."\n\n'
        '[[term]]\nterm = "Techfin"\nnote = "Forgot the definition."\n',
        "pages/glossary.md": GLOSSARY_PAGE,
    },
    "alias_claimed_twice": {
        "glossary.toml": '[[term]]\nterm = "Fintech"\naliases = ["fin tech"]\ndefinition = "A."\n'
        '[[term]]\nterm = "Techfin"\ndefinition = "B."\naliases = ["Fin Tech"]\n',
        "pages/glossary.md": GLOSSARY_PAGE,
    },
    "correction_before_essay": {
        "extra": "Correction: 2026-07-20 — Fixed a date.\n",
    },
    "chart_csv_missing": {
        "body": CHART.format(csv="nowhere.csv", y="deposits"),
        "data/deposits.csv": "year,deposits\n2024,1\n2025,2\n",
    },
    "chart_column_missing": {
        "body": CHART.format(csv="deposits.csv", y="loans"),
        "data/deposits.csv": "year,deposits\n2024,1\n2025,2\n",
    },
    "machine_translated_not_yes_or_no": {
        "extra": "Source: Example Weekly\nMachine_Translated: perhaps\n",
    },
}


def write_site(root, case):
    files = dict(case)
    extra, body = files.pop("extra", ""), files.pop("body", "")
    files["essays/bad-essay.md"] = ESSAY.format(extra=extra, body=body)
    for name, text in files.items():
        path = root / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root / "content"


@pytest.fixture(scope="module")
def bad_builds(tmp_path_factory):
    """Each bad site built as `make html` does (--fatal errors), two at a time."""
    roots = {name: tmp_path_factory.mktemp(name) for name in CASES}

    def build(name):
        content = write_site(roots[name], CASES[name])
        return build_subprocess(
            ROOT / "pelicanconf.py",
            roots[name] / "output",
            "--fatal",
            "errors",
            content=content,
            env={"COLUMNS": "1000"},
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(CASES, pool.map(build, CASES), strict=True))
    return {name: (roots[name] / "content", build) for name, build in results.items()}


EXPECTED = {
    "glossary_without_definition": ("glossary.toml:5:", "'Techfin' has no definition"),
    "alias_claimed_twice": ("glossary.toml:8:", "'Fin Tech' is claimed by both 'Fintech'"),
    "correction_before_essay": (
        "essays/bad-essay.md:7:",
        "correction dated 2026-07-20 is before the essay's date 2026-08-01",
    ),
    "chart_csv_missing": ("essays/bad-essay.md:10:", "CSV file 'nowhere.csv' not found"),
    "chart_column_missing": ("essays/bad-essay.md:12:", "column 'loans' is not in deposits.csv"),
    "machine_translated_not_yes_or_no": (
        "essays/bad-essay.md:8:",
        "'perhaps' is not yes or no",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_mistake_fails_the_build_naming_file_and_line(bad_builds, case):
    content, build = bad_builds[case]
    location, message = EXPECTED[case]
    assert build.returncode != 0, build.log
    # The mistake is logged as an error (which --fatal errors turns into the
    # exit code), on one line: where, what, and after the dash how to fix it.
    (line,) = [line for line in build.log.splitlines() if f"{content}/{location}" in line]
    assert "ERROR" in line.split(str(content))[0]
    assert message in line
    assert " — " in line.split(message, 1)[1]
