"""Read the curated record files into validated models, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, TypeVar, cast

from cstobuild import attendance_groups
from cstobuild.characters import first_invisible
from cstobuild.problems import Problem, display_path
from cstobuild.rulebook import rule
from cstobuild.stages import UNMEASURED, Stages
from cstobuild.strict_yaml import EmptyFileError, Lines, RawRecord, YamlError, read_record_file
from pydantic import ValidationError

from csto_dataset.models import TABLES, Attendance, Record

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Located:
    """A validated record and where it was written (its values are kept once, in the model)."""

    record: Record
    file: str
    raw: Lines

    def problem(self, field: str | None, message: str) -> Problem:
        record_id = self.record.id
        return Problem(self.file, self.raw.line_of(field), record_id, field, message)


@dataclass(frozen=True)
class Curated:
    """Every valid record, by table, in file order."""

    tables: dict[str, list[Located]]
    _computed: dict[str, object] = dataclass_field(default_factory=dict, compare=False, repr=False)

    def computed(self, key: str, compute: Callable[[Curated], T]) -> T:
        """What `compute` derives from these records, computed once per set of records."""
        if key not in self._computed:
            self._computed[key] = compute(self)
        return cast(T, self._computed[key])

    def ids(self, table: str) -> set[str]:
        return {item.record.id for item in self.tables[table]}

    def records(self, table: str) -> Iterator[Record]:
        return (item.record for item in self.tables[table])


MAX_FILE_BYTES = 1_000_000
"""A record file larger than this is refused: split it by its subject (see CONTRIBUTING)."""


def record_files(root: Path) -> list[Path]:
    """Every record file under `root`, in path order."""
    return sorted(root.rglob("*.yaml")) if root.is_dir() else []


def read_curated(root: Path, stages: Stages = UNMEASURED) -> tuple[Curated, list[Problem]]:
    """Validate every record file under `root`, one file at a time; return the valid records
    and all problems."""
    problems: list[Problem] = []
    models = {spec.model.table: spec.model for spec in TABLES}
    tables: dict[str, list[Located]] = {table: [] for table in models}
    fields_sets: dict[frozenset[str], set[str]] = {}
    for stray in sorted(root.rglob("*")) if root.is_dir() else []:
        if stray.is_file() and stray.suffix != ".yaml" and not stray.name.startswith("."):
            message = "not a record file: record files end in .yaml"
            problem = Problem(display_path(stray, root), 1, None, None, message)
            problems.append(problem.under(rule("record-files")))
    for path in record_files(root):
        shown = display_path(path, root)
        if path.stat().st_size > MAX_FILE_BYTES:
            message = f"larger than {MAX_FILE_BYTES} bytes; split it by subject"
            problems.append(Problem(shown, 1, None, None, message).under(rule("file-size")))
            continue
        try:
            with stages.stage("reading"):
                sections = read_record_file(path.read_text(encoding="utf-8"), models)
        except YamlError as error:
            problems.append(_yaml_problem(shown, path, error))
            continue
        except UnicodeDecodeError as error:
            problem = Problem(shown, 1, None, None, f"not UTF-8 text: {error}")
            problems.append(problem.under(rule("strict-yaml")))
            continue
        if Attendance.table in sections:  # written in groups under their session
            attendances, found = attendance_groups.expand(shown, sections)
            sections = {**sections, Attendance.table: attendances}
            problems.extend(found)
        with stages.stage("model validation"):
            for table, raws in sections.items():
                for raw in raws:
                    surrogates = _surrogates(shown, raw)
                    if surrogates:  # the model would refuse them without naming the code point
                        problems.extend(surrogates)
                        continue
                    try:
                        record = models[table].model_validate(raw.data)
                    except ValidationError as error:
                        problems.extend(_validation_problems(shown, raw, error))
                        continue
                    _share_fields_set(record, fields_sets)
                    tables[table].append(Located(record, shown, raw.lines()))
    return Curated(tables), problems


def _share_fields_set(record: Record, shared: dict[frozenset[str], set[str]]) -> None:
    """Let records that set the same fields share one set of their names.

    Pydantic keeps a set of the names of the fields given (about 700 bytes a record, half a
    model); the models are frozen, so nothing changes it and one set can serve them all.
    """
    names = record.__pydantic_fields_set__
    object.__setattr__(
        record, "__pydantic_fields_set__", shared.setdefault(frozenset(names), names)
    )


_SURROGATE_ESCAPE = re.compile(r"\\u([dD][89a-fA-F][0-9a-fA-F]{2})")


def _yaml_problem(shown: str, path: Path, error: YamlError) -> Problem:
    """The problem a file that cannot be read gives, named by the rule it breaks."""
    problem = Problem(shown, error.line, error.record_id, error.field, str(error))
    if isinstance(error, EmptyFileError):
        return problem.under(rule("non-empty-file"))
    lines = path.read_text(encoding="utf-8").splitlines()
    escape = _SURROGATE_ESCAPE.search(lines[error.line - 1]) if error.line <= len(lines) else None
    if escape is not None:  # libyaml refuses the escape without naming the character
        message = first_invisible(chr(int(escape.group(1), 16)))
        return replace(problem, message=f"{message} (written as an escape)").under(
            rule("visible-text")
        )
    return problem.under(rule("strict-yaml"))


def _surrogates(file: str, raw: RawRecord) -> list[Problem]:
    """A text holding an unpaired surrogate (a YAML escape such as "\\ud800") cannot be stored."""
    problems = []
    for field, value in raw.data.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and any("\ud800" <= c <= "\udfff" for c in text):
                message = first_invisible(text) or "holds a surrogate"
                problem = Problem(file, raw.line_of(field), _record_id(raw), field, message)
                problems.append(problem.under(rule("visible-text")))
    return problems


def _record_id(raw: RawRecord) -> str | None:
    value = raw.data.get("id")
    return str(value) if value is not None else None


def _validation_problems(file: str, raw: RawRecord, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        location = [str(part) for part in item["loc"]]
        field = location[0] if location else None
        where = ".".join(location) if location else None
        message = _message(item)
        problem = Problem(file, raw.line_of(field), _record_id(raw), where, message)
        problems.append(problem.under(rule("model")))
    return problems


def _message(item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not in the model; check the spelling)"
    text = str(item["msg"]).removeprefix("Value error, ")
    return f"{text} (got {item['input']!r})" if "input" in item and kind != "value_error" else text
