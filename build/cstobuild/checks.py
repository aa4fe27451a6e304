"""Checks across records, run rule by rule: ids, references, attribution, verbatim quotes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cstobuild import consistency, evidence_rules, text_rules
from cstobuild.columns import release_tables
from cstobuild.id_rules import check_id_rules
from cstobuild.placement import check_placement
from cstobuild.problems import Problem
from cstobuild.records import Curated, Located
from cstobuild.rulebook import rule

from csto_dataset.dates import parse_partial_date
from csto_dataset.models import (
    TABLES,
    Initiative,
    Person,
    Publisher,
    Record,
    Source,
    SourceClaim,
    Statement,
    Witness,
)

_PARAGRAPH = re.compile(r"^paragraph ([1-9][0-9]*)$")


@dataclass(frozen=True)
class Setting:
    """What the checks need besides the records."""

    cutoff: dt.date
    """The release's cut-off: no record begins after it."""
    released_ids: dict[str, set[str]]
    """The ids each table had in earlier releases, by table."""
    archive: Path | None
    """The folder of archived source texts, if the quotes are to be proven against them."""


def check_curated(curated: Curated, setting: Setting) -> list[Problem]:
    """Every cross-record problem, each named by the rule it breaks."""
    checks: list[tuple[str, Callable[[], list[Problem]]]] = [
        ("unique-ids", lambda: _duplicate_ids(curated)),
        ("id-rules", lambda: check_id_rules(curated, setting.released_ids)),
        ("one-source-per-url", lambda: _duplicate_urls(curated)),
        ("one-record-per-name", lambda: _one_record_per_name(curated)),
        ("references", lambda: _dangling_references(curated)),
        ("no-parent-cycles", lambda: _parent_cycles(curated)),
        ("filed-by-subject", lambda: check_placement(curated)),
        ("text-in-context", lambda: evidence_rules.attributions(curated)),
        ("best-witness", lambda: evidence_rules.best_witness(curated)),
        ("spoken-language", lambda: evidence_rules.spoken_language(curated)),
        ("relays-secondary", lambda: evidence_rules.tiers_and_relays(curated)),
        ("no-test-hosts", lambda: evidence_rules.hosts(curated)),
        ("no-placeholder-publishers", lambda: evidence_rules.placeholder_publishers(curated)),
        ("nfc-text", lambda: text_rules.nfc_text(curated)),
        ("visible-text", lambda: text_rules.visible_text(curated)),
        ("intervals-ordered", lambda: _intervals(curated)),
        ("not-after-source", lambda: consistency.not_after_source(curated)),
        ("not-after-cutoff", lambda: consistency.not_after_cutoff(curated, setting.cutoff)),
        ("memberships-disjoint", lambda: consistency.memberships_disjoint(curated)),
        ("membership-order", lambda: consistency.membership_order(curated)),
        ("attendance-by-members", lambda: consistency.attendance_by_members(curated)),
        ("documents-dated-by-session", lambda: consistency.documents_dated_by_session(curated)),
        ("update-after-initiative", lambda: consistency.update_after_initiative(curated)),
        ("claims", lambda: _claims(curated) + consistency.claims_differ(curated)),
        ("cancelled-not-held", lambda: consistency.cancelled_not_held(curated)),
        ("chairmanships-contiguous", lambda: consistency.chairmanships_contiguous(curated)),
    ]
    if setting.archive is not None:
        archive = setting.archive
        checks.append(("verbatim-in-archive", lambda: _texts_in_sources(curated, archive)))
    return [problem.under(rule(name)) for name, check in checks for problem in check()]


def record_warnings(curated: Curated) -> list[Problem]:
    """What the build reports without refusing: cells a spreadsheet would run as formulas, and
    adopted initiatives whose enacting document is not identified."""
    return [
        *(p.under(rule("spreadsheet-cells")) for p in text_rules.spreadsheet_cells(curated)),
        *(
            p.under(rule("adopted-links-document"))
            for p in consistency.adopted_links_document(curated)
        ),
        *(
            p.under(rule("statement-occasion"))
            for p in consistency.statements_linked_to_sessions(curated)
        ),
    ]


def _duplicate_ids(curated: Curated) -> list[Problem]:
    problems = []
    for table, items in curated.tables.items():
        first: dict[str, Located] = {}
        for item in items:
            record_id = item.record.id
            if record_id in first:
                other = first[record_id]
                problems.append(
                    item.problem(
                        "id",
                        f"duplicate id in {table}: also at {other.file}:{other.raw.line}",
                    )
                )
            else:
                first[record_id] = item
    return problems


def _duplicate_urls(curated: Curated) -> list[Problem]:
    """One document, one source record: a second record for the same URL is a problem."""
    problems = []
    first: dict[str, Located] = {}
    for item in curated.tables[Source.table]:
        source = item.record
        assert isinstance(source, Source)
        url = source.url
        if url in first:
            other = first[url]
            record_id = other.record.id
            message = f"the same URL as source {record_id!r} ({other.file}:{other.raw.line})"
            problems.append(item.problem("url", message))
        else:
            first[url] = item
    return problems


def _dangling_references(curated: Curated) -> list[Problem]:
    problems = []
    known = {table: curated.ids(table) for table in curated.tables}
    for table in release_tables():
        for column, target in table.foreign_keys:
            if table.link_field is not None and column == table.columns[0].name:
                continue  # a link table's owner column is its own record's id
            field = table.link_field or column
            for item in curated.tables[table.model.table]:
                value = getattr(item.record, field)
                for one in value if isinstance(value, list) else [value]:
                    if one is not None and str(one) not in known[target]:
                        message = f"refers to {target} id {one!r}, which does not exist"
                        problems.append(item.problem(field, message))
    return problems


