"""`csto-dataset export`: a release written to a folder as a data package of its own.

In the csv, parquet, json and csv+parquet formats the folder's datapackage.json describes
exactly the data files written (path, format, bytes, sha256), so that `csto-dataset validate`
and `frictionless validate` accept it; the stata and sqlite formats carry the data dictionary
in their own files instead (`_stata`, `_sqlite`).
"""

from __future__ import annotations

from csto_dataset.errors import CstoDatasetError

# Light at import: the command line's --help reads FORMATS (json, hashlib and typing are
# imported where they are used).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import IO, Any

FORMATS = ("csv", "parquet", "json", "csv+parquet", "stata", "sqlite")
"""csv+parquet: the release folder as published, descriptor included, byte for byte; stata
and sqlite: the tables and the panels with the data dictionary inside (labels, comments)."""
_MEDIA = {
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}


def check_folder(folder: Path) -> None:
    """Refuse a folder that holds anything: an export never mixes with other files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CstoDatasetError(f"{folder} is not an empty folder; name a new or empty one")


def export(
    folder: Path,
    fmt: str,
    tables: tuple[str, ...],
    opener: Callable[[str], IO[bytes]],
    json_of: Callable[[str], str],
) -> int:
    """Write the release `opener` opens into `folder` in format `fmt`; the number of files.

    json_of(table): the table as a JSON array of objects, for the json format.
    """
    import json

    with opener("datapackage.json") as stream:  # downloads another version before any write
        published = stream.read()
    contents: dict[str, bytes] = {}
    for table in tables:
        for extension in fmt.split("+"):
            name = f"{table}.{extension}"
            if extension == "json":
                contents[name] = json_of(table).encode("utf-8")
            else:
                with opener(name) as stream:
                    contents[name] = stream.read()
    descriptor = published if fmt == "csv+parquet" else describe(json.loads(published), contents)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_bytes(descriptor)
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    return len(contents) + 1


def describe(published: dict[str, Any], contents: dict[str, bytes]) -> bytes:
    """The published descriptor with each resource pointing at the one file written for it."""
    import copy
    import hashlib
    import json

    descriptor = copy.deepcopy(published)
    for resource in descriptor["resources"]:
        resource.pop("parquet", None)
        name = next(n for n in contents if n.rpartition(".")[0] == resource["name"])
        extension = name.rpartition(".")[2]
        resource.update(
            path=name,
            format=extension,
            mediatype=_MEDIA[extension],
            bytes=len(contents[name]),
            hash="sha256:" + hashlib.sha256(contents[name]).hexdigest(),
        )
        if extension == "parquet":
            resource.pop("encoding", None)
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
