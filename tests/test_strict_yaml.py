"""The record reader refuses what YAML 1.1 would silently misread."""

from __future__ import annotations

import pytest
from cstobuild.strict_yaml import YamlError, read_record_file, read_records


def test_plain_values_resolve_to_null_booleans_integers_and_text() -> None:
    (record,) = read_records(
        "- a: null\n  b: true\n  c: 42\n  d: 2022-11-23\n  e: '051'\n  f: 12:30\n  g: Q399\n"
    )
    assert record.data == {
        "a": None,
        "b": True,
        "c": 42,
        "d": "2022-11-23",
        "e": "051",
        "f": "12:30",
        "g": "Q399",
    }


def test_lines_of_records_and_fields_are_kept() -> None:
    records = read_records("# comment\n- id: one\n  name: a\n\n- id: two\n  name: b\n")
    assert [r.line for r in records] == [2, 5]
    assert records[1].line_of("name") == 6


@pytest.mark.parametrize("word", ["NO", "no", "Yes", "on", "OFF", "y", "True"])
def test_yaml11_booleans_are_refused(word: str) -> None:
    with pytest.raises(YamlError, match=r"boolean in YAML 1\.1") as caught:
        read_records(f"- id: x\n  iso_alpha2: {word}\n")
    assert caught.value.line == 2


@pytest.mark.parametrize("number", ["012", "051", "0o12", "0x1F"])
def test_numbers_with_leading_zeros_or_other_bases_are_refused(number: str) -> None:
    with pytest.raises(YamlError, match="octal") as caught:
        read_records(f"- id: x\n\n  iso_numeric: {number}\n")
    assert caught.value.line == 3


def test_a_duplicated_key_is_refused_with_both_lines() -> None:
    with pytest.raises(YamlError, match=r"duplicate key 'name' \(first on line 2\)") as caught:
        read_records("- id: x\n  name: a\n  kind: b\n  name: c\n")
    assert caught.value.line == 4


def test_anchors_and_aliases_are_refused() -> None:
    with pytest.raises(YamlError, match="anchors and aliases"):
        read_records("- id: x\n  a: &big [1, 2]\n  b: *big\n")


def test_explicit_tags_are_refused() -> None:
    with pytest.raises(YamlError, match="explicit tags"):
        read_records("- id: x\n  a: !!int '3'\n")


def test_decimal_numbers_are_refused() -> None:
    with pytest.raises(YamlError, match="decimal number"):
        read_records("- id: x\n  version: 1.0\n")


def test_records_must_be_a_list_of_mappings() -> None:
    with pytest.raises(YamlError, match="records must be a list"):
        read_records("id: x\n")
    with pytest.raises(YamlError, match="mapping"):
        read_records("- just text\n")


def test_broken_yaml_names_its_line() -> None:
    with pytest.raises(YamlError, match="not valid YAML") as caught:
        read_records("- id: x\n  name: [unclosed\n")
    assert caught.value.line >= 2


def test_a_record_file_maps_tables_to_records_with_their_lines() -> None:
    sections = read_record_file(
        "# a session\nevents:\n- id: e\nstatements:\n- id: s1\n- id: s2\n",
        ["events", "statements"],
    )
    assert {t: [(r.line, r.data["id"]) for r in rs] for t, rs in sections.items()} == {
        "events": [(3, "e")],
        "statements": [(5, "s1"), (6, "s2")],
    }


def test_an_empty_record_file_is_refused() -> None:
    with pytest.raises(YamlError, match="empty records file"):
        read_record_file("# nothing here\n", ["events"])


def test_a_record_file_names_only_known_tables_once() -> None:
    with pytest.raises(YamlError, match="'statement' is not a table") as caught:
        read_record_file("events:\n- id: e\nstatement:\n- id: s\n", ["events", "statements"])
    assert caught.value.line == 3
    with pytest.raises(YamlError, match="table 'events' appears twice"):
        read_record_file("events:\n- id: e\nevents:\n- id: f\n", ["events"])
    with pytest.raises(YamlError, match="maps table names to lists"):
        read_record_file("- id: e\n", ["events"])
