"""`Release`: every table of one data release, by name, with its version and citation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

from csto_dataset.errors import UnknownTableError

T = TypeVar("T")


class Release(Mapping[str, T]):
    """A read-only mapping of table name to table, carrying the release's version and citation."""

    __slots__ = ("_tables", "citation", "version")

    def __init__(self, version: str, citation: str, tables: dict[str, T]) -> None:
        self.version = version
        """The data release's semantic version (what to cite)."""
        self.citation = citation
        """How to cite the release."""
        self._tables = tables

    def __getitem__(self, name: str) -> T:
        try:
            return self._tables[name]
        except KeyError:
            raise unknown_table(name, tuple(self._tables)) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        return f"Release(version={self.version!r}, tables={list(self._tables)})"


def unknown_table(name: str, names: tuple[str, ...]) -> UnknownTableError:
    """The error for a table name the release does not have, listing the valid ones."""
    return UnknownTableError(f"unknown table {name!r}; valid tables: {', '.join(names)}")
