"""`diff()` between releases, the SemVer rule the build enforces with it, retired ids, and the
generated data sections of CHANGELOG.md."""

from __future__ import annotations

import copy
import itertools
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from conftest import lay_out_sandbox, path_from_environment
from cstobuild import changelog
from cstobuild.generated import stale_files
from cstobuild.layout import Layout
from cstobuild.problems import RecordsError
from cstobuild.release import ReleaseError, build, curate
from make import main
from release_server import ReleaseServer, Remote

from csto_dataset import DATA_VERSION, diff
from csto_dataset.release_diff import (
    ReleaseDiff,
    RetiredId,
    Snapshot,
    compare,
    required_version,
    retired_ids,
)

RELEASES = Path(__file__).resolve().parent.parent / "build" / "releases"
KGZ_1999 = "1999-kgz-request-for-assistance"


@pytest.fixture(scope="module")
def snapshots() -> dict[str, Snapshot]:
    return {p.name: Snapshot.read(p) for p in RELEASES.iterdir() if p.is_dir()}


def assert_0_1_0_to_0_2_0(result: ReleaseDiff) -> None:
    assert "arm-member-2022-11" in result.tables["memberships"].removed
    assert result.retired[("memberships", "arm-member-2022-11")].retired_in == "0.2.0"
    (kgz,) = [c for c in result.tables["events"].changed if c.id == KGZ_1999]
    outcome = {f.field: (f.old, f.new) for f in kgz.fields}["outcome"]
    assert outcome == ("refused", "granted")
    assert result.level == "breaking"
    assert result.required_version == "0.2.0"


def test_diff_of_downloaded_0_1_0_and_0_2_0_reports_the_retired_membership_and_the_outcome(
    remote: Remote,
) -> None:
    result = diff("0.1.0", "0.2.0")
    assert_0_1_0_to_0_2_0(result)
    assert remote.requested("0.1.0") and remote.requested("0.2.0")


def test_diff_of_release_folders_equals_the_diff_of_versions(remote: Remote) -> None:
    assert diff(RELEASES / "0.1.0", RELEASES / "0.2.0") == diff("0.1.0", "0.2.0")


def test_diff_prints_and_converts_to_a_dataframe() -> None:
    result = diff(RELEASES / "0.1.0", RELEASES / "0.2.0")
    text = str(result)
    assert text.startswith("data release 0.1.0 -> 0.2.0: breaking (needs at least 0.2.0)")
    assert "  - arm-member-2022-11 (retired: Superseded by the membership history" in text
    assert "      outcome: 'refused' -> 'granted'" in text
    frame = result.to_pandas()
    assert list(frame.columns) == ["table", "id", "change", "field", "old", "new"]
    row = frame[(frame["id"] == KGZ_1999) & (frame["field"] == "outcome")]
    assert (row["old"].tolist(), row["new"].tolist()) == (["refused"], ["granted"])
    removed = frame[frame["change"] == "removed"]
    assert "arm-member-2022-11" in removed["id"].tolist()


def test_the_installed_wheel_diffs_two_downloaded_releases(tmp_path: Path) -> None:
    python = path_from_environment("CSTO_WHEEL_PYTHON", "the interpreter of the installed wheel")
    server = ReleaseServer({v: RELEASES / v for v in ("0.1.0", "0.2.0")}).start()
    script = (
        "import json, csto_dataset\n"
        "d = csto_dataset.diff('0.1.0', '0.2.0')\n"
        "e = [c for c in d.tables['events'].changed if c.id == '" + KGZ_1999 + "'][0]\n"
        "print(json.dumps({'removed': d.tables['memberships'].removed, 'level': d.level,\n"
        "  'retired': sorted(i for _, i in d.retired),\n"
        "  'outcome': [[f.old, f.new] for f in e.fields if f.field == 'outcome'][0],\n"
        "  'file': csto_dataset.__file__}), flush=True)\n"
    )
    try:
        result = subprocess.run(
            [str(python), "-I", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env={
                "PATH": os.environ.get("PATH", ""),
                "CSTO_DATASET_URL": server.url,
                "CSTO_DATASET_CACHE": str(tmp_path / "cache"),
                "no_proxy": "127.0.0.1",
            },
        )
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert not report["file"].startswith(str(RELEASES.parent.parent))
    assert "arm-member-2022-11" in report["removed"]
    assert report["retired"] == sorted(report["removed"])  # the registry ships in the wheel
    assert report["outcome"] == ["refused", "granted"]
    assert report["level"] == "breaking"


def test_every_id_a_committed_release_removed_is_retired(snapshots: dict[str, Snapshot]) -> None:
    ordered = [snapshots[v] for v in ("0.1.0", "0.2.0", "0.3.0")]
    registry = retired_ids()
    for old, new in itertools.pairwise(ordered):
        result = compare(old, new, registry)
        for name, table in result.tables.items():
            if table.owner is None:
                assert set(table.removed) <= {i for t, i in result.retired if t == name}
    retired_before_0_5 = {r.id for r in registry if not r.retired_in.startswith("0.5.")}
    assert retired_before_0_5 == {
        f"{state}-member-2022-11" for state in ("arm", "blr", "kaz", "kgz", "rus", "tjk")
    }
    retired_in_0_5 = {(r.table, r.id) for r in registry if r.retired_in == "0.5.0"}
    assert ("events", "2008-12-cmd-helsinki") in retired_in_0_5
    assert ("publishers", "unknown-cites") in retired_in_0_5
    retired_in_0_5_1 = {(r.table, r.id) for r in registry if r.retired_in == "0.5.1"}
    assert ("statements", "2020-11-17-patrushev-biological-security-approaches") in retired_in_0_5_1


def edited(table: pa.Table, rows: list[dict[str, Any]]) -> pa.Table:
    """`rows` as a table with the columns and types of `table`."""
    return pa.Table.from_pylist(rows, schema=table.schema)


def without_field(snapshot: Snapshot, table: str, field: str) -> Snapshot:
    descriptor = copy.deepcopy(snapshot.descriptor)
    (resource,) = [r for r in descriptor["resources"] if r["name"] == table]
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != field]
    rows = dict(snapshot.rows)
    rows[table] = rows[table].drop_columns([field])
    return Snapshot("0.3.1", descriptor, rows)


