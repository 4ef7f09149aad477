"""The library's front door, the layering of its packages, and the README's Python example."""

import ast
import re
from pathlib import Path

import pytest

import toolkit

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "toolkit"

# Lowest first. A module may import only from its own layer or lower ones.
LAYERS = [
    {"danish", "problems", "files", "fieldkeys", "statuses", "workers"},
    {"stamdata"},
    {"definitions"},
    {"rules"},
    {"forms"},
    {"store"},
    {"returns"},
    {"consolidate"},
    {"documents"},
    {"mail"},
    {"workspace"},
    {"demo"},
    {"web"},
    {"cli", "__main__"},
]
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def _part(module: str) -> str:
    return module.split(".")[1] if module.count(".") else module


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit."):
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("toolkit."):
                    yield node.lineno, a.name


def test_every_stage_is_in_a_layer():
    stages = {
        p.stem if p.is_file() else p.name
        for p in PKG.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__init__.py"
    }
    assert stages - set(LAYER_OF) == set()


def test_no_import_runs_back_up_the_pipeline():
    upward = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel == Path("__init__.py"):
            continue  # the front door may name everything
        here = LAYER_OF[rel.parts[0].removesuffix(".py")]
        for line, module in _imports(path):
            there = LAYER_OF.get(_part(module))
            if there is None and module.startswith("toolkit.skabeloner"):
                continue  # the bundled data files
            if there is None or there > here:
                upward.append(f"{rel}:{line} imports {module}")
    assert upward == []


def test_each_package_says_what_its_stage_does():
    for init in PKG.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 30, init


def test_front_door_exports_resolve_and_are_listed_in_all():
    assert "Workspace" in toolkit.__all__ and "ingest" in toolkit.__all__
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name
    with pytest.raises(AttributeError):
        toolkit.no_such_name  # noqa: B018


def test_every_form_type_has_a_bundled_definition_and_is_a_cli_choice():
    from toolkit.cli.common import FORM_TYPES
    from toolkit.definitions import load_definitions

    assert sorted(FORM_TYPES) == sorted(load_definitions())


def readme_python_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Brug fra Python", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_python_example_runs_as_it_stands(capsys):
    exec(compile(readme_python_example(), "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "11 kommuneskemaer" in out and "11 mangler at svare" in out
    assert "_samlet.xlsx" in out
