"""`load()`: the tables of a data release as pandas, pyarrow or polars objects."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, Literal, TypeVar, overload

from csto_dataset._embedded import embedded_file
from csto_dataset._release import DATA_VERSION, TABLE_NAMES, TableName
from csto_dataset.errors import CstoDatasetError, UnknownBackendError, UnknownTableError

if TYPE_CHECKING:
    import pandas as pd
    import polars as pl
    import pyarrow as pa

Backend = Literal["pandas", "pyarrow", "polars"]
BACKENDS: tuple[Backend, ...] = ("pandas", "pyarrow", "polars")
T = TypeVar("T")
Opener = Callable[[str], BinaryIO]


@dataclass(frozen=True)
class Release(Mapping[str, T], Generic[T]):
    """Every table of one data release, by name, with the release's version and citation."""

    version: str
    citation: str
    tables: dict[str, T] = field(repr=False)

    def __getitem__(self, name: str) -> T:
        try:
            return self.tables[name]
        except KeyError:
            raise _unknown_table(name, tuple(self.tables)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


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


def load(
    table: str | None = None, *, version: str | None = None, backend: str = "pandas"
) -> Any:
    """Load one table of a data release, or all of them.

    table: a table name (`csto_dataset.TABLE_NAMES`), or None for every table as a `Release`
        mapping that also carries the release's `version` and `citation`.
    version: a released data version; None means the release embedded in the package, which
        never touches the network.
    backend: "pandas" (default), "pyarrow" or "polars"; pyarrow and polars never import pandas.
    """
    if backend not in BACKENDS:
        raise UnknownBackendError(
            f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}"
        )
    resolved, names, opener = _release_files(version)
    if table is not None:
        if table not in names:
            raise _unknown_table(table, names)
        return _convert(_read_arrow(opener, table), backend)
    with opener("datapackage.json") as stream:
        descriptor = json.load(stream)
    tables = {name: _convert(_read_arrow(opener, name), backend) for name in names}
    return Release(version=resolved, citation=descriptor["citation"], tables=tables)


def _release_files(version: str | None) -> tuple[str, tuple[str, ...], Opener]:
    """The resolved version, its table names, and how to open its files."""
    if version is None or version == DATA_VERSION:
        return DATA_VERSION, TABLE_NAMES, _open_embedded
    raise CstoDatasetError(
        f"data version {version!r} is not available; this package embeds {DATA_VERSION}"
    )


def _open_embedded(name: str) -> BinaryIO:
    return embedded_file(name).open("rb")


def _unknown_table(name: str, names: tuple[str, ...]) -> UnknownTableError:
    return UnknownTableError(f"unknown table {name!r}; valid tables: {', '.join(names)}")


def _read_arrow(opener: Opener, table: str) -> pa.Table:
    # ParquetFile, not read_table: read_table goes through pyarrow.dataset, which imports
    # pandas whenever it is installed (hundreds of milliseconds).
    import pyarrow.parquet as pq

    with opener(f"{table}.parquet") as stream:
        return pq.ParquetFile(stream).read()


def _convert(arrow: pa.Table, backend: str) -> Any:
    if backend == "pyarrow":
        return arrow
    if backend == "polars":
        import polars as pl

        return pl.from_arrow(arrow)
    return arrow.to_pandas(types_mapper=_pandas_dtype)


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
