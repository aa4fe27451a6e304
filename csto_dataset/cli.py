"""The `csto-dataset` command (also `python -m csto_dataset`): the data without writing Python.

Each command is one `Command` in `COMMANDS`: its name, a one-line summary, an example for its
--help, how it adds its arguments and how it runs. Everything beyond argparse is imported in
the command that needs it, so that `--help` answers at once.
"""

from __future__ import annotations

import argparse
import os
import sys

from csto_dataset import DATA_VERSION, __version__
from csto_dataset.errors import CstoDatasetError

TYPE_CHECKING = False  # `typing` costs start-up time: its names are for type checkers
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import IO, Any, NoReturn

    from csto_dataset._index import ReleaseEntry
    from csto_dataset._render import Row

    Opener = Callable[[str], IO[bytes]]

PROG = "csto-dataset"

# The columns the aligned table shows unless --columns says otherwise (csv, json and markdown
# give every column): a table wider than a terminal shows what tells its rows apart.
DISPLAY_COLUMNS = {
    "sources": ("id", "published", "publisher_id", "title"),
    "people": ("id", "name", "state_id", "office"),
    "events": ("id", "kind", "date", "name", "place"),
    "memberships": ("state_id", "status", "basis", "start", "end", "ongoing", "organization_id"),
    "statements": ("id", "date", "speaker_person_id", "kind", "text"),
    "initiatives": ("id", "status", "proposer_state_id", "label", "text"),
    "attendances": ("event_id", "state_id", "status", "person_id"),
    "documents": ("id", "kind", "title"),
    "office_terms": ("person_id", "office", "start", "end"),
    "initiative_updates": ("initiative_id", "date", "status", "excerpt"),
    "exercises": ("id", "kind", "start", "name", "place", "host_state_id"),
    "source_claims": ("record_table", "record_id", "field", "value", "source_id"),
}
DERIVED_SUFFIXES = ("_precision", "_earliest", "_latest")


class UsageError(Exception):
    """A command line argparse refused (exit status 2)."""


