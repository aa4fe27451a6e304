"""The `csto-dataset` command, run through its installed entry point in a subprocess.

Every test runs the console script of this checkout's environment; the ones marked for both
also run the one the built wheel installed, when CSTO_WHEEL_PYTHON points at its interpreter.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import path_from_environment
from release_server import Remote

from csto_dataset import DATA_VERSION, TABLE_NAMES, load, membership_status
from csto_dataset.cli import main
from csto_dataset.errors import BeyondDataWarning

ROOT = Path(__file__).resolve().parent.parent
RELEASE = ROOT / "build" / "releases" / DATA_VERSION
INDEX = json.loads((ROOT / "csto_dataset" / "releases.json").read_text(encoding="utf-8"))
WIDTH = 72
DISPLAYED = ["id", "date", "speaker_person_id", "kind", "text"]  # statements, by default


def console_script(python: Path) -> Path:
    script = python.parent / "csto-dataset"
    assert script.is_file(), f"{script} is missing: install the package (pip install -e .)"
    return script


@pytest.fixture(params=["checkout", "wheel"])
def command(request: pytest.FixtureRequest) -> Path:
    """The installed `csto-dataset` of this environment, then of the wheel's environment."""
    if request.param == "wheel":
        wheel_python = path_from_environment("CSTO_WHEEL_PYTHON", "the installed wheel")
        return console_script(wheel_python)
    return console_script(Path(sys.executable))


@pytest.fixture
def here() -> Path:
    return console_script(Path(sys.executable))


def run(
    script: Path,
    *args: str,
    cwd: Path | None = None,
    check: bool = True,
    network: bool = False,
    width: int = WIDTH,
) -> subprocess.CompletedProcess[str]:
    """`script args` in a terminal `width` wide, and with no network unless asked for."""
    env = {**os.environ, "COLUMNS": str(width), "CSTO_DATASET_OFFLINE": "0" if network else "1"}
    result = subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, cwd=cwd or ROOT
    )
    if check:
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    return result


def failure(script: Path, *args: str, status: int = 1, network: bool = False) -> str:
    """The one line a failing command writes to stderr (and nothing to stdout)."""
    result = run(script, *args, check=False, network=network)
    assert result.returncode == status
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr.strip()


