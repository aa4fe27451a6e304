"""Access to the data release embedded in the package, read through importlib.resources."""

from __future__ import annotations

import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any


def embedded_file(name: str) -> Traversable:
    """A file of the embedded release (it may live inside a zip: open it, do not path it)."""
    return resources.files("csto_dataset").joinpath("data", name)


def embedded_descriptor() -> dict[str, Any]:
    """The embedded release's datapackage.json."""
    with embedded_file("datapackage.json").open("rb") as stream:
        descriptor: dict[str, Any] = json.load(stream)
    return descriptor
