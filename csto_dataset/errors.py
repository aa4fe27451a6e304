"""The package's exceptions: one base class, one subclass per kind of failure."""


class CstoDatasetError(Exception):
    """Base class of every error csto_dataset raises."""


class UnknownTableError(CstoDatasetError, KeyError):
    """A table name that the release does not have."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownBackendError(CstoDatasetError, ValueError):
    """A backend other than pandas, pyarrow or polars."""
