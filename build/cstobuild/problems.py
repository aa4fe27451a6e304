"""A problem found in the curated records, located by file, line, record id and field."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from cstobuild.rulebook import Rule


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the source records; the build reports all of them together."""

    file: str
    line: int
    record_id: str | None
    field: str | None
    message: str
    rule: str = ""
    """The name of the rule broken (see cstobuild.rulebook)."""

    def __str__(self) -> str:
        record = self.record_id if self.record_id is not None else "-"
        field = self.field if self.field is not None else "-"
        broken = f" [{self.rule}]" if self.rule else ""
        return f"{self.file}:{self.line}: record {record}, field {field}: {self.message}{broken}"

    def under(self, rule: Rule) -> Problem:
        """This problem, named as a breach of `rule`."""
        return replace(self, rule=rule.name)


class RecordsError(Exception):
    """The curated records have problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in the source records; "
            f"nothing was written:\n{lines}"
        )


def display_path(path: Path, root: Path) -> str:
    """A path relative to the records root's parent when possible, for readable messages."""
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


class RecordWarning(UserWarning):
    """A record the build publishes as its source gives it, but that users should know of."""