def test_a_removed_field_is_breaking_and_a_patch_bump_is_refused(
    snapshots: dict[str, Snapshot],
) -> None:
    result = compare(snapshots["0.3.0"], without_field(snapshots["0.3.0"], "people", "note"), ())
    assert result.level == "breaking"
    problem = result.version_problem("0.3.1")
    assert problem is not None
    assert "needs at least 0.4.0" in problem
    assert "breaking: people.note: field removed (or renamed)" in problem
    assert result.version_problem("0.4.0") is None


def test_corrected_values_are_a_fix_and_new_records_an_addition(
    snapshots: dict[str, Snapshot],
) -> None:
    base = snapshots["0.3.0"]
    rows = dict(base.rows)
    events = base.rows["events"]
    rows["events"] = edited(
        events,
        [
            {**row, "note": "corrected"} if row["id"] == KGZ_1999 else row
            for row in events.to_pylist()
        ],
    )
    fixed = compare(base, Snapshot("0.3.1", base.descriptor, rows), ())
    assert (fixed.level, fixed.required_version) == ("fix", "0.3.1")
    assert [c.id for c in fixed.tables["events"].changed] == [KGZ_1999]
    states = base.rows["states"]
    first = states.slice(0, 1).to_pylist()[0]
    rows["states"] = edited(states, [*states.to_pylist(), {**first, "id": "ZZZ"}])
    added = compare(base, Snapshot("0.3.1", base.descriptor, rows), ())
    assert added.level == "addition"
    assert added.tables["states"].added == ("ZZZ",)
    no_states = {**base.rows, "states": base.rows["states"].slice(0, 0)}
    removed = compare(base, Snapshot("0.3.1", base.descriptor, no_states), ())
    assert removed.level == "breaking"


def test_a_vocabulary_value_removed_is_breaking_and_one_added_an_addition(
    snapshots: dict[str, Snapshot],
) -> None:
    base = snapshots["0.3.0"]
    descriptor = copy.deepcopy(base.descriptor)
    (kinds,) = [
        f
        for r in descriptor["resources"]
        if r["name"] == "statements"
        for f in r["schema"]["fields"]
        if f["name"] == "kind"
    ]
    kinds["constraints"]["enum"] = [*kinds["constraints"]["enum"], "rumour"]
    assert compare(base, Snapshot("0.3.1", descriptor, base.rows), ()).level == "addition"
    assert compare(Snapshot("0.3.0", descriptor, base.rows), base, ()).level == "breaking"


@pytest.mark.parametrize(
    ("old", "level", "needed"),
    [
        ("0.3.0", "breaking", "0.4.0"),
        ("0.3.0", "addition", "0.3.1"),
        ("0.3.0", "fix", "0.3.1"),
        ("1.2.3", "breaking", "2.0.0"),
        ("1.2.3", "addition", "1.3.0"),
        ("1.2.3", "fix", "1.2.4"),
    ],
)
def test_the_least_version_follows_semver(old: str, level: str, needed: str) -> None:
    assert required_version(old, level) == needed  # type: ignore[arg-type]


def set_version(sandbox: Path, version: str) -> None:
    toml = sandbox / "build" / "release.toml"
    text = toml.read_text(encoding="utf-8")
    current = tomllib.loads(text)["version"]
    toml.write_text(text.replace(f'version = "{current}"', f'version = "{version}"'))


def test_the_build_refuses_a_patch_bump_for_a_removed_field(sandbox: Path) -> None:
    set_version(sandbox, "0.2.1")  # the records hold 0.3.0, which removed sources.publisher
    before = sorted(p.relative_to(sandbox) for p in sandbox.rglob("*"))
    with pytest.raises(ReleaseError) as caught:
        build(Layout(sandbox), None)
    message = str(caught.value)
    assert "data version 0.2.1 does not rise enough above 0.2.0" in message
    assert "needs at least 0.3.0" in message
    assert "breaking: sources.publisher: field removed (or renamed)" in message
    assert "addition:" not in message  # only the changes that need more than 0.2.1
    assert sorted(p.relative_to(sandbox) for p in sandbox.rglob("*")) == before


