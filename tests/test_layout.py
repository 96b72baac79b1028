"""The package's layout is its architecture: each stage imports only the stages below it.

Each subpackage's ``__init__.py`` says what it may import; this test reads every import of every
module (``ast``, at any depth: a function's late import counts too) and holds them to it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "generator"
GROUND = {"problems", "controls", "i18n", "progress", "weights"}  # the modules at the package's top
# What each stage may import, besides the ground (and itself).
ALLOWED: dict[str, set[str]] = {
    "ground": set(),
    "directory": {"interop"},  # interop.exports: the published schemas that `trombi reference` writes
    "review": {"directory"},
    "history": {"directory"},
    "search": {"directory", "site"},
    "network": {"directory", "history", "search"},  # history: former teams and managers, for My network
    "site": {"directory", "history", "network", "interop"},
    "interop": {"directory", "site"},
    "build": {"directory", "history", "search", "network", "site", "interop"},
    "engine": {"directory", "review", "history", "search", "network", "site", "interop", "build"},
    "cli": {"directory", "review", "history", "search", "network", "site", "interop", "build", "engine"},
}


def _stage(module: str) -> str:
    """``generator.directory.load`` -> ``directory``; a module at the top -> ``ground``."""
    parts = module.split(".")
    return "ground" if len(parts) == 2 or parts[1] in GROUND else parts[1]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            found.add(node.module)
            if node.module == "generator":
                found |= {f"generator.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("generator.")}
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.relative_to(PACKAGE).as_posix())
def test_a_module_imports_only_what_its_stage_may(path: Path) -> None:
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    stage = _stage(module)
    wrong = sorted(imported for imported in _imports(path) if imported.startswith("generator.") and _stage(imported) not in {stage, "ground", *ALLOWED[stage]})
    assert not wrong, f"{module} ({stage}/) imports {wrong}: see generator/{stage}/__init__.py for what it may import"


def test_only_the_engine_imports_mkdocs() -> None:
    importers = sorted(
        path.relative_to(PACKAGE).as_posix() for path in MODULES if any(name == "mkdocs" or name.startswith("mkdocs.") for name in _third_party(path))
    )
    assert all(name.startswith("engine/") for name in importers), importers


def test_every_stage_says_what_it_may_import() -> None:
    for stage in ALLOWED.keys() - {"ground"}:
        docstring = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "May import" in docstring, stage


def stage_graph() -> dict[str, list[str]]:
    """Which stage imports which, as the code stands: each stage, the stages it imports (in ALLOWED's order)."""
    found: dict[str, set[str]] = {stage: set() for stage in ALLOWED}
    for path in MODULES:
        stage = _stage(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        found[stage] |= {_stage(name) for name in _imports(path) if name.startswith("generator.")} - {stage, "ground"}
    return {stage: [other for other in ALLOWED if other in imported] for stage, imported in found.items() if stage != "ground"}


def test_the_readme_draws_the_stages_as_they_import() -> None:
    lines = [f"{stage:<10} → {', '.join(imported) or '(the ground only)'}" for stage, imported in reversed(stage_graph().items())]
    drawn = "\n".join(lines)
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    assert f"<!-- stages -->\n```\n{drawn}\n```\n<!-- /stages -->" in readme, f"README.md's drawing of the stages should read:\n{drawn}"


def _third_party(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_work_is_fanned_out_in_one_place() -> None:
    # Cores counted, processes forked and the cycle collector paused by generator/parallel.py only.
    for path in MODULES:
        if path.name == "parallel.py":
            continue
        text = path.read_text(encoding="utf-8")
        for written in ("os.cpu_count(", "sched_getaffinity(", "gc.disable(", "gc.freeze(", "get_all_start_methods("):
            assert written not in text, f"{path.relative_to(PACKAGE)}: {written} belongs in generator/parallel.py"
