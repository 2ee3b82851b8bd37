"""What a verdict holds: every measure weighed, its predicates, the list chosen and context."""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from datetime import date

from servtrade.rules.model import Case, Measure, Outcome, Referral, ServiceRef, Tri


@dataclass(frozen=True, slots=True)
class PredicateResult:
    predicate: str
    value: Tri
    reason: str
    children: tuple[PredicateResult, ...] = ()


@dataclass(frozen=True, slots=True)
class MeasureResult:
    """How one measure was weighed against the case."""

    measure: Measure
    match: str  # "whole" | "part" | "broader" | "crosswalk" | "all"
    match_reason: str
    predicates: tuple[PredicateResult, ...]
    applies: Tri
    outcome: Outcome | None  # what this measure contributes; None when it does not apply


@dataclass(frozen=True, slots=True)
class ListChoice:
    """Which list a layer used and why, or why none."""

    layer: str
    list_id: str | None
    reason: str
    coverage: str
    fully_encoded: bool = False
    passed_over: tuple[str, ...] = ()
    assessed: bool = True  # False when the layer was skipped (e.g. no data stated)


@dataclass(frozen=True, slots=True)
class ContextNote:
    """Restrictiveness context (e.g. an OECD STRI score) shown beside a verdict."""

    label: str
    value: float
    year: int
    source: str
    detail: str = ""


Explained = tuple[tuple[MeasureResult, ...], tuple[str, ...], tuple[str, ...]]


class Verdict:
    """The answer on a case: outcome, lists chosen, measures weighed, reasons and notes.

    Deciding needs only which measures apply. The evaluator passes ``explain``, which gives
    ``(measures, reasons, notes)`` (every measure weighed with its predicates) from the same
    inputs; it runs when one of those is first read, so a verdict nobody reads in full formats no
    text. A verdict is a value all the same: treat it as immutable; ``==`` reads every part.
    """

    __slots__ = (
        "_explain",
        "_explained",
        "_ids",
        "case",
        "context",
        "lists",
        "on",
        "outcome",
        "referral",
        "service",
    )

    def __init__(
        self,
        outcome: Outcome,
        case: Case,
        on: date,
        service: ServiceRef | None,
        reasons: tuple[str, ...],
        *,
        lists: tuple[ListChoice, ...] = (),
        measures: tuple[MeasureResult, ...] = (),
        notes: tuple[str, ...] = (),
        referral: Referral | None = None,
        context: tuple[ContextNote, ...] = (),
        measure_ids: tuple[str, ...] | None = None,
        explain: Callable[[], Explained] | None = None,
    ) -> None:
        self.outcome, self.case, self.on, self.service = outcome, case, on, service
        self.lists, self.referral, self.context = lists, referral, context
        self._ids = measure_ids
        self._explained: Explained | None = None if explain else (measures, reasons, notes)
        self._explain = explain

    def with_context(self, context: tuple[ContextNote, ...]) -> Verdict:
        verdict = copy(self)
        verdict.context = context
        return verdict

    def _explanation(self) -> Explained:
        if self._explained is None:
            assert self._explain is not None
            self._explained, self._explain = self._explain(), None
        return self._explained

    @property
    def measures(self) -> tuple[MeasureResult, ...]:
        """Every measure considered, with its predicate results."""
        return self._explanation()[0]

    @property
    def reasons(self) -> tuple[str, ...]:
        return self._explanation()[1]

    @property
    def notes(self) -> tuple[str, ...]:
        return self._explanation()[2]

    @property
    def applied(self) -> tuple[MeasureResult, ...]:
        """Measures that decide the outcome (they apply or may apply)."""
        return tuple(r for r in self.measures if r.outcome is not None)

    @property
    def measure_ids(self) -> tuple[str, ...]:
        if self._ids is None:
            self._ids = tuple(r.measure.id for r in self.applied)
        return self._ids

    def _value(self) -> tuple[object, ...]:
        head = (self.outcome, self.case, self.on, self.service, self.lists, self.referral)
        return (*head, self.context, *self._explanation())

    def __eq__(self, other: object) -> bool:
        return self._value() == other._value() if isinstance(other, Verdict) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._value())

    def __repr__(self) -> str:
        return f"Verdict({self.outcome.value!r}, {self.on}, {self.measure_ids!r}, {self.reasons!r})"
