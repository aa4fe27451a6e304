"""The schema half of a release comparison: which differences between two descriptors'
Table Schemas are breaking and which are additions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["none", "fix", "addition", "breaking"]
LEVELS: tuple[Level, ...] = ("none", "fix", "addition", "breaking")

# Constraints whose larger value is tighter, and whose smaller value is tighter.
_LOWER_BOUNDS = ("minimum", "minLength", "exclusiveMinimum")
_UPPER_BOUNDS = ("maximum", "maxLength", "exclusiveMaximum")


@dataclass(frozen=True)
class SchemaChange:
    """A difference in the tables' schemas, with the level it needs."""

    level: Level
    table: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.table}.{self.field}" if self.field else self.table
        return f"{where}: {self.message}"


def key_fields(schema: dict[str, Any]) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def field_map(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in schema["fields"]}


def schema_changes(
    old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]
) -> tuple[SchemaChange, ...]:
    changes = [SchemaChange("breaking", t, None, "table removed") for t in old if t not in new]
    changes += [SchemaChange("addition", t, None, "table added") for t in new if t not in old]
    for table in (t for t in new if t in old):
        changes += _table_schema_changes(table, old[table], new[table])
    return tuple(changes)


def _table_schema_changes(
    table: str, old: dict[str, Any], new: dict[str, Any]
) -> list[SchemaChange]:
    changes = []
    if key_fields(old) != key_fields(new):
        changes.append(
            SchemaChange(
                "breaking",
                table,
                None,
                f"primary key {key_fields(old)} changed to {key_fields(new)}",
            )
        )
    old_fields, new_fields = field_map(old), field_map(new)
    for name in old_fields.keys() - new_fields.keys():
        changes.append(SchemaChange("breaking", table, name, "field removed (or renamed)"))
    for name in new_fields.keys() - old_fields.keys():
        required = new_fields[name].get("constraints", {}).get("required", False)
        level: Level = "breaking" if required else "addition"
        kind = "required" if required else "optional"
        changes.append(SchemaChange(level, table, name, f"{kind} field added"))
    for name in (n for n in new_fields if n in old_fields):
        changes += _field_changes(table, name, old_fields[name], new_fields[name])
    old_foreign = {json.dumps(f, sort_keys=True) for f in old.get("foreignKeys", [])}
    new_foreign = {json.dumps(f, sort_keys=True) for f in new.get("foreignKeys", [])}
    for foreign in sorted(new_foreign - old_foreign):
        fields = json.loads(foreign)["fields"]
        changes.append(SchemaChange("breaking", table, None, f"foreign key {fields} added"))
    for foreign in sorted(old_foreign - new_foreign):
        fields = json.loads(foreign)["fields"]
        changes.append(SchemaChange("addition", table, None, f"foreign key {fields} removed"))
    return sorted(changes, key=lambda c: (c.field or "", c.message))


def _field_changes(
    table: str, name: str, old: dict[str, Any], new: dict[str, Any]
) -> list[SchemaChange]:
    def change(level: Level, message: str) -> SchemaChange:
        return SchemaChange(level, table, name, message)

    changes = []
    if (old.get("type"), old.get("format")) != (new.get("type"), new.get("format")):
        changes.append(change("breaking", f"type {old.get('type')} -> {new.get('type')}"))
    before, after = old.get("constraints", {}), new.get("constraints", {})
    if not before.get("required", False) and after.get("required", False):
        changes.append(change("breaking", "now required"))
    elif before.get("required", False) and not after.get("required", False):
        changes.append(change("addition", "no longer required"))
    if "enum" in before or "enum" in after:
        old_values, new_values = before.get("enum"), after.get("enum")
        if old_values is None:
            changes.append(change("breaking", "vocabulary imposed"))
        elif new_values is None:
            changes.append(change("addition", "vocabulary lifted"))
        else:
            removed = [v for v in old_values if v not in new_values]
            added = [v for v in new_values if v not in old_values]
            if removed:
                changes.append(change("breaking", f"vocabulary values removed: {removed}"))
            if added:
                changes.append(change("addition", f"vocabulary values added: {added}"))
    for constraint in sorted((before.keys() | after.keys()) - {"required", "enum"}):
        if before.get(constraint) == after.get(constraint):
            continue
        if constraint not in before:
            changes.append(change("breaking", f"constraint {constraint} added"))
        elif constraint not in after:
            changes.append(change("addition", f"constraint {constraint} removed"))
        elif _loosened(constraint, before[constraint], after[constraint]):
            changes.append(change("addition", f"constraint {constraint} loosened"))
        else:
            changes.append(
                change(
                    "breaking",
                    f"constraint {constraint} {before[constraint]!r} -> {after[constraint]!r}",
                )
            )
    return changes


def _loosened(constraint: str, old: Any, new: Any) -> bool:
    if isinstance(old, bool) and isinstance(new, bool):
        return old and not new  # unique: true -> false
    if constraint in _LOWER_BOUNDS:
        return bool(new < old)
    if constraint in _UPPER_BOUNDS:
        return bool(new > old)
    return False  # any other change (a pattern, say) may reject values the old one allowed
