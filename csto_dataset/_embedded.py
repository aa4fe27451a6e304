"""Access to the data release embedded in the package, read through importlib.resources."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable


def embedded_file(name: str) -> Traversable:
    """A file of the embedded release (it may live inside a zip: open it, do not path it)."""
    return resources.files("csto_dataset").joinpath("data", name)
