"""membership_status(): each state's standing on a given day, from the membership intervals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from release_server import Remote

from csto_dataset import CstoDatasetError
from csto_dataset.errors import ArgumentError, DataNotInReleaseError
from csto_dataset.membership import StatusOnDay, membership_status

NINE = {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"}


def test_in_1993_the_treaty_was_signed_but_not_yet_in_force() -> None:
    status = membership_status("1993-06-01")
    for state in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"):
        assert status[state].status == "signatory", state
    assert status["AZE"].status == "none"  # acceded in September 1993
    assert status["BLR"].status == "none"  # acceded on 31 December 1993


def test_in_2000_azerbaijan_georgia_and_uzbekistan_were_outside() -> None:
    status = membership_status(dt.date(2000, 6, 1))
    assert {s for s, v in status.items() if v.status == "member"} == {
        "ARM",
        "BLR",
        "KAZ",
        "KGZ",
        "RUS",
        "TJK",
    }
    assert status["AZE"].status == status["GEO"].status == status["UZB"].status == "none"


def test_in_2008_uzbekistan_was_a_member_again() -> None:
    status = membership_status("2008-06-01")
    assert status["UZB"].status == "member"
    assert status["GEO"].status == "none"


def test_in_2013_uzbekistans_membership_was_suspended() -> None:
    assert membership_status("2013-06-01", state="UZB") == {
        "UZB": StatusOnDay("suspended", ("suspended",))
    }


def test_in_2025_armenia_had_frozen_its_participation_but_formally_remained_a_member() -> None:
    assert membership_status("2025-06-01")["ARM"].status == "participation_frozen"
    assert membership_status("2025-06-01", basis="formal")["ARM"].status == "member"
    assert membership_status("2025-06-01")["RUS"].status == "member"


def test_every_state_ever_party_has_a_history() -> None:
    assert set(membership_status("2025-06-01")) >= NINE


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(CstoDatasetError, match="YYYY-MM-DD"):
        membership_status("June 2000")
    with pytest.raises(CstoDatasetError, match="no membership record for state 'FRA'"):
        membership_status("2000-06-01", state="FRA")
    with pytest.raises(CstoDatasetError, match="unknown basis"):
        membership_status("2000-06-01", basis="declared")  # type: ignore[arg-type]


def test_uzbekistans_note_of_20_june_2012_decides_june() -> None:
    # the note was sent on 20 June 2012 (Jahon, via The Moscow Times): suspended from that day
    before = membership_status("2012-06-19", state="UZB")["UZB"]
    assert before == StatusOnDay("member", ("member",))
    assert membership_status("2012-06-20", state="UZB")["UZB"] == StatusOnDay(
        "suspended", ("suspended",)
    )
    assert membership_status("2012-06-20", state="UZB", basis="formal")["UZB"].status == "member"


def test_armenias_freeze_dated_february_2024_is_sure_only_from_march() -> None:
    assert membership_status("2024-02-10", state="ARM")["ARM"].possible == (
        "participation_frozen",
        "member",
    )
    assert membership_status("2024-02-29", state="ARM")["ARM"].certain
    assert membership_status("2024-03-01", state="ARM")["ARM"].certain


def test_an_observer_interval_with_an_unknown_end_is_open_not_ongoing() -> None:
    # Afghanistan's parliament became an observer "in 2013"; no source says until when
    assert membership_status("2013-06-01", state="AFG")["AFG"].possible == ("observer", "none")
    assert membership_status("2025-06-01", state="AFG")["AFG"] == StatusOnDay(
        "uncertain", ("observer", "none")
    )


@pytest.mark.parametrize(
    "on",
    [
        dt.date(2013, 6, 1),
        dt.datetime(2013, 6, 1, 23, 59),
        pd.Timestamp("2013-06-01 12:00"),
        np.datetime64("2013-06-01"),
        np.datetime64("2013-06-01T08:30"),
        "2013-06-01",
        " 2013-06-01T10:00:00 ",
        "20130601",
    ],
)
def test_a_day_is_accepted_in_every_common_form(on: object) -> None:
    assert membership_status(on, state="UZB")["UZB"].status == "suspended"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (20130601, r"expected a day \(a datetime.date .* got int 20130601"),
        (None, r"got NoneType None"),
        (pd.NaT, r"expected a day as YYYY-MM-DD, got NaT"),
        (np.datetime64("NaT"), r"expected a day as YYYY-MM-DD"),
        ("x" * 10_000, r"got 'xxx.*\.\.\.x'$"),
    ],
)
def test_anything_else_is_refused_with_a_short_clear_message(on: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message) as raised:
        membership_status(on)  # type: ignore[arg-type]
    assert isinstance(raised.value, TypeError | ValueError)
    assert len(str(raised.value)) < 300


def test_a_long_state_is_shortened_in_the_message() -> None:
    with pytest.raises(CstoDatasetError, match="no membership record for state 'AAAA") as raised:
        membership_status("2000-06-01", state="A" * 5000)
    assert len(str(raised.value)) < 300
    with pytest.raises(ArgumentError, match="state must be an ISO alpha-3 code"):
        membership_status("2000-06-01", state=["ARM"])  # type: ignore[arg-type]


def test_a_release_without_membership_intervals_says_which_versions_have_them(
    remote: Remote,
) -> None:
    for basis in ("any", "formal"):
        with pytest.raises(DataNotInReleaseError, match=r"data version 0.1.0 .* without basis"):
            membership_status("2022-11-15", version="0.1.0", basis=basis)  # type: ignore[arg-type]


def test_an_older_release_with_intervals_answers_for_both_bases(remote: Remote) -> None:
    assert membership_status("2013-06-01", version="0.2.0")["UZB"].status == "suspended"
    formal = membership_status("2025-06-01", version="0.2.0", basis="formal")
    assert formal["ARM"].status == "member"


def test_a_day_after_the_last_day_of_the_data_warns_and_names_it() -> None:
    import datetime as dt
    import warnings

    from csto_dataset.errors import BeyondDataWarning
    from csto_dataset.membership import last_day

    assert last_day() == dt.date(2025, 11, 27)  # the Council session in Bishkek
    with warnings.catch_warnings():
        warnings.simplefilter("error", BeyondDataWarning)
        membership_status("2025-11-27")  # the last day itself: no warning
        with pytest.raises(BeyondDataWarning, match=r"2025-11-28 is after 2025-11-27, the last"):
            membership_status("2025-11-28")


def test_the_browse_page_takes_the_interval_rule_and_palette_from_python(root: Path) -> None:
    import json

    from csto_dataset import load
    from csto_dataset.membership import PRECEDENCE, STATUS_COLOURS, interval_coverage

    html = (root / "docs" / "browse.html").read_text(encoding="utf-8")
    payload = html.split('<script type="application/json" id="data">', 1)[1].split("</script>")[0]
    data = json.loads(payload.replace("<\\/", "</"))
    assert data["precedence"] == list(PRECEDENCE)
    assert data["colours"] == STATUS_COLOURS
    header, *rows = data["tables"]["memberships"]
    shown = {row["id"]: row for row in (dict(zip(header, r, strict=True)) for r in rows)}
    for row in load("memberships", backend="pyarrow").to_pylist():
        covered = interval_coverage(row)
        assert covered is not None
        expected = [None if d is None else d.isoformat() for d in covered]
        page = shown[row["id"]]
        assert [page[k] for k in covered._fields] == expected, row["id"]
    # the page's script compares the days it is given; it does not work them out again
    template = (root / "csto_dataset" / "browse_template.html").read_text(encoding="utf-8")
    script = template.split("function coverage(r, day) {", 1)[1].split("\n}", 1)[0]
    assert "start_latest" not in script and "attested" not in script
