"""Every rule the build enforces on the records, by name, with the guarantee it gives users.

This is the one list of rules: each problem the build reports names its rule, the data
dictionary (docs/data-dictionary.md) lists them (generated from here), and a test checks that
every rule has a check. A rule's body declares which rule it checks with `@checks(name)`
(rule_checks.py), where it is written; the build runs them in the order of this list.
"""

from __future__ import annotations

from dataclasses import dataclass

from cstobuild.markers import not_held_phrase, source_date_phrase, tables_phrase, verbatim_phrase

from csto_dataset.models import TABLES, Witness


@dataclass(frozen=True)
class Rule:
    """A named rule and what it guarantees about a release."""

    name: str
    guarantee: str
    warning: bool = False
    """True for a rule that only warns: the record is published as its source gives it."""


RULES: tuple[Rule, ...] = (
    # reading
    Rule("record-files", "Every file under build/records is a `.yaml` record file."),
    Rule("file-size", "No record file is larger than 1,000,000 bytes (split it by subject)."),
    Rule("non-empty-file", "No record file is empty."),
    Rule(
        "strict-yaml",
        "Record files are strict YAML: no duplicate keys, YAML 1.1 booleans, octal, hex or "
        "leading-zero numbers, floats, anchors, aliases or tags; each file maps table names to "
        "lists of records.",
    ),
    Rule(
        "model",
        "Every record has the fields, types, vocabularies and patterns of its table's model.",
    ),
    # identity and references
    Rule("unique-ids", "Ids are unique within each table."),
    Rule("id-rules", "New ids follow their table's id rule; released ids never change."),
    Rule(
        "retired-ids",
        "No id an earlier release had and a later one dropped is used again; every dropped id "
        "is in the registry of retired ids (build/retired_ids.toml) with its reason.",
    ),
    Rule("one-source-per-url", "One source record per URL."),
    Rule(
        "one-record-per-name",
        "One person record per person and one publisher record per outlet, whatever the spelling.",
    ),
    Rule("references", "Every id a record refers to exists in the table it names."),
    Rule("no-parent-cycles", "No organization, event or initiative is its own ancestor."),
    Rule("filed-by-subject", "Each record is in the file its subject gives (CONTRIBUTING.md)."),
    # attribution and text
    Rule(
        "text-in-context",
        "A statement's or witness's `text` stands verbatim in its `context`, and the context or "
        "the `attribution` (the source's own words naming the speaker) names the speaker by "
        "name or alias, unless `speaker_inferred` is set with a note.",
    ),
    Rule(
        "best-witness",
        "A witness cites a source its statement has not cited yet, and none ranks above the "
        "statement's own words by the declared order, so a statement's row always carries its "
        f"best witness. The order: {Witness.best_order}.",
    ),
    Rule(
        "spoken-language",
        "Words given untranslated are in the statement's `spoken_language`, which is then "
        "recorded as shown, not inferred.",
    ),
    Rule(
        "relays-secondary",
        "Every source of a relay or mirror publisher is marked secondary, and no source names "
        "a mirror as the original it relays.",
    ),
    Rule("no-test-hosts", "No source is cited at a test, staging or CDN host."),
    Rule(
        "no-placeholder-publishers",
        "Every publisher is a named outlet: no \u201cunknown\u201d or \u201cunnamed\u201d "
        "stand-in.",
    ),
    Rule(
        "verbatim-in-archive",
        f"From an archived source, {verbatim_phrase('paragraph')} stand verbatim (whitespace "
        "collapsed) in the paragraph their `locator` gives (`paragraph N`), and "
        f"{verbatim_phrase('source')} somewhere in that source.",
    ),
    Rule("nfc-text", "Every text is in Unicode normalization form NFC."),
    Rule(
        "visible-text",
        "No text holds a control character (other than the line breaks and tabs a note may "
        "hold), a bidirectional control, a zero-width character, a byte-order mark or an "
        "unpaired surrogate.",
    ),
    Rule(
        "spreadsheet-cells",
        "A text cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, "
        "a tab or a carriage return) is kept as its source gives it, and the build warns; "
        "open the CSV files as text (see \u201cSpreadsheets\u201d).",
        warning=True,
    ),
    # time
    Rule(
        "intervals-ordered",
        f"No record of {tables_phrase([s.model for s in TABLES if s.model.interval])} ends "
        "before it starts.",
    ),
    Rule(
        "not-after-source",
        f"No record of {source_date_phrase()} is dated after the publication of the source it "
        "cites (compared by the record's earliest day and the source's latest day), unless it "
        f"is marked as not held: {not_held_phrase()}.",
    ),
    Rule(
        "not-after-cutoff",
        "None of the records above begins after the release's cut-off (`cutoff` in "
        "build/release.toml, compared by the record's earliest day), unless it is marked as "
        "not held.",
    ),
    Rule(
        "memberships-disjoint",
        "A state's intervals on one track (the same basis and organization) share no day.",
    ),
    Rule(
        "membership-order",
        "A state is suspended or has its participation frozen only after a membership began, "
        "and is a signatory only before its membership.",
    ),
    # across tables
    Rule(
        "attendance-by-members",
        "Every attendance names a state that was a signatory, member or observer on a day of "
        "the session, or its note says why not.",
    ),
    Rule(
        "documents-dated-by-session",
        "A document has no date of its own: it is dated by the session (event) that adopted "
        "it, which must be dated.",
    ),
    Rule(
        "update-after-initiative",
        "No initiative update is dated before its initiative (its date, or the day of its "
        "event, statement or status date, whichever is earliest).",
    ),
    Rule(
        "cancelled-not-held",
        "An event marked `cancelled` has no attendance or document that reports it as held; "
        "cancelled events are not counted among the sessions held (COVERAGE, charts).",
    ),
    Rule(
        "chairmanships-contiguous",
        "From one recorded chairmanship of the organization to the next, no day is surely "
        "without a chair and none surely has two (a handover day counts for both); a term "
        "whose end is not sourced is not checked against the next.",
    ),
    Rule(
        "statement-occasion",
        "A statement made on the day of a session by someone recorded as attending it names "
        "that session in `event_id`; the build warns otherwise (the words may belong to "
        "another occasion that day).",
        warning=True,
    ),
    Rule(
        "adopted-links-document",
        "An `adopted` initiative update names the document that enacts it (`document_id`); "
        "where the document is not identified, the build warns and the note says what the "
        "source calls it.",
        warning=True,
    ),
    Rule(
        "claims",
        "Each source claim names a table, record and field that exist, and its value differs "
        "from the record's value or from another claim about the same field.",
    ),
)

BY_NAME = {rule.name: rule for rule in RULES}


def rule(name: str) -> Rule:
    """The rule called `name`; a KeyError here is a programming error."""
    return BY_NAME[name]
