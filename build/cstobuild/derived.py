"""What the build computes from the records rather than reading it: the rows of tables that
hold derived rows (witnesses, inferred signatures) and the values of derived columns
(`Record.derived`, whose values `Evidence.derived` computes)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

from cstobuild.attendance_groups import state_record_id
from cstobuild.consistency import membership_coverage
from cstobuild.evidence import Evidence, own_witness
from cstobuild.records import Curated

from csto_dataset.dates import parse_partial_date
from csto_dataset.models import (
    Attendance,
    AttendanceStatus,
    Document,
    DocumentSignature,
    Event,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Membership,
    MembershipStatus,
    Record,
    SignatureStatus,
    Statement,
    Witness,
)


class Derivations:
    """The derived rows and columns of one set of records."""

    def __init__(self, curated: Curated) -> None:
        self.curated = curated
        self.evidence = Evidence.of(curated)
        self._latest = _latest_status(curated)

    @classmethod
    def of(cls, curated: Curated) -> Derivations:
        """The derivations of `curated`, computed once per set of records."""
        return curated.computed("derivations", cls)

    def records(self, table: str) -> Sequence[Record]:
        """The records a release table's rows come from."""
        if table == Witness.table:
            return _Witnesses(self.evidence.renderings())
        if table == DocumentSignature.table:
            return [*self.curated.records(table), *inferred_signatures(self.curated)]
        return list(self.curated.records(table))

    def values(self, record: Record) -> dict[str, Any]:
        """The values of a record's derived columns (see `Record.derived`)."""
        if isinstance(record, Statement | Witness):
            return self.evidence.derived(record)
        if isinstance(record, Initiative):
            status, day = self._latest.get(record.id, (None, None))
            return {"latest_status": status, "latest_status_date": day}
        return {}


class _Witnesses(Sequence[Record]):
    """Every witness, a statement's own made only when asked for: a million statements would
    otherwise be a million more models at once."""

    def __init__(self, renderings: list[Statement | Witness]) -> None:
        self._renderings = renderings

    def __len__(self) -> int:
        return len(self._renderings)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._renderings[index]
        return own_witness(item) if isinstance(item, Statement) else item


def _latest_status(curated: Curated) -> dict[str, tuple[str, str | None]]:
    """Each initiative's latest reported status: its newest update, or `unknown` as of the last
    day it was heard of when nothing was reported after the proposal."""
    newest: dict[str, InitiativeUpdate] = {}
    for update in curated.records(InitiativeUpdate.table):
        assert isinstance(update, InitiativeUpdate)
        known = newest.get(update.initiative_id)
        if known is None or _last_day(update.date) >= _last_day(known.date):
            newest[update.initiative_id] = update
    latest: dict[str, tuple[str, str | None]] = {}
    for initiative in curated.records(Initiative.table):
        assert isinstance(initiative, Initiative)
        newest_update = newest.get(initiative.id)
        if newest_update is not None:
            status = InitiativeStatus(newest_update.status).value
            latest[initiative.id] = (status, newest_update.date)
        else:
            heard = max(
                (d for d in (initiative.date, initiative.status_date) if d is not None),
                key=_last_day,
                default=None,
            )
            latest[initiative.id] = (InitiativeStatus.UNKNOWN.value, heard)
    return latest


def _last_day(date: str | None) -> str:
    return "" if date is None else parse_partial_date(date)[2].isoformat()


INFERRED_NOTE = (
    "Inferred: the state attended the session ({attendance}) and no source found reports a "
    "refusal; no source reports its signature either."
)
ABSENT_NOTE = "The state was absent from the session ({attendance})."
NOT_REPORTED_NOTE = (
    "A member state on the session's day (the source is that of its formal membership); no "
    "source found says whether it attended or signed."
)


def _surely_members(curated: Curated, day: str) -> dict[str, str]:
    """The states surely members, on a formal basis, on every day `day` may denote, each with
    the source of the membership interval that says so."""
    first, last = parse_partial_date(day)[1:]
    members: dict[str, str] = {}
    for membership in curated.records(Membership.table):
        assert isinstance(membership, Membership)
        if membership.status != MembershipStatus.MEMBER or membership.basis != "formal":
            continue
        if membership.organization_id is not None:
            continue
        covered = membership_coverage(membership)
        if covered is None or covered.sure_from > first:
            continue
        if covered.sure_until is not None and covered.sure_until < last:
            continue
        members[membership.state_id] = membership.source_id
    return members


def inferred_signatures(curated: Curated) -> list[DocumentSignature]:
    """A row for each document of a Council session and each member state with no reported
    signature: signed (inferred) if it attended, absent if it was absent, not reported if no
    source says whether it attended (citing the source of its membership)."""
    session_days = {
        e.id: e.date
        for e in curated.records(Event.table)
        if isinstance(e, Event) and e.organization_id == "csto-csc" and e.standing == "held"
    }
    reported = {
        (s.document_id, s.state_id)
        for s in curated.records(DocumentSignature.table)
        if isinstance(s, DocumentSignature)
    }
    attendances: dict[str, list[Attendance]] = {}
    for attendance in curated.records(Attendance.table):
        assert isinstance(attendance, Attendance)
        if attendance.standing == "held":
            attendances.setdefault(attendance.event_id, []).append(attendance)
    members = {day: _surely_members(curated, day) for day in set(session_days.values()) if day}
    rows = []
    for document in curated.records(Document.table):
        assert isinstance(document, Document)
        if document.event_id not in session_days or document.standing != "held":
            continue
        at_session = attendances.get(document.event_id, [])
        known = {a.state_id for a in at_session}
        day = session_days[document.event_id]
        for state, source_id in sorted(members.get(day or "", {}).items()):
            if state in known or (document.id, state) in reported:
                continue
            rows.append(_signature(document, state, SignatureStatus.NOT_REPORTED, source_id))
        for attendance in at_session:
            if (document.id, attendance.state_id) in reported:
                continue
            absent = AttendanceStatus(attendance.status) is AttendanceStatus.ABSENT
            status = SignatureStatus.ABSENT if absent else SignatureStatus.SIGNED
            rows.append(_signature(document, attendance.state_id, status, attendance))
    return rows


def _signature(
    document: Document, state: str, status: SignatureStatus, basis: Attendance | str
) -> DocumentSignature:
    """A derived signature row, resting on an attendance or (by its source id) a membership."""
    if isinstance(basis, Attendance):
        note = ABSENT_NOTE if status is SignatureStatus.ABSENT else INFERRED_NOTE
        source_id, excerpt, note = basis.source_id, basis.excerpt, note.format(attendance=basis.id)
    else:
        source_id, excerpt, note = basis, None, NOT_REPORTED_NOTE
    return DocumentSignature.model_construct(
        id=state_record_id(document.id, state),
        document_id=document.id,
        state_id=state,
        status=status,
        inferred=status is SignatureStatus.SIGNED,
        source_id=source_id,
        excerpt=excerpt,
        note=note,
    )
