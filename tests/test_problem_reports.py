"""How the build reports bad source input: every problem at once, each naming file, line,
record, field and rule, and nothing written. What each rule refuses: tests/test_rules.py."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cstobuild.layout import Layout
from cstobuild.problems import RecordsError
from cstobuild.release import build, curate
from test_rules import GOOD_STATEMENT, TEST_FILE, in_test_file, problems_in, statement

from csto_dataset import DATA_VERSION

BAD_KIND = statement(**{"kind: paraphrase": "kind: quote"})


def test_the_curated_records_have_no_problem(root: Path) -> None:
    curate(Layout(root), None)


def test_every_problem_is_reported_together(sandbox: Path) -> None:
    second = statement(
        **{"2022-11-23-test-statement": "2022-11-23-other", "kind: paraphrase": "kind: quote"}
    )
    text = statement(**{"speaker_state_id: RUS": "speaker_state_id: XYZ"}) + second
    problems = problems_in(sandbox, in_test_file("statements", text))
    assert {(p.record_id, p.field) for p in problems if p.rule != "filed-by-subject"} == {
        ("2022-11-23-test-statement", "speaker_state_id"),
        ("2022-11-23-other", "kind"),
    }


def test_a_problem_in_an_attendance_entry_is_reported_for_each_of_its_records(
    sandbox: Path,
) -> None:
    path = sandbox / "build" / "records" / "sessions" / "2015-09-15-csc-dushanbe.yaml"
    text = path.read_text(encoding="utf-8")
    entry = "- states: [BLR, KAZ, KGZ, RUS]\n  status: attended\n"
    line = text[: text.index(entry)].count("\n") + 2  # the line of `status`
    path.write_text(text.replace(entry, entry.replace("attended", "present")), encoding="utf-8")
    with pytest.raises(RecordsError) as caught:
        curate(Layout(sandbox), None)
    assert [(p.file, p.line, p.record_id, p.field, p.rule) for p in caught.value.problems] == [
        (
            path.relative_to(sandbox / "build").as_posix(),
            line,
            f"{path.stem}-{state}",
            "status",
            "model",
        )
        for state in ("blr", "kaz", "kgz", "rus")
    ]


def test_a_failed_build_writes_nothing(sandbox: Path) -> None:
    build(Layout(sandbox), None)

    def snapshot() -> dict[str, str]:
        return {
            str(p.relative_to(sandbox)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(sandbox.rglob("*"))
            if p.is_file() and "records" not in p.parts
        }

    before = snapshot()
    (sandbox / "build" / "records" / "zz-test.yaml").write_text(
        f"statements:\n{BAD_KIND}", encoding="utf-8"
    )
    with pytest.raises(RecordsError):
        build(Layout(sandbox), None)
    assert snapshot() == before
    assert not list((sandbox / "build" / "releases").glob(".staging-*"))


def test_the_command_line_prints_file_line_record_field_and_rule(sandbox: Path, root: Path) -> None:
    text = GOOD_STATEMENT.replace("note: The", "note: \u202eThe") + BAD_KIND.replace(
        "2022-11-23-test-statement", "2022-11-23-zz-other"
    )
    (sandbox / "build" / "records" / "zz-test.yaml").write_text(
        f"statements:\n{text}", encoding="utf-8"
    )
    before = sorted(p.relative_to(sandbox) for p in sandbox.rglob("*"))
    result = subprocess.run(
        [sys.executable, str(root / "build" / "make.py"), "--root", str(sandbox)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "nothing was written" in result.stderr
    assert (
        f"{TEST_FILE}:16: record 2022-11-23-test-statement, field note: holds the "
        "invisible or control character U+202E RIGHT-TO-LEFT OVERRIDE at character 1; "
        "remove it [visible-text]"
    ) in result.stderr
    assert f"{TEST_FILE}:18: record 2022-11-23-zz-other, field kind: " in result.stderr
    assert sorted(p.relative_to(sandbox) for p in sandbox.rglob("*")) == before
    assert not (sandbox / "build" / "releases" / DATA_VERSION).exists()
