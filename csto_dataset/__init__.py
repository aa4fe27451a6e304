"""csto-dataset: a versioned, citable dataset of the Collective Security Treaty Organization.

    >>> from csto_dataset import load
    >>> statements = load("statements")

`load()` reads the data release embedded in the package: no network, no build tooling.
"""

from csto_dataset._release import DATA_VERSION, TABLE_NAMES
from csto_dataset.errors import (
    ArgumentError,
    CacheError,
    ConfigurationError,
    CstoDatasetError,
    DataNotInReleaseError,
    DownloadError,
    HttpStatusError,
    IntegrityError,
    MissingDependencyError,
    OfflineError,
    ProxyError,
    TimeLimitError,
    TlsError,
    UnknownBackendError,
    UnknownFormatError,
    UnknownTableError,
    UnreachableError,
    UrlError,
    VersionNotFoundError,
)
from csto_dataset.loader import load

__version__ = "0.6.2"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from csto_dataset._index import VersionInfo, versions
    from csto_dataset._release import TableName
    from csto_dataset.citation import cite
    from csto_dataset.membership import StatusOnDay, membership_status
    from csto_dataset.panels import panel
    from csto_dataset.release import Release
    from csto_dataset.release_diff import ReleaseDiff, diff

# Imported on first use (PEP 562): these modules need `typing`, `datetime` or the release
# index, which together cost more start-up time than `import csto_dataset` may take.
_LAZY = {
    "Release": "csto_dataset.release",
    "VersionInfo": "csto_dataset._index",
    "versions": "csto_dataset._index",
    "membership_status": "csto_dataset.membership",
    "StatusOnDay": "csto_dataset.membership",
    "diff": "csto_dataset.release_diff",
    "ReleaseDiff": "csto_dataset.release_diff",
    "cite": "csto_dataset.citation",
    "panel": "csto_dataset.panels",
}


def __getattr__(name: str) -> object:
    if name == "TableName":  # the Literal of TABLE_NAMES, for annotations at run time
        from typing import Literal

        value: object = Literal[TABLE_NAMES]
    elif name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module 'csto_dataset' has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "DATA_VERSION",
    "TABLE_NAMES",
    "ArgumentError",
    "CacheError",
    "ConfigurationError",
    "CstoDatasetError",
    "DataNotInReleaseError",
    "DownloadError",
    "HttpStatusError",
    "IntegrityError",
    "MissingDependencyError",
    "OfflineError",
    "ProxyError",
    "Release",
    "ReleaseDiff",
    "StatusOnDay",
    "TableName",
    "TimeLimitError",
    "TlsError",
    "UnknownBackendError",
    "UnknownFormatError",
    "UnknownTableError",
    "UnreachableError",
    "UrlError",
    "VersionInfo",
    "VersionNotFoundError",
    "__version__",
    "cite",
    "diff",
    "load",
    "membership_status",
    "panel",
    "versions",
]
