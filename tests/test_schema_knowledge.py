"""Schema knowledge is written once: what the package needs is generated from the models and
build/release.toml, and the build's modules do not import each other in a circle."""

from __future__ import annotations

import ast
import re
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


def _code() -> list[Path]:
    """The package's and the build's modules, without the models and what is generated."""
    skip = {"models.py", "_release.py"}
    paths = [*(ROOT / "csto_dataset").glob("*.py"), *BUILD.glob("*.py")]
    return [path for path in paths if path.name not in skip]


def test_what_held_means_is_said_once_on_the_models() -> None:
    import re

    from csto_dataset._standing import held
    from csto_dataset.models import Event, NotHeld, marked

    generated = {
        spec.model.table: {
            field: {getattr(v, "value", v): s for v, s in marks.items()}
            for field, marks in spec.model.not_held().items()
        }
        for spec in TABLES
        if spec.model.not_held()
    }
    assert generated == _release.NOT_HELD
    assert set(marked(Event, NotHeld)) == {"announced_only", "cancelled"}
    for row in load("events", backend="pyarrow").to_pylist():  # one rule for rows and records
        assert held("events", row) == (Event.standing_of(row) == "held")
    # no module tests the flags by name: `not x.announced_only and not x.cancelled`
    by_name = re.compile(r"announced_only|\.cancelled\b|[\[(]\"cancelled\"[\])]")
    for path in _code():
        assert not by_name.search(path.read_text(encoding="utf-8")), path


def test_verbatim_fields_are_said_once_on_the_models() -> None:
    from cstobuild.markers import verbatim_fields
    from cstobuild.rulebook import rule

    from csto_dataset.models import Initiative, Statement, Witness

    fields = {model.table: set(marked) for model, marked in verbatim_fields().items()}
    assert fields == {
        Statement.table: {"text", "context", "attribution"},
        Witness.table: {"text", "context", "attribution"},
        Initiative.table: {"text"},
    }
    guarantee = rule("verbatim-in-archive").guarantee
    for model in verbatim_fields():
        assert model.table in guarantee
    # the check reads the markers: it names no verbatim field nor table of its own
    tree = ast.parse((BUILD / "checks.py").read_text(encoding="utf-8"))
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not strings & {"text", "context", "attribution"}
    assert not {"Statement", "Witness", "Initiative"} & (names | strings)


def test_the_links_show_follows_are_marked_on_the_models() -> None:
    from cstobuild.columns import release_tables
    from cstobuild.generated import select_links

    for spec in TABLES:  # where a table has several links to states, one is marked
        by_option: dict[str, list[bool]] = {}
        for _, link in spec.links:
            if link.column in {"state_id", "topic"}:
                by_option.setdefault(link.column, []).append(link.selects)
        assert all(marks.count(True) == 1 for marks in by_option.values()), spec.model.table
    assert select_links(release_tables()) == _release.SELECT_LINKS
    assert _release.SELECT_LINKS["state"]["exercises"][0] == "exercise_states"  # not observers
    links = {link.name for spec in TABLES for _, link in spec.links if link.selects}
    select = (ROOT / "csto_dataset" / "_select.py").read_text(encoding="utf-8")
    assert not [name for name in links if f'"{name}"' in select]


def test_the_grammars_are_said_once() -> None:
    from csto_dataset.dates import PARTIAL_DATE_FORMS, PARTIAL_DATE_GRAMMAR, PARTIAL_DATE_PATTERN
    from csto_dataset.locators import LOCATOR_GRAMMAR, LOCATOR_PATTERN
    from csto_dataset.models import Statement

    def pattern(model: type[Record], field: str) -> str:
        info = model.model_fields[field]
        found = [m.pattern for m in info.metadata if getattr(m, "pattern", None)]
        found += [m.pattern for m in _nested(info.annotation) if getattr(m, "pattern", None)]
        return str(found[0])

    assert pattern(Statement, "date") == PARTIAL_DATE_PATTERN
    assert pattern(Statement, "locator") == LOCATOR_PATTERN
    for doc in ("CONTRIBUTING.md", "docs/data-dictionary.md"):
        text = (ROOT / doc).read_text(encoding="utf-8")
        assert PARTIAL_DATE_GRAMMAR in text and LOCATOR_GRAMMAR in text, doc
    for path in _code():
        if path.name in {"dates.py", "locators.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        for restated in (PARTIAL_DATE_PATTERN, LOCATOR_PATTERN, PARTIAL_DATE_FORMS, "paragraph (["):
            assert restated not in text, (path, restated)


def _nested(annotation: object) -> list[object]:
    """The metadata of the Annotated types inside an optional field's annotation."""
    from typing import get_args

    found: list[object] = []
    for arg in get_args(annotation):
        found += [m for a in get_args(arg)[1:] for m in getattr(a, "metadata", [a])]
    return found


def test_the_source_date_rules_read_the_markers() -> None:
    from cstobuild.markers import source_date, source_dated_tables
    from cstobuild.rulebook import rule

    from csto_dataset.models import SourceOf, marked

    guarantee = rule("not-after-source").guarantee
    for model in source_dated_tables():
        field = source_date(model)
        assert field in model.model_fields, model.table
        assert model.table_title.lower() in guarantee
        for marker in marked(model, SourceOf).values():
            assert marker.field in model.model_fields
    consistency = (BUILD / "consistency.py").read_text(encoding="utf-8")
    dated = consistency[consistency.index("def dated") : consistency.index("@checks")]
    for spec in TABLES:  # `dated` names no table or date field of its own
        for name in (spec.model.__name__ + ".table", '"status_date"', '"date"', '"start"'):
            assert name not in dated, name


def test_every_record_file_is_of_a_kind_the_placement_table_names(root: Path) -> None:
    """CONTRIBUTING's table of where records are filed (generated from `placement.HOMES`)
    covers every record file there is."""
    from cstobuild.placement import HOMES

    patterns = [
        re.sub(r"<[^>]+>", "[^/]+", re.escape(path.strip("`")))
        for where, _ in HOMES
        for path in where.split(", ")
    ]
    records = root / "build" / "records"
    unnamed = [
        str(path.relative_to(records))
        for path in records.rglob("*.yaml")
        if not any(re.fullmatch(p, str(path.relative_to(records))) for p in patterns)
    ]
    assert unnamed == []
