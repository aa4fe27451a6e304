"""Checks that records agree with the calendar, the cut-off and the other tables.

A partial date spans days ("2012-06" is 1 to 30 June 2012). A record is refused only when no
reading of its dates can be true: a record dated after its source is compared by the record's
earliest day and the source's latest day.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from cstobuild.columns import release_tables
from cstobuild.markers import SOURCE_FIELD, source_date, source_dated_tables
from cstobuild.problems import Problem
from cstobuild.records import Curated, Located
from cstobuild.rule_checks import checks
from cstobuild.setting import Setting

from csto_dataset.dates import parse_partial_date
from csto_dataset.membership import Coverage, interval_coverage
from csto_dataset.models import (
    TABLES,
    Attendance,
    Document,
    Event,
    EventKind,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Membership,
    MembershipStatus,
    Record,
    Source,
    SourceClaim,
    SourceOf,
    Statement,
    marked,
)

_ENDLESS = dt.date.max
R = TypeVar("R", bound=Record)


def _span(value: str | None) -> tuple[dt.date, dt.date] | None:
    if value is None:
        return None
    _, earliest, latest = parse_partial_date(value)
    return earliest, latest


@dataclass(frozen=True)
class _Dated:
    """The day a record is dated by, the field that gives it, and the source it rests on."""

    item: Located
    field: str
    value: str
    source_id: str
    announced: bool


class _Index:
    """Records by id, for the lookups the checks need."""

    def __init__(self, curated: Curated) -> None:
        self.curated = curated
        self.events = _by_id(curated, Event)
        self.statements = _by_id(curated, Statement)
        self.initiatives = _by_id(curated, Initiative)
        self.sources = _by_id(curated, Source)
        self.records = {
            table: {i.record.id: i.record for i in items} for table, items in curated.tables.items()
        }

    def event_date(self, event_id: str | None) -> str | None:
        event = self.events.get(event_id or "")
        return None if event is None else event.date

    def dated(self) -> Iterator[_Dated]:
        """Every record that rests on a source, with the day it is dated by (`source_date`)."""
        for model in source_dated_tables():
            field = str(source_date(model))
            sources = {marker.field: name for name, marker in marked(model, SourceOf).items()}
            refs = dict(next(t for t in release_tables() if t.name == model.table).foreign_keys)
            source_field = sources.get(field, SOURCE_FIELD)
            for item in self.curated.tables[model.table]:
                record = item.record
                value = getattr(record, field)
                if field == model.dated_via:  # the date of the record it belongs to
                    target = self.records[refs[field]].get(value or "")
                    value = None if target is None else getattr(target, str(target.dated_by))
                if value is not None:
                    source = getattr(record, source_field) or getattr(record, SOURCE_FIELD)
                    yield _Dated(item, field, value, source, record.standing != "held")


@checks("intervals-ordered")
def intervals_ordered(curated: Curated) -> list[Problem]:
    """No interval (a membership, an event, an office term, an exercise) ends before it starts."""
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


@checks("not-after-source")
def not_after_source(curated: Curated) -> list[Problem]:
    """No record is dated after the publication of the source it cites."""
    index = _Index(curated)
    problems = []
    for dated in index.dated():
        source = index.sources.get(dated.source_id)
        if dated.announced or source is None or source.published is None:
            continue
        if parse_partial_date(dated.value)[1] > parse_partial_date(source.published)[2]:
            problems.append(
                dated.item.problem(
                    dated.field,
                    f"dated {dated.value}, after its source {source.id!r} was published "
                    f"({source.published}): a source cannot report what had not happened; "
                    "correct the date or the source, or mark the record as announced",
                )
            )
    return problems


@checks("not-after-cutoff")
def not_after_cutoff(curated: Curated, setting: Setting) -> list[Problem]:
    """No record begins after the release's cut-off, unless it is marked as announced."""
    cutoff = setting.cutoff
    problems = []
    for dated in _Index(curated).dated():
        if not dated.announced and parse_partial_date(dated.value)[1] > cutoff:
            problems.append(
                dated.item.problem(
                    dated.field,
                    f"dated {dated.value}, after the release's cut-off {cutoff.isoformat()} "
                    "(build/release.toml); leave it out, or mark it as announced",
                )
            )
    return problems


