"""Schema knowledge is written once: what the package needs is generated from the models and
build/release.toml, and the build's modules do not import each other in a circle."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from csto_dataset import _release, load
from csto_dataset.membership import PRECEDENCE
from csto_dataset.models import TABLES, MembershipStatus, Record

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "cstobuild"


def test_membership_precedence_orders_exactly_the_models_vocabulary() -> None:
    assert sorted(PRECEDENCE) == sorted(_release.MEMBERSHIP_STATUSES)
    assert tuple(status.value for status in MembershipStatus) == _release.MEMBERSHIP_STATUSES


def test_the_release_url_comes_from_release_toml() -> None:
    settings = tomllib.loads((ROOT / "build" / "release.toml").read_text(encoding="utf-8"))
    assert settings["release_url"] == _release.RELEASE_URL


def test_every_record_has_an_id() -> None:
    assert "id" in Record.model_fields
    assert all(spec.model.model_fields["id"].is_required() for spec in TABLES)


def _imports(path: Path) -> set[str]:
    """The cstobuild modules `path` imports at module level, for type checkers too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:  # module level only: a lazy import inside a function cannot loop
        for child in ast.walk(node):
            if isinstance(child, ast.ImportFrom) and child.module:
                if child.module == "cstobuild":
                    found |= {alias.name for alias in child.names}
                elif child.module.startswith("cstobuild."):
                    found.add(child.module.removeprefix("cstobuild."))
    return found


def test_the_build_modules_import_no_circle() -> None:
    graph = {path.stem: _imports(path) for path in BUILD.glob("*.py")}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for name in graph.get(start, set()):
            if name == goal or (name not in seen and reaches(name, goal, seen | {name})):
                return True
        return False

    circles = sorted(name for name in graph if reaches(name, name, {name}))
    assert circles == []


def test_the_date_of_each_table_is_said_once_on_its_model() -> None:
    from csto_dataset.cli import date_help
    from csto_dataset.models import PartialDateField

    dated = {spec.model.table: spec.model.dated_by for spec in TABLES if spec.model.dated_by}
    assert dated == _release.DATED_BY
    for spec in TABLES:
        field = spec.model.dated_by
        if field is not None:
            info = spec.model.model_fields[field]
            assert PartialDateField() in info.metadata or "PartialDateField" in repr(
                info.annotation
            ), (spec.model.table, field)
    for table, field in dated.items():  # each names a partial date: the release has its days
        assert f"{field}_earliest" in load(table, backend="pyarrow").column_names, table
    help_text = " ".join(date_help().split())
    for table, field in dated.items():
        assert table in help_text and f"{field} (" in help_text
    # no module keeps a list of date fields of its own
    for path in [*(ROOT / "csto_dataset").glob("*.py"), *BUILD.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert '("date", "start", "published"' not in text, path
