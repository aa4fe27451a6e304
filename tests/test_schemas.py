"""schemas/ holds only valid artefacts: a Table Schema per table and the package template.

The template is the release descriptor without its files' sizes and hashes; given the files of
the embedded release it must be a valid data package, and each Table Schema is the one it uses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cstobuild.generated import TEMPLATE_NAME
from frictionless import Package

from csto_dataset import TABLE_NAMES


def schemas(root: Path) -> Path:
    return root / "schemas"


def template(root: Path) -> dict[str, Any]:
    descriptor: dict[str, Any] = json.loads((schemas(root) / TEMPLATE_NAME).read_text())
    return descriptor


def errors_of(descriptor: dict[str, Any], root: Path) -> list[str]:
    """Frictionless's errors for the template read against the embedded release's files."""
    report = Package(descriptor, basepath=str(root / "csto_dataset" / "data")).validate()
    return [error.message for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


def test_schemas_holds_one_table_schema_per_table_and_the_template(root: Path) -> None:
    names = sorted(p.name for p in schemas(root).iterdir())
    assert names == sorted([TEMPLATE_NAME, *(f"{t}.schema.json" for t in TABLE_NAMES)])


def test_each_table_schema_is_the_one_the_template_gives_its_table(root: Path) -> None:
    resources = {r["name"]: r for r in template(root)["resources"]}
    for table in TABLE_NAMES:
        schema = json.loads((schemas(root) / f"{table}.schema.json").read_text())
        assert schema == resources[table]["schema"], table


def test_the_template_with_the_embedded_files_is_a_valid_data_package(root: Path) -> None:
    assert errors_of(template(root), root) == []


def test_a_template_whose_schema_the_data_breaks_is_invalid(root: Path) -> None:
    descriptor = template(root)
    states = next(r for r in descriptor["resources"] if r["name"] == "states")
    states["schema"]["fields"][0]["constraints"]["pattern"] = "^[a-z]{3}$"  # ids are upper case
    assert any("pattern" in message for message in errors_of(descriptor, root))
