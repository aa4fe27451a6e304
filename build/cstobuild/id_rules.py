"""New ids follow their table's rule (`id_rule` on each model); released ids stay as they are."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cstobuild.attendance_groups import state_record_id
from cstobuild.evidence import witness_id
from cstobuild.problems import Problem
from cstobuild.records import Curated
from cstobuild.rule_checks import checks
from cstobuild.setting import Setting

_SLUG_PART = "[a-z0-9]+(?:-[a-z0-9]+)*"


def _dated(undated: str | None) -> Callable[[dict[str, Any]], str | None]:
    """The id starts with the record's date at its precision; an undated record's id starts
    with `undated` (None: the slug alone, nothing to check)."""

    def rule(value: dict[str, Any]) -> str | None:
        prefix = value["date"] or undated
        if prefix is None or value["id"].startswith(f"{prefix}-"):
            return None
        return f"should start with `{prefix}-` (its date at the precision known)"

    return rule


def _starts_with(*fields: str) -> Callable[[dict[str, Any]], str | None]:
    """The id starts with the values of `fields`, joined by hyphens."""

    def rule(value: dict[str, Any]) -> str | None:
        parts = [str(value[f]).lower().replace("_", "-") for f in fields if value[f] is not None]
        prefix = "-".join(parts)
        return None if value["id"].startswith(f"{prefix}-") else f"should start with `{prefix}-`"

    return rule


def _exercise(value: dict[str, Any]) -> str | None:
    year = str(value["start"] or "")[:4]
    pattern = rf"^{re.escape(value['series'])}-{year}(?:-{_SLUG_PART})?$"
    if year and re.match(pattern, value["id"]):
        return None
    return f"should be `{value['series']}-{year or 'YEAR'}` (plus `-<place>` for a second edition)"


def _owner_and_state(owner: str) -> Callable[[dict[str, Any]], str | None]:
    """The id is the owner's id, a hyphen, and the state code in lower case."""

    def rule(value: dict[str, Any]) -> str | None:
        expected = state_record_id(value[owner], value["state_id"])
        return None if value["id"] == expected else f"should be `{expected}`"

    return rule


def _initiative(value: dict[str, Any]) -> str | None:
    if value["parent_id"] is not None:
        prefix = f"{value['parent_id']}-"
        return None if value["id"].startswith(prefix) else f"should start with `{prefix}`"
    if value["date"] is None:
        return "a top-level initiative needs `date` (when it was proposed) to build its id"
    proposer = (value["proposer_state_id"] or "csto").lower()
    prefix = f"{value['date']}-{proposer}-"
    return None if value["id"].startswith(prefix) else f"should start with `{prefix}`"


def _witness(value: dict[str, Any]) -> str | None:
    expected = witness_id(value["statement_id"], value["source_id"])
    return None if value["id"] == expected else f"should be `{expected}`"


RULES: dict[str, Callable[[dict[str, Any]], str | None]] = {
    "initiatives": _initiative,
    "witnesses": _witness,
    "document_signatures": _owner_and_state("document_id"),
    "statements": _dated("undated"),
    "events": _dated(None),
    "memberships": _starts_with("state_id", "status"),
    "attendances": _owner_and_state("event_id"),
    "documents": _starts_with("event_id"),
    "office_terms": _starts_with("person_id", "office"),
    "initiative_updates": _starts_with("initiative_id"),
    "source_claims": _starts_with("record_id", "field"),
    "exercises": _exercise,
}
"""The mechanical part of each table's id rule, checked on ids not yet released."""


def released_ids(releases: Path) -> dict[str, set[str]]:
    """Every id of every table in every release folder: these stay as they are."""
    found: dict[str, set[str]] = {}
    for path in releases.glob("*/*.csv") if releases.is_dir() else []:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames and "id" in reader.fieldnames:
                found.setdefault(path.stem, set()).update(row["id"] for row in reader)
    return found


@checks("id-rules")
def check_id_rules(curated: Curated, setting: Setting) -> list[Problem]:
    """New ids follow their table's rule; ids of earlier releases stay as they are."""
    problems = []
    for table, rule in RULES.items():
        keep = setting.released_ids.get(table, set())
        for item in curated.tables[table]:
            value = item.record.model_dump(mode="json")
            if value["id"] in keep:
                continue
            message = rule(value)
            if message is not None:
                problems.append(item.problem("id", f"breaks the id rule: {message}"))
    return problems