def _parent_cycles(curated: Curated) -> list[Problem]:
    problems = []
    for table in _tables_with_parents():
        parents = {i.record.id: getattr(i.record, _PARENT) for i in curated.tables[table]}
        for item in curated.tables[table]:
            start = item.record.id
            seen = {start}
            parent = parents.get(start)
            while parent is not None and parent in parents:
                if parent in seen:
                    problems.append(
                        item.problem("parent_id", f"parent chain loops back to {parent!r}")
                    )
                    break
                seen.add(parent)
                parent = parents[parent]
    return problems


_PARENT = "parent_id"


def _tables_with_parents() -> list[str]:
    """The tables whose records may point at a parent record of their own table."""
    return [table.name for table in release_tables() if (_PARENT, table.name) in table.foreign_keys]


def _intervals(curated: Curated) -> list[Problem]:
    problems = []
    for spec in TABLES:
        if spec.model.interval is None:
            continue
        first, last = spec.model.interval
        for item in curated.tables[spec.model.table]:
            start, end = getattr(item.record, first), getattr(item.record, last)
            if start is None or end is None:
                continue
            if parse_partial_date(end)[2] < parse_partial_date(start)[1]:
                problems.append(item.problem(last, f"ends ({end}) before it starts ({start})"))
    return problems


def _claims(curated: Curated) -> list[Problem]:
    """A source claim must point at an existing record and one of its fields."""
    problems = []
    known = {table: curated.ids(table) for table in curated.tables}
    for item in curated.tables[SourceClaim.table]:
        claim = item.record
        assert isinstance(claim, SourceClaim)
        if claim.record_table not in curated.tables:
            problems.append(item.problem("record_table", f"no table {claim.record_table!r}"))
            continue
        if claim.record_id not in known[claim.record_table]:
            message = f"refers to {claim.record_table} id {claim.record_id!r}, which does not exist"
            problems.append(item.problem("record_id", message))
        owner = next(spec.model for spec in TABLES if spec.model.table == claim.record_table)
        if claim.field not in owner.model_fields:
            message = f"{claim.record_table} has no field {claim.field!r}"
            problems.append(item.problem("field", message))
    return problems


def _one_record_per_name(curated: Curated) -> list[Problem]:
    """One person is one record whatever the spelling; one publisher has one spelling."""
    problems = []
    for table in (Person.table, Publisher.table):
        first: dict[str, Located] = {}
        for item in curated.tables[table]:
            record = item.record
            assert isinstance(record, Person | Publisher)
            for name in [record.name, *record.aliases]:
                key = " ".join(name.casefold().split())
                other = first.setdefault(key, item)
                if other is not item:
                    other_id = other.record.id
                    problems.append(
                        item.problem(
                            "name",
                            f"{name!r} already names {table} record {other_id!r} "
                            f"({other.file}:{other.raw.line}): one record per "
                            f"{'person' if table == Person.table else 'publisher'}",
                        )
                    )
    return problems


def paragraphs(text: str) -> list[str]:
    """The paragraphs of an archived text: blocks separated by blank lines, numbered from 1."""
    return [block for block in re.split(r"\n[ \t]*\n", text) if block.strip()]


def _texts_in_sources(curated: Curated, archive: Path) -> list[Problem]:
    problems = []
    texts: dict[str, list[str]] = {}
    for item in curated.tables[Source.table]:
        source = item.record
        assert isinstance(source, Source)
        if source.archive_file is None:
            continue
        path = archive / source.archive_file
        if not path.is_file():
            problems.append(item.problem("archive_file", f"archived text not found at {path}"))
            continue
        texts[source.id] = paragraphs(path.read_text(encoding="utf-8"))
    for table, field in (
        (Statement.table, "text"),
        (Witness.table, "text"),
        (Initiative.table, "text"),
    ):
        for item in curated.tables[table]:
            problems += _text_in_source(item, item.record, field, texts)
    return problems


def _text_in_source(
    item: Located, record: Record, field: str, texts: dict[str, list[str]]
) -> list[Problem]:
    assert isinstance(record, Statement | Witness | Initiative)
    if record.source_id not in texts:
        return []
    if record.locator is None:
        return [item.problem("locator", "required: the source is archived, give `paragraph N`")]
    match = _PARAGRAPH.match(record.locator)
    source_paragraphs = texts[record.source_id]
    if match is None or int(match.group(1)) > len(source_paragraphs):
        return [item.problem("locator", f"no {record.locator!r} in the archived source")]
    collapsed = [" ".join(p.split()) for p in source_paragraphs]
    paragraph = collapsed[int(match.group(1)) - 1]
    problems = []
    attribution = getattr(record, "attribution", None)
    if attribution is not None and not any(attribution in p for p in collapsed):
        message = f"not found verbatim (whitespace collapsed) in source {record.source_id!r}"
        problems.append(item.problem("attribution", message))
    for name in (field, "context") if isinstance(record, Statement | Witness) else (field,):
        text = getattr(record, name)
        if text in paragraph:
            continue
        elsewhere = [n for n, p in enumerate(collapsed, 1) if text in p]
        hint = f"; it is in paragraph {elsewhere[0]}" if elsewhere else ""
        problems.append(
            item.problem(
                name,
                f"not found verbatim (whitespace collapsed) in {record.locator} of source "
                f"{record.source_id!r}{hint}",
            )
        )
    return problems
