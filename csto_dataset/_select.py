"""Which rows of a table `csto-dataset show` keeps: by state, person, topic, kind, date, text.

Each filter reads the columns its name says (`--state` the columns ending in `state_id`,
`--person` those ending in `person_id`) and the link tables that tie a row to several states
or topics; a filter a table has no column for is refused, not silently ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from csto_dataset._release import DATED_BY, SELECT_LINKS
from csto_dataset._render import Row
from csto_dataset.errors import CstoDatasetError

TableRows = Callable[[str], list[Row]]
"""Another table of the same release, as rows (to resolve names and follow link tables)."""


STATUS_COLUMN = {"initiatives": "latest_status"}
"""The column --status reads where it is not `status`: what became of an initiative."""


@dataclass(frozen=True)
class Criteria:
    """What to keep; None keeps everything. `since`/`until` are the days a partial date spans."""

    state: str | None = None
    person: str | None = None
    topic: str | None = None
    kind: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    search: str | None = None


def select(
    table: str, columns: Sequence[str], rows: list[Row], criteria: Criteria, other: TableRows
) -> list[Row]:
    """The rows of `table` (with `columns`) that meet every criterion."""
    tests: list[Callable[[Row], bool]] = []
    if criteria.state is not None:
        ids = resolve_state(criteria.state, other("states"))
        own = _key_columns(columns, "state_id", table, "states")
        tests.append(_linked(table, "state", own, ids, other))
    if criteria.person is not None:
        ids = resolve_person(criteria.person, other("people"), other("person_aliases"))
        own = _key_columns(columns, "person_id", table, "people")
        tests.append(_linked(table, "person", own, ids, other))
    if criteria.topic is not None:
        own = ["topic"] if "topic" in columns else []
        tests.append(_linked(table, "topic", own, {criteria.topic}, other))
    if criteria.kind is not None:
        if "kind" not in columns:
            raise _not_applicable("--kind", table)
        kind = criteria.kind
        tests.append(lambda row: row["kind"] == kind)
    if criteria.status is not None:
        column = STATUS_COLUMN.get(table, "status")
        if column not in columns:
            raise _not_applicable("--status", table)
        status = criteria.status
        tests.append(lambda row: row[column] == status)
    if criteria.since is not None or criteria.until is not None:
        tests.append(_in_period(table, columns, criteria.since, criteria.until))
    if criteria.search is not None:
        needle = criteria.search.casefold()
        tests.append(
            lambda row: any(needle in v.casefold() for v in row.values() if isinstance(v, str))
        )
    return [row for row in rows if all(test(row) for test in tests)]


def resolve_state(given: str, states: list[Row]) -> set[str]:
    """The state ids `given` names: an ISO alpha-3 or alpha-2 code, or a name (any case)."""
    for state in states:
        codes = {str(state["id"]), str(state.get("iso_alpha2") or "")}
        if given.upper() in codes or given.casefold() == str(state["name"]).casefold():
            return {str(state["id"])}
    raise CstoDatasetError(
        f"no state {given!r}; give an ISO code or a name, e.g. ARM or Armenia "
        f"(list them: csto-dataset show states)"
    )


def resolve_person(given: str, people: list[Row], aliases: list[Row]) -> set[str]:
    """The ids of the people `given` names: an id, or part of a name or alias (any case)."""
    if any(person["id"] == given for person in people):
        return {given}
    needle = given.casefold()
    names = [(str(p["id"]), str(p["name"])) for p in people]
    names += [(str(a["person_id"]), str(a["alias"])) for a in aliases]
    found = {person_id for person_id, name in names if needle in name.casefold()}
    if not found:
        raise CstoDatasetError(
            f"no person's id, name or alias contains {given!r} "
            f"(list them: csto-dataset show people)"
        )
    return found


def _key_columns(columns: Sequence[str], key: str, table: str, home: str) -> list[str]:
    """The columns holding ids of table `home` (`state_id`, `speaker_state_id`...), and `id`
    in `home` itself."""
    found = [c for c in columns if c == key or c.endswith(f"_{key}")]
    return [*found, "id"] if table == home else found


def _linked(
    table: str,
    option: str,
    own: list[str],
    wanted: set[str],
    other: TableRows,
) -> Callable[[Row], bool]:
    """A test keeping rows whose `own` columns hold a wanted value, or that the link table the
    models mark for `option` ties to one (an exercise's states, not its observers)."""
    linked: set[object] = set()
    links = SELECT_LINKS.get(option, {})
    if table in links:
        link_table, key, value_column = links[table]
        linked = {r[key] for r in other(link_table) if r[value_column] in wanted}
    elif not own:
        raise _not_applicable(f"--{option}", table)
    return lambda row: row.get("id") in linked or any(row[c] in wanted for c in own)


def _in_period(
    table: str, columns: Sequence[str], since: dt.date | None, until: dt.date | None
) -> Callable[[Row], bool]:
    """Keep a row if the span of days its date may denote overlaps the period: a row dated
    only "2022" is kept by --from 2022-06 (it may fall on or after June), one undated is not."""
    field = DATED_BY.get(table)  # the models' dated_by, generated into _release
    if field is None or f"{field}_earliest" not in columns:
        raise _not_applicable("--from/--to", table, "no date")
    earliest, latest = f"{field}_earliest", f"{field}_latest"

    def test(row: Row) -> bool:
        if row[earliest] is None:
            return False
        return (since is None or row[latest] >= since) and (until is None or row[earliest] <= until)

    return test


def _not_applicable(option: str, table: str, lacking: str | None = None) -> CstoDatasetError:
    what = lacking or f"no {option.removeprefix('--')} column"
    return CstoDatasetError(f"{option} does not apply to table {table!r}: it has {what}")
