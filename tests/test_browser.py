"""The data browser page in real headless Chromium, opened from disk with no server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import INSTALL, chromium_path

from csto_dataset import DATA_VERSION, load, membership_status
from csto_dataset.membership import last_day

DAYS = ("1992-05-15", "1994-04-20", "1999-04-02", "2012-06-15", "2013-06-01", "2025-06-01")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """browse.html as `csto-dataset export` writes it."""
    folder = tmp_path_factory.mktemp("export") / "out"
    subprocess.run(
        [sys.executable, "-m", "csto_dataset", "export", str(folder)],
        check=True,
        capture_output=True,
    )
    return folder / "browse.html"


@pytest.fixture(scope="module")
def page(exported: Path) -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        message = f"the browser page test needs Chromium: {INSTALL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        requests: list[str] = []
        errors: list[str] = []
        tab.on("request", lambda request: requests.append(request.url))
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(exported.as_uri())
        tab.wait_for_function("window.browseReady !== undefined")
        yield tab
        assert not errors, errors
        assert all(url.startswith("file:") for url in requests), requests
        browser.close()


def test_export_writes_the_committed_page(root: Path, exported: Path) -> None:
    assert exported.read_bytes() == (root / "docs" / "browse.html").read_bytes()


def _shown_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#rows tr", "rows => rows.map(r => r.dataset.id)")
    return ids


def _count(page: Any) -> str:
    text: str = page.inner_text("#count")
    return text


def _expect_count(page: Any, expected: int, total: int) -> None:
    noun = "statement matches" if expected == 1 else "statements match"
    want = f"{expected} {noun} of {total}"
    page.wait_for_function(
        "want => document.getElementById('count').textContent === want", arg=want
    )


def test_search_and_filters_show_the_rows_load_gives(page: Any) -> None:
    statements = load("statements")
    topics = load("statement_topics")
    total = len(statements)
    _expect_count(page, total, total)
    assert _shown_ids(page) == list(statements["id"][:100])

    page.fill("#q", "Afghanistan")
    text = (statements["text"].fillna("") + "\n" + statements["context"].fillna("")).str.lower()
    found = statements[text.str.contains("afghanistan", regex=False)]
    assert 0 < len(found) < total
    _expect_count(page, len(found), total)
    assert _shown_ids(page) == list(found["id"][:100])

    page.select_option("#f-state", "RUS")
    found = found[found["speaker_state_id"] == "RUS"]
    _expect_count(page, len(found), total)
    assert _shown_ids(page) == list(found["id"])

    page.fill("#q", "")
    page.select_option("#f-state", "")
    on_topic = set(topics.loc[topics["topic"] == "collective_defence", "statement_id"])
    page.select_option("#f-topic", "collective_defence")
    page.select_option("#f-year", "2022")
    years = statements["date_earliest"].astype("string").str[:4]
    found = statements[statements["id"].isin(on_topic) & (years == "2022")]
    _expect_count(page, len(found), total)
    assert _shown_ids(page) == list(found["id"][:100])
    page.click("#clear")
    _expect_count(page, total, total)


def test_a_statement_opens_from_the_keyboard_with_source_and_precision(page: Any) -> None:
    statements = load("statements").set_index("id")
    sources = load("sources").set_index("id")
    page.focus("#rows tr:first-child button")
    page.keyboard.press("Enter")
    assert page.is_visible("#detail")
    assert page.evaluate("document.activeElement.id") == "detail"
    first = str(page.get_attribute("#rows tr:first-child", "data-id"))
    detail = page.inner_text("#detail")
    statement = statements.loc[first]
    assert statement["date_precision"] in detail
    href = page.get_attribute("#detail a", "href")
    assert href == sources.loc[statement["source_id"], "url"]
    page.keyboard.press("Escape")
    assert not page.is_visible("#detail")
    assert page.evaluate("document.activeElement.dataset.id") == first  # back on its row


def test_a_statement_shows_every_field_that_qualifies_it(page: Any) -> None:
    statements = load("statements")
    unsure = statements[
        statements["speaker_inferred"] & statements["date_inferred"] & statements["note"].notna()
    ].iloc[0]
    page.fill("#q", unsure["text"][:60])
    page.dispatch_event("#q", "input")
    page.click(f'#rows button[data-id="{unsure["id"]}"]')
    labels = page.eval_on_selector_all("#detail dt", "nodes => nodes.map(n => n.textContent)")
    for label in ("Speaker inferred", "Date inferred", "Translated", "Evidence tier", "Note"):
        assert label in labels
    detail = page.inner_text("#detail")
    assert unsure["note"] in detail
    assert "the context does not name the speaker" in detail
    assert f"by {unsure['translator']}" in detail if unsure["translated"] else "as spoken" in detail
    page.click("#detail-close")
    page.click("#clear")


def test_a_day_after_the_data_says_so_as_membership_status_warns(page: Any) -> None:
    page.fill("#s-day", "2031-01-01")
    page.dispatch_event("#s-day", "change")
    note = page.inner_text("#status-note")
    with pytest.warns(UserWarning) as warned:
        membership_status("2031-01-01")
    assert note == str(warned[0].message)
    page.fill("#s-day", last_day().isoformat())
    page.dispatch_event("#s-day", "change")
    assert not page.is_visible("#status-note")


def test_every_control_has_a_label(page: Any) -> None:
    unlabelled = page.eval_on_selector_all(
        "input, select", "nodes => nodes.filter(n => n.labels.length === 0).map(n => n.id)"
    )
    assert unlabelled == []


@pytest.mark.parametrize("basis", ["any", "formal"])
def test_status_on_a_day_is_membership_status(page: Any, basis: str) -> None:
    page.select_option("#s-basis", basis)
    for day in DAYS:
        page.fill("#s-day", day)
        page.dispatch_event("#s-day", "change")
        shown = dict(
            page.eval_on_selector_all(
                "#status-rows tr", "rows => rows.map(r => [r.dataset.state, r.dataset.status])"
            )
        )
        expected = membership_status(day, basis=basis)  # type: ignore[arg-type]
        assert shown == {state: on_day.status for state, on_day in expected.items()}, day


def test_initiatives_tree_and_timeline(page: Any) -> None:
    initiatives = load("initiatives")
    roots = initiatives[initiatives["parent_id"].isna()]
    shown = page.eval_on_selector_all("#tree > details", "nodes => nodes.map(n => n.dataset.id)")
    assert shown == list(roots["id"])
    assert page.eval_on_selector_all("#tree details", "n => n.length") == len(initiatives)
    states = load("memberships")["state_id"].nunique()
    assert page.eval_on_selector_all("#chart svg text[text-anchor=end]", "n => n.length") == states


def test_initiatives_filter_by_year_proposer_and_latest_status(page: Any) -> None:
    initiatives = load("initiatives")
    roots = initiatives[initiatives["parent_id"].isna()]

    def shown() -> list[str]:
        ids: list[str] = page.eval_on_selector_all(
            "#tree > details", "nodes => nodes.map(n => n.dataset.id)"
        )
        return ids

    page.select_option("#ini-proposer", "KAZ")
    kaz = roots[roots["proposer_state_id"] == "KAZ"]
    assert shown() == list(kaz["id"])
    page.select_option("#ini-status", "adopted")
    adopted = kaz[kaz["latest_status"] == "adopted"]
    assert shown() == list(adopted["id"])
    page.select_option("#ini-proposer", "")
    page.select_option("#ini-status", "")
    page.select_option("#ini-year", "2009")
    of_2009 = roots[roots["date"].fillna("").str.startswith("2009")]
    assert shown() == list(of_2009["id"])
    assert page.inner_text("#ini-count") == f"{len(of_2009)} of {len(roots)} initiatives"
    page.select_option("#ini-year", "")


def test_on_a_phone_nothing_overflows_and_a_statement_is_in_view(page: Any, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CSTO_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 375, "height": 800})
    try:
        page.click("#rows tr:first-child button")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = page.eval_on_selector("#detail", "n => n.getBoundingClientRect().toJSON()")
        assert box["left"] >= 0 and box["right"] <= 375
        shot = folder / f"browse-{DATA_VERSION}-375px.png"
        page.screenshot(path=str(shot), full_page=False)
        assert shot.stat().st_size > 10_000
        page.click("#detail-close")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def test_screenshot_shows_real_rows(page: Any, tmp_path: Path) -> None:
    folder = Path(os.environ.get("CSTO_ARTEFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    page.select_option("#f-state", "KAZ")
    statements = load("statements")
    kaz = statements[statements["speaker_state_id"] == "KAZ"]
    _expect_count(page, len(kaz), len(statements))
    assert len(_shown_ids(page)) == min(len(kaz), 100) > 0
    page.evaluate("document.getElementById('statements-heading').scrollIntoView()")
    shot = folder / f"browse-{DATA_VERSION}.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
