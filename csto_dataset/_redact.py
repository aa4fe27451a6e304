"""The one redaction step: no login and no query value of a URL ever reaches a message.

`redact` hides them in a URL the package shows; `scrub` hides them in free text (an
exception's text quoted in a message, which may carry a raw request path); `scrubbed` passes
a whole error through `scrub`. Every download error leaves the package through `scrubbed`.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable
from typing import TypeVar

HIDDEN = "***"
_MIN_SECRET = 3  # shorter values ("x=1") would blot out ordinary words and digits
# A query field inside free text: the value runs to the next separator, space or quote (a
# colon or full stop that ends a clause of the message is not part of it).
_QUERY_FIELD = re.compile(r"([?&;][^=\s&?#'\"<>]*=)[^\s&#'\"<>]+?(?=[:.,;)]?(?:[\s&#'\"<>]|$))")
# A login inside free text: scheme://user[:password]@
_LOGIN = re.compile(r"(\w[\w+.-]*://)[^/\s@'\"<>]+@")
E = TypeVar("E", bound=BaseException)


def redact(url: str) -> str:
    """`url` with any login replaced by *** and every query value by ***."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # unparsable: hide what looks like a login or a query value
        return scrub(url, secrets_of(url))
    netloc = parts.netloc
    if "@" in netloc:
        netloc = f"{HIDDEN}@" + netloc.rpartition("@")[2]
    query = "&".join(
        f"{field.partition('=')[0]}={HIDDEN}" if "=" in field else HIDDEN
        for field in parts.query.split("&")
        if field
    )
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc, query=query))


def secrets_of(url: str) -> set[str]:
    """The login and query values of `url`, in every spelling a message could quote."""
    try:
        parts = urllib.parse.urlsplit(url)
        username, password = parts.username, parts.password
    except ValueError:  # a malformed URL: take what looks like a login or a query by hand
        login = url.partition("://")[2].partition("/")[0].rpartition("@")[0]
        username, _, password = login.partition(":")
        query = url.partition("?")[2]
    else:
        query = parts.query
    raw = {username or "", password or ""}
    raw.update(field.partition("=")[2] for field in re.split(r"[&;]", query))
    found: set[str] = set()
    for value in raw:
        for spelling in (value, urllib.parse.unquote(value), urllib.parse.unquote_plus(value)):
            found.update((spelling, urllib.parse.quote(spelling, safe="")))
    return {value for value in found if len(value) >= _MIN_SECRET}


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every query value, login and given secret replaced by ***."""
    text = _LOGIN.sub(rf"\1{HIDDEN}@", text)
    text = _QUERY_FIELD.sub(rf"\1{HIDDEN}", text)
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, HIDDEN)
    return text


def scrubbed(error: E, secrets: Iterable[str]) -> E:
    """`error` itself if its message holds nothing to hide, else a copy of it that does not."""
    secrets = tuple(secrets)
    args = tuple(scrub(arg, secrets) if isinstance(arg, str) else arg for arg in error.args)
    if args == error.args:
        return error
    clean = type(error)(*args)
    clean.__dict__.update(error.__dict__)  # e.g. HttpStatusError.status
    return clean
