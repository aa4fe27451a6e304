"""Which function checks which rule: each body declares its rule with `@checks(name)` where it
is written, so that a rule's name (rulebook.py) and its body are tied in one place."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from cstobuild.rulebook import rule

if TYPE_CHECKING:
    from cstobuild.problems import Problem
    from cstobuild.records import Curated
    from cstobuild.setting import Setting

    Check = Callable[[Curated, Setting], list[Problem]]

F = TypeVar("F", bound=Callable[..., "list[Problem]"])

_CHECKS: dict[str, list[Check]] = {}


def checks(name: str) -> Callable[[F], F]:
    """Declare the decorated function a check of rule `name`: it takes the records (and, if it
    has a second parameter, the `Setting`) and returns the problems it finds."""
    rule(name)  # a rule the rulebook does not have is a programming error

    def register(function: F) -> F:
        wants_setting = len(inspect.signature(function).parameters) == 2

        def check(curated: Curated, setting: Setting) -> list[Problem]:
            found: list[Problem] = (
                function(curated, setting) if wants_setting else function(curated)
            )
            return found

        _CHECKS.setdefault(name, []).append(check)
        return function

    return register


def checks_of(name: str) -> list[Check]:
    """The checks of rule `name` (none for the rules the reader applies as it reads)."""
    return _CHECKS.get(name, [])
