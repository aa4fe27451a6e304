"""Rules on the evidence for the words: witnesses, who names the speaker, publishers' tiers."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from cstobuild.evidence import WEAK_TIERS, Evidence, may_be_best
from cstobuild.problems import Problem
from cstobuild.records import Curated
from cstobuild.rule_checks import checks

from csto_dataset.models import (
    EvidenceTier,
    Organization,
    Person,
    Publisher,
    Record,
    Source,
    State,
    Statement,
    Witness,
)

_PLACEHOLDER = re.compile(r"\b(unknown|unnamed|placeholder|not named|n/a)\b", re.IGNORECASE)
_TEST_HOST = re.compile(
    r"^(?:[a-z]*test|testing|stage|staging|dev|[a-z]*beta|preprod|preview|cdn[0-9]*)[.-]"
    r"|\.(?:cloudfront\.net|akamaized\.net|cdn\.ampproject\.org|googleusercontent\.com"
    r"|pangea-cms\.com)$"
)


def speaker_names(statement: Statement, by_id: dict[str, dict[str, Record]]) -> list[str]:
    """The names under which a context may name the statement's speaker."""
    if statement.speaker_person_id is not None:
        person = by_id[Person.table].get(statement.speaker_person_id)
        assert isinstance(person, Person | None)
        return [] if person is None else [person.name, person.name.split()[-1], *person.aliases]
    if statement.speaker_organization_id is not None:
        body = by_id[Organization.table].get(statement.speaker_organization_id)
        assert isinstance(body, Organization | None)
        if body is None:
            return []
        return [body.name, *([body.acronym] if body.acronym else []), *body.aliases]
    if statement.speaker_state_id is not None:
        state = by_id[State.table].get(statement.speaker_state_id)
        assert isinstance(state, State | None)
        return [] if state is None else [state.name, *state.aliases]
    return []


@checks("text-in-context")
def attributions(curated: Curated) -> list[Problem]:
    """Every rendering's text stands in its context; its context or attribution names the
    speaker, unless the speaker is marked inferred."""
    by_id = {
        table: {i.record.id: i.record for i in curated.tables[table]}
        for table in (Person.table, Organization.table, State.table, Statement.table)
    }
    problems = []
    for table in (Statement.table, Witness.table):
        for item in curated.tables[table]:
            rendering = item.record
            assert isinstance(rendering, Statement | Witness)
            statement = (
                rendering
                if isinstance(rendering, Statement)
                else by_id[Statement.table].get(rendering.statement_id)
            )
            if rendering.text not in rendering.context:
                problems.append(item.problem("text", "does not occur in `context`"))
            if not isinstance(statement, Statement):
                continue  # an unknown statement id is reported by the reference check
            names = speaker_names(statement, by_id)
            if rendering.speaker_inferred or not names:
                continue  # an unknown speaker id is reported by the reference check
            said = rendering.context + " " + (rendering.attribution or "")
            if not any(name in said for name in names):
                problems.append(
                    item.problem(
                        "context",
                        f"neither context nor attribution names any of {sorted(set(names))}: "
                        "add the spelling the source uses as an alias of the speaker, quote the "
                        "source's words that name the speaker in `attribution`, or set "
                        "speaker_inferred with a note",
                    )
                )
    return problems


@checks("best-witness")
def best_witness(curated: Curated) -> list[Problem]:
    """A witness names its statement and cites another source than the statement's own and its
    other witnesses; none ranks above the statement's own rendering."""
    evidence = Evidence.of(curated)
    statements = {i.record.id: i.record for i in curated.tables[Statement.table]}
    problems = []
    seen: set[tuple[str, str]] = set()
    for item in curated.tables[Witness.table]:
        witness = item.record
        assert isinstance(witness, Witness)
        statement = statements.get(witness.statement_id)
        if not isinstance(statement, Statement):
            continue
        key = (statement.id, witness.source_id)
        if witness.source_id == statement.source_id or key in seen:
            problems.append(
                item.problem("source_id", "the statement already has this source as a witness")
            )
        seen.add(key)
        if not may_be_best(witness, statement):
            continue
        own, other = evidence.rank_of(statement), evidence.rank_of(witness)
        if own is not None and other is not None and other < own:
            problems.append(
                item.problem(
                    "source_id",
                    f"this witness ranks above the statement's own ({statement.source_id!r}): "
                    "make it the statement's text, context and source, and the present ones a "
                    "witness",
                )
            )
    return problems