@dataclass(frozen=True)
class _Interval:
    item: Located
    membership: Membership
    start: tuple[dt.date, dt.date]
    covered: Coverage
    """The days it covers, by the package's one rule (`interval_coverage`)."""

    @property
    def sure(self) -> tuple[dt.date, dt.date]:
        return self.covered.sure_from, self.covered.sure_until or _ENDLESS

    @property
    def possible(self) -> tuple[dt.date, dt.date]:
        return self.covered.possible_from, self.covered.possible_until or _ENDLESS


def membership_coverage(membership: Membership) -> Coverage | None:
    """The days a membership record covers, by the package's one rule (`interval_coverage`,
    which reads a release row: this gives it the record's dates as that row holds them)."""
    start, end, attested = map(_span, (membership.start, membership.end, membership.attested))
    if start is None:
        return None
    return interval_coverage(
        {
            "start_earliest": start[0],
            "start_latest": start[1],
            "end": membership.end,
            "end_earliest": end[0] if end else None,
            "end_latest": end[1] if end else None,
            "ongoing": membership.ongoing,
            "attested_earliest": attested[0] if attested else None,
            "attested_latest": attested[1] if attested else None,
        }
    )


def _membership_intervals(curated: Curated) -> list[_Interval]:
    intervals = []
    for item in curated.tables[Membership.table]:
        membership = _as(item, Membership)
        covered = membership_coverage(membership)
        start = _span(membership.start)
        if covered is not None and start is not None:
            intervals.append(_Interval(item, membership, start, covered))
    return intervals


@checks("memberships-disjoint")
def memberships_disjoint(curated: Curated) -> list[Problem]:
    """A state's intervals on one track (basis and organization) share no day."""
    tracks: dict[tuple[str, str, str | None], list[_Interval]] = defaultdict(list)
    for interval in _membership_intervals(curated):
        m = interval.membership
        tracks[(m.state_id, str(m.basis), m.organization_id)].append(interval)
    problems = []
    for intervals in tracks.values():
        intervals.sort(key=lambda i: i.start)
        for n, later in enumerate(intervals):
            for earlier in intervals[:n]:
                first = max(earlier.sure[0], later.sure[0])
                last = min(earlier.sure[1], later.sure[1])
                if first <= last:
                    problems.append(
                        later.item.problem(
                            "start",
                            f"overlaps {earlier.membership.id!r} ({earlier.item.file}:"
                            f"{earlier.item.raw.line}) on {first.isoformat()}: a state has one "
                            "status at a time on one track (basis and organization)",
                        )
                    )
    return problems


@checks("membership-order")
def membership_order(curated: Curated) -> list[Problem]:
    """Suspension and freezing follow a membership; signature precedes it."""
    by_state: dict[str, list[_Interval]] = defaultdict(list)
    for interval in _membership_intervals(curated):
        by_state[interval.membership.state_id].append(interval)
    problems = []
    for intervals in by_state.values():
        members = [i for i in intervals if i.membership.status == MembershipStatus.MEMBER]
        for interval in intervals:
            status = interval.membership.status
            following = status in (
                MembershipStatus.SUSPENDED,
                MembershipStatus.PARTICIPATION_FROZEN,
            )
            if following and not any(m.start[0] <= interval.start[1] for m in members):
                problems.append(
                    interval.item.problem(
                        "status",
                        f"{status} but no membership of {interval.membership.state_id} began "
                        "before it: a state cannot be suspended from, or freeze, a membership "
                        "it never had",
                    )
                )
            if status == MembershipStatus.SIGNATORY:
                track = (interval.membership.basis, interval.membership.organization_id)
                for member in members:
                    same = (member.membership.basis, member.membership.organization_id)
                    if same == track and interval.start[0] > member.start[1]:
                        problems.append(
                            interval.item.problem(
                                "start",
                                f"signatory after the membership {member.membership.id!r} "
                                "began: a state signs before it becomes a member",
                            )
                        )
    return problems


