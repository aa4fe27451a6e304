"""csto-dataset: a versioned, citable dataset of the Collective Security Treaty Organization.

    >>> from csto_dataset import load
    >>> statements = load("statements")

`load()` reads the data release embedded in the package: no network, no build tooling.
"""

from csto_dataset._release import DATA_VERSION, TABLE_NAMES, TableName
from csto_dataset.errors import CstoDatasetError, UnknownBackendError, UnknownTableError
from csto_dataset.loader import Release, load

__version__ = "0.1.0"

__all__ = [
    "DATA_VERSION",
    "TABLE_NAMES",
    "CstoDatasetError",
    "Release",
    "TableName",
    "UnknownBackendError",
    "UnknownTableError",
    "__version__",
    "load",
]
