"""Where each record is filed: by its subject, so the rule alone says where a new one goes.

`HOMES` says it for readers (CONTRIBUTING.md's table is generated from it); `_Homes` computes
it for each record. A record that belongs to another (an attendance, a document, a statement at
an event, an update, a source claim) goes into the file of what it belongs to. Attendances are
written only there, in entries that each cover several states (see
`cstobuild.attendance_groups`). Within a file, tables come in the order of
`csto_dataset.models.TABLES` and records in the order of their ids: an attendance entry by its
first state, and its `states` in order.
"""

from __future__ import annotations

from collections import defaultdict

from cstobuild.problems import Problem
from cstobuild.records import Curated, Located
from cstobuild.rule_checks import checks

from csto_dataset.models import TABLES, Record

HOMES: tuple[tuple[str, str], ...] = (
    (
        "`registry/publishers.yaml`, `registry/states.yaml`, `registry/organizations.yaml`",
        "the registries",
    ),
    ("`sources/<publisher id>.yaml`", "sources, by who published them"),
    (
        "`people/<state code>.yaml`",
        "people, by the state they serve (`international.yaml` for none)",
    ),
    ("`memberships/<state code>.yaml`", "a state's membership intervals"),
    ("`office_terms/<office>.yaml`", "terms in an office of the organization"),
    (
        "`sessions/<event id>.yaml`",
        "one session of a council (Collective Security Council, foreign or defence ministers, "
        "security council secretaries): the event, its attendances, documents, statements, and "
        "the source claims about them",
    ),
    ("`chairmanships.yaml`", "the organization's chairmanships"),
    (
        "`events/<year>.yaml`",
        "every other event (treaty milestones, requests for assistance, missions, "
        "deployments), with what belongs to it (`undated.yaml` when undated)",
    ),
    ("`exercises/<year>.yaml`", "joint exercises and recurring operations, by the year they began"),
    (
        "`statements/<year>.yaml`",
        "statements made at no recorded event (`undated.yaml` when undated)",
    ),
    (
        "`initiatives/<root initiative id>.yaml`",
        "an initiative with its sub-items and their updates",
    ),
)
"""Each kind of record file and what it holds, in words: the table CONTRIBUTING.md shows."""

_REGISTRY = ("publishers", "states", "organizations")
_TABLE_ORDER = {spec.model.table: n for n, spec in enumerate(TABLES)}


class _Homes:
    """The file each record belongs in, computed from the records themselves."""

    def __init__(self, curated: Curated) -> None:
        self.by_id: dict[str, dict[str, Record]] = {
            table: {i.record.id: i.record for i in items} for table, items in curated.tables.items()
        }

    def of(self, table: str, record: Record) -> str:
        value = record.model_dump()
        if table in _REGISTRY:
            return f"registry/{table}.yaml"
        if table == "sources":
            return f"sources/{value['publisher_id']}.yaml"
        if table == "people":
            return f"people/{(value['state_id'] or 'international').lower()}.yaml"
        if table == "memberships":
            return f"memberships/{value['state_id'].lower()}.yaml"
        if table == "office_terms":
            return f"office_terms/{value['office']}.yaml"
        if table == "events":
            return self._event_home(value)
        if table == "exercises":
            return f"exercises/{_year(value['start'])}.yaml"
        if table == "initiatives":
            return f"initiatives/{self._root_initiative(value['id'])}.yaml"
        if table == "initiative_updates":
            return f"initiatives/{self._root_initiative(value['initiative_id'])}.yaml"
        if table == "witnesses":
            statement = self.by_id["statements"].get(value["statement_id"])
            if statement is None:
                return "witnesses.yaml"  # the dangling witness is reported by its own check
            return self.of("statements", statement)
        if table == "document_signatures":
            document = self.by_id["documents"].get(value["document_id"])
            if document is None:
                return "document_signatures.yaml"  # reported by the reference check
            return self.of("documents", document)
        if table == "source_claims":
            target = self.by_id.get(value["record_table"], {}).get(value["record_id"])
            if target is None:
                return "source_claims.yaml"  # the dangling claim is reported by its own check
            return self.of(value["record_table"], target)
        # attendances, documents and statements follow their event
        event = self.by_id["events"].get(value.get("event_id") or "")
        if event is not None:
            return self._event_home(event.model_dump())
        if table == "statements":
            return f"statements/{_year(value['date'])}.yaml"
        return f"{table}/undated.yaml"

    def _event_home(self, event: dict[str, object]) -> str:
        if event["kind"] == "council_session":
            return f"sessions/{event['id']}.yaml"
        if event["kind"] == "chairmanship":
            return "chairmanships.yaml"
        return f"events/{_year(event['date'])}.yaml"

    def _root_initiative(self, initiative_id: str) -> str:
        seen = {initiative_id}
        parent = getattr(self.by_id["initiatives"].get(initiative_id), "parent_id", None)
        while parent is not None and parent not in seen:
            initiative_id = parent
            seen.add(parent)
            parent = getattr(self.by_id["initiatives"].get(parent), "parent_id", None)
        return initiative_id


def _year(date: object) -> str:
    return str(date)[:4] if date else "undated"


@checks("filed-by-subject")
def check_placement(curated: Curated) -> list[Problem]:
    """Every record in its subject's file, tables and ids in order within each file."""
    homes = _Homes(curated)
    problems = []
    by_file: dict[str, list[tuple[str, Located]]] = defaultdict(list)
    for table, items in curated.tables.items():
        for item in items:
            expected = "records/" + homes.of(table, item.record)
            if item.file != expected:
                problems.append(item.problem("id", f"misplaced: belongs in {expected}"))
            by_file[item.file].append((table, item))
    for entries in by_file.values():
        # the records of one attendance entry share its line, in the order of its `states`
        entries.sort(key=lambda entry: entry[1].raw.line)
        line, first, previous = 0, (-1, ""), (-1, "")
        for table, item in entries:
            key = (_TABLE_ORDER[table], item.record.id)
            if key < (previous if item.raw.line == line else first):
                problems.append(
                    item.problem(
                        "id",
                        "out of order: tables follow the order of the models, records the "
                        "order of their ids (attendance entries: by their first state, and "
                        "`states` in order)",
                    )
                )
            if item.raw.line != line:
                line, first = item.raw.line, key
            previous = key
    return problems
