"""`pip install -e ".[build]"` gives everything the build imports."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTIONS = {"yaml": "pyyaml"}  # import name -> distribution name, where they differ


def _names(requirements: list[str]) -> set[str]:
    return {r.split(";")[0].split("[")[0].split(">")[0].split("<")[0].split("=")[0].strip().lower()
            for r in requirements}  # fmt: skip


def test_the_build_extra_installs_every_module_the_build_imports() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    offered = _names(project["dependencies"]) | _names(project["optional-dependencies"]["build"])
    imported: set[str] = set()
    for path in [*(ROOT / "build" / "cstobuild").glob("*.py"), ROOT / "build" / "make.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {
        name
        for name in imported
        if name not in sys.stdlib_module_names and name not in ("cstobuild", "csto_dataset")
    }
    assert third_party, "the build imports no third-party module: the scan is broken"
    missing = {DISTRIBUTIONS.get(n, n) for n in third_party} - offered
    assert not missing, f"add to the build extra in pyproject.toml: {sorted(missing)}"
