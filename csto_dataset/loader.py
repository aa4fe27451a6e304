"""`load()`: the tables of a data release as pandas, pyarrow or polars objects."""

from __future__ import annotations

from csto_dataset._release import DATA_VERSION, TABLE_NAMES
from csto_dataset.errors import MissingDependencyError, UnknownBackendError, shorten

# Importing `typing`, `json` or `importlib.resources` costs more start-up time than this whole
# package may add to `import csto_dataset`: typing-only names stay behind TYPE_CHECKING, and
# the rest is imported where it is used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import IO, Any, Literal, TypeAlias, overload

    import pandas as pd
    import polars as pl
    import pyarrow as pa

    from csto_dataset._release import TableName
    from csto_dataset.release import Release

    Opener: TypeAlias = Callable[[str], IO[bytes]]
else:

    def overload(function):  # the typing-only variants below are replaced by the real load()
        return function


BACKENDS = ("pandas", "pyarrow", "polars")


@overload
def load(
    table: TableName, *, version: str | None = None, backend: Literal["pandas"] = "pandas"
) -> pd.DataFrame: ...
@overload
def load(
    table: TableName, *, version: str | None = None, backend: Literal["pyarrow"]
) -> pa.Table: ...
@overload
def load(
    table: TableName, *, version: str | None = None, backend: Literal["polars"]
) -> pl.DataFrame: ...
@overload
def load(
    table: None = None, *, version: str | None = None, backend: Literal["pandas"] = "pandas"
) -> Release[pd.DataFrame]: ...
@overload
def load(
    table: None = None, *, version: str | None = None, backend: Literal["pyarrow"]
) -> Release[pa.Table]: ...
@overload
def load(
    table: None = None, *, version: str | None = None, backend: Literal["polars"]
) -> Release[pl.DataFrame]: ...


def load(table: str | None = None, *, version: str | None = None, backend: str = "pandas") -> Any:
    """Load one table of a data release, or all of them.

    table: a table name (`csto_dataset.TABLE_NAMES`), or None for every table as a `Release`
        mapping that also carries the release's `version` and `citation`.
    version: a released data version; None means the release embedded in the package, which
        never touches the network.
    backend: "pandas" (default), "pyarrow" or "polars"; pyarrow and polars never import pandas.
    """
    check_backend(backend)  # before any download
    resolved, names, opener = release_files(version)
    if table is not None:
        if table not in names:
            from csto_dataset.release import unknown_table

            raise unknown_table(table, names)
        return _read(opener, table, backend)
    import json

    from csto_dataset.release import Release

    with opener("datapackage.json") as stream:
        descriptor = json.load(stream)
    tables = {name: _read(opener, name, backend) for name in names}
    return Release(version=resolved, citation=descriptor["citation"], tables=tables)


def release_files(version: str | None) -> tuple[str, tuple[str, ...], Opener]:
    """The resolved version, its table names, and how to open its files: how the command line,
    `diff()` and `load()` reach a release (an unknown version is refused before any I/O)."""
    if version is None or version == DATA_VERSION:
        return DATA_VERSION, TABLE_NAMES, _open_embedded
    # Imported here: only another version needs the release index and the download cache.
    from csto_dataset._cache import release_opener
    from csto_dataset._index import find_release, read_index

    release = find_release(read_index(), version)  # before any file or network access
    return release.version, release.tables, release_opener(release)


def _open_embedded(name: str) -> IO[bytes]:
    from csto_dataset._embedded import embedded_file

    return embedded_file(name).open("rb")


def _read(opener: Opener, table: str, backend: str) -> Any:
    """One table, read by the backend's own library."""
    if backend == "polars":
        import polars as pl

        # polars reads Parquet natively: no pyarrow import, no conversion
        with opener(f"{table}.parquet") as stream:
            return pl.read_parquet(stream)
    return from_arrow(read_release_table(opener, table), backend)


def check_backend(backend: str) -> None:
    """Refuse an unknown backend, or polars where it is not installed."""
    if backend not in BACKENDS:
        raise UnknownBackendError(
            f"unknown backend {shorten(backend)}; expected one of {', '.join(BACKENDS)}"
        )
    if backend == "polars":
        _require_polars()


def from_arrow(table: pa.Table, backend: str) -> Any:
    """An Arrow table in `backend`'s type, with the dtypes `load()` gives."""
    if backend == "pyarrow":
        return table
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table.to_pandas(types_mapper=_pandas_dtype)


def _require_polars() -> None:
    try:
        import polars  # noqa: F401 (the backend needs it in any case)
    except ModuleNotFoundError as error:
        if error.name != "polars":
            raise
        raise MissingDependencyError(
            "backend='polars' needs polars, which is not installed: "
            "pip install 'csto-dataset[polars]' (or pip install polars)"
        ) from None


def read_release_table(
    opener: Opener, table: str, columns: Sequence[str] | None = None
) -> pa.Table:
    """One table of a release, read from its Parquet file (only `columns`, where given, that
    the release has: an older release may lack some).

    ParquetFile, not read_table: read_table goes through pyarrow.dataset, which imports pandas
    whenever it is installed (hundreds of milliseconds). The file's bytes in one thread, not the
    open file object or pyarrow's thread pool: either made the interpreter abort at exit now and
    then ("terminate called without an active exception").
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    with opener(f"{table}.parquet") as stream:
        data = stream.read()
    parquet = pq.ParquetFile(pa.BufferReader(data))
    if columns is not None:
        columns = [c for c in columns if c in parquet.schema_arrow.names]
    return parquet.read(columns=columns, use_threads=False)


def _pandas_dtype(arrow_type: pa.DataType) -> Any:
    """Stable pandas dtypes: string, Int64, boolean, and dates kept as dates."""
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_string(arrow_type):
        return pd.StringDtype("pyarrow")
    if pa.types.is_int64(arrow_type):
        return pd.Int64Dtype()
    if pa.types.is_boolean(arrow_type):
        return pd.BooleanDtype()
    if pa.types.is_date32(arrow_type):
        return pd.ArrowDtype(arrow_type)
    return None
