"""The record reader refuses what YAML 1.1 would silently misread."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from cstobuild.strict_yaml import LOADER, YamlError, read_record_file, read_records

Loader = type[yaml.SafeLoader] | type[yaml.CSafeLoader]


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request: pytest.FixtureRequest) -> Loader:
    """Both parsers the reader may run on must enforce every rule alike."""
    if request.param == "pure-python":
        return yaml.SafeLoader
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was installed without libyaml")
    return yaml.CSafeLoader


def test_the_build_reads_with_libyaml_when_pyyaml_has_it() -> None:
    assert LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


def test_plain_values_resolve_to_null_booleans_integers_and_text(loader: Loader) -> None:
    (record,) = read_records(
        "- a: null\n  b: true\n  c: 42\n  d: 2022-11-23\n  e: '051'\n  f: 12:30\n  g: Q399\n",
        loader,
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


def test_lines_of_records_and_fields_are_kept(loader: Loader) -> None:
    records = read_records("# comment\n- id: one\n  name: a\n\n- id: two\n  name: b\n", loader)
    assert [r.line for r in records] == [2, 5]
    assert records[1].line_of("name") == 6


def test_the_lines_kept_with_a_validated_record_are_the_records_lines(loader: Loader) -> None:
    first, second = read_records(
        "- id: one\n  text: |\n    two\n    lines\n  kind: a\n- id: two\n  kind: b\n", loader
    )
    for raw in (first, second):
        for key in ("id", "text", "kind", "missing", None):
            assert raw.lines().line_of(key) == raw.line_of(key)
    assert first.lines().line_of("kind") == 5
    assert second.lines().keys == ("id", "kind")


@pytest.mark.parametrize("word", ["NO", "no", "Yes", "on", "OFF", "y", "True"])
def test_yaml11_booleans_are_refused(word: str, loader: Loader) -> None:
    with pytest.raises(YamlError, match=r"boolean in YAML 1\.1") as caught:
        read_records(f"- id: x\n  iso_alpha2: {word}\n", loader)
    assert caught.value.line == 2


@pytest.mark.parametrize("number", ["012", "051", "0o12", "0x1F"])
def test_numbers_with_leading_zeros_or_other_bases_are_refused(number: str, loader: Loader) -> None:
    with pytest.raises(YamlError, match="octal") as caught:
        read_records(f"- id: x\n\n  iso_numeric: {number}\n", loader)
    assert caught.value.line == 3


def test_nested_values_keep_their_types_and_name_the_field_and_record_of_a_fault(
    loader: Loader,
) -> None:
    (record,) = read_records("- id: x\n  topics: [a, 'b']\n  place: {city: Minsk, n: 3}\n", loader)
    expected: dict[str, Any] = {"id": "x", "topics": ["a", "b"], "place": {"city": "Minsk", "n": 3}}
    assert record.data == expected
    with pytest.raises(YamlError, match="boolean") as caught:
        read_records("- id: x\n  topics:\n  - a\n  - no\n", loader)
    assert (caught.value.line, caught.value.record_id, caught.value.field) == (4, "x", "topics")


def test_a_duplicated_key_is_refused_with_both_lines(loader: Loader) -> None:
    with pytest.raises(YamlError, match=r"duplicate key 'name' \(first on line 2\)") as caught:
        read_records("- id: x\n  name: a\n  kind: b\n  name: c\n", loader)
    assert caught.value.line == 4


def test_anchors_and_aliases_are_refused(loader: Loader) -> None:
    with pytest.raises(YamlError, match="anchors and aliases"):
        read_records("- id: x\n  a: &big [1, 2]\n  b: *big\n", loader)


def test_an_anchor_without_an_alias_is_refused(loader: Loader) -> None:
    with pytest.raises(YamlError, match="anchors and aliases") as caught:
        read_records("- id: x\n  a: 1\n  b: &unused text\n", loader)
    assert (caught.value.line, caught.value.field) == (3, "b")


@pytest.mark.parametrize("value", ["!!int '3'", "!!str text", "!custom text", "!!map {a: 1}"])
def test_explicit_tags_are_refused(value: str, loader: Loader) -> None:
    with pytest.raises(YamlError, match="explicit tags") as caught:
        read_records(f"- id: x\n  a: {value}\n", loader)
    assert (caught.value.line, caught.value.record_id, caught.value.field) == (2, "x", "a")


def test_a_second_document_in_a_file_is_refused(loader: Loader) -> None:
    with pytest.raises(YamlError, match="more than one YAML document") as caught:
        read_record_file("events:\n- id: e\n---\nevents:\n- id: f\n", ["events"], loader)
    assert caught.value.line == 3


def test_decimal_numbers_are_refused(loader: Loader) -> None:
    with pytest.raises(YamlError, match="decimal number"):
        read_records("- id: x\n  version: 1.0\n", loader)


def test_records_must_be_a_list_of_mappings(loader: Loader) -> None:
    with pytest.raises(YamlError, match="records must be a list"):
        read_records("id: x\n", loader)
    with pytest.raises(YamlError, match="mapping"):
        read_records("- just text\n", loader)


def test_broken_yaml_names_its_line(loader: Loader) -> None:
    with pytest.raises(YamlError, match="not valid YAML") as caught:
        read_records("- id: x\n  name: [unclosed\n", loader)
    assert caught.value.line >= 2


def test_a_record_file_maps_tables_to_records_with_their_lines(loader: Loader) -> None:
    sections = read_record_file(
        "# a session\nevents:\n- id: e\nstatements:\n- id: s1\n- id: s2\n",
        ["events", "statements"],
        loader,
    )
    assert {t: [(r.line, r.data["id"]) for r in rs] for t, rs in sections.items()} == {
        "events": [(3, "e")],
        "statements": [(5, "s1"), (6, "s2")],
    }


def test_an_empty_record_file_is_refused(loader: Loader) -> None:
    with pytest.raises(YamlError, match="empty records file"):
        read_record_file("# nothing here\n", ["events"], loader)


def test_a_record_file_names_only_known_tables_once(loader: Loader) -> None:
    with pytest.raises(YamlError, match="'statement' is not a table") as caught:
        read_record_file(
            "events:\n- id: e\nstatement:\n- id: s\n", ["events", "statements"], loader
        )
    assert caught.value.line == 3
    with pytest.raises(YamlError, match="table 'events' appears twice"):
        read_record_file("events:\n- id: e\nevents:\n- id: f\n", ["events"], loader)
    with pytest.raises(YamlError, match="maps table names to lists"):
        read_record_file("- id: e\n", ["events"], loader)