def test_a_reused_retired_id_is_refused(sandbox: Path) -> None:
    records = sandbox / "build" / "records" / "memberships" / "arm.yaml"
    text = records.read_text(encoding="utf-8")
    records.write_text(text.replace("- id: arm-member-1994-04-20", "- id: arm-member-2022-11"))
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    assert any(
        p.record_id == "arm-member-2022-11"
        and p.field == "id"
        and p.file == "records/memberships/arm.yaml"
        and "reuses the id retired in 0.2.0" in p.message
        for p in caught.value.problems
    )


def test_a_retired_id_that_a_release_still_has_is_refused(sandbox: Path) -> None:
    registry = sandbox / "build" / "retired_ids.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + '\n[[retired]]\ntable = "memberships"\nid = "arm-member-1994-04-20"\n'
        'retired_in = "0.2.0"\nreason = "A test."\n',
        encoding="utf-8",
    )
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    messages = [str(p) for p in caught.value.problems]
    assert any(
        m.startswith("build/retired_ids.toml:") and "release 0.2.0 has it" in m for m in messages
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sandbox = lay_out_sandbox(tmp_path_factory.mktemp("built"))
    build(Layout(sandbox), None)
    return sandbox


def test_a_stale_changelog_data_section_fails_the_check(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changelog_file = built / "CHANGELOG.md"
    text = changelog_file.read_text(encoding="utf-8")
    assert stale_files(Layout(built)) == []
    line = f"- `{KGZ_1999}`: "
    assert line in text
    changelog_file.write_text(text.replace(line, "- `an-unlisted-change`: "), encoding="utf-8")
    try:
        assert stale_files(Layout(built)) == [changelog_file]
        assert main(["check", "--root", str(built)]) == 1
        assert "out of date: CHANGELOG.md" in capsys.readouterr().err
    finally:
        changelog_file.write_text(text, encoding="utf-8")


def test_the_committed_changelog_lists_every_change(root: Path) -> None:
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    for version in ("0.2.0", "0.3.0"):
        assert changelog.start_marker(version) in text
    assert "`arm-member-2022-11` (retired: Superseded by the membership history" in text
    assert f"- `{KGZ_1999}`: outcome" in text


def test_a_new_release_gets_its_section_under_unreleased() -> None:
    text = "# Changelog\n\nIntro.\n\n## [0.3.0] - 2026-11-30\n\nOld entry.\n"
    updated = changelog.with_section(text, "0.3.1", "BODY\n")
    block = f"{changelog.start_marker('0.3.1')}\nBODY\n{changelog.end_marker('0.3.1')}\n"
    assert updated == (
        f"# Changelog\n\nIntro.\n\n## [Unreleased]\n\n{block}\n## [0.3.0] - 2026-11-30\n\n"
        "Old entry.\n"
    )
    assert changelog.with_section(updated, "0.3.1", "NEW\n").count("NEW") == 1


def test_the_shipped_registry_is_the_committed_one(root: Path) -> None:
    document = tomllib.loads((root / "build" / "retired_ids.toml").read_text(encoding="utf-8"))
    assert retired_ids() == tuple(RetiredId(**entry) for entry in document["retired"])


def test_diff_needs_neither_build_tooling_nor_pandas() -> None:
    script = (
        "import sys, csto_dataset\n"
        f"csto_dataset.diff({str(RELEASES / '0.1.0')!r}, {str(RELEASES / '0.2.0')!r})\n"
        "print(sorted(m for m in ('frictionless', 'yaml', 'pydantic', 'pandas') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_patch_release_gets_its_changelog_section_by_rebuilding(tmp_path: Path) -> None:
    sandbox = lay_out_sandbox(tmp_path)
    shutil.copytree(RELEASES / DATA_VERSION, sandbox / "build" / "releases" / DATA_VERSION)
    major, minor, patch = DATA_VERSION.split(".")
    version = f"{major}.{minor}.{int(patch) + 1}"
    set_version(sandbox, version)
    people = sandbox / "build" / "records" / "people" / "rus.yaml"
    old = "  office: President of Russia\n  source_id: kremlin-2010-06-14-patrushev-bordyuzha"
    text = people.read_text(encoding="utf-8")
    assert old in text
    people.write_text(text.replace(old, old.replace("Russia", "Russia (2008-2012)")))
    build(Layout(sandbox), None)
    entry = (sandbox / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = entry.split("## [Unreleased]", 1)[1].split(f"\n## [{DATA_VERSION}]", 1)[0]
    assert changelog.start_marker(version) in unreleased
    assert f"Classified **fix**: needs at least {version}." in unreleased
    assert "- `medvedev-dmitry`: office\n" in unreleased
    assert stale_files(Layout(sandbox)) == []
