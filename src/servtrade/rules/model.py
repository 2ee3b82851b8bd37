"""The rules model: regimes, list editions, measures, cases and verdicts.

Plain frozen dataclasses (slots) so that evaluating a case stays cheap; the loader validates
the data files into these, the evaluator reads them, the explainer renders them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

# Three-valued truth: True, False, or None when the case does not state the fact needed.
Tri = bool | None
FactValue = bool | int | str


class Outcome(StrEnum):
    allowed = "allowed"
    conditional = "conditional"
    prohibited = "prohibited"
    out_of_scope = "out_of_scope"
    not_covered = "not_covered"


class ProviderType(StrEnum):
    individual = "individual"
    entity_abroad = "entity_abroad"


class Kind(StrEnum):
    prohibition = "prohibition"
    nationality_or_residency = "nationality_or_residency"
    licensing_or_qualification = "licensing_or_qualification"
    local_presence = "local_presence"
    quantitative_limit = "quantitative_limit"
    data_localisation = "data_localisation"


class DataKind(StrEnum):
    local_storage = "local_storage"
    transfer_ban = "transfer_ban"
    conditional_transfer = "conditional_transfer"


class Effect(StrEnum):
    prohibited = "prohibited"
    conditional = "conditional"


class Verification(StrEnum):
    verified_official = "verified_official"
    verified_secondary = "verified_secondary"
    reported = "reported"
    unverified = "unverified"


class DataCategory(StrEnum):
    personal = "personal"
    sensitive_personal = "sensitive_personal"
    important = "important"
    other = "other"


# Whom a measure binds: a kind of foreign provider, or the buyer (e.g. the data handler in China).
BINDS = ("individual", "entity_abroad", "buyer")
SYSTEMS = ("ebops", "cpc", "w120", "gbt4754")


@dataclass(frozen=True, slots=True)
class Reference:
    document: str
    item: str
    url: str | None = None

    def cite(self) -> str:
        return f"{self.document}, item {self.item}" + (f" <{self.url}>" if self.url else "")


@dataclass(frozen=True, slots=True)
class Condition:
    """A named predicate with typed arguments (nested conditions live in ``children``)."""

    predicate: str
    args: tuple[tuple[str, Any], ...] = ()
    children: tuple[Condition, ...] = ()

    def arg(self, name: str) -> Any:
        return dict(self.args)[name]

    def to_dict(self) -> dict[str, Any]:
        args: dict[str, Any] = {k: list(v) if isinstance(v, tuple) else v for k, v in self.args}
        if self.children:
            args["conditions"] = [c.to_dict() for c in self.children]
        return {"predicate": self.predicate, "args": args}


@dataclass(frozen=True, slots=True)
class Sector:
    """Where a measure bites: codes it covers wholly, codes it covers only in part, or all."""

    whole: tuple[str, ...] = ()
    part: tuple[str, ...] = ()
    all: bool = False
    activity: str = ""
    section_zh: str | None = None
    mapping: str | None = None

    def codes(self) -> tuple[str, ...]:
        return self.whole + self.part


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    list_id: str
    item: str
    sector: Sector
    modes: frozenset[int]
    kind: Kind
    binds: frozenset[str]
    effect: Effect
    reference: Reference
    summary_en: str
    verification: Verification
    conditions: tuple[Condition, ...] = ()
    requirement: str | None = None
    data_kind: DataKind | None = None
    dpa_intervention_type: int | None = None
    modes_basis: str | None = None
    in_force_from: date | None = None
    in_force_to: date | None = None
    summary_en_is_paraphrase: bool = True
    text_zh: str | None = None
    text_zh_source: str | None = None
    synthetic: bool = False
    source: str | None = None

    def in_force(self, on: date) -> bool:
        starts = self.in_force_from is None or self.in_force_from <= on
        return starts and (self.in_force_to is None or on <= self.in_force_to)


@dataclass(frozen=True, slots=True)
class ListEdition:
    """One regime edition (a negative list, or a law's cross-border articles)."""

    id: str
    layer: str
    economy: str
    territory: str
    title_en: str
    title_zh: str
    issuer: str
    instrument: str
    published: date
    in_force_from: date
    modes_covered: frozenset[int]
    verification: Verification
    in_force_to: date | None = None
    measures_in_text: int | None = None
    coverage_note: str | None = None
    checked_on: date | None = None
    sources: tuple[str, ...] = ()
    notes: str | None = None
    reported_absent: tuple[tuple[str, str], ...] = ()
    source: str | None = None

    def in_force(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)


@dataclass(frozen=True, slots=True)
class Layer:
    name: str
    title_en: str
    combine: str  # "first": one list wins by precedence; "all": every list in force applies
    precedence: Mapping[str, tuple[str, ...]]
    none_in_force: str
    requires_data: bool = False  # assessed only when the case states its data


@dataclass(frozen=True, slots=True)
class Referral:
    """A mode the lists leave to another instrument (mode 3: the foreign-investment list)."""

    mode: int
    instrument_en: str
    instrument_zh: str
    reason: str
    reference: Reference


@dataclass(frozen=True, slots=True)
class FactSpec:
    name: str
    type: str  # bool | int | choice
    description: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Regime:
    economy: str
    name_en: str
    home_economies: frozenset[str]
    zones: Mapping[str, str]
    layers: tuple[Layer, ...]
    out_of_scope_modes: Mapping[int, Referral]
    not_cross_border: str
    facts: Mapping[str, FactSpec]
    notes: tuple[str, ...] = ()
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Case:
    """Who supplies what to whom, how and when. Build one with :func:`servtrade.rules.case`."""

    provider_economy: str
    provider_type: ProviderType
    buyer_economy: str
    service: str
    mode: int
    zone: str | None = None
    on: date | None = None
    data: frozenset[DataCategory] | None = None
    facts: tuple[tuple[str, FactValue], ...] = ()

    def fact(self, name: str) -> FactValue | None:
        for key, value in self.facts:
            if key == name:
                return value
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "provider_economy": self.provider_economy,
            "provider_type": self.provider_type.value,
            "buyer_economy": self.buyer_economy,
            "zone": self.zone,
            "service": self.service,
            "mode": self.mode,
            "on": self.on.isoformat() if self.on else None,
            "data": None if self.data is None else sorted(d.value for d in self.data),
            "facts": dict(self.facts),
        }


@dataclass(frozen=True, slots=True)
class ServiceRef:
    """A resolved service code, with what contains it and what merely overlaps it."""

    system: str
    code: str
    label: str
    path: tuple[str, ...]  # "system:code" keys: the code itself first, then its ancestors
    within: tuple[str, ...] = ()  # keys in other systems that certainly contain the service
    approx: tuple[str, ...] = ()  # keys that roughly contain it (approximate correspondences)
    parts: tuple[str, ...] = ()  # keys in other systems that make up parts of the service
    crosswalk_note: str | None = None
    key: str = ""  # "system:code", filled in on creation

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.system}:{self.code}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "path": list(self.path),
            "within": list(self.within),
            "approx": list(self.approx),
            "parts": list(self.parts),
            "crosswalk": self.crosswalk_note,
        }
