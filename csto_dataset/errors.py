"""The package's exceptions: one base class, one subclass per cause of failure.

Every message names the cause and what to do about it; none shows a password or a token.
"""


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


class MissingDependencyError(CstoDatasetError, ImportError):
    """An optional library a backend needs is not installed; the message names the extra."""


class ArgumentError(CstoDatasetError, TypeError, ValueError):
    """An argument of a type or in a form the function does not accept."""


class VersionNotFoundError(CstoDatasetError):
    """A data version that the package's release index does not list."""


class DataNotInReleaseError(CstoDatasetError):
    """A data release that lacks what a function needs (an older release, fewer columns)."""


class ConfigurationError(CstoDatasetError, ValueError):
    """An environment variable of the package with a value it cannot use."""


class IntegrityError(CstoDatasetError):
    """A downloaded file whose size or sha256 differs from the release index."""


class DownloadError(CstoDatasetError):
    """A file of a data release that could not be downloaded; subclasses name the cause."""


class UrlError(DownloadError, ValueError):
    """A release URL (CSTO_DATASET_URL, a redirect) that is malformed, not http(s), or a
    redirect from https down to http."""


class UnreachableError(DownloadError):
    """The release host could not be reached, or the connection to it broke."""


class ProxyError(DownloadError):
    """The proxy in effect (HTTPS_PROXY, HTTP_PROXY) could not be used."""


class TlsError(DownloadError):
    """The release host's TLS certificate could not be verified."""


class HttpStatusError(DownloadError):
    """The release host answered with an HTTP error status."""

    status: int | None = None
    """The HTTP status, when a single answer decided the failure."""


class TimeLimitError(DownloadError):
    """The download did not finish within its total time limit (CSTO_DATASET_TIMEOUT)."""


class CacheError(CstoDatasetError):
    """The cache folder cannot be used: no permission, full disk, or something in the way."""


class OfflineError(CstoDatasetError):
    """A data release that is not in the cache while CSTO_DATASET_OFFLINE forbids the network."""


class BeyondDataWarning(UserWarning):
    """An answer asked for a day after the last one the data release records: it assumes
    that nothing changed since, which the data cannot show."""


def shorten(value: object, limit: int = 60) -> str:
    """`repr(value)`, cut to about `limit` characters, for quoting user input in messages."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"