_TAKING_PART = (MembershipStatus.SIGNATORY, MembershipStatus.MEMBER, MembershipStatus.OBSERVER)


@checks("attendance-by-members")
def attendance_by_members(curated: Curated) -> list[Problem]:
    """Attendances name states that were party to the treaty or observers on the day."""
    index = _Index(curated)
    by_state: dict[str, list[_Interval]] = defaultdict(list)
    for interval in _membership_intervals(curated):
        if interval.membership.status in _TAKING_PART:
            by_state[interval.membership.state_id].append(interval)
    problems = []
    for item in curated.tables[Attendance.table]:
        attendance = _as(item, Attendance)
        event = index.events.get(attendance.event_id)
        days = _span(event.date) if event is not None else None
        if event is None or days is None or attendance.note is not None:
            continue
        end = _span(event.end)
        last = end[1] if end is not None else days[1]
        if not any(
            i.possible[0] <= last and days[0] <= i.possible[1]
            for i in by_state[attendance.state_id]
        ):
            problems.append(
                item.problem(
                    "state_id",
                    f"{attendance.state_id} was not a signatory, member or observer on any "
                    f"day of {event.id!r} ({event.date}) in the memberships table; correct "
                    "the record, or say in `note` why the state took part",
                )
            )
    return problems


@checks("documents-dated-by-session")
def documents_dated_by_session(curated: Curated) -> list[Problem]:
    """A document takes the days of the session that adopted it, so that session is dated."""
    index = _Index(curated)
    problems = []
    for item in curated.tables[Document.table]:
        document = _as(item, Document)
        event = index.events.get(document.event_id or "")
        if event is not None and event.date is None:
            problems.append(
                item.problem(
                    "event_id",
                    f"adopted at {event.id!r}, which has no date: the document would have none",
                )
            )
    return problems


@checks("update-after-initiative")
def update_after_initiative(curated: Curated) -> list[Problem]:
    """No update of an initiative is dated before the initiative itself."""
    index = _Index(curated)
    problems = []
    for item in curated.tables[InitiativeUpdate.table]:
        update = _as(item, InitiativeUpdate)
        initiative = index.initiatives.get(update.initiative_id)
        days = _span(update.date)
        if initiative is None or days is None:
            continue
        statement = index.statements.get(initiative.statement_id or "")
        dates = [
            initiative.date,
            index.event_date(initiative.event_id),
            statement.date if statement is not None else None,
            initiative.status_date,
        ]
        starts = [span[0] for span in map(_span, dates) if span is not None]
        if starts and days[1] < min(starts):
            problems.append(
                item.problem(
                    "date",
                    f"dated {update.date}, before its initiative {initiative.id!r} "
                    f"({min(starts).isoformat()})",
                )
            )
    return problems


@checks("cancelled-not-held")
def cancelled_not_held(curated: Curated) -> list[Problem]:
    """A cancelled event has no attendance or document that reports it as held."""
    cancelled = {e.id for e in curated.records(Event.table) if e.standing == "cancelled"}
    problems = []
    for model in (Attendance, Document):
        flag = ", ".join(model.not_held())
        for item in curated.tables[model.table]:
            record = item.record
            assert isinstance(record, Attendance | Document)
            if record.event_id in cancelled and record.standing == "held":
                problems.append(
                    item.problem(
                        "event_id",
                        f"{record.event_id!r} was cancelled: mark this record {flag}, or "
                        "the event not cancelled",
                    )
                )
    return problems


@checks("chairmanships-contiguous")
def chairmanships_contiguous(curated: Curated) -> list[Problem]:
    """From one chairmanship to the next, no day surely without a chair and none surely with
    two (a handover day may count for both, as the records date terms session to session)."""
    terms = sorted(
        (
            (item, event, span, _span(event.end))
            for item in curated.tables[Event.table]
            if isinstance(event := item.record, Event)
            and event.kind == EventKind.CHAIRMANSHIP
            and (span := _span(event.date)) is not None
        ),
        key=lambda term: term[2][0],
    )
    problems = []
    for (_, before, _, end), (item, _, start, _) in itertools.pairwise(terms):
        if end is None:
            continue  # an end no source gives: no gap or overlap can be shown
        if start[0] > end[1] + dt.timedelta(days=1):
            message = (
                f"no chair is recorded from {end[1] + dt.timedelta(days=1)} to "
                f"{start[0] - dt.timedelta(days=1)} (after {before.id!r})"
            )
            problems.append(item.problem("date", message))
        elif start[1] < end[0]:
            message = f"two chairs from {start[1]} to {end[0]} ({before.id!r} too)"
            problems.append(item.problem("date", message))
    return problems


