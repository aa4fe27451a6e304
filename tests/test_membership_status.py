"""membership_status(): each state's standing on a given day, from the membership intervals."""

from __future__ import annotations

import datetime as dt

import pytest

from csto_dataset import CstoDatasetError
from csto_dataset.membership import membership_status

NINE = {"ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB"}


def test_in_1993_the_treaty_was_signed_but_not_yet_in_force() -> None:
    status = membership_status("1993-06-01")
    for state in ("ARM", "KAZ", "KGZ", "RUS", "TJK", "UZB"):
        assert status[state] == "signatory", state
    assert status["AZE"] == "none"  # acceded in September 1993
    assert status["BLR"] == "none"  # acceded on 31 December 1993


def test_in_2000_azerbaijan_georgia_and_uzbekistan_were_outside() -> None:
    status = membership_status(dt.date(2000, 6, 1))
    assert {s for s, v in status.items() if v == "member"} == {
        "ARM",
        "BLR",
        "KAZ",
        "KGZ",
        "RUS",
        "TJK",
    }
    assert status["AZE"] == status["GEO"] == status["UZB"] == "none"


def test_in_2008_uzbekistan_was_a_member_again() -> None:
    status = membership_status("2008-06-01")
    assert status["UZB"] == "member"
    assert status["GEO"] == "none"


def test_in_2013_uzbekistans_membership_was_suspended() -> None:
    assert membership_status("2013-06-01", state="UZB") == {"UZB": "suspended"}


def test_in_2025_armenia_had_frozen_its_participation_but_formally_remained_a_member() -> None:
    assert membership_status("2025-06-01")["ARM"] == "participation_frozen"
    assert membership_status("2025-06-01", basis="formal")["ARM"] == "member"
    assert membership_status("2025-06-01")["RUS"] == "member"


def test_every_state_ever_party_has_a_history() -> None:
    assert set(membership_status("2025-06-01")) >= NINE


def test_bad_arguments_say_what_was_expected() -> None:
    with pytest.raises(CstoDatasetError, match="YYYY-MM-DD"):
        membership_status("June 2000")
    with pytest.raises(CstoDatasetError, match="no membership record for state 'FRA'"):
        membership_status("2000-06-01", state="FRA")
    with pytest.raises(CstoDatasetError, match="unknown basis"):
        membership_status("2000-06-01", basis="declared")  # type: ignore[arg-type]
