"""The values the claim checker passes around: documents, claims, checks and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.numbers import Quantity
from servtrade.stats.claims.periods import Period
from servtrade.stats.claims.subjects import Topic

Kind = Literal["level", "growth", "average_growth", "share", "change", "points", "count", "rate"]
Verdict = Literal["consistent", "within_rounding", "inconsistent", "not_checkable"]
VERDICTS: tuple[Verdict, ...] = ("consistent", "within_rounding", "inconsistent", "not_checkable")
# How bad a verdict is, to combine several checks of one claim (worst wins).
SEVERITY: dict[Verdict, int] = {
    "not_checkable": 0,
    "consistent": 1,
    "within_rounding": 2,
    "inconsistent": 3,
}


@dataclass(frozen=True)
class Document:
    """One text given to the checker, with the date its relative periods are resolved against."""

    name: str
    text: str
    date: date | None = None
    date_source: str | None = None


@dataclass
class Claim:
    """A numeric statement found in a document, with everything it was bound to."""

    id: str
    document: str
    kind: Kind
    start: int
    end: int
    text: str
    quantity: Quantity
    topic: Topic | None = None
    period: Period | None = None
    economy: str | None = None
    sign: int = 1  # +1 or -1: the direction of a growth rate or a change
    size_change: bool = False  # a change of a deficit's or surplus's size ("narrowed by")
    converted: Quantity | None = None  # "4.58 trillion yuan ($640 billion)": the $640 billion
    whole: Topic | None = None  # a share: of what
    noun: str | None = None  # a count: of what
    pair: str | None = None  # the other end of "from 38.5% to 52.2%"
    notes: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        """The stated value with its direction (a fall of 5% is -5)."""
        return self.sign * self.quantity.value

    @property
    def interval(self) -> Interval:
        span = self.quantity.interval()
        return span if self.sign > 0 else -span

    @property
    def currency(self) -> str | None:
        return self.quantity.currency


@dataclass(frozen=True)
class Check:
    """One recomputation of a claim, with its arithmetic and verdict."""

    name: str
    description: str
    verdict: Verdict
    arithmetic: tuple[str, ...] = ()
    inputs: tuple[str, ...] = ()
    stated: float | None = None
    computed: float | None = None
    computed_interval: Interval | None = None
    unit: str | None = None
    difference: float | None = None
    explanation: str = ""
    needs: str | None = None
    data: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        span = self.computed_interval
        return {
            "check": self.name,
            "description": self.description,
            "verdict": self.verdict,
            "arithmetic": list(self.arithmetic),
            "inputs": list(self.inputs),
            "stated": self.stated,
            "computed": self.computed,
            "computed_interval": None if span is None else [span.low, span.high],
            "unit": self.unit,
            "difference": self.difference,
            "explanation": self.explanation,
            "needs": self.needs,
            "data": self.data,
        }


@dataclass(frozen=True)
class Derived:
    """A figure the checker worked out from stated ones (implied imports, a balance)."""

    name: str
    document: str
    value: float
    interval: Interval
    unit: str
    arithmetic: str
    inputs: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "document": self.document,
            "value": self.value,
            "interval": [self.interval.low, self.interval.high],
            "unit": self.unit,
            "arithmetic": self.arithmetic,
            "inputs": list(self.inputs),
        }


def overall(checks: list[Check]) -> Verdict:
    """A claim's verdict: the worst of its checks, or not checkable when none could run."""
    if not checks:
        return "not_checkable"
    return max((c.verdict for c in checks), key=lambda v: SEVERITY[v])