@checks("spoken-language")
def spoken_language(curated: Curated) -> list[Problem]:
    """Words given untranslated are in the statement's spoken language, which is then known."""
    statements = {i.record.id: i.record for i in curated.tables[Statement.table]}
    problems = []
    for table in (Statement.table, Witness.table):
        for item in curated.tables[table]:
            rendering = item.record
            assert isinstance(rendering, Statement | Witness)
            statement = statements.get(
                rendering.id if isinstance(rendering, Statement) else rendering.statement_id
            )
            if not isinstance(statement, Statement) or rendering.translated:
                continue
            if statement.spoken_language != rendering.language:
                problems.append(
                    item.problem(
                        "language",
                        f"given untranslated in {rendering.language!r}, but the statement's "
                        f"spoken_language is {statement.spoken_language!r}",
                    )
                )
            elif statement.spoken_language_inferred:
                problems.append(
                    item.problem(
                        "language",
                        "the words stand here untranslated: spoken_language is shown, not inferred",
                    )
                )
    return problems


@checks("relays-secondary")
def tiers_and_relays(curated: Curated) -> list[Problem]:
    """A relay's or mirror's source is secondary; an agency or official source relaying another
    outlet is too (the model requires a secondary source to name its original or say why not)."""
    tiers = {p.id: p.tier for p in curated.records(Publisher.table) if isinstance(p, Publisher)}
    problems = []
    for item in curated.tables[Source.table]:
        source = item.record
        assert isinstance(source, Source)
        tier = tiers.get(source.publisher_id)
        if tier in WEAK_TIERS and not source.secondary:
            problems.append(
                item.problem(
                    "secondary",
                    f"its publisher is a {tier} outlet: set secondary, and name the original "
                    "outlet in original_publisher_id (or say in `note` why it is unknown)",
                )
            )
        if tiers.get(source.original_publisher_id or "") is EvidenceTier.MIRROR:
            problems.append(
                item.problem(
                    "original_publisher_id",
                    "names a mirror as the original: name the outlet the mirror copies",
                )
            )
    return problems


@checks("no-test-hosts")
def hosts(curated: Curated) -> list[Problem]:
    """No source is cited at a test, staging, preview or CDN host."""
    problems = []
    for item in curated.tables[Source.table]:
        source = item.record
        assert isinstance(source, Source)
        for field in ("url", "original_url"):
            url = getattr(source, field)
            host = (urlsplit(url).hostname or "") if url else ""
            if host and _TEST_HOST.search(host):
                problems.append(
                    item.problem(
                        field,
                        f"{host!r} is a test, staging or CDN host (or serves preview copies): cite "
                        "the outlet's own address",
                    )
                )
    return problems


@checks("no-placeholder-publishers")
def placeholder_publishers(curated: Curated) -> list[Problem]:
    """A publisher names a real outlet: no "unknown" or "unnamed" stand-ins."""
    problems = []
    for item in curated.tables[Publisher.table]:
        publisher = item.record
        assert isinstance(publisher, Publisher)
        for field, value in (("id", publisher.id.replace("-", " ")), ("name", publisher.name)):
            if _PLACEHOLDER.search(value):
                problems.append(
                    item.problem(
                        field,
                        "a placeholder, not an outlet: a source whose original is not named "
                        "leaves original_publisher_id empty and says so in its note",
                    )
                )
                break
    return problems