def json_rows(script: Path, *args: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(run(script, *args, "--format", "json").stdout)
    return rows


def test_without_arguments_it_prints_the_summary_as_python_m_does(
    command: Path, tmp_path: Path
) -> None:
    output = run(command, cwd=tmp_path).stdout
    assert f"data release {DATA_VERSION}" in output
    rows = INDEX["releases"][0]["rows"]
    assert re.search(rf"^  statements +{rows['statements']} rows$", output, re.MULTILINE)
    module = subprocess.run(
        [str(command.parent / "python"), "-m", "csto_dataset"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert module.stdout == output


COMMAND_NAMES = ("tables", "versions", "show", "status", "export", "validate", "cite", "diff")


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_has_help_with_an_example(here: Path, name: str) -> None:
    output = run(here, name, "--help").stdout
    assert f"usage: csto-dataset {name}" in output
    assert "example:\n  csto-dataset " + name in output


def test_the_top_level_help_lists_every_command(here: Path) -> None:
    output = run(here, "--help").stdout
    for name in COMMAND_NAMES:
        assert re.search(rf"^ +{name} +[a-z]", output, re.MULTILINE), name


def test_tables_lists_each_table_with_its_rows_and_file_sizes(command: Path) -> None:
    (entry,) = [r for r in INDEX["releases"] if r["version"] == DATA_VERSION]
    sizes = {f["name"]: f["bytes"] for f in entry["files"]}
    rows = json_rows(command, "tables")
    assert [row["table"] for row in rows] == list(TABLE_NAMES)
    for row in rows:
        assert row["rows"] == entry["rows"][row["table"]]
        assert row["parquet_bytes"] == sizes[f"{row['table']}.parquet"]
        assert row["csv_bytes"] == sizes[f"{row['table']}.csv"]


def test_versions_lists_every_release_with_its_size_and_rows(command: Path) -> None:
    rows = json_rows(command, "versions")
    assert [row["version"] for row in rows] == [r["version"] for r in INDEX["releases"]]
    for row, entry in zip(rows, INDEX["releases"], strict=True):
        assert row["rows"] == sum(entry["rows"].values())
        assert row["bytes"] == sum(f["bytes"] for f in entry["files"])
        assert row["embedded"] is (entry["version"] == DATA_VERSION)


def test_show_as_csv_writes_the_released_csv_file_byte_for_byte(command: Path) -> None:
    shown = run(command, "show", "statements", "--format", "csv").stdout
    assert shown.encode() == (RELEASE / "statements.csv").read_bytes()


@pytest.mark.parametrize("table", TABLE_NAMES)
def test_every_table_shown_as_csv_is_its_released_file(
    table: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", table, "--format", "csv"]) == 0
    assert capsys.readouterr().out.encode() == (RELEASE / f"{table}.csv").read_bytes()


def test_show_filters_by_person_alias_topic_and_date(command: Path) -> None:
    shown = json_rows(
        command, "show", "statements", "--person", "Lukashenka", "--topic", "afghanistan",
        "--from", "2021",
    )  # fmt: skip
    statements = load("statements", backend="pyarrow").to_pylist()
    on_topic = {
        r["statement_id"]
        for r in load("statement_topics", backend="pyarrow").to_pylist()
        if r["topic"] == "afghanistan"
    }
    expected = [
        s["id"]
        for s in statements
        if s["speaker_person_id"] == "lukashenko-alexander"
        and s["id"] in on_topic
        and s["date_latest"] is not None
        and s["date_latest"] >= dt.date(2021, 1, 1)
    ]
    assert expected
    assert [row["id"] for row in shown] == expected


def test_a_partial_date_is_kept_when_its_span_overlaps_the_period(here: Path) -> None:
    june = [
        row["id"]
        for row in json_rows(here, "show", "statements", "--from", "2023-06", "--to", "2023-06")
    ]
    assert "2023-aleinik-very-tense-and-threatening" in june  # dated "2023": may be June
    assert "2023-05-pashinyan-blow-to-reputation" not in june  # dated "2023-05"
    later = [row["id"] for row in json_rows(here, "show", "statements", "--from", "2024")]
    assert "2023-aleinik-very-tense-and-threatening" not in later
    assert "2024-tasmagambetov-any-problem-solved-diplomatically" in later  # dated "2024"


def test_show_filters_initiatives_by_their_latest_status(here: Path) -> None:
    adopted = json_rows(here, "show", "initiatives", "--state", "KAZ", "--status", "adopted")
    assert adopted
    assert all(r["latest_status"] == "adopted" and r["proposer_state_id"] == "KAZ" for r in adopted)
    expected = {
        r["id"]
        for r in load("initiatives", backend="pyarrow").to_pylist()
        if r["latest_status"] == "adopted" and r["proposer_state_id"] == "KAZ"
    }
    assert {r["id"] for r in adopted} == expected
    declined = json_rows(here, "show", "document_signatures", "--status", "declined")
    assert declined and all(r["status"] == "declined" for r in declined)


def test_show_filters_by_state_kind_search_and_limit(here: Path) -> None:
    sessions = json_rows(
        here, "show", "events", "--state", "armenia", "--kind", "council_session",
        "--from", "2022", "--to", "2022",
    )  # fmt: skip
    linked = {
        r["event_id"]
        for r in load("event_states", backend="pyarrow").to_pylist()
        if r["state_id"] == "ARM"
    }
    assert sessions
    for row in sessions:
        assert row["kind"] == "council_session"
        assert str(row["date_earliest"]).startswith("2022")
        assert "ARM" in (row["host_state_id"], row["chair_state_id"]) or row["id"] in linked
    found = json_rows(here, "show", "statements", "--search", "NATO", "--limit", "3")
    assert len(found) == 3
    assert all("nato" in json.dumps(row, ensure_ascii=False).lower() for row in found)


def test_the_table_fits_80_columns_and_cuts_no_cell(command: Path) -> None:
    statements = load("statements", backend="pyarrow").slice(0, 5).to_pylist()
    lines = run(command, "show", "statements", "--limit", "5", width=80).stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    shown = " ".join(" ".join(lines).split())
    for row in statements:  # every id and every word of every text, none cut
        assert row["id"] in shown
        assert " ".join(row["text"].split()) in shown
    assert "…" not in shown
    assert lines[-1] == f"(5 of {INDEX['releases'][0]['rows']['statements']} rows)"


def test_a_wide_terminal_gets_one_line_per_row_and_a_narrow_one_wraps_the_widest_column(
    command: Path,
) -> None:
    wide = run(command, "show", "states", "--columns", "id,name", width=200).stdout
    assert ["ARM", "Armenia"] in [line.split() for line in wide.splitlines()]
    lines = run(command, "show", "people", "--limit", "3", width=80).stdout.splitlines()
    assert lines[0].split() == ["id", "name", "state_id", "office"]
    assert len(lines) > 5  # an office wrapped onto a second line of its row
    assert all(len(line) <= 80 for line in lines)


def test_the_status_footnote_wraps_to_the_terminal(command: Path) -> None:
    lines = run(command, "status", "2024-02-10", width=60).stdout.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert "each of the candidates)" in lines[-1]


def test_status_after_the_data_warns_as_membership_status_does(command: Path) -> None:
    result = run(command, "status", "2031-01-01", "--state", "ARM", check=False)
    assert result.returncode == 0
    with pytest.warns(BeyondDataWarning) as warned:
        membership_status("2031-01-01", state="ARM")
    assert result.stderr == f"warning: {warned[0].message}\n"
    assert "participation_frozen" in result.stdout


def test_markdown_is_a_table_with_a_row_per_record(here: Path) -> None:
    output = run(here, "show", "states", "--format", "markdown", "--columns", "id,name").stdout
    lines = output.splitlines()
    assert lines[:2] == ["| id | name |", "|---|---|"]
    assert "| ARM | Armenia |" in lines
    assert len(lines) == 2 + INDEX["releases"][0]["rows"]["states"]


def test_status_shows_uncertain_days_with_their_candidates(command: Path) -> None:
    (armenia,) = json_rows(command, "status", "2024-02-10", "--state", "ARM")
    assert armenia == {
        "state": "ARM",
        "name": "Armenia",
        "status": "uncertain",
        "candidates": "participation_frozen or member",
    }
    day = json_rows(command, "status", "2025-06-01", "--basis", "formal")
    expected = membership_status("2025-06-01", basis="formal")
    assert {row["state"]: row["status"] for row in day} == {
        state: found.status for state, found in expected.items()
    }
    text = run(command, "status", "2025-06-01", "--state", "Armenia").stdout
    assert "participation_frozen" in text.splitlines()[1]


def test_the_table_ends_quietly_when_the_reader_stops_early(command: Path) -> None:
    result = subprocess.run(
        f"'{command}' show statements --format csv | head -n 2",
        shell=True,
        capture_output=True,
        text=True,
        env={**os.environ, "CSTO_DATASET_OFFLINE": "1"},
    )
    assert result.stderr == ""
    assert result.stdout.splitlines()[0].startswith("id,kind,text")
    assert len(result.stdout.splitlines()) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "nothing"), "unknown table 'nothing'; valid tables: publishers"),
        (("show", "statements", "--from", "2022-13"), "--from: month 13 does not exist"),
        (("show", "statements", "--kind", "rumour"), "--kind 'rumour' is not one of"),
        (("show", "states", "--topic", "ukraine"), "--topic does not apply to table 'states'"),
        (("show", "people", "--status", "adopted"), "--status does not apply to table 'people'"),
        (("show", "initiatives", "--status", "dreamt"), "--status 'dreamt' is not one of"),
        (("show", "states", "--columns", "id,colour"), "has no column colour"),
        (("show", "statements", "--state", "Atlantis"), "no state 'Atlantis'"),
        (("show", "statements", "--person", "nobody-at-all"), "no person's id, name or alias"),
        (("status", "2025-06"), "expected a day as YYYY-MM-DD"),
        (("tables", "--version", "9.9.9"), "data version '9.9.9' is newer than every release"),
    ],
)
def test_an_error_is_one_line_on_stderr_and_a_failing_exit(
    here: Path, args: tuple[str, ...], message: str
) -> None:
    line = failure(here, *args)
    assert line.startswith("csto-dataset: error: ")
    assert message in line


