"""Read the curated record files into validated models, collecting every problem."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cstobuild import text_rules
from cstobuild.problems import Problem, display_path
from cstobuild.rulebook import rule
from cstobuild.strict_yaml import EmptyFileError, RawRecord, YamlError, read_record_file
from pydantic import ValidationError

from csto_dataset.models import TABLES, Record


@dataclass(frozen=True)
class Located:
    """A validated record and where it was written."""

    record: Record
    file: str
    raw: RawRecord

    def problem(self, field: str | None, message: str) -> Problem:
        return Problem(self.file, self.raw.line_of(field), _record_id(self.raw), field, message)


@dataclass(frozen=True)
class Curated:
    """Every valid record, by table, in file order."""

    tables: dict[str, list[Located]]

    def ids(self, table: str) -> set[str]:
        return {str(getattr(item.record, "id")) for item in self.tables[table]}  # noqa: B009

    def records(self, table: str) -> Iterator[Record]:
        return (item.record for item in self.tables[table])


MAX_FILE_BYTES = 1_000_000
"""A record file larger than this is refused: split it by its subject (see CONTRIBUTING)."""


def record_files(root: Path) -> list[Path]:
    """Every record file under `root`, in path order."""
    return sorted(root.rglob("*.yaml")) if root.is_dir() else []


def read_curated(root: Path) -> tuple[Curated, list[Problem]]:
    """Validate every record file under `root`; return the valid records and all problems."""
    problems: list[Problem] = []
    models = {spec.model.table: spec.model for spec in TABLES}
    tables: dict[str, list[Located]] = {table: [] for table in models}
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
            sections = read_record_file(path.read_text(encoding="utf-8"), models)
        except YamlError as error:
            broken = rule("non-empty-file" if isinstance(error, EmptyFileError) else "strict-yaml")
            problem = Problem(shown, error.line, error.record_id, error.field, str(error))
            problems.append(problem.under(broken))
            continue
        except UnicodeDecodeError as error:
            problem = Problem(shown, 1, None, None, f"not UTF-8 text: {error}")
            problems.append(problem.under(rule("strict-yaml")))
            continue
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
                tables[table].append(Located(record, shown, raw))
    return Curated(tables), problems


def _surrogates(file: str, raw: RawRecord) -> list[Problem]:
    """A text holding an unpaired surrogate (a YAML escape such as "\\ud800") cannot be stored."""
    problems = []
    for field, value in raw.data.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str) and any("\ud800" <= c <= "\udfff" for c in text):
                message = text_rules.first_invisible(text) or "holds a surrogate"
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
