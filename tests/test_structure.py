"""The code keeps its structure: no module changes another at run time, one import root."""

import ast
import sys
from pathlib import Path

from tests.support import ROOT


def imported_names(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def assignments_to_imported(path):
    """`module.attr = …` (or `Class.attr = …`) where the name was imported."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = imported_names(tree)
    found = []
    for node in ast.walk(tree):
        targets = getattr(node, "targets", None) or (
            [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        )
        for target in targets:
            base = target
            while isinstance(base, ast.Attribute):
                base = base.value
            if target is not base and isinstance(base, ast.Name) and base.id in names:
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(target)}")
    return found


def test_no_plugin_or_tool_assigns_to_an_imported_module_or_class():
    files = sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "tools").rglob("*.py")])
    assert len(files) > 20
    found = [line for path in files for line in assignments_to_imported(path)]
    assert found == []


def test_the_check_finds_an_assignment_to_an_imported_module_or_class(tmp_path):
    planted = tmp_path / "patch.py"
    planted.write_text(
        "import typogrify.filters\nfrom pelican.contents import Content\n"
        "typogrify.filters.typogrify = None\nContent.__getattribute__ = None\nlocal = 1\n",
        encoding="utf-8",
    )
    assert assignments_to_imported(planted) == [
        "patch.py:3: typogrify.filters.typogrify",
        "patch.py:4: Content.__getattribute__",
    ]


def test_no_getattribute_hook_in_plugins_or_tools():
    files = sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "tools").rglob("*.py")])
    assert [f for f in files if "__getattribute__" in f.read_text(encoding="utf-8")] == []


def test_each_plugin_module_is_imported_once_under_plugins(site):
    """After a build, no plugin module is also loaded as a top-level package."""
    plugin_files = {p.resolve() for p in (ROOT / "plugins").rglob("*.py")}
    by_file = {}
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() in plugin_files:
            by_file.setdefault(Path(file).resolve(), []).append(name)
    assert by_file, "the build imported no plugin"
    assert {f: names for f, names in by_file.items() if len(names) > 1} == {}
    assert all(name.startswith("plugins") for names in by_file.values() for name in names)