def test_a_usage_error_is_one_line_naming_the_help(here: Path) -> None:
    line = failure(here, "show", "statements", "--limit", "many", status=2)
    assert line == (
        "csto-dataset show: error: argument --limit: expected a whole number of rows, "
        "got 'many' (see csto-dataset show --help)"
    )


@pytest.mark.parametrize("fmt", ["csv", "parquet", "csv+parquet"])
def test_export_writes_the_released_files_byte_for_byte(
    command: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / "out"
    run(command, "export", "--format", fmt, str(target))
    names = sorted(p.name for p in target.iterdir())
    data = [f"{t}.{extension}" for t in TABLE_NAMES for extension in fmt.split("+")]
    assert names == sorted([*data, "datapackage.json", "browse.html"])
    for name in data:
        assert (target / name).read_bytes() == (RELEASE / name).read_bytes(), name
    published = (RELEASE / "datapackage.json").read_bytes()
    assert ((target / "datapackage.json").read_bytes() == published) == (fmt == "csv+parquet")
    assert (target / "browse.html").read_bytes() == (ROOT / "docs" / "browse.html").read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "csv+parquet"])
def test_every_export_is_a_package_that_validate_and_frictionless_accept(
    command: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / "out"
    run(command, "export", "--format", fmt, str(target))
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"] for r in descriptor["resources"]}
    listed |= {r["parquet"]["path"] for r in descriptor["resources"] if "parquet" in r}
    assert listed == {p.name for p in target.iterdir()} - {"datapackage.json", "browse.html"}
    output = run(command, "validate", str(target)).stdout
    assert output.startswith(f"ok: release {DATA_VERSION} in ")
    frictionless = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    if frictionless is None:
        pytest.skip("frictionless is not installed (pip install -e .[dev])")
    # frictionless measures the bytes and hash of CSV files only ("actual is None" otherwise):
    # `csto-dataset validate` above checked those of every file.
    skip = [] if fmt in ("csv", "csv+parquet") else ["--skip-errors", "byte-count,hash-count"]
    checked = subprocess.run(
        [frictionless, "validate", "--json", *skip, "datapackage.json"],
        cwd=target, capture_output=True, text=True,
    )  # fmt: skip
    report = json.loads(checked.stdout)
    errors = [(t["name"], e) for t in report["tasks"] for e in t["errors"]]
    if fmt == "parquet":  # frictionless reads Parquet through pandas: a missing integer is NaN
        integers = {
            (r["name"], f["name"])
            for r in descriptor["resources"]
            for f in r["schema"]["fields"]
            if f["type"] == "integer"
        }
        errors = [
            (table, e)
            for table, e in errors
            if not (
                e["type"] == "type-error"
                and e["cell"] == "nan"
                and (table, e["fieldName"]) in integers
            )
        ]
    assert errors == []


def test_an_exported_parquet_file_changed_afterwards_fails_validation(
    here: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    run(here, "export", "--format", "parquet", str(target))
    (target / "states.parquet").write_bytes((RELEASE / "people.parquet").read_bytes())
    result = run(here, "validate", str(target), check=False)
    assert result.returncode == 1
    assert "states.parquet: " in result.stderr


def test_export_as_json_keeps_ids_dates_and_missing_values(here: Path, tmp_path: Path) -> None:
    run(here, "export", "--format", "json", str(tmp_path / "out"))
    states = json.loads((tmp_path / "out" / "states.json").read_text(encoding="utf-8"))
    armenia = next(s for s in states if s["id"] == "ARM")
    assert armenia["iso_numeric"] == "051"
    assert armenia["dissolved"] is None
    statements = json.loads((tmp_path / "out" / "statements.json").read_text(encoding="utf-8"))
    assert len(statements) == INDEX["releases"][0]["rows"]["statements"]
    dated = next(s for s in statements if s["date_earliest"] is not None)
    assert dt.date.fromisoformat(dated["date_earliest"]) <= dt.date.fromisoformat(
        dated["date_latest"]
    )


def test_export_refuses_a_folder_that_is_not_empty(here: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert "is not an empty folder" in failure(here, "export", str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_export_that_cannot_get_its_release_writes_nothing(
    here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSTO_DATASET_CACHE", str(tmp_path / "empty-cache"))
    line = failure(here, "export", "--version", "0.2.0", str(tmp_path / "out"))  # offline
    assert line.startswith("csto-dataset: error: ") and "0.2.0" in line
    assert not (tmp_path / "out").exists()


def test_export_of_an_earlier_version_downloads_and_verifies_it(
    here: Path, remote: Remote, tmp_path: Path
) -> None:
    target = tmp_path / "out"
    run(here, "export", "--version", "0.2.0", "--format", "parquet", str(target), network=True)
    released = ROOT / "build" / "releases" / "0.2.0"
    (entry,) = [r for r in INDEX["releases"] if r["version"] == "0.2.0"]
    assert len(list(target.iterdir())) == 1 + len(entry["rows"])
    for path in target.glob("*.parquet"):
        assert path.read_bytes() == (released / path.name).read_bytes()
    assert any("/data-v0.2.0/" in p for p in remote.server.requests)
    assert run(here, "validate", str(target)).stdout.startswith("ok: release 0.2.0 in ")


def test_diff_refuses_an_unknown_version_before_downloading_the_other(
    here: Path, remote: Remote
) -> None:
    assert "0.9.0" in failure(here, "diff", "0.2.0", "0.9.0", network=True)
    assert remote.server.requests == []


def test_validate_accepts_every_committed_release(command: Path) -> None:
    for release in sorted((ROOT / "build" / "releases").iterdir()):
        output = run(command, "validate", str(release)).stdout
        assert output.startswith(f"ok: release {release.name} in ")


def test_validate_names_each_changed_or_missing_file(here: Path, tmp_path: Path) -> None:
    folder = tmp_path / DATA_VERSION
    shutil.copytree(RELEASE, folder)
    with (folder / "states.csv").open("a", encoding="utf-8") as stream:
        stream.write("XXX,Nowhere\n")
    (folder / "people.parquet").unlink()
    result = run(here, "validate", str(folder), check=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"csto-dataset: {folder}/states.csv: ")
    assert "the descriptor says" in lines[0]
    assert lines[1] == f"csto-dataset: {folder}/people.parquet: missing"
    assert lines[2] == f"csto-dataset: error: release {DATA_VERSION} in {folder}: 2 problems"


def test_validate_finds_a_table_whose_files_disagree(here: Path, tmp_path: Path) -> None:
    """A curator's new release (unknown to the index) whose CSV lost a row, hashes updated."""
    import hashlib

    folder = tmp_path / "9.0.0"
    shutil.copytree(RELEASE, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["version"] = "9.0.0"
    rows = list(csv.reader(io.StringIO((folder / "states.csv").read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows[:-1])
    data = buffer.getvalue().encode()
    (folder / "states.csv").write_bytes(data)
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "states"]
    resource["bytes"], resource["hash"] = len(data), "sha256:" + hashlib.sha256(data).hexdigest()
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = run(here, "validate", str(folder), check=False)
    assert result.returncode == 1
    count = INDEX["releases"][0]["rows"]["states"]
    assert f"states: row counts differ: states.csv {count - 1}, states.parquet {count}" in (
        result.stderr
    )


def test_validate_of_a_folder_without_a_descriptor_is_one_line(here: Path, tmp_path: Path) -> None:
    assert "holds no datapackage.json" in failure(here, "validate", str(tmp_path))


def cli_page_examples() -> list[tuple[str, str]]:
    """The commands of docs/cli.md, each with the output shown."""
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    block = page.split("```console\n", 1)[1].split("```", 1)[0]
    examples: list[tuple[str, str]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            examples.append((line.removeprefix("$ "), ""))
        else:
            command, output = examples[-1]
            examples[-1] = (command, output + line + "\n")
    return examples


def test_the_cli_page_shows_what_each_example_prints(here: Path, tmp_path: Path) -> None:
    (tmp_path / "build").symlink_to(ROOT / "build")  # the examples run from a checkout
    examples = cli_page_examples()
    assert len(examples) >= 5
    for line, shown in examples:
        program, *args = shlex.split(line)
        assert program == "csto-dataset"
        output = run(here, *args, cwd=tmp_path, width=100).stdout
        assert output == shown, f"update the output of `{line}` in docs/cli.md"


# The renderer itself, in process: the cases the release's data does not show.

ROWS = [
    {"id": "a", "count": 1200, "text": "x" * 50, "flag": True, "day": dt.date(2022, 11, 23)},
    {"id": "bb", "count": 7, "text": "two\nlines | a pipe", "flag": None, "day": None},
]


@pytest.mark.parametrize("width", [20, 40, 60, 200])
def test_a_table_never_exceeds_its_width_and_cuts_no_cell(width: int) -> None:
    from csto_dataset._render import to_table

    columns = list(ROWS[0])
    lines = to_table(ROWS, columns, width).splitlines()
    assert all(len(line) <= max(width, 5 + 2 + 24) for line in lines)  # records: label, 24
    joined = "".join("".join(lines).split())
    assert joined.count("x") - joined.count("text") == 50  # the cell, whole
    assert "twolines|apipe" in joined and "1,200" in joined
    if width == 200:
        assert len(lines) == 3
        assert lines[1].split() == ["a", "1,200", "x" * 50, "true", "2022-11-23"]
        assert lines[2].index(" 7") + 2 == lines[1].index("1,200") + 5  # numbers right-aligned
        assert "two lines | a pipe" in lines[2]  # one line per row
    elif width == 60:
        assert lines[0].split() == columns  # a table whose widest column wraps
        assert len(lines) > 3
    else:
        assert lines[0].split() == ["id", "a"]  # too narrow for a table: one record per row


def test_text_formats_keep_every_character() -> None:
    from csto_dataset._render import to_csv, to_json, to_markdown

    columns = list(ROWS[0])
    assert to_csv(ROWS, columns).splitlines()[1] == "a,1200," + "x" * 50 + ",true,2022-11-23"
    assert json.loads(to_json(ROWS, columns))[1] == {**ROWS[1], "day": None}
    assert to_markdown(ROWS, columns).splitlines()[3] == "| bb | 7 | two lines \\| a pipe |  |  |"
    assert to_json([], columns) == "[]"


def test_output_is_utf8_whatever_the_locale(here: Path) -> None:
    env = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    env.pop("PYTHONIOENCODING", None)
    result = subprocess.run(
        [str(here), "show", "statements", "--search", "1995-02-10-csc-decision-approve-concept",
         "--columns", "text", "--format", "csv"],
        capture_output=True,
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").splitlines()[1].startswith("Утвердить Концепцию")


def test_help_imports_no_data_library() -> None:
    script = (
        "import sys\nfrom csto_dataset.cli import main\ntry:\n    main(['show', '--help'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pyarrow', 'pandas', 'json', 'typing') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == "[]"


def test_cite_prints_the_citation_in_each_format(command: Path) -> None:
    import csto_dataset

    assert run(command, "cite").stdout == csto_dataset.cite() + "\n"
    bibtex = run(command, "cite", "--version", "0.2.0", "--format", "bibtex").stdout
    assert bibtex.startswith("@misc{csto_dataset_0_2_0,")


def test_diff_of_two_release_folders_names_the_level_and_the_ids(command: Path) -> None:
    releases = ROOT / "build" / "releases"
    output = run(command, "diff", str(releases / "0.1.0"), str(releases / "0.2.0")).stdout
    assert output.startswith("data release 0.1.0 -> 0.2.0: breaking")
    assert "arm-member-2022-11" in output


def test_every_command_of_the_readme_runs(here: Path, tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Command line and browser", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert len(lines) == 5
    for line in lines:
        program, *args = shlex.split(line.replace("DIR", str(tmp_path / "export")))
        assert program == "csto-dataset"
        run(here, *args, cwd=tmp_path)
