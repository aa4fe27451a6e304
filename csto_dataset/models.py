"""The Pydantic models: the single source of truth for every table, field, type and vocabulary.

Each model is one curated record as a curator writes it. The release derives its tables from
these models (see `TABLES`): a partial-date field also yields `<field>_precision`,
`<field>_earliest` and `<field>_latest` columns, and a list field becomes a link table.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, ClassVar, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, model_validator

from csto_dataset._standing import Standing, standing
from csto_dataset.dates import PARTIAL_DATE_PATTERN, DatePrecision, parse_partial_date
from csto_dataset.locators import LOCATOR_PATTERN

__all__ = [
    "TABLES",
    "Attendance",
    "AttendanceMode",
    "AttendanceStatus",
    "DatePrecision",
    "Derived",
    "Document",
    "DocumentKind",
    "DocumentSignature",
    "Event",
    "EventKind",
    "EvidenceTier",
    "Exercise",
    "ExerciseKind",
    "ExerciseStatus",
    "ForceKind",
    "Initiative",
    "InitiativeStatus",
    "InitiativeUpdate",
    "LinkTable",
    "Membership",
    "MembershipBasis",
    "MembershipStatus",
    "NotHeld",
    "Office",
    "OfficeTerm",
    "Organization",
    "OrganizationKind",
    "Outcome",
    "PartialDateField",
    "Person",
    "Publisher",
    "Quantifier",
    "Record",
    "Ref",
    "SessionFormat",
    "SignatureStatus",
    "Source",
    "SourceClaim",
    "SourceKind",
    "SourceOf",
    "State",
    "Statement",
    "StatementKind",
    "Topic",
    "Translator",
    "Verbatim",
    "Witness",
    "marked",
]


# --- markers read by the schema and table generators ---------------------------------------


@dataclass(frozen=True)
class Ref:
    """Marks a field as a foreign key to the `id` of another table."""

    table: str


@dataclass(frozen=True)
class PartialDateField:
    """Marks a partial ISO date; the release adds its precision and first and last day."""


@dataclass(frozen=True)
class IsoDateField:
    """Marks a full ISO date (a `date` column in the release)."""


@dataclass(frozen=True)
class LinkTable:
    """Marks a list field that the release stores as a link table (`<owner>_id`, `column`)."""

    name: str
    column: str
    description: str
    selects: bool = False
    """True for the link `show --state` or `--topic` follows: the record's own states or
    topics (an exercise's participants, not its observers)."""


@dataclass(frozen=True)
class NotHeld:
    """Marks a field whose values say a record did not happen as recorded: `announced` (only
    announced beforehand: not confirmed) or `cancelled` (reported not to have taken place).
    A record none of whose marked fields holds such a value is held (`Record.standing`)."""

    announced: tuple[object, ...] = (True,)
    cancelled: tuple[object, ...] = ()

    def standings(self) -> dict[object, Standing]:
        """Each marked value and the standing it gives."""
        marks: dict[object, Standing] = dict.fromkeys(self.announced, "announced")
        return marks | dict.fromkeys(self.cancelled, "cancelled")


@dataclass(frozen=True)
class Verbatim:
    """Marks a text that stands verbatim (whitespace collapsed) in its archived source: in the
    paragraph the record's `locator` gives, or anywhere in the source (`within="source"`)."""

    within: Literal["paragraph", "source"] = "paragraph"


@dataclass(frozen=True)
class SourceOf:
    """Marks the source of one field (`field`) where it is not the record's `source_id`."""

    field: str


M = TypeVar("M")


@functools.cache
def marked(model: type[BaseModel], kind: type[M]) -> dict[str, M]:
    """The fields of `model` that carry a marker of type `kind`, with the marker (computed once
    per model and kind: read it, do not change it)."""
    return {
        name: marker
        for name, markers in _metadata(model).items()
        for marker in markers
        if isinstance(marker, kind)
    }


@functools.cache
def _metadata(model: type[BaseModel]) -> dict[str, tuple[object, ...]]:
    return {name: tuple(info.metadata) for name, info in model.model_fields.items()}


@dataclass(frozen=True)
class Derived:
    """A release column computed by the build from other records (not written by curators)."""

    name: str
    kind: Literal["string", "integer", "boolean"]
    """The column's type."""
    description: str
    vocabulary: type[StrEnum] | None = None


def _check_partial_date(value: str) -> str:
    parse_partial_date(value)
    return value


# --- vocabularies -----------------------------------------------------------------------------


class StatementKind(StrEnum):
    """How a text relates to its source."""

    DIRECT_QUOTE = "direct_quote"
    """The speaker's words, verbatim in the cited source (translated or not)."""
    PARAPHRASE = "paraphrase"
    """The source reports what was said or held without quoting it."""
    DOCUMENT_EXCERPT = "document_excerpt"
    """Words of a document (a treaty, a charter), verbatim in the cited source."""


class Topic(StrEnum):
    """What a statement is about."""

    AFGHANISTAN = "afghanistan"
    ANALYTICAL_COOPERATION = "analytical_cooperation"
    ARMENIA_AZERBAIJAN = "armenia_azerbaijan"
    BIOLOGICAL_SECURITY = "biological_security"
    COLLECTIVE_DEFENCE = "collective_defence"
    CRISIS_SETTLEMENT = "crisis_settlement"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure"
    DRUG_TRAFFICKING = "drug_trafficking"
    EMERGENCIES = "emergencies"
    HISTORICAL_MEMORY = "historical_memory"
    ILLEGAL_MIGRATION = "illegal_migration"
    INFORMATION_SECURITY = "information_security"
    INTERNATIONAL_COOPERATION = "international_cooperation"
    KAZAKHSTAN_CRISIS = "kazakhstan_crisis"
    KYRGYZSTAN_TAJIKISTAN = "kyrgyzstan_tajikistan"
    KYRGYZSTAN_UNREST = "kyrgyzstan_unrest"
    LEGAL_FRAMEWORK = "legal_framework"
    MILITARY_COOPERATION = "military_cooperation"
    MILITARY_TECHNICAL_COOPERATION = "military_technical_cooperation"
    MEMBERSHIP = "membership"
    NATO_AND_THE_WEST = "nato_and_the_west"
    ORGANIZATIONAL_COHESION = "organizational_cohesion"
    PEACEKEEPING = "peacekeeping"
    SANCTIONS = "sanctions"
    TERRORISM_AND_EXTREMISM = "terrorism_and_extremism"
    TRANSNATIONAL_CRIME = "transnational_crime"
    UKRAINE = "ukraine"
    WORLD_ORDER = "world_order"


class EvidenceTier(StrEnum):
    """How close a publisher stands to the words it reports (the best first)."""

    OFFICIAL = "official"
    """The speaker's own institution, a government, the organization and its bodies."""
    AGENCY = "agency"
    """A news agency of record (TASS, RIA Novosti, Interfax, BelTA, Kazinform, Armenpress ...)."""
    PRESS = "press"
    """A newspaper, broadcaster or analysis outlet that reports itself."""
    RELAY = "relay"
    """A repost archive, syndication portal, digest or aggregator of other outlets' copy."""
    MIRROR = "mirror"
    """A machine-translated content farm, an encyclopedia or legal-database mirror."""


class Translator(StrEnum):
    """Who translated the words a source gives in another language than they were spoken."""

    SPEAKER = "speaker"
    """The speaker's own office (the Kremlin's English transcript of the President)."""
    AGENCY = "agency"
    """The news agency that publishes the source."""
    OUTLET = "outlet"
    """The outlet that publishes the source (an institution other than the speaker's included)."""
    MACHINE = "machine"
    """A machine translation, where the page says or shows it."""
    UNKNOWN = "unknown"
    """Not known: a relay or mirror whose translation may be another outlet's."""


class EventKind(StrEnum):
    """What sort of event a record is."""

    TREATY_SIGNING = "treaty_signing"
    ENTRY_INTO_FORCE = "entry_into_force"
    FOUNDING = "founding"
    COUNCIL_SESSION = "council_session"
    REQUEST_FOR_ASSISTANCE = "request_for_assistance"
    DEPLOYMENT = "deployment"
    CONFLICT = "conflict"
    CRISIS = "crisis"
    CHAIRMANSHIP = "chairmanship"
    CONSULTATION = "consultation"
    MISSION = "mission"


class SessionFormat(StrEnum):
    """The format of a Collective Security Council session, as its sources call it."""

    REGULAR = "regular"
    EXTRAORDINARY = "extraordinary"
    INFORMAL = "informal"


class AttendanceMode(StrEnum):
    """How a meeting was held."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    HYBRID = "hybrid"


class AttendanceStatus(StrEnum):
    """How a member state took part in a session."""

    ATTENDED = "attended"
    ATTENDED_BY_VIDEO = "attended_by_video"
    ABSENT = "absent"


class DocumentKind(StrEnum):
    """What sort of document a session adopted or a record names."""

    TREATY = "treaty"
    CHARTER = "charter"
    PROTOCOL = "protocol"
    AGREEMENT = "agreement"
    DECLARATION = "declaration"
    STATEMENT = "statement"
    DECISION = "decision"
    OTHER = "other"


class Office(StrEnum):
    """An office of the organization held by a person over a term."""

    SECRETARY_GENERAL = "secretary_general"
    ACTING_SECRETARY_GENERAL = "acting_secretary_general"


class ExerciseKind(StrEnum):
    """Whether a record is a military exercise or a recurring law-enforcement operation."""

    EXERCISE = "exercise"
    OPERATION = "operation"


class ExerciseStatus(StrEnum):
    """Whether an exercise took place, as far as its sources say."""

    HELD = "held"
    """A source reports it as taking place or having taken place."""
    ANNOUNCED = "announced"
    """Only announcements were found: that it took place is not confirmed."""
    POSTPONED = "postponed"
    """A source reports it postponed."""
    CANCELLED = "cancelled"
    """A source reports it cancelled."""


class ForceKind(StrEnum):
    """Which of the organization's forces (or which services) took part."""

    CRRF = "crrf"
    """Collective Rapid Reaction Forces (KSOR)."""
    CRDF = "crdf"
    """Collective Rapid Deployment Forces of the Central Asian region (KSBR)."""
    PEACEKEEPING = "peacekeeping"
    """The organization's peacekeeping forces."""
    COLLECTIVE_AVIATION = "collective_aviation"
    """Collective Aviation Forces."""
    REGIONAL_GROUPING = "regional_grouping"
    """A regional grouping of forces (Russian-Armenian, Russian-Belarusian)."""
    SPECIAL_UNITS = "special_units"
    """Special-purpose units of interior ministries and security services."""
    LAW_ENFORCEMENT = "law_enforcement"
    """Police, drug-control, border, migration and security services."""
    EMERGENCY_SERVICES = "emergency_services"
    """Emergency-response services."""
    OTHER = "other"
    """Forces the vocabulary does not name; see the record's note."""


class MembershipBasis(StrEnum):
    """Whether a status rests on a formal act or only on what a government declared."""

    FORMAL = "formal"
    DECLARED = "declared"


class Outcome(StrEnum):
    """What came of a request for assistance, as its source reports it."""

    GRANTED = "granted"
    REFUSED = "refused"
    UNKNOWN = "unknown"


class Quantifier(StrEnum):
    """How a source qualifies a number ("more than 2,000")."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    ABOUT = "about"
    UP_TO = "up_to"


class InitiativeStatus(StrEnum):
    """Where an initiative stands, as of `status_date` and according to its status source."""

    PROPOSED = "proposed"
    """Put forward; nothing more is reported yet."""
    PLANNED = "planned"
    """Announced as a plan of the proposer (a chairmanship's priority)."""
    ADOPTED = "adopted"
    """Enacted by a decision or document of the organization (see `document_id`)."""
    HELD = "held"
    """An event it proposed took place."""
    NOT_SIGNED = "not_signed"
    """A document it proposed was presented but not signed."""
    NOT_PURSUED = "not_pursued"
    """Reported as dropped without a decision against it."""
    IN_PROGRESS = "in_progress"
    """Reported as being worked on or carried out."""
    IMPLEMENTED = "implemented"
    """Reported as carried out."""
    STALLED = "stalled"
    """Reported as stuck: no progress although pursued."""
    REJECTED = "rejected"
    """Refused by the organization or by members whose consent it needed."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by its proposer."""
    SUPERSEDED = "superseded"
    """Replaced by another initiative (see `superseded_by_id`)."""
    UNKNOWN = "unknown"
    """No report after the proposal: `status_date` is the last day it was heard of."""


class SignatureStatus(StrEnum):
    """How a member state stood towards a document adopted at a session."""

    SIGNED = "signed"
    SIGNED_WITH_RESERVATION = "signed_with_reservation"
    DECLINED = "declined"
    ABSENT = "absent"
    NOT_REPORTED = "not_reported"


class MembershipStatus(StrEnum):
    """A state's standing towards the Collective Security Treaty / CSTO over an interval."""

    SIGNATORY = "signatory"
    MEMBER = "member"
    SUSPENDED = "suspended"
    PARTICIPATION_FROZEN = "participation_frozen"
    OBSERVER = "observer"


class OrganizationKind(StrEnum):
    """What sort of organization a record is."""

    CSTO_BODY = "csto_body"
    INTERNATIONAL_ORGANIZATION = "international_organization"
    MILITARY_ALLIANCE = "military_alliance"


class SourceKind(StrEnum):
    """What sort of document a source is."""

    NEWS_ANALYSIS = "news_analysis"
    NEWS_REPORT = "news_report"
    OFFICIAL_WEBSITE = "official_website"
    EXPERT_ANALYSIS = "expert_analysis"
    ENCYCLOPEDIA = "encyclopedia"
    DATASET = "dataset"
    STANDARD = "standard"


# --- field types ------------------------------------------------------------------------------

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
PartialDate = Annotated[
    str,
    Field(pattern=PARTIAL_DATE_PATTERN),
    AfterValidator(_check_partial_date),
    PartialDateField(),
]
IsoDate = Annotated[
    str,
    Field(pattern=r"^\d{4}-\d{2}-\d{2}$"),
    AfterValidator(_check_partial_date),
    IsoDateField(),
]
Qid = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]
Url = Annotated[str, Field(pattern=r"^https?://[^\s]+$")]
Text = Annotated[str, Field(min_length=1)]
Locator = Annotated[str, Field(pattern=LOCATOR_PATTERN)]


def _check_collapsed(value: str) -> str:
    if value != " ".join(value.split()):
        raise ValueError(
            "write the text on one line: every run of whitespace (line breaks included) is one "
            "space, with none at either end"
        )
    return value


SourceText = Annotated[str, Field(min_length=1), AfterValidator(_check_collapsed)]
"""Words copied from a source: every run of whitespace (line breaks included) collapsed to one
space and words split by a scan's end-of-line hyphen joined; nothing else differs."""
Excerpt = Annotated[SourceText, Field(max_length=2000)]
SupportingExcerpt = Annotated[
    Excerpt | None,
    Field(description="The words of the source that support the record, copied verbatim."),
]


Attribution = Annotated[
    Annotated[SourceText, Field(max_length=500)] | None,
    Field(
        description=(
            "The source's own words that name the speaker where `context` does not: a heading, "
            "a transcript's speaker label, or a nearby sentence, copied verbatim."
        ),
    ),
    Verbatim("source"),
]
_TRANSLATOR_DESCRIPTION = (
    "Who translated, for a translated text: speaker (the speaker's own office), agency, outlet, "
    "machine (where the page says or shows it) or unknown; empty for words as spoken."
)


# YAML gives enum values as strings, and strict mode would demand enum instances: enums are lax.
SourceKindValue = Annotated[SourceKind, Strict(False)]
OrganizationKindValue = Annotated[OrganizationKind, Strict(False)]
EventKindValue = Annotated[EventKind, Strict(False)]
OutcomeValue = Annotated[Outcome, Strict(False)]
QuantifierValue = Annotated[Quantifier, Strict(False)]
MembershipStatusValue = Annotated[MembershipStatus, Strict(False)]
StatementKindValue = Annotated[StatementKind, Strict(False)]
TopicValue = Annotated[Topic, Strict(False)]
InitiativeStatusValue = Annotated[InitiativeStatus, Strict(False)]
SessionFormatValue = Annotated[SessionFormat, Strict(False)]
AttendanceModeValue = Annotated[AttendanceMode, Strict(False)]
AttendanceStatusValue = Annotated[AttendanceStatus, Strict(False)]
DocumentKindValue = Annotated[DocumentKind, Strict(False)]
OfficeValue = Annotated[Office, Strict(False)]
MembershipBasisValue = Annotated[MembershipBasis, Strict(False)]
ExerciseKindValue = Annotated[ExerciseKind, Strict(False)]
ExerciseStatusValue = Annotated[ExerciseStatus, Strict(False)]
ForceKindValue = Annotated[ForceKind, Strict(False)]
SignatureStatusValue = Annotated[SignatureStatus, Strict(False)]
EvidenceTierValue = Annotated[EvidenceTier, Strict(False)]
TranslatorValue = Annotated[Translator, Strict(False)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2}$")]


class Record(BaseModel):
    """Base of every curated record: strict types, no unknown fields, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    table: ClassVar[str]
    table_title: ClassVar[str]
    id_rule: ClassVar[str]
    interval: ClassVar[tuple[str, str] | None] = None
    """The fields of the first and last day, for a record that spans an interval."""
    dated_by: ClassVar[str | None] = None
    """The partial-date field that places a record in time (`show --from/--to` reads it);
    None for a table whose records are dated by another (an attendance by its session)."""
    dated_via: ClassVar[str | None] = None
    """For a table without a date of its own: the reference to the record whose date is its
    date for the source-date and cut-off rules (an attendance's session)."""
    reported_as_of: ClassVar[str | None] = None
    """Where a record's source speaks of a later day than `dated_by`: the field of that day,
    which the source-date and cut-off rules compare instead."""
    derived: ClassVar[tuple[Derived, ...]] = ()
    """Release columns the build computes from other records, after the model's own."""

    id: str
    """Every record has a stable id; each table narrows its form and describes it."""

    @classmethod
    def not_held(cls) -> dict[str, dict[object, Standing]]:
        """The fields marked `NotHeld`, each with the values that say the record was not."""
        return _not_held(cls)

    @classmethod
    def standing_of(cls, row: Mapping[str, object]) -> Standing:
        """Held, or only announced, or cancelled: what the fields marked `NotHeld` say of a
        record's values, or of a release row of the table."""
        return standing(row, cls.not_held())

    @property
    def standing(self) -> Standing:
        """Held, or only announced, or cancelled (`standing_of` this record)."""
        return self.standing_of(self.__dict__)  # the field values, without a copy


@functools.cache
def _not_held(model: type[Record]) -> dict[str, dict[object, Standing]]:
    return {name: marker.standings() for name, marker in marked(model, NotHeld).items()}


class Publisher(Record):
    """An outlet or institution that publishes sources; one record, one spelling per outlet."""

    table: ClassVar[str] = "publishers"
    table_title: ClassVar[str] = "Publishers"
    id_rule: ClassVar[str] = (
        "lower-case ASCII slug of the outlet's usual name, or of its web domain: `tass`, "
        "`kremlin`, `24-kg`"
    )

    id: Slug = Field(description="Stable identifier of the publisher.")
    name: Text = Field(description="The outlet's usual name, one spelling.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names and spellings of the same outlet (one record per outlet).",
    )
    tier: EvidenceTierValue = Field(
        description=(
            "How close the outlet stands to the words it reports: official, agency, press, "
            "relay or mirror. A relay's or mirror's sources are secondary."
        )
    )
    note: Text | None = Field(default=None, description="Caveats.")


class Source(Record):
    """A document that records rest on."""

    table: ClassVar[str] = "sources"
    dated_by: ClassVar[str | None] = "published"
    table_title: ClassVar[str] = "Sources"
    id_rule: ClassVar[str] = (
        "publisher slug, then the publisher's own article number or the publication date and "
        "a short slug: `bbabo-4308632`, `tass-1557647`"
    )

    id: Slug = Field(description="Stable identifier of the source.")
    title: Annotated[str, Field(pattern=r"^[^\[\s][\s\S]*$")] | None = Field(
        description=(
            "Title of the document as published; empty where the copy read did not show it "
            "(`description` then identifies the document)."
        )
    )
    description: Text | None = Field(
        default=None,
        description=(
            "Where `title` is empty: what identifies the document, in the curators' words, the "
            "words of its lead, or a headline seen elsewhere than in the copy read; never given "
            "as its title. Notes written before data release 0.6.1 call it the title."
        ),
    )
    publisher_id: Annotated[Slug, Ref("publishers")] = Field(
        description="Who published the document at `url`."
    )
    url: Url = Field(description="Address of the original publication (or of the copy cited).")
    published: PartialDate | None = Field(
        description="Publication date, at the precision the document gives it."
    )
    published_inferred: bool = Field(
        description="True when the publication date is inferred, not printed on the document."
    )
    accessed: IsoDate = Field(description="Date the document was read for this dataset.")
    kind: SourceKindValue = Field(description="What sort of document this is.")
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] = Field(
        description="ISO 639-1 code of the language of the cited text."
    )
    secondary: bool = Field(
        description=(
            "True when the document at `url` relays or copies another publication (a repost, "
            "an aggregator, a syndication, an encyclopedia mirror): the original, named in "
            "`original_publisher_id`, is to be preferred once in reach."
        )
    )
    original_publisher_id: Annotated[Slug, Ref("publishers")] | None = Field(
        default=None,
        description="For a secondary source: the outlet whose report or text it relays.",
    )
    original_url: Url | None = Field(
        default=None, description="For a secondary source: the original's address, where known."
    )
    archive_file: Annotated[str, Field(pattern=r"^[A-Za-z0-9._-]+\.txt$")] | None = Field(
        description=(
            "File name of the archived text in the source archive, against which every quote "
            "is checked; empty when no archived text is kept."
        )
    )
    note: Text | None = Field(default=None, description="Caveats about the source.")

    @model_validator(mode="after")
    def _described_only_without_title(self) -> Source:
        if self.title is not None and self.description is not None:
            raise ValueError("a source with a title needs no description: give one or the other")
        return self

    @model_validator(mode="after")
    def _relays_are_secondary(self) -> Source:
        if not self.secondary and (self.original_publisher_id or self.original_url):
            raise ValueError("a source that names an original relays it: set secondary: true")
        if self.secondary and self.original_publisher_id is None and self.note is None:
            raise ValueError(
                "a secondary source names the outlet it relays (original_publisher_id), or "
                "says in `note` why the original is unknown"
            )
        return self


class State(Record):
    """A state that is or was party to the treaty, an observer, or that a record refers to."""

    table: ClassVar[str] = "states"
    table_title: ClassVar[str] = "States"
    id_rule: ClassVar[str] = (
        "ISO 3166-1 alpha-3 code; a dissolved state keeps its reserved code (USSR: `SUN`)"
    )

    id: StateCode = Field(
        description="ISO 3166-1 alpha-3 code (reserved code for a dissolved state)."
    )
    name: Text = Field(description="Short English name.")
    aliases: list[Text] = Field(
        default_factory=list,
        description=(
            "Other names under which sources name the state or its government: long and "
            "Russian forms, and the capital where a source speaks of it as the government "
            '("Minsk plans").'
        ),
    )
    iso_alpha2: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        description="ISO 3166-1 alpha-2 code (reserved code for a dissolved state)."
    )
    iso_numeric: Annotated[str, Field(pattern=r"^[0-9]{3}$")] = Field(
        description="ISO 3166-1 numeric code as a zero-padded string (Armenia is 051)."
    )
    cow_code: Annotated[int, Field(ge=1, le=999)] | None = Field(
        description="Correlates of War state number; empty where not sourced."
    )
    cow_letter: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None = Field(
        description="Correlates of War state abbreviation; not an ISO code (Kazakhstan is KZK)."
    )
    wikidata: Qid = Field(description="Wikidata item id, bare (Q399), not a URL.")
    dissolved: PartialDate | None = Field(
        default=None, description="When the state ceased to exist; empty for existing states."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(
        description="Source of the name and ISO 3166-1 codes."
    )
    cow_source_id: Annotated[Slug, Ref("sources")] | None = Field(
        description="Source of the Correlates of War codes."
    )
    gw_code: Annotated[int, Field(ge=1, le=999)] | None = Field(
        default=None,
        description=(
            "Gleditsch and Ward state number; of the states here it differs from `cow_code` "
            "for Germany only (260, against 255), and Serbia (340) has it without a `cow_code`. "
            "Empty where not sourced."
        ),
    )
    gw_source_id: Annotated[Slug, Ref("sources")] | None = Field(
        default=None, description="Source of the Gleditsch and Ward code."
    )

    @model_validator(mode="after")
    def _codes_go_with_their_source(self) -> State:
        given = [v is not None for v in (self.cow_code, self.cow_letter, self.cow_source_id)]
        if any(given) and not all(given):
            raise ValueError("cow_code, cow_letter and cow_source_id must be given together")
        if (self.gw_code is None) != (self.gw_source_id is None):
            raise ValueError("gw_code and gw_source_id must be given together")
        return self


class Organization(Record):
    """The CSTO and its bodies, and other organizations that records refer to."""

    table: ClassVar[str] = "organizations"
    table_title: ClassVar[str] = "Organizations"
    id_rule: ClassVar[str] = (
        "lower-case English acronym; a body of an organization is prefixed by its parent's id: "
        "`csto`, `csto-csc`"
    )

    id: Slug = Field(description="Stable identifier of the organization.")
    name: Text = Field(description="English name.")
    acronym: Text | None = Field(default=None, description="Usual English acronym.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other names under which sources name it (Russian names and acronyms).",
    )
    kind: OrganizationKindValue = Field(description="What sort of organization this is.")
    parent_id: Annotated[Slug, Ref("organizations")] | None = Field(
        default=None, description="The organization this body belongs to."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(
        description="A source that names the organization."
    )


class Person(Record):
    """One person, whatever the spelling of the name (Lukashenko / Lukashenka)."""

    table: ClassVar[str] = "people"
    table_title: ClassVar[str] = "People"
    id_rule: ClassVar[str] = (
        "family name then given name, lower-case ASCII, in the most common English "
        "transliteration: `lukashenko-alexander`"
    )

    id: Slug = Field(description="Stable identifier of the person.")
    name: Text = Field(description="Name in its most common English spelling.")
    aliases: list[Text] = Field(
        default_factory=list,
        description="Other spellings of the name found in the sources.",
    )
    state_id: Annotated[StateCode, Ref("states")] | None = Field(
        description="The state the person serves or served in the records of this dataset."
    )
    office: Text | None = Field(
        description="Office held at the time of the person's statements in this dataset."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the name and office.")
    wikidata: Qid | None = Field(default=None, description="Wikidata item id, bare, not a URL.")
    note: Text | None = Field(default=None, description="Caveats about the person's record.")


class Event(Record):
    """A dated (or undated) occurrence: a session, a treaty, a request, a deployment, a conflict."""

    table: ClassVar[str] = "events"
    dated_by: ClassVar[str | None] = "date"
    table_title: ClassVar[str] = "Events"
    interval: ClassVar[tuple[str, str] | None] = ("date", "end")
    id_rule: ClassVar[str] = (
        "the date at the precision known when the record was made, then a short slug: "
        "`2022-11-23-csc-yerevan`, `1999-kgz-request-for-assistance`; an undated event has "
        "the slug alone"
    )

    id: Slug = Field(description="Stable identifier of the event.")
    kind: EventKindValue = Field(description="What sort of event this is.")
    name: Text = Field(description="Short English name of the event.")
    date: PartialDate | None = Field(
        description="When it happened or began, at the precision its source gives."
    )
    date_inferred: bool = Field(
        description="True when the date (or part of it) is inferred rather than stated."
    )
    date_source_id: Annotated[Annotated[Slug, Ref("sources")] | None, SourceOf("date")] = Field(
        default=None,
        description="Source of the date where it is not the event's main source.",
    )
    end: PartialDate | None = Field(
        default=None,
        description="When it ended (a deployment's withdrawal, a chairmanship's last day).",
    )
    end_inferred: bool = Field(
        default=False, description="True when the end date is inferred rather than stated."
    )
    announced_only: Annotated[bool, NotHeld()] = Field(
        default=False,
        description=(
            "True when the sources found only announce the event beforehand: that it took "
            "place as announced is not confirmed."
        ),
    )
    cancelled: Annotated[bool, NotHeld(announced=(), cancelled=(True,))] = Field(
        default=False,
        description=(
            "True when a source reports that the announced event did not take place; it is not "
            "counted among the events held."
        ),
    )
    place: Text | None = Field(default=None, description="City where it took place.")
    host_state_id: Annotated[StateCode, Ref("states")] | None = Field(
        default=None, description="State where it took place."
    )
    states: list[Annotated[StateCode, Ref("states")]] = Field(
        default_factory=list,
        description=(
            "States the event concerns: the requesting state of a request, the parties to a "
            "conflict, the chairing state of a chairmanship."
        ),
    )
    organization_id: Annotated[Slug, Ref("organizations")] | None = Field(
        default=None, description="Organization or body that held or received it."
    )
    session_format: SessionFormatValue | None = Field(
        default=None,
        description=(
            "For a session of a council (the Collective Security Council, the councils of "
            "foreign and defence ministers, the committee of security council secretaries: "
            "see `organization_id`): regular, extraordinary or informal."
        ),
    )
    attendance_mode: AttendanceModeValue | None = Field(
        default=None, description="In person, by video, or both."
    )
    chair_state_id: Annotated[StateCode, Ref("states")] | None = Field(
        default=None, description="For a session: the state chairing it, where sourced."
    )
    parent_id: Annotated[Slug, Ref("events")] | None = Field(
        default=None,
        description="The event this one belongs to (a deployment to its request).",
    )
    documents_signed: Annotated[int, Field(ge=0)] | None = Field(
        default=None,
        description=(
            "For a session: how many documents it signed or adopted, where a source counts "
            "them (where sources count differently, see source_claims)."
        ),
    )
    outcome: OutcomeValue | None = Field(
        default=None, description="For a request for assistance: what came of it."
    )
    personnel: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="For a deployment: number of military personnel."
    )
    personnel_quantifier: QuantifierValue | None = Field(
        default=None, description="How the source qualifies `personnel`."
    )
    equipment_units: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="For a deployment: pieces of equipment."
    )
    equipment_quantifier: QuantifierValue | None = Field(
        default=None, description="How the source qualifies `equipment_units`."
    )
    commander_person_id: Annotated[Slug, Ref("people")] | None = Field(
        default=None, description="For a deployment: its commander."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Main source of the event.")
    locator: Locator | None = Field(
        default=None,
        description="Paragraph of an archived source where the event is described.",
    )
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats, and what the source leaves out.")

    @model_validator(mode="after")
    def _quantifiers_go_with_numbers(self) -> Event:
        _require_quantifiers(self)
        if self.cancelled and not self.announced_only:
            raise ValueError("a cancelled event was only announced: set announced_only too")
        if self.kind is EventKind.COUNCIL_SESSION and self.organization_id is None:
            raise ValueError(
                "a council session names its body in organization_id (csto-csc, csto-cfm, "
                "csto-cmd, csto-cssc)"
            )
        return self


class Membership(Record):
    """One interval of one state's status towards the treaty / CSTO."""

    table: ClassVar[str] = "memberships"
    dated_by: ClassVar[str | None] = "start"
    table_title: ClassVar[str] = "Memberships"
    interval: ClassVar[tuple[str, str] | None] = ("start", "end")
    id_rule: ClassVar[str] = (
        "state code in lower case, status, and the start date (or, when the start is not "
        "sourced, the date the source attests the status): `arm-member-2022-11`"
    )

    id: Slug = Field(description="Stable identifier of the interval.")
    state_id: Annotated[StateCode, Ref("states")] = Field(description="The state.")
    status: MembershipStatusValue = Field(description="The state's status over the interval.")
    basis: MembershipBasisValue = Field(
        description=(
            "formal: rests on a treaty, ratification or decision of the organization; "
            "declared: only on what a government said."
        )
    )
    organization_id: Annotated[Slug, Ref("organizations")] | None = Field(
        default=None,
        description="The body the status is held in, where not the treaty itself (observers).",
    )
    start: PartialDate | None = Field(
        description="First day of the interval; empty when the source does not give it."
    )
    end: PartialDate | None = Field(
        description="Last day of the interval; empty while it lasts or when not given."
    )
    ongoing: bool = Field(
        description=(
            "True when the sources present an interval without `end` as lasting at the data's "
            "cut-off; false when its end is only unknown (the status is then certain only up to "
            "the last day a source attests it)."
        )
    )
    attested: PartialDate | None = Field(
        default=None,
        description=(
            "The latest date at which a source attests the status: the interval surely covers "
            "the days up to it (see `attested_source_id`)."
        ),
    )
    attested_source_id: Annotated[Slug, Ref("sources")] | None = Field(
        default=None,
        description="Source of `attested` where it is not the interval's own source.",
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the interval.")
    locator: Locator | None = Field(
        default=None, description="Paragraph of an archived source where the status is stated."
    )
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats.")

    @model_validator(mode="after")
    def _has_a_date(self) -> Membership:
        if self.start is None and self.attested is None:
            raise ValueError("a membership needs a start or an attested date")
        if self.ongoing and self.end is not None:
            raise ValueError("an interval with an end is not ongoing")
        return self


class Statement(Record):
    """One attributed statement: a verbatim quote, a paraphrase or a document excerpt."""

    table: ClassVar[str] = "statements"
    dated_by: ClassVar[str | None] = "date"
    table_title: ClassVar[str] = "Statements"
    id_rule: ClassVar[str] = (
        "the date at the precision known (or `undated`), the speaker's short slug, then a few "
        "words of the text: `2022-11-23-lukashenko-what-are-we-capable-of`"
    )

    derived: ClassVar[tuple[Derived, ...]] = (
        Derived(
            "evidence_tier",
            "string",
            "The tier of the publisher of `source_id` (the best witness): official, agency, "
            "press, relay or mirror.",
            EvidenceTier,
        ),
        Derived("witness_count", "integer", "How many sources witness the statement's words."),
    )

    id: Slug = Field(description="Stable identifier of the statement.")
    kind: StatementKindValue = Field(description="How the text relates to its source.")
    text: Annotated[SourceText, Verbatim()] = Field(
        description=(
            "The text exactly as the source has it, character for character; a paraphrase "
            "is the source's own reported speech, not a rewording of ours."
        )
    )
    context: Annotated[SourceText, Field(max_length=2000), Verbatim()] = Field(
        description=(
            "The source's own words around `text` that attribute it: the sentence or two that "
            "contain the text and name the speaker, copied verbatim. The build proves that "
            "`text` occurs in it and that a name of the speaker does (here or in "
            "`attribution`), unless `speaker_inferred`."
        )
    )
    attribution: Attribution = None
    speaker_person_id: Annotated[Slug, Ref("people")] | None = Field(
        default=None, description="The person the source attributes the statement to."
    )
    speaker_state_id: Annotated[StateCode, Ref("states")] | None = Field(
        default=None,
        description='The state that speaks ("Minsk plans") or that the speaking person represents.',
    )
    speaker_organization_id: Annotated[Slug, Ref("organizations")] | None = Field(
        default=None, description="The organization the source attributes the statement to."
    )
    speaker_inferred: bool = Field(
        default=False,
        description=(
            'True when neither `context` nor `attribution` names the speaker ("he said"); '
            "`note` then says from what the speaker is inferred."
        ),
    )
    date: PartialDate | None = Field(
        description="When it was said or written, at the precision known; empty when unknown."
    )
    date_inferred: bool = Field(
        description="True when the date is inferred (from the occasion or the publication)."
    )
    event_id: Annotated[Slug, Ref("events")] | None = Field(
        default=None, description="The occasion: the session or document it belongs to."
    )
    topics: list[TopicValue] = Field(min_length=1, description="What the statement is about.")
    language: LanguageCode = Field(description="ISO 639-1 code of the language of `text`.")
    spoken_language: LanguageCode | None = Field(
        default=None,
        description=(
            "ISO 639-1 code of the language the words were spoken or written in (`language` "
            "when the text is not a translation); empty where no source says."
        ),
    )
    spoken_language_inferred: bool = Field(
        default=False,
        description=(
            "True when `spoken_language` is inferred (from the speaker and the occasion), not "
            "shown by a source's original-language text."
        ),
    )
    translated: bool = Field(
        description="True when the source gives the words in another language than spoken."
    )
    translator: TranslatorValue | None = Field(default=None, description=_TRANSLATOR_DESCRIPTION)
    source_id: Annotated[Slug, Ref("sources")] = Field(
        description="The source quoted: the statement's best witness (see `witnesses`)."
    )
    locator: Locator | None = Field(
        default=None,
        description="Paragraph of the source where the text stands; required when the source "
        "is archived (the quote check reads it).",
    )
    note: Text | None = Field(
        default=None,
        description="Caveats: a garbled translation, a missing quotation mark, an inference.",
    )

    @model_validator(mode="before")
    @classmethod
    def _words_as_spoken_are_in_their_language(cls, data: object) -> object:
        """An untranslated text is in its spoken language: the curator need not repeat it."""
        untranslated = isinstance(data, dict) and data.get("translated") is False
        if untranslated and isinstance(data, dict) and data.get("spoken_language") is None:
            return {**data, "spoken_language": data.get("language")}
        return data

    @model_validator(mode="after")
    def _has_an_author(self) -> Statement:
        _require_translator(self)
        if (
            self.spoken_language is not None
            and not self.translated
            and self.spoken_language != self.language
        ):
            raise ValueError(
                "an untranslated text is in its spoken language: spoken_language must "
                "equal language"
            )
        speakers = (self.speaker_person_id, self.speaker_state_id, self.speaker_organization_id)
        if all(s is None for s in speakers) and not (
            self.kind is StatementKind.DOCUMENT_EXCERPT and self.event_id is not None
        ):
            raise ValueError(
                "a statement needs a speaker (person, state or organization); only a document "
                "excerpt may instead name the event of its document"
            )
        if self.speaker_inferred and self.note is None:
            raise ValueError("speaker_inferred needs a note saying from what it is inferred")
        return self


_TRANSLATOR_NOTE = "required when `translated`, empty otherwise"


def _require_translator(rendering: Statement | Witness) -> None:
    if rendering.translated != (rendering.translator is not None):
        raise ValueError(f"translator is {_TRANSLATOR_NOTE}")


class Witness(Record):
    """One more source's rendering of a statement: its words, context and who translated them.

    The statement's own fields are its best witness (see `Statement`); the release's
    `witnesses` table holds that rendering too, with `best` true, and every other one.
    """

    table: ClassVar[str] = "witnesses"
    table_title: ClassVar[str] = "Witnesses"
    best_order: ClassVar[str] = (
        "among the complete renderings of the statement's own kind (a quote's best witness is "
        "a quote; a paraphrase gives way to a quote of the same words): sources that report "
        "themselves (official, agency, press) before relays and mirrors; then words as spoken "
        "before translations; then the publisher's tier (official, agency, press, relay, "
        "mirror); then, among translations, the translator (the speaker's own office, an "
        "agency, an outlet, unknown, a machine)"
    )
    """The declared order that picks a statement's best witness."""
    id_rule: ClassVar[str] = "the statement's id, two hyphens, and the witness's source id"
    derived: ClassVar[tuple[Derived, ...]] = (
        Derived("tier", "string", "The tier of the source's publisher.", EvidenceTier),
        Derived(
            "best",
            "boolean",
            "True for the statement's best witness, whose words the `statements` row carries.",
        ),
    )

    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*--[a-z0-9]+(?:-[a-z0-9]+)*$")] = (
        Field(description="Stable identifier: `<statement id>--<source id>`.")
    )
    statement_id: Annotated[Slug, Ref("statements")] = Field(description="The statement.")
    source_id: Annotated[Slug, Ref("sources")] = Field(description="The source witnessing it.")
    kind: StatementKindValue = Field(
        description=(
            "How this source gives the words: as a quote, or in its own reported speech (a "
            "quote's witness may be a paraphrase)."
        )
    )
    partial: bool = Field(
        default=False,
        description="True when this source (or the copy read) gives only part of the words.",
    )
    locator: Locator | None = Field(
        default=None, description="Paragraph of an archived source where the text stands."
    )
    language: LanguageCode = Field(description="ISO 639-1 code of the language of `text`.")
    text: Annotated[SourceText, Verbatim()] = Field(
        description="The statement's words as this source gives them."
    )
    context: Annotated[SourceText, Field(max_length=2000), Verbatim()] = Field(
        description="This source's words around `text`, copied verbatim (see `statements`)."
    )
    attribution: Attribution = None
    speaker_inferred: bool = Field(
        default=False,
        description="True when neither `context` nor `attribution` names the speaker.",
    )
    translated: bool = Field(
        description="True when this source gives the words in another language than spoken."
    )
    translator: TranslatorValue | None = Field(default=None, description=_TRANSLATOR_DESCRIPTION)
    note: Text | None = Field(
        default=None, description="How this rendering differs from the others; caveats."
    )

    @model_validator(mode="after")
    def _translator_with_translation(self) -> Witness:
        _require_translator(self)
        if self.speaker_inferred and self.note is None:
            raise ValueError("speaker_inferred needs a note saying from what it is inferred")
        return self


class Initiative(Record):
    """One proposal, plan or priority; a sub-item points to its parent."""

    table: ClassVar[str] = "initiatives"
    dated_by: ClassVar[str | None] = "date"
    # its source reports the status as it stood on this day, after the proposal (`date`)
    reported_as_of: ClassVar[str | None] = "status_date"
    table_title: ClassVar[str] = "Initiatives"
    id_rule: ClassVar[str] = (
        "a sub-item: the parent's id, a hyphen and a short slug; otherwise `date` at its "
        "precision, the proposer (the proposing state's code in lower case, or `csto` for the "
        "organization, its bodies and officials) and a short slug: "
        "`2022-11-23-blr-chairmanship-2023`"
    )

    derived: ClassVar[tuple[Derived, ...]] = (
        Derived(
            "latest_status",
            "string",
            "Its latest reported status: that of its newest update, or `unknown` where nothing "
            "was reported after the proposal.",
            InitiativeStatus,
        ),
        Derived(
            "latest_status_date",
            "string",
            "The date of `latest_status` at its precision (for `unknown`: the last day it was "
            "heard of).",
        ),
    )

    id: Slug = Field(description="Stable identifier of the initiative.")
    parent_id: Annotated[Slug, Ref("initiatives")] | None = Field(
        default=None, description="The initiative this one is a part of."
    )
    date: PartialDate | None = Field(
        default=None,
        description="When it was proposed, at the precision its source gives.",
    )
    date_inferred: bool = Field(
        default=False,
        description=(
            "True when `date` is inferred (from the occasion or a later report), not stated; "
            "`note` says from what."
        ),
    )
    label: Text = Field(description="Short English label, ours, for lists and charts.")
    text: Annotated[SourceText, Verbatim()] = Field(
        description="The source's words for the initiative, character for character."
    )
    text_kind: StatementKindValue = Field(
        description="Whether `text` quotes the proposer or is the source's paraphrase."
    )
    proposer_person_id: Annotated[Slug, Ref("people")] | None = Field(
        default=None, description="The person who proposed it."
    )
    proposer_state_id: Annotated[StateCode, Ref("states")] | None = Field(
        default=None, description="The state that proposed it."
    )
    event_id: Annotated[Slug, Ref("events")] | None = Field(
        default=None, description="Where it was proposed."
    )
    statement_id: Annotated[Slug, Ref("statements")] | None = Field(
        default=None, description="The statement that voices it."
    )
    target_period: PartialDate | None = Field(
        default=None, description="When it is to be carried out, as the source says."
    )
    status: InitiativeStatusValue = Field(
        description="Where it stands according to its own source (later news: `latest_status`)."
    )
    status_date: PartialDate | None = Field(
        description="Date at which the status holds; empty when the source gives none."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the initiative.")
    locator: Locator | None = Field(
        default=None, description="Paragraph of an archived source where it stands."
    )
    note: Text | None = Field(default=None, description="Caveats.")


class Attendance(Record):
    """How one member state took part in one session, where a source says."""

    table: ClassVar[str] = "attendances"
    dated_via: ClassVar[str | None] = "event_id"
    table_title: ClassVar[str] = "Attendances"
    id_rule: ClassVar[str] = "the event's id, then the state code in lower case"

    id: Slug = Field(description="Stable identifier: `<event id>-<state code>`.")
    event_id: Annotated[Slug, Ref("events")] = Field(description="The session.")
    state_id: Annotated[StateCode, Ref("states")] = Field(description="The member state.")
    status: AttendanceStatusValue = Field(description="Whether and how the state took part.")
    announced_only: Annotated[bool, NotHeld()] = Field(
        default=False,
        description=(
            "True when the sources found only announce beforehand that the state would take "
            "part as `status` says: that it did is not confirmed."
        ),
    )
    person_id: Annotated[Slug, Ref("people")] | None = Field(
        default=None, description="Who represented the state, where the source names them."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the record.")
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats.")


class Document(Record):
    """A document a session adopted or a record refers to (treaty, charter, declaration)."""

    table: ClassVar[str] = "documents"
    dated_via: ClassVar[str | None] = "event_id"
    table_title: ClassVar[str] = "Documents"
    id_rule: ClassVar[str] = "the id of the event that adopted it, then a short slug"

    id: Slug = Field(description="Stable identifier of the document.")
    event_id: Annotated[Slug, Ref("events")] | None = Field(
        description="The session or signing that adopted it."
    )
    kind: DocumentKindValue = Field(description="What sort of document it is.")
    title: Text | None = Field(
        description=(
            "Its English title as the source gives it; empty where none is sourced (`note` "
            "then says what the source calls it)."
        )
    )
    title_original: Text | None = Field(
        default=None,
        description="Its title in the language it was adopted in (Russian), where sourced.",
    )
    announced_only: Annotated[bool, NotHeld()] = Field(
        default=False,
        description=(
            "True when the sources found only announce beforehand that the session would adopt "
            "it: that it did is not confirmed."
        ),
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the record.")
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats.")

    @model_validator(mode="after")
    def _has_a_title(self) -> Document:
        if self.title is None and self.title_original is None and self.note is None:
            raise ValueError(
                "a document needs its English or its original title, or a note saying what "
                "the source calls it"
            )
        return self


class OfficeTerm(Record):
    """One person's term in an office of the organization (Secretary General, acting ones)."""

    table: ClassVar[str] = "office_terms"
    dated_by: ClassVar[str | None] = "start"
    table_title: ClassVar[str] = "Office terms"
    interval: ClassVar[tuple[str, str] | None] = ("start", "end")
    id_rule: ClassVar[str] = "the person's id, the office, and the start date"

    id: Slug = Field(description="Stable identifier of the term.")
    person_id: Annotated[Slug, Ref("people")] = Field(description="Who held the office.")
    office: OfficeValue = Field(description="The office.")
    organization_id: Annotated[Slug, Ref("organizations")] = Field(
        description="The organization whose office it is."
    )
    start: PartialDate | None = Field(description="First day of the term, as sourced.")
    end: PartialDate | None = Field(description="Last day of the term; empty while it lasts.")
    announced_only: Annotated[bool, NotHeld()] = Field(
        default=False,
        description=(
            "True when the sources found only announce the term beforehand: that it began as "
            "announced is not confirmed."
        ),
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the term.")
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats, and disagreements on dates.")


class InitiativeUpdate(Record):
    """What became of an initiative, at a date, according to a source."""

    table: ClassVar[str] = "initiative_updates"
    dated_by: ClassVar[str | None] = "date"
    table_title: ClassVar[str] = "Initiative updates"
    id_rule: ClassVar[str] = "the initiative's id, then the status and its date"

    id: Slug = Field(description="Stable identifier of the update.")
    initiative_id: Annotated[Slug, Ref("initiatives")] = Field(description="The initiative.")
    status: InitiativeStatusValue = Field(description="Its status at `date`.")
    date: PartialDate | None = Field(description="When the status holds, as sourced.")
    event_id: Annotated[Slug, Ref("events")] | None = Field(
        default=None, description="The event that carried it out (a conference held)."
    )
    document_id: Annotated[Slug, Ref("documents")] | None = Field(
        default=None, description="For `adopted`: the document that enacts it."
    )
    superseded_by_id: Annotated[Slug, Ref("initiatives")] | None = Field(
        default=None, description="For `superseded`: the initiative that replaced it."
    )
    blanket: bool = Field(
        default=False,
        description=(
            "True when the source reports on a whole programme (\u201call priorities "
            "fulfilled\u201d), not on this initiative itself: weaker evidence."
        ),
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the update.")
    excerpt: Excerpt = Field(description="The words of the source, copied verbatim.")
    note: Text | None = Field(default=None, description="Caveats.")


class DocumentSignature(Record):
    """How one member state stood towards one document of a session: signed, declined ..."""

    table: ClassVar[str] = "document_signatures"
    table_title: ClassVar[str] = "Document signatures"
    id_rule: ClassVar[str] = "the document's id, then the state code in lower case"

    id: Slug = Field(description="Stable identifier: `<document id>-<state code>`.")
    document_id: Annotated[Slug, Ref("documents")] = Field(description="The document.")
    state_id: Annotated[StateCode, Ref("states")] = Field(description="The member state.")
    status: SignatureStatusValue = Field(description="Whether the state signed it.")
    inferred: bool = Field(
        default=False,
        description=(
            "True when no source reports the state's signature: it attended the session and "
            "no refusal is reported (`note` says so). Never true for a refusal."
        ),
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the record.")
    excerpt: SupportingExcerpt = None
    note: Text | None = Field(default=None, description="Caveats.")

    @model_validator(mode="after")
    def _inferences_are_signatures(self) -> DocumentSignature:
        if self.inferred and self.status is not SignatureStatus.SIGNED:
            raise ValueError("only a signature may be inferred; a refusal must be reported")
        if self.inferred and self.note is None:
            raise ValueError("an inferred signature says in `note` what it is inferred from")
        return self


class SourceClaim(Record):
    """One source's value for a field where sources disagree; every side gets a row."""

    table: ClassVar[str] = "source_claims"
    table_title: ClassVar[str] = "Source claims"
    id_rule: ClassVar[str] = "the record's id, the field, and the claiming source's id"

    id: Slug = Field(description="Stable identifier of the claim.")
    record_table: Annotated[str, Field(pattern=r"^[a-z_]+$")] = Field(
        description="The table of the record the claim is about."
    )
    record_id: Text = Field(description="The id of the record in `record_table`.")
    field: Annotated[str, Field(pattern=r"^[a-z_]+$")] = Field(
        description="The field the sources disagree on."
    )
    value: Text = Field(description="The value this source gives, as text.")
    source_id: Annotated[Slug, Ref("sources")] = Field(description="The source claiming it.")
    excerpt: Excerpt | None = Field(
        default=None, description="The words of the source, copied verbatim."
    )
    note: Text | None = Field(default=None, description="Caveats.")


class Exercise(Record):
    """One edition of a joint exercise or recurring operation of the organization's forces."""

    table: ClassVar[str] = "exercises"
    dated_by: ClassVar[str | None] = "start"
    table_title: ClassVar[str] = "Exercises"
    interval: ClassVar[tuple[str, str] | None] = ("start", "end")
    id_rule: ClassVar[str] = (
        "the series slug and the year, plus a place slug where a series held two editions in a "
        "year: `rubezh-2008`, `kanal-2019-tajikistan`"
    )

    id: Slug = Field(description="Stable identifier of the edition.")
    kind: ExerciseKindValue = Field(description="A military exercise or a recurring operation.")
    status: Annotated[
        ExerciseStatusValue,
        NotHeld(
            announced=(ExerciseStatus.ANNOUNCED, ExerciseStatus.POSTPONED),
            cancelled=(ExerciseStatus.CANCELLED,),
        ),
    ] = Field(
        description="Whether it took place, as far as its sources say (planned data otherwise)."
    )
    series: Slug = Field(
        description="Slug of the recurring name (`rubezh`, `vzaimodeystvie`, `kanal`)."
    )
    name: Text = Field(description="The edition's name as its source writes it.")
    start: PartialDate | None = Field(description="First day, at the precision sourced.")
    end: PartialDate | None = Field(description="Last day, at the precision sourced.")
    dates_inferred: bool = Field(description="True when a date is inferred, not stated.")
    place: Text | None = Field(description="Training grounds or areas, as the source names them.")
    host_state_id: Annotated[StateCode, Ref("states")] | None = Field(
        description="The state where it was held (empty when held in several)."
    )
    states: list[Annotated[StateCode, Ref("states")]] = Field(
        default_factory=list, description="States whose forces or services took part."
    )
    forces: list[ForceKindValue] = Field(
        default_factory=list, description="Which forces or services took part."
    )
    personnel: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Number of personnel, as the source states it."
    )
    personnel_quantifier: QuantifierValue | None = Field(
        default=None, description="How the source qualifies `personnel`."
    )
    equipment_units: Annotated[int, Field(ge=0)] | None = Field(
        default=None, description="Pieces of equipment, as the source states it."
    )
    equipment_quantifier: QuantifierValue | None = Field(
        default=None, description="How the source qualifies `equipment_units`."
    )
    observer_states: list[Annotated[StateCode, Ref("states")]] = Field(
        default_factory=list, description="States that sent observers, where stated."
    )
    organization_id: Annotated[Slug, Ref("organizations")] = Field(
        description="The organization whose forces held it."
    )
    source_id: Annotated[Slug, Ref("sources")] = Field(description="Source of the record.")
    excerpt: Excerpt = Field(
        description=(
            "The words of the source that support the record, copied verbatim; passages that "
            "are not adjacent in the source are joined by ` [...] `."
        )
    )
    note: Text | None = Field(default=None, description="Caveats, and what the source leaves out.")

    @model_validator(mode="after")
    def _quantifiers_go_with_numbers(self) -> Exercise:
        _require_quantifiers(self)
        return self


def _require_quantifiers(record: Event | Exercise) -> None:
    for number, quantifier in (
        ("personnel", "personnel_quantifier"),
        ("equipment_units", "equipment_quantifier"),
    ):
        if (getattr(record, number) is None) != (getattr(record, quantifier) is None):
            raise ValueError(f"{number} and {quantifier} must be given together")


# --- how models become tables -----------------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """A model and the link tables its list fields become."""

    model: type[Record]
    links: tuple[tuple[str, LinkTable], ...] = ()


def _links(**fields: LinkTable) -> tuple[tuple[str, LinkTable], ...]:
    return tuple(fields.items())


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        Publisher,
        _links(aliases=LinkTable("publisher_aliases", "alias", "Another name of the outlet.")),
    ),
    TableSpec(Source),
    TableSpec(
        State,
        _links(aliases=LinkTable("state_aliases", "alias", "Another name of the state.")),
    ),
    TableSpec(
        Organization,
        _links(
            aliases=LinkTable("organization_aliases", "alias", "Another name of the organization.")
        ),
    ),
    TableSpec(
        Person,
        _links(aliases=LinkTable("person_aliases", "alias", "Another spelling of the name.")),
    ),
    TableSpec(
        Event,
        _links(
            states=LinkTable(
                "event_states", "state_id", "A state the event concerns.", selects=True
            )
        ),
    ),
    TableSpec(Membership),
    TableSpec(
        Statement,
        _links(
            topics=LinkTable("statement_topics", "topic", "A topic of the statement.", selects=True)
        ),
    ),
    TableSpec(Witness),
    TableSpec(Initiative),
    TableSpec(Attendance),
    TableSpec(Document),
    TableSpec(OfficeTerm),
    TableSpec(InitiativeUpdate),
    TableSpec(DocumentSignature),
    TableSpec(
        Exercise,
        _links(
            states=LinkTable(
                "exercise_states", "state_id", "A state that took part.", selects=True
            ),
            forces=LinkTable("exercise_forces", "force", "Forces or services that took part."),
            observer_states=LinkTable(
                "exercise_observers", "state_id", "A state that sent observers."
            ),
        ),
    ),
    TableSpec(SourceClaim),
)
"""Every curated table in dependency order; link tables follow from list fields."""
