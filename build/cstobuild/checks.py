"""The cross-record checks, run rule by rule in the rulebook's order; and the checks of
identity and references (ids, URLs, names, references, parents) and of verbatim quotes."""

from __future__ import annotations

# imported for their checks, which declare their rules where they are written (`@checks`)
from cstobuild import consistency, evidence_rules, id_rules, placement, text_rules  # noqa: F401
from cstobuild.columns import release_tables
from cstobuild.markers import verbatim_fields
from cstobuild.problems import Problem
from cstobuild.records import Curated, Located
from cstobuild.rule_checks import checks, checks_of
from cstobuild.rulebook import RULES
from cstobuild.setting import Setting

from csto_dataset.locators import paragraph_number, paragraphs
from csto_dataset.models import Person, Publisher, Source, Verbatim


def check_curated(curated: Curated, setting: Setting) -> list[Problem]:
    """Every cross-record problem, each named by the rule it breaks."""
    return _run(curated, setting, warnings=False)


def record_warnings(curated: Curated, setting: Setting) -> list[Problem]:
    """What the build reports without refusing (the rules marked as warnings)."""
    return _run(curated, setting, warnings=True)


def _run(curated: Curated, setting: Setting, *, warnings: bool) -> list[Problem]:
    return [
        problem.under(rule)
        for rule in RULES
        if rule.warning == warnings
        for check in checks_of(rule.name)
        for problem in check(curated, setting)
    ]


@checks("unique-ids")
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


@checks("one-source-per-url")
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


@checks("references")
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


@checks("no-parent-cycles")
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


@checks("one-record-per-name")
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


@checks("verbatim-in-archive")
def _texts_in_sources(curated: Curated, setting: Setting) -> list[Problem]:
    if setting.archive is None:
        return []  # the tests that prove quotes verbatim need the archive (CSTO_SOURCE_ARCHIVE)
    archive = setting.archive
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
    for model, fields in verbatim_fields().items():
        for item in curated.tables[model.table]:
            problems += _text_in_source(item, fields, texts)
    return problems


def _text_in_source(
    item: Located, fields: dict[str, Verbatim], texts: dict[str, list[str]]
) -> list[Problem]:
    record = item.record
    values = dict(record)
    source_id, locator = values["source_id"], values["locator"]
    if source_id not in texts:
        return []
    if locator is None:
        return [item.problem("locator", "required: the source is archived, give `paragraph N`")]
    number = paragraph_number(locator)
    source_paragraphs = texts[source_id]
    if number is None or number > len(source_paragraphs):
        return [item.problem("locator", f"no {locator!r} in the archived source")]
    collapsed = [" ".join(p.split()) for p in source_paragraphs]
    paragraph = collapsed[number - 1]
    problems = []
    for name in sorted(fields, key=lambda name: fields[name].within != "source"):
        text = values[name]
        if text is None or text in paragraph:
            continue
        if fields[name].within == "source":
            if not any(text in p for p in collapsed):
                message = f"not found verbatim (whitespace collapsed) in source {source_id!r}"
                problems.append(item.problem(name, message))
            continue
        elsewhere = [n for n, p in enumerate(collapsed, 1) if text in p]
        hint = f"; it is in paragraph {elsewhere[0]}" if elsewhere else ""
        problems.append(
            item.problem(
                name,
                f"not found verbatim (whitespace collapsed) in {locator} of source "
                f"{source_id!r}{hint}",
            )
        )
    return problems