class Command:
    """One subcommand: `configure` adds its arguments, `run` does it and returns the exit status."""

    __slots__ = ("configure", "example", "name", "run", "summary")

    def __init__(
        self,
        name: str,
        summary: str,
        example: str,
        configure: Callable[[argparse.ArgumentParser], None],
        run: Callable[[argparse.Namespace], int],
    ) -> None:
        self.name = name
        self.summary = summary
        self.example = example
        self.configure = configure
        self.run = run


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 failed, 2 bad usage)."""
    if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        # The data is in many scripts; the release files are UTF-8, and so is what this prints
        # (an ASCII or Windows code page locale would otherwise fail on the first Cyrillic).
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    try:
        args = _parser().parse_args(argv)
        status = args.run(args) if hasattr(args, "run") else _print(summary())
        sys.stdout.flush()
        return status
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except (CstoDatasetError, OSError) as error:
        if isinstance(error, BrokenPipeError):
            return _reader_gone()
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def summary() -> str:
    """Every table with its row count, the data version and how to cite it."""
    from csto_dataset import load

    release = load(backend="pyarrow")
    width = max(len(name) for name in release)
    lines = [
        f"csto-dataset {__version__}: data release {release.version} (embedded, offline)",
        "",
        *(f"  {name:<{width}}  {table.num_rows:>5} rows" for name, table in release.items()),
        "",
        f"Cite as: {release.citation}",
        f"More: {PROG} --help",
    ]
    return "\n".join(lines)


def _reader_gone() -> int:
    # The reader stopped early (`| head`): point stdout at devnull so that the flush at exit
    # cannot raise again, and end quietly, as the Python documentation recommends.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


def _print(text: str) -> int:
    sys.stdout.write(text + "\n")
    return 0


# --- the commands -----------------------------------------------------------------------


def _configure_tables(parser: argparse.ArgumentParser) -> None:
    _add_version(parser)
    _add_format(parser)


def _run_tables(args: argparse.Namespace) -> int:
    from csto_dataset._index import find_release

    entries, rows = _index()
    release = find_release(entries, args.data_version or DATA_VERSION)
    sizes = {file.name: file.size for file in release.files}
    descriptions = _descriptions()
    table = [
        {
            "table": name,
            "rows": rows[release.version][name],
            "csv_bytes": sizes.get(f"{name}.csv"),
            "parquet_bytes": sizes.get(f"{name}.parquet"),
            "description": descriptions.get(name),
        }
        for name in release.tables
    ]
    return _show_rows(table, list(table[0]), args.format)


def _configure_versions(parser: argparse.ArgumentParser) -> None:
    _add_format(parser)


def _run_versions(args: argparse.Namespace) -> int:
    entries, rows = _index()
    table = [
        {
            "version": entry.version,
            "created": entry.created[:10],
            "embedded": entry.version == DATA_VERSION,
            "tables": len(entry.tables),
            "rows": sum(rows[entry.version].values()),
            "files": len(entry.files),
            "bytes": sum(file.size for file in entry.files),
        }
        for entry in entries
    ]
    return _show_rows(table, list(table[0]), args.format)


def _configure_show(parser: argparse.ArgumentParser) -> None:
    from csto_dataset.dates import PARTIAL_DATE_FORMS

    parser.add_argument("table", help="a table name (list them: csto-dataset tables)")
    parser.add_argument("--state", metavar="S", help="a state's ISO code or name (ARM, Armenia)")
    parser.add_argument(
        "--person", metavar="P", help="a person's id, or part of a name or alias (Lukashenka)"
    )
    parser.add_argument("--topic", metavar="T", help="a statement topic (ukraine, afghanistan...)")
    parser.add_argument(
        "--kind", metavar="K", help="the row's kind (direct_quote, council_session...)"
    )
    parser.add_argument(
        "--status",
        metavar="S",
        help="the row's status; for initiatives, the latest reported one (adopted, unknown...)",
    )
    parser.add_argument(
        "--from",
        dest="since",
        metavar="DATE",
        help=f"keep rows whose date may fall on or after DATE ({PARTIAL_DATE_FORMS})",
    )
    parser.add_argument(
        "--to", dest="until", metavar="DATE", help="keep rows whose date may fall on or before DATE"
    )
    parser.add_argument(
        "--search", metavar="TEXT", help="keep rows with TEXT in any text cell (any case)"
    )
    parser.add_argument("--columns", metavar="A,B", help="the columns to print, in this order")
    parser.add_argument("--limit", metavar="N", type=_count, help="print at most N rows")
    _add_version(parser)
    _add_format(parser)


def _run_show(args: argparse.Namespace) -> int:
    from csto_dataset._select import STATUS_COLUMN, Criteria, select

    tables = _Tables(args.data_version)
    criteria = Criteria(
        state=args.state,
        person=args.person,
        topic=_vocabulary_value("statement_topics", "topic", args.topic, "--topic"),
        kind=_vocabulary_value(args.table, "kind", args.kind, "--kind"),
        status=_vocabulary_value(
            args.table, STATUS_COLUMN.get(args.table, "status"), args.status, "--status"
        ),
        since=_day_span("--from", args.since)[0] if args.since else None,
        until=_day_span("--to", args.until)[1] if args.until else None,
        search=args.search,
    )
    columns, rows = tables.table(args.table)
    kept = select(args.table, columns, rows, criteria, tables)
    if args.columns:
        chosen = [c.strip() for c in args.columns.split(",") if c.strip()]
        unknown = [c for c in chosen if c not in columns]
        if unknown:
            raise CstoDatasetError(
                f"table {args.table!r} has no column {', '.join(unknown)}; "
                f"its columns: {', '.join(columns)}"
            )
        columns = chosen
    elif args.format == "table":
        default = DISPLAY_COLUMNS.get(args.table)
        if default:  # in its order, less what an older release lacks
            columns = [c for c in default if c in columns]
        else:
            columns = [c for c in columns if not c.endswith(DERIVED_SUFFIXES)]
    shown = kept if args.limit is None else kept[: args.limit]
    rows_word = "row" if len(kept) == 1 else "rows"
    note = f"{len(kept)} {rows_word}"
    if len(shown) < len(kept):
        note = f"{len(shown)} of {note}"
    return _show_rows(shown, columns, args.format, note)


def _configure_status(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date", metavar="DATE", help="the day, YYYY-MM-DD")
    parser.add_argument("--state", metavar="S", help="one state's ISO code or name")
    _add_basis(parser)
    _add_version(parser)
    _add_format(parser)


def _run_status(args: argparse.Namespace) -> int:
    from csto_dataset._select import resolve_state
    from csto_dataset.membership import membership_status

    states = _Tables(args.data_version)("states")
    state = None if args.state is None else resolve_state(args.state, states).pop()
    import warnings

    from csto_dataset.errors import BeyondDataWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BeyondDataWarning)
        on_day = membership_status(
            args.date, state=state, basis=args.basis, version=args.data_version
        )
    names = {row["id"]: row["name"] for row in states}
    table = [
        {
            "state": code,
            "name": names.get(code),
            "status": found.status,
            "candidates": None if found.certain else " or ".join(found.possible),
        }
        for code, found in on_day.items()
    ]
    note = f"on {args.date}, basis {args.basis}"
    if any(row["candidates"] for row in table):
        note += ": 'uncertain' where the sources allow each of the candidates"
    status = _show_rows(table, list(table[0]), args.format, note)
    sys.stdout.flush()
    for warning in caught:  # the same words as the Python warning, without its source line
        print(f"warning: {warning.message}", file=sys.stderr)
    return status


def _configure_export(parser: argparse.ArgumentParser) -> None:
    from csto_dataset._export import FORMATS

    parser.add_argument(
        "folder",
        metavar="DIR",
        help="an empty or new folder to write into (with browse.html, the data browser page, "
        "for the embedded release)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="csv",
        help="csv and parquet: the released files, byte for byte; json: an array of objects "
        "per table; csv+parquet: the release as published; each with a datapackage.json of "
        "the files written (default: csv); stata: a .dta file per table and panel, labelled; "
        "sqlite: one database with keys and the data dictionary in _tables and _columns",
    )
    _add_version(parser)


def _run_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from csto_dataset._export import check_folder, export
    from csto_dataset._render import to_json
    from csto_dataset.loader import release_files

    folder = Path(args.folder)
    check_folder(folder)
    version, tables, opener = release_files(args.data_version)
    if args.format in ("stata", "sqlite"):
        return _export_labelled(folder, args.format, version, tables, opener)

    def json_of(table: str) -> str:
        columns, rows = _read_table(opener, table)
        return to_json(rows, columns) + "\n"

    written = export(folder, args.format, tables, opener, json_of)
    if version == DATA_VERSION:  # the page's code ships with, and knows, the embedded release
        from csto_dataset._browse import write_page
        from csto_dataset.loader import read_release_table

        with (folder / "browse.html").open("wb") as out:
            write_page(version, lambda t, c: read_release_table(opener, t, c), out)
        written += 1
    return _print(f"wrote {written} files of data release {version} to {folder}")


def _export_labelled(
    folder: Path, fmt: str, version: str, tables: tuple[str, ...], opener: Opener
) -> int:
    import datetime as dt
    import json

    from csto_dataset._labelled import labelled_tables

    with opener("datapackage.json") as stream:
        created = dt.datetime.fromisoformat(json.load(stream)["created"])
    labelled = labelled_tables(version, tables, opener)
    folder.mkdir(parents=True, exist_ok=True)
    if fmt == "stata":
        from csto_dataset._stata import write_stata

        written = write_stata(folder, labelled, created)
        return _print(f"wrote {written} Stata files of data release {version} to {folder}")
    from csto_dataset._sqlite import write_sqlite

    path = folder / f"csto-dataset-{version}.sqlite"
    written = write_sqlite(path, labelled)
    return _print(f"wrote {written} tables of data release {version} to {path}")


def _configure_panel(parser: argparse.ArgumentParser) -> None:
    from csto_dataset._panel_units import UNITS

    parser.add_argument("--unit", choices=UNITS, required=True, help="the panel's unit")
    _add_basis(parser)
    parser.add_argument("--state", metavar="S", help="only one state's rows (ISO code or name)")
    parser.add_argument("--from", dest="start", metavar="DAY", help="state-day: the first day")
    parser.add_argument("--to", dest="end", metavar="DAY", help="state-day: the last day")
    parser.add_argument(
        "--undirected",
        action="store_true",
        help="dyad-year: each pair once, not in both orders",
    )
    parser.add_argument(
        "--format",
        choices=("csv", "json", "table"),
        default="csv",
        help="csv (default) or json for files and pipes; table to read in a terminal",
    )
    _add_version(parser)


def _run_panel(args: argparse.Namespace) -> int:
    from csto_dataset.panels import panel

    data = panel(
        args.unit,
        basis=args.basis,
        version=args.data_version,
        backend="pyarrow",
        start=args.start,
        end=args.end,
        directed=not args.undirected,
    )
    rows = data.to_pylist()
    if args.state is not None:
        from csto_dataset._select import resolve_state

        chosen = resolve_state(args.state, _Tables(args.data_version)("states"))
        sides = [c for c in ("state_id", "state_id1", "state_id2") if c in data.column_names]
        rows = [r for r in rows if any(r[side] in chosen for side in sides)]
    if args.format == "table" and "year" in data.column_names:
        rows = [{**r, "year": str(r["year"])} for r in rows]  # a year: no thousands separator
    return _show_rows(rows, data.column_names, args.format, f"{len(rows)} rows")


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="a release folder (holding datapackage.json)")


def _run_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from csto_dataset._validate import validate_release

    report = validate_release(Path(args.folder))
    for problem in report.problems:
        print(f"{PROG}: {args.folder}/{problem}", file=sys.stderr)
    if report.problems:
        print(
            f"{PROG}: error: release {report.version} in {args.folder}: "
            f"{len(report.problems)} problems",
            file=sys.stderr,
        )
        return 1
    return _print(
        f"ok: release {report.version} in {args.folder}: {report.files} files match "
        f"datapackage.json and its {report.tables} tables load"
    )


def _configure_cite(parser: argparse.ArgumentParser) -> None:
    _add_version(parser)
    parser.add_argument(
        "--format", choices=("text", "bibtex", "cff"), default="text", help="default: text"
    )


def _run_cite(args: argparse.Namespace) -> int:
    from csto_dataset.citation import cite

    return _print(cite(args.data_version, format=args.format).rstrip("\n"))


def _configure_diff(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="a data version (0.2.0) or a release folder")
    parser.add_argument("new", metavar="NEW", help="a data version (0.3.0) or a release folder")


def _run_diff(args: argparse.Namespace) -> int:
    from csto_dataset.release_diff import diff

    return _print(str(diff(args.old, args.new)).rstrip("\n"))


COMMANDS = (
    Command(
        "tables",
        "list the tables with their row counts, file sizes and what a row is",
        "csto-dataset tables\n  csto-dataset tables --version 0.2.0 --format csv",
        _configure_tables,
        _run_tables,
    ),
    Command(
        "versions",
        "list the data releases with their sizes and row counts",
        "csto-dataset versions",
        _configure_versions,
        _run_versions,
    ),
    Command(
        "show",
        "print a table's rows, filtered",
        "csto-dataset show statements --person Lukashenko --topic afghanistan --from 2021\n"
        "  csto-dataset show events --kind council_session --state ARM --format csv > sessions.csv",
        _configure_show,
        _run_show,
    ),
    Command(
        "status",
        "each state's membership status on a day",
        "csto-dataset status 2012-06-10 --state UZB\n"
        "  csto-dataset status 2025-06-01 --basis formal",
        _configure_status,
        _run_status,
    ),
    Command(
        "export",
        "write a release's tables into a folder as CSV, Parquet, JSON, Stata or SQLite",
        "csto-dataset export --version 0.3.0 --format parquet csto-0.3.0/",
        _configure_export,
        _run_export,
    ),
    Command(
        "panel",
        "a state-year, state-day or dyad-year panel, keyed by ISO, COW and G&W codes",
        "csto-dataset panel --unit state-year > csto-state-year.csv\n"
        "  csto-dataset panel --unit state-day --state UZB --from 2012-06-18 --to 2012-06-22",
        _configure_panel,
        _run_panel,
    ),
    Command(
        "validate",
        "check a release folder: files against datapackage.json, every table loads",
        "csto-dataset validate build/releases/0.3.0",
        _configure_validate,
        _run_validate,
    ),
    Command(
        "cite",
        "how to cite a data release, as text, BibTeX or CITATION.cff",
        "csto-dataset cite\n  csto-dataset cite --version 0.2.0 --format bibtex",
        _configure_cite,
        _run_cite,
    ),
    Command(
        "diff",
        "what changed between two data releases, id by id, and the version it needs",
        "csto-dataset diff 0.3.0 0.4.0\n"
        "  csto-dataset diff build/releases/0.3.0 build/releases/0.4.0",
        _configure_diff,
        _run_diff,
    ),
)


def date_help() -> str:
    """How --from/--to read dates, naming each table's date field (the models' dated_by)."""
    from csto_dataset._release import DATED_BY

    fields: dict[str, list[str]] = {}
    for table, field in DATED_BY.items():
        fields.setdefault(field, []).append(table)
    which = "; ".join(f"{field} ({', '.join(tables)})" for field, tables in fields.items())
    return (
        "Dates keep the precision of their source, so a date like '2022-11' is a span of days. "
        "A row is kept when the span of its date overlaps the period from --from's first day "
        "to --to's last day: --from 2022 --to 2022 keeps a row dated '2022-11' and one dated "
        "only '2022', and --from 2022-06 keeps a row dated only '2022' (it may fall after "
        f"June). Rows without a date are left out. The date of each table: {which}."
    )


# --- parsing ------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    import textwrap

    parser = _Parser(
        prog=PROG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The CSTO dataset on the command line. Without a command: a summary of\n"
        "the embedded data release.",
        epilog=f"example:\n  {PROG} show statements --search Afghanistan --limit 5\n\n"
        f"Each command has --help with an example: {PROG} show --help",
    )
    parser.add_argument(
        "-V",
        "--version",
        action="version",
        version=f"{PROG} {__version__} (data release {DATA_VERSION})",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=command.summary[0].upper() + command.summary[1:] + ".",
            epilog=(textwrap.fill(date_help(), 80) + "\n\n" if command.name == "show" else "")
            + f"example:\n  {command.example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return parser


def _add_version(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        dest="data_version",
        metavar="V",
        help=f"a data release (list them: csto-dataset versions); default: {DATA_VERSION}, "
        "the embedded one",
    )


def _add_basis(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--basis",
        choices=("any", "formal"),
        default="any",
        help="formal: only treaties, ratifications and decisions of the organization count; "
        "any (default): what governments declared counts too",
    )


def _add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json", "markdown"),
        default="table",
        help="table (default): aligned to the terminal's width, long cells cut with '…'; "
        "csv, json, markdown: every character, for pipes and files",
    )


def _count(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of rows, got {text!r}")
    return int(text)


# --- helpers -------------------------------------------------------------------------------


def _show_rows(rows: list[Row], columns: list[str], fmt: str, note: str | None = None) -> int:
    import shutil
    import textwrap

    from csto_dataset._render import render, to_table

    if fmt != "table":
        return _print(render(rows, columns, fmt, 0))
    width = shutil.get_terminal_size().columns
    text = to_table(rows, columns, width)
    return _print("\n".join([text, *textwrap.wrap(f"({note})", width)] if note else [text]))


class _Tables:
    """The tables of one release, as column names and rows; each read once."""

    def __init__(self, version: str | None) -> None:
        from csto_dataset.loader import release_files

        _, self.names, self.opener = release_files(version)
        self.read: dict[str, tuple[list[str], list[Row]]] = {}

    def __call__(self, table: str) -> list[Row]:
        return self.table(table)[1]

    def columns(self, table: str) -> list[str]:
        return self.table(table)[0]

    def table(self, table: str) -> tuple[list[str], list[Row]]:
        if table not in self.names:
            from csto_dataset.release import unknown_table

            raise unknown_table(table, self.names)
        if table not in self.read:
            self.read[table] = _read_table(self.opener, table)
        return self.read[table]


def _read_table(opener: Callable[[str], IO[bytes]], table: str) -> tuple[list[str], list[Row]]:
    from csto_dataset.loader import read_release_table

    arrow = read_release_table(opener, table)
    rows: list[Row] = arrow.to_pylist()
    return arrow.column_names, rows


def _index() -> tuple[tuple[ReleaseEntry, ...], dict[str, dict[str, int]]]:
    """The release index's entries and, per version, each table's row count."""
    import json
    from importlib import resources

    from csto_dataset._index import parse_index

    document = json.loads(resources.files("csto_dataset").joinpath("releases.json").read_bytes())
    rows = {str(raw["version"]): dict(raw["rows"]) for raw in document["releases"]}
    return parse_index(document), rows


def _embedded_descriptor() -> dict[str, Any]:
    import json

    from csto_dataset._embedded import embedded_file

    descriptor: dict[str, Any] = json.loads(embedded_file("datapackage.json").read_bytes())
    return descriptor


def _descriptions() -> dict[str, str]:
    return {r["name"]: r["description"] for r in _embedded_descriptor()["resources"]}


def _vocabulary_value(table: str, field: str, value: str | None, option: str) -> str | None:
    """`value` if the field's controlled vocabulary has it; None passes."""
    if value is None:
        return None
    for resource in _embedded_descriptor()["resources"]:
        if resource["name"] != table:
            continue
        for spec in resource["schema"]["fields"]:
            allowed = spec.get("constraints", {}).get("enum")
            if spec["name"] == field and allowed and value not in allowed:
                raise CstoDatasetError(
                    f"{option} {value!r} is not one of {table}.{field}: {', '.join(allowed)}"
                )
    return value


def _day_span(option: str, text: str) -> tuple[dt.date, dt.date]:
    from csto_dataset.dates import parse_partial_date

    try:
        _, first, last = parse_partial_date(text)
    except ValueError as error:
        raise CstoDatasetError(f"{option}: {error}") from None
    return first, last