@checks("statement-occasion")
def statements_linked_to_sessions(curated: Curated) -> list[Problem]:
    """A statement made on a session's day by someone recorded as attending it names that
    session as its occasion (a warning: the words may belong to another occasion that day)."""
    attended: dict[tuple[str, str], set[str]] = defaultdict(set)
    sessions = {
        e.id: e.date
        for e in curated.records(Event.table)
        if isinstance(e, Event) and e.kind == EventKind.COUNCIL_SESSION and e.date
    }
    for attendance in curated.records(Attendance.table):
        assert isinstance(attendance, Attendance)
        day = sessions.get(attendance.event_id)
        if attendance.person_id is not None and day is not None:
            attended[(attendance.person_id, day)].add(attendance.event_id)
    problems = []
    for item in curated.tables[Statement.table]:
        statement = _as(item, Statement)
        if statement.speaker_person_id is None or statement.date is None:
            continue
        events = attended.get((statement.speaker_person_id, statement.date), set())
        if events and statement.event_id not in events:
            message = (
                f"said on the day of {', '.join(sorted(events))}, which the speaker attended: "
                "link the occasion in event_id, or say in note why it is another"
            )
            problems.append(item.problem("event_id", message))
    return problems


@checks("adopted-links-document")
def adopted_links_document(curated: Curated) -> list[Problem]:
    """An `adopted` update names the document that enacts it (a warning where none is found)."""
    problems = []
    for item in curated.tables[InitiativeUpdate.table]:
        update = _as(item, InitiativeUpdate)
        if update.status == InitiativeStatus.ADOPTED and update.document_id is None:
            problems.append(
                item.problem("document_id", "adopted, but the document that enacts it is not named")
            )
    return problems


@checks("claims")
def claims_point_at_fields(curated: Curated) -> list[Problem]:
    """A source claim points at an existing record and one of its fields."""
    problems = []
    known = {table: curated.ids(table) for table in curated.tables}
    for item in curated.tables[SourceClaim.table]:
        claim = _as(item, SourceClaim)
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


@checks("claims")
def claims_differ(curated: Curated) -> list[Problem]:
    """A source claim records a disagreement: its value differs from another value given."""
    claims: dict[tuple[str, str, str], list[SourceClaim]] = defaultdict(list)
    for claim in curated.records(SourceClaim.table):
        assert isinstance(claim, SourceClaim)
        claims[(claim.record_table, claim.record_id, claim.field)].append(claim)
    records = {
        table: {i.record.id: i.record for i in items} for table, items in curated.tables.items()
    }
    problems = []
    for item in curated.tables[SourceClaim.table]:
        claim = _as(item, SourceClaim)
        key = (claim.record_table, claim.record_id, claim.field)
        target = records.get(claim.record_table, {}).get(claim.record_id)
        if target is None or claim.field not in type(target).model_fields:
            continue  # reported by the claim-target check
        values = {c.value for c in claims[key] if c is not claim}
        own = getattr(target, claim.field)
        if own is not None:
            values.add(_as_text(own))
        if values and all(value == claim.value for value in values):
            problems.append(
                item.problem(
                    "value",
                    f"{claim.value!r} is what the record and every other claim about "
                    f"{claim.record_table}.{claim.field} of {claim.record_id!r} give: a claim "
                    "records a disagreement",
                )
            )
    return problems


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _by_id(curated: Curated, model: type[R]) -> dict[str, R]:
    return {i.record.id: _as(i, model) for i in curated.tables[model.table]}


def _as(item: Located, model: type[R]) -> R:
    assert isinstance(item.record, model)
    return item.record
