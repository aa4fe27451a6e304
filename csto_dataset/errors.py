"""The package's exceptions: one base class, one subclass per kind of failure."""


class CstoDatasetError(Exception):
    """Base class of every error csto_dataset raises."""


class UnknownTableError(CstoDatasetError, KeyError):
    """A table name that the release does not have."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownBackendError(CstoDatasetError, ValueError):
    """A backend other than pandas, pyarrow or polars."""


class UnknownFormatError(CstoDatasetError, ValueError):
    """A citation format other than text, bibtex or cff."""


class VersionNotFoundError(CstoDatasetError):
    """A data version that the package's release index does not list."""


class IntegrityError(CstoDatasetError):
    """A downloaded file whose size or sha256 differs from the release index."""


class DownloadError(CstoDatasetError):
    """A file of a data release that could not be downloaded."""


class OfflineError(CstoDatasetError):
    """A data release that is not in the cache while CSTO_DATASET_OFFLINE forbids the network."""
