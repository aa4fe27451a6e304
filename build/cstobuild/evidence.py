"""How good the evidence for a statement's words is: publisher tiers and the witness order.

A statement's own fields are one witness of its words; `Witness` records are the others. The
release's `witnesses` table holds both, and the best of them (by `rank`) must be the
statement's own: the `statements` row always carries the best words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from cstobuild.records import Curated

from csto_dataset.models import (
    EvidenceTier,
    Publisher,
    Record,
    Source,
    Statement,
    StatementKind,
    Translator,
    Witness,
)

TIER_ORDER = tuple(EvidenceTier)
"""Tiers from the best: official, agency, press, relay, mirror."""
WEAK_TIERS = (EvidenceTier.RELAY, EvidenceTier.MIRROR)
"""Tiers of outlets that relay others' words rather than report them."""
TRANSLATOR_ORDER = (
    Translator.SPEAKER,
    Translator.AGENCY,
    Translator.OUTLET,
    Translator.UNKNOWN,
    Translator.MACHINE,
)
"""Translators from the best: the speaker's own office first, a machine last."""


def rank(tier: EvidenceTier, translated: bool, translator: Translator | None) -> tuple[int, ...]:
    """A witness's place in `Witness.best_order`; the lowest is the best."""
    by_translator = TRANSLATOR_ORDER.index(translator) if translator is not None else 0
    return (int(tier in WEAK_TIERS), int(translated), TIER_ORDER.index(tier), by_translator)


def may_be_best(witness: Witness, statement: Statement) -> bool:
    """Only a complete rendering of the statement's own kind (or a quote of words the statement
    paraphrases) may carry the statement's row."""
    upgrade = (statement.kind, witness.kind) == (
        StatementKind.PARAPHRASE,
        StatementKind.DIRECT_QUOTE,
    )
    return not witness.partial and (witness.kind == statement.kind or upgrade)


def witness_id(statement_id: str, source_id: str) -> str:
    """A witness's id: `<statement id>--<source id>`."""
    return f"{statement_id}--{source_id}"


def own_witness(statement: Statement) -> Witness:
    """The statement's own rendering as a witness record (already validated as a statement)."""
    return Witness.model_construct(
        id=witness_id(statement.id, statement.source_id),
        statement_id=statement.id,
        source_id=statement.source_id,
        kind=statement.kind,
        partial=False,
        locator=statement.locator,
        language=statement.language,
        text=statement.text,
        context=statement.context,
        attribution=statement.attribution,
        speaker_inferred=statement.speaker_inferred,
        translated=statement.translated,
        translator=statement.translator,
        note=None,
    )


class Evidence:
    """Tiers of every source, and the witnesses of every statement, for one set of records."""

    def __init__(self, curated: Curated) -> None:
        publishers = {p.id: p for p in curated.records(Publisher.table) if isinstance(p, Publisher)}
        self.tier_of_source: dict[str, EvidenceTier] = {}
        for source in curated.records(Source.table):
            assert isinstance(source, Source)
            publisher = publishers.get(source.publisher_id)
            if publisher is not None:
                self.tier_of_source[source.id] = EvidenceTier(publisher.tier)
        self.others: dict[str, list[Witness]] = defaultdict(list)
        for witness in curated.records(Witness.table):
            assert isinstance(witness, Witness)
            self.others[witness.statement_id].append(witness)
        self._curated = curated
        self._own_source = {
            s.id: s.source_id for s in curated.records(Statement.table) if isinstance(s, Statement)
        }

    @classmethod
    def of(cls, curated: Curated) -> Evidence:
        """The evidence of `curated`, computed once per set of records."""
        return curated.computed("evidence", cls)

    def tier(self, source_id: str) -> EvidenceTier | None:
        return self.tier_of_source.get(source_id)

    def rank_of(self, witness: Witness | Statement) -> tuple[int, ...] | None:
        tier = self.tier(witness.source_id)
        if tier is None:
            return None  # a dangling source is reported by the reference check
        translator = Translator(witness.translator) if witness.translator is not None else None
        return rank(tier, witness.translated, translator)

    def witnesses(self) -> Iterator[Witness]:
        """Every witness of every statement: its own rendering, then the others."""
        for item in self.renderings():
            yield own_witness(item) if isinstance(item, Statement) else item

    def renderings(self) -> list[Statement | Witness]:
        """What `witnesses` gives, with each statement standing for its own rendering."""
        items: list[Statement | Witness] = []
        for statement in self._curated.records(Statement.table):
            assert isinstance(statement, Statement)
            items.append(statement)
            items.extend(self.others.get(statement.id, []))
        return items

    def derived(self, record: Record) -> dict[str, Any]:
        """The values of a record's derived columns (see `Record.derived`)."""
        if isinstance(record, Statement):
            tier = self.tier(record.source_id)
            return {
                "evidence_tier": None if tier is None else tier.value,
                "witness_count": 1 + len(self.others.get(record.id, [])),
            }
        if isinstance(record, Witness):
            tier = self.tier(record.source_id)
            own = self._own_source.get(record.statement_id)
            return {
                "tier": None if tier is None else tier.value,
                "best": record.source_id == own,
            }
        return {}
