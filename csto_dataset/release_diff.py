"""`diff()`: what changed between two data releases, record by record, and the version the
change needs under the dataset's semantic versioning.

A change is one of three levels. **breaking**: a table or field removed (a rename is a removal
and an addition), a field retyped, a constraint tightened, a vocabulary value removed, a key
changed, a new required field, or an id removed without being retired. **addition**: a new
table, optional field, vocabulary value or record. **fix**: corrected values of existing
records (a retired id's removal and a link table's removed row count as corrections).
Before 1.0.0 a breaking change needs a minor bump and anything else a patch bump; from 1.0.0,
major, minor and patch. The build refuses a version that rises by less, with this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from csto_dataset._index import version_key
from csto_dataset._schema_diff import (
    LEVELS,
    Level,
    SchemaChange,
    field_map,
    key_fields,
    schema_changes,
)
from csto_dataset.errors import CstoDatasetError

__all__ = [
    "FieldChange",
    "Level",
    "RecordChange",
    "RecordsChange",
    "ReleaseDiff",
    "RetiredId",
    "SchemaChange",
    "Snapshot",
    "TableDiff",
    "compare",
    "diff",
    "required_version",
    "retired_ids",
]

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import pandas as pd
    import pyarrow as pa

KEY_SEPARATOR = "/"
"""Joins the values of a composite key (a link table's row) into one id: `person_id/alias`."""


@dataclass(frozen=True)
class RetiredId:
    """An id removed on purpose, never to be used again."""

    table: str
    id: str
    retired_in: str
    reason: str


@dataclass(frozen=True)
class FieldChange:
    """One field of one record whose value differs between the releases."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    """A record present in both releases with different values."""

    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class TableDiff:
    """The records of one table added, removed and changed (by id; a link table's id joins
    its key's values with "/")."""

    table: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[RecordChange, ...] = ()
    owner: str | None = None
    """For a link table, the table whose records its rows belong to."""

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def owner_id(self, record_id: str) -> str:
        """The id of the owner record of a link table's row."""
        return record_id.split(KEY_SEPARATOR, 1)[0]


@dataclass(frozen=True)
class RecordsChange:
    """A change to the records that sets a level (an unretired removal, an addition, a fix)."""

    level: Level
    table: str
    message: str


@dataclass(frozen=True)
class ReleaseDiff:
    """What changed from release `old` to release `new`, and the least version it needs."""

    old: str
    new: str
    schema: tuple[SchemaChange, ...]
    tables: dict[str, TableDiff]
    retired: dict[tuple[str, str], RetiredId] = field(default_factory=dict)
    """The retired ids among the removed ones, by (table, id)."""

    @property
    def reasons(self) -> tuple[SchemaChange | RecordsChange, ...]:
        """Every change that sets a level, most severe first."""
        found: list[SchemaChange | RecordsChange] = list(self.schema)
        for name, table in self.tables.items():
            # a link table's row has no id of its own: removing it corrects its owner record
            unretired = (
                [] if table.owner else [i for i in table.removed if (name, i) not in self.retired]
            )
            if unretired:
                found.append(
                    RecordsChange(
                        "breaking",
                        name,
                        f"{len(unretired)} id(s) removed without being retired: "
                        + ", ".join(unretired),
                    )
                )
            if table.added:
                found.append(RecordsChange("addition", name, f"{len(table.added)} added"))
            fixes = len(table.changed) + len(table.removed) - len(unretired)
            if fixes:
                found.append(RecordsChange("fix", name, f"{fixes} corrected or retired"))
        return tuple(sorted(found, key=lambda c: -LEVELS.index(c.level)))

    @property
    def level(self) -> Level:
        """The most severe level of any change ("none" when the releases hold the same)."""
        return max((c.level for c in self.reasons), key=LEVELS.index, default="none")

    @property
    def required_version(self) -> str:
        """The least version the new release may have."""
        return required_version(self.old, self.level)

    def version_problem(self, version: str) -> str | None:
        """Why `version` does not rise enough above the old release for this change, or None."""
        key = version_key(version)
        if key is None:
            return f"data version {version!r} is not MAJOR.MINOR.PATCH"
        allowed = [
            lv for lv in LEVELS if key >= (version_key(required_version(self.old, lv)) or ())
        ]
        if self.level in allowed:
            return None
        lines = [
            f"data version {version} does not rise enough above {self.old}: the change is "
            f"{self.level} and needs at least {self.required_version}"
            f" ({_POLICY}); raise `version` in build/release.toml. Changes that need more than "
            f"{version}:"
        ]
        lines += [
            f"  {c.level}: {_where(c)}: {c.message}" for c in self.reasons if c.level not in allowed
        ]
        return "\n".join(lines)

    def to_pandas(self) -> pd.DataFrame:
        """One row per added, removed or changed record (one per changed field), with columns
        table, id, change ("added", "removed", "changed"), field, old and new."""
        import pandas as pd

        rows: list[tuple[str, str, str, str | None, Any, Any]] = []
        for name, table in self.tables.items():
            rows += [(name, i, "added", None, None, None) for i in table.added]
            rows += [(name, i, "removed", None, None, None) for i in table.removed]
            for record in table.changed:
                rows += [(name, record.id, "changed", f.field, f.old, f.new) for f in record.fields]
        frame = pd.DataFrame(rows, columns=["table", "id", "change", "field", "old", "new"])
        text = ["table", "id", "change", "field"]
        return frame.astype(dict.fromkeys(text, pd.StringDtype("pyarrow")))

    def __str__(self) -> str:
        lines = [
            f"data release {self.old} -> {self.new}: {self.level} "
            f"(needs at least {self.required_version})"
        ]
        if self.schema:
            lines.append("schema:")
            lines += [f"  {c.level}: {c}" for c in self.schema]
        for name, table in self.tables.items():
            if not table:
                continue
            lines.append(
                f"{name}: {len(table.added)} added, {len(table.removed)} removed, "
                f"{len(table.changed)} changed"
            )
            lines += [f"  + {i}" for i in table.added]
            for i in table.removed:
                retired = self.retired.get((name, i))
                why = f" (retired: {retired.reason})" if retired else ""
                lines.append(f"  - {i}{why}")
            for record in table.changed:
                lines.append(f"  ~ {record.id}")
                lines += [f"      {f.field}: {f.old!r} -> {f.new!r}" for f in record.fields]
        return "\n".join(lines)


_POLICY = "before 1.0.0 breaking needs a minor bump, anything else a patch bump"


def _where(change: SchemaChange | RecordsChange) -> str:
    if isinstance(change, SchemaChange) and change.field:
        return f"{change.table}.{change.field}"
    return change.table


def required_version(old: str, level: Level) -> str:
    """The least version after `old` for a change of `level`."""
    key = version_key(old)
    if key is None:
        raise CstoDatasetError(f"version {old!r} is not MAJOR.MINOR.PATCH")
    major, minor, patch = key
    if level == "breaking":
        return f"{major}.{minor + 1}.0" if major == 0 else f"{major + 1}.0.0"
    if level == "addition" and major > 0:
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@dataclass(frozen=True)
class Snapshot:
    """A release as the comparison needs it: version, descriptor and each table (Arrow, compared
    column by column)."""

    version: str
    descriptor: dict[str, Any]
    rows: Mapping[str, pa.Table]

    @classmethod
    def read(cls, release: str | os.PathLike[str]) -> Snapshot:
        """A release given as a version (embedded, cached or downloaded) or a folder."""
        return cls.open(*_resolve(release))

    @classmethod
    def open(cls, names: tuple[str, ...], opener: Callable[[str], IO[bytes]]) -> Snapshot:
        """The release whose files `opener` opens (`names`: its tables; () for all). Each table
        is read as Arrow each time the comparison needs it."""
        with opener("datapackage.json") as stream:
            descriptor = json.load(stream)
        names = names or tuple(r["name"] for r in descriptor["resources"])
        return cls(descriptor["version"], descriptor, _ArrowTables(names, opener))


class _ArrowTables(Mapping[str, "pa.Table"]):
    """A release's tables by name, each read from its Parquet file when asked for and not kept:
    a comparison holds one table of each release at a time."""

    def __init__(self, names: tuple[str, ...], opener: Callable[[str], IO[bytes]]) -> None:
        self._names, self._opener = names, opener

    def __getitem__(self, name: str) -> pa.Table:
        if name not in self._names:
            raise KeyError(name)
        from csto_dataset.loader import read_release_table

        return read_release_table(self._opener, name)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def columns(self, name: str) -> _ParquetColumns:
        """The table's columns, each decoded only when asked for (from its file's bytes)."""
        if name not in self._names:
            raise KeyError(name)
        with self._opener(f"{name}.parquet") as stream:
            return _ParquetColumns(stream.read())


class _Columns(Protocol):
    """What the comparison reads of a table: an Arrow table, or a `_ParquetColumns`."""

    @property
    def column_names(self) -> list[str]: ...

    @property
    def num_rows(self) -> int: ...

    def column(self, name: str) -> pa.ChunkedArray: ...


class _ParquetColumns:
    """A table in Parquet bytes whose columns are decoded one at a time, so that comparing a
    release of a million statements holds one decoded column, not the whole table."""

    def __init__(self, data: bytes) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        # bytes and one thread, as `loader.read_release_table` reads them
        self._file = pq.ParquetFile(pa.BufferReader(data))
        self.column_names: list[str] = self._file.schema_arrow.names
        self.num_rows: int = self._file.metadata.num_rows

    def column(self, name: str) -> pa.ChunkedArray:
        column: pa.ChunkedArray = self._file.read(columns=[name], use_threads=False).column(0)
        return column


def _columns_of(snapshot: Snapshot, name: str) -> _Columns:
    rows = snapshot.rows
    return rows.columns(name) if isinstance(rows, _ArrowTables) else rows[name]


def _resolve(
    release: str | os.PathLike[str],
) -> tuple[tuple[str, ...], Callable[[str], IO[bytes]]]:
    """A release's table names (() when a folder's descriptor gives them) and its opener;
    an unknown version or a folder without a descriptor is refused before any download."""
    from csto_dataset.loader import release_files

    if isinstance(release, str) and version_key(release) is not None:
        _, names, opener = release_files(release)
        return names, opener
    folder = Path(release)
    if not (folder / "datapackage.json").is_file():
        raise CstoDatasetError(
            f"{release!r} is neither a data version (MAJOR.MINOR.PATCH) nor a release "
            "folder with a datapackage.json"
        )

    def open_file(name: str) -> IO[bytes]:
        return (folder / name).open("rb")

    return (), open_file


def diff(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    retired: tuple[RetiredId, ...] | None = None,
) -> ReleaseDiff:
    """What changed from release `old` to release `new`, table by table and id by id.

    old, new: a data version ("0.2.0": the embedded release, or one cached or downloaded like
        `load(version=...)` does) or the path of a release folder.
    retired: the registry of retired ids; None reads the one shipped with the package.
    """
    old_release, new_release = _resolve(old), _resolve(new)  # both, before any download
    return compare(
        Snapshot.open(*old_release),
        Snapshot.open(*new_release),
        retired_ids() if retired is None else retired,
    )


def retired_ids() -> tuple[RetiredId, ...]:
    """The retired ids shipped with the package (generated from build/retired_ids.toml)."""
    from importlib import resources

    document = json.loads(resources.files("csto_dataset").joinpath("retired_ids.json").read_bytes())
    return tuple(RetiredId(**entry) for entry in document["retired"])


def compare(old: Snapshot, new: Snapshot, retired: tuple[RetiredId, ...]) -> ReleaseDiff:
    """The difference between two snapshots (the build calls this on its staged release)."""
    old_schemas, new_schemas = _schemas(old.descriptor), _schemas(new.descriptor)
    schema = schema_changes(old_schemas, new_schemas)
    registry = {(r.table, r.id): r for r in retired}
    tables: dict[str, TableDiff] = {}
    for name, new_schema in new_schemas.items():
        # a new table's rows are all added; a removed table is a schema change, not rows
        old_schema = old_schemas.get(name, new_schema)
        tables[name] = _table_diff(name, old, new, old_schema, new_schema)
    retired_found = {
        (name, i): registry[(name, i)]
        for name, table in tables.items()
        for i in table.removed
        if (name, i) in registry
    }
    return ReleaseDiff(old.version, new.version, schema, tables, retired_found)


def _schemas(descriptor: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["name"]: r["schema"] for r in descriptor["resources"]}


def _owner(schema: dict[str, Any]) -> str | None:
    """The table a link table's rows belong to: the one its first key field refers to."""
    key = key_fields(schema)
    if len(key) < 2:
        return None
    for foreign in schema.get("foreignKeys", []):
        if foreign["fields"] in ([key[0]], key[0]):
            resource: str | None = foreign["reference"].get("resource")
            return resource
    return None


def _table_diff(
    name: str, old: Snapshot, new: Snapshot, old_schema: dict[str, Any], new_schema: dict[str, Any]
) -> TableDiff:
    key = key_fields(new_schema)
    if key_fields(old_schema) != key:
        return TableDiff(name)  # reported as a breaking schema change; rows are not comparable
    common = [f["name"] for f in new_schema["fields"] if f["name"] in field_map(old_schema)]
    after = _columns_of(new, name)
    before = _columns_of(old, name) if name in old.rows else None  # a new table: all added
    added, removed, changed = _arrow_diff(before, after, key, common)
    return TableDiff(name, added, removed, changed, _owner(new_schema))


Diff = tuple[tuple[str, ...], tuple[str, ...], tuple[RecordChange, ...]]


def _arrow_diff(old: _Columns | None, new: _Columns, key: list[str], common: list[str]) -> Diff:
    """Added, removed and changed records, column by column with Arrow's compute functions: only
    the ids and values that differ become Python objects, so that two releases of a million rows
    compare in little memory (and no Python list becomes an Arrow array: that imports pandas)."""
    import pyarrow.compute as pc

    new_ids = _arrow_ids(new, key)
    old_ids = new_ids.slice(0, 0) if old is None else _arrow_ids(old, key)
    at_old = pc.index_in(new_ids, value_set=old_ids)  # each new row's place in old, or null
    in_both = pc.is_valid(at_old)
    added = tuple(sorted(pc.filter(new_ids, pc.invert(in_both)).to_pylist()))
    kept = pc.is_in(old_ids, value_set=new_ids)
    removed = tuple(sorted(pc.filter(old_ids, pc.invert(kept)).to_pylist()))
    new_rows = pc.indices_nonzero(in_both)
    old_rows = pc.filter(at_old, in_both)
    differing: dict[str, tuple[pa.ChunkedArray, pa.ChunkedArray, pa.ChunkedArray]] = {}
    any_field = None
    for name in common:
        after_all = _column(new, name)
        before = (after_all if old is None else _column(old, name)).take(old_rows)
        after = after_all.take(new_rows)
        del after_all
        unequal = _unequal(before, after)
        if pc.any(unequal).as_py():
            differing[name] = (unequal, before, after)
            any_field = unequal if any_field is None else pc.or_(any_field, unequal)
    places = pc.indices_nonzero(any_field) if any_field is not None else None
    rows = [] if places is None else places.to_pylist()
    ids = [] if places is None else pc.take(pc.take(new_ids, new_rows), places).to_pylist()
    changed = [
        RecordChange(
            record_id,
            tuple(
                FieldChange(name, before[row].as_py(), after[row].as_py())
                for name, (unequal, before, after) in differing.items()
                if unequal[row].as_py()
            ),
        )
        for record_id, row in sorted(zip(ids, rows, strict=True))
    ]
    return added, removed, tuple(changed)


def _arrow_ids(table: _Columns, key: list[str]) -> pa.ChunkedArray:
    """Each row's id as Arrow text: its key's values joined by "/" (a link table's row)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [table.column(k).cast(pa.string()) for k in key]
    if len(parts) == 1:
        return parts[0]
    # The separator as a column: a separator given as a Python string would become an Arrow
    # scalar, and making one from Python imports pandas.
    separator = pc.utf8_replace_slice(parts[0], start=0, stop=2**31 - 1, replacement=KEY_SEPARATOR)
    joined: pa.ChunkedArray = pc.binary_join_element_wise(*parts, separator)
    return joined


def _column(table: _Columns, name: str) -> pa.ChunkedArray:
    """A column of `table`, or nulls where the table lacks it (as `.get` gives None)."""
    import pyarrow as pa

    if name in table.column_names:
        return table.column(name)
    return pa.chunked_array([pa.nulls(table.num_rows)])


def _unequal(before: pa.ChunkedArray, after: pa.ChunkedArray) -> pa.ChunkedArray:
    """Where two columns of the same length hold different values (a missing value equals
    only a missing value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_null(before.type) and pa.types.is_null(after.type):
        return pc.is_valid(before)  # all false
    if before.type != after.type:  # a retyped field: compare as text
        before, after = before.cast(pa.string()), after.cast(pa.string())
    # Kleene logic, as a fill_null(False) would build a scalar from Python (importing pandas):
    # null (both missing) and false combine to false.
    one_missing = pc.xor(pc.is_null(before), pc.is_null(after))
    differ = pc.or_kleene(pc.not_equal(before, after), one_missing)
    result: pa.ChunkedArray = pc.and_kleene(differ, pc.is_valid(differ))
    return result
