"""Verdicts that respect rounding, and the wording of figures in the arithmetic.

A stated figure stands for the interval its last printed digit allows ("7.3" for 7.25–7.35).
The recomputed value is a point (from the printed inputs) with an interval (from the inputs'
own rounding). The verdict:

- ``consistent``: the recomputed point rounds to the stated figure (or satisfies its
  qualifier: "more than half" and 52%);
- ``within_rounding``: it does not, but the difference is explained by rounding: either the
  inputs' rounding allows the stated figure, or the difference is smaller than one unit of the
  stated figure's last digit (what truncating instead of rounding, or computing from unrounded
  data, produces);
- ``inconsistent``: neither; the difference is given.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.model import Verdict
from servtrade.stats.claims.numbers import Quantity

_EPS = 1e-9


@dataclass(frozen=True)
class Stated:
    """The figure under check: its value (with direction), printed step and qualifier."""

    quantity: Quantity
    sign: int = 1

    @property
    def value(self) -> float:
        return self.sign * self.quantity.value

    @property
    def step(self) -> float:
        return self.quantity.step * self.quantity.scale

    @property
    def interval(self) -> Interval:
        span = self.quantity.interval()
        return span if self.sign > 0 else -span


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    difference: float
    explanation: str


def _tol(stated: Stated) -> float:
    return _EPS * max(1.0, abs(stated.value), stated.step)


def _qualified(stated: Stated, computed: float, span: Interval, show: Fmt) -> Judgement | None:
    q = stated.quantity.qualifier
    if q is None or q.bound == "both":
        return None
    diff = computed - stated.value
    lower = q.bound == "lower"
    if (
        (diff >= -stated.step / 2 - _tol(stated))
        if lower
        else (diff <= stated.step / 2 + _tol(stated))
    ):
        word = "at least" if lower else "at most"
        return Judgement(
            "consistent",
            diff,
            f"computed {show(computed)} is {word} {show(stated.value)}"
            f" ({q.text} {show(stated.value)})",
        )
    if span.overlaps(stated.interval):
        return Judgement(
            "within_rounding",
            diff,
            f"computed {show(computed)} misses '{q.text} "
            f"{show(stated.value)}' only within the rounding of the inputs",
        )
    return Judgement(
        "inconsistent",
        diff,
        f"computed {show(computed)} contradicts '{q.text} "
        f"{show(stated.value)}' by {show(abs(diff), difference=True)}",
    )


def judge(stated: Stated, computed: float, span: Interval, show: Fmt) -> Judgement:
    """Compare a stated figure with a recomputed value and its interval."""
    special = _qualified(stated, computed, span, show)
    if special is not None:
        return special
    diff = computed - stated.value
    by = show(abs(diff), difference=True)
    printed = stated.interval
    if printed.low - _tol(stated) <= computed <= printed.high + _tol(stated):
        return Judgement(
            "consistent",
            diff,
            f"computed {show(computed)} matches the stated "
            f"{show(stated.value)} to its printed precision",
        )
    if abs(diff) < stated.step - _tol(stated):
        return Judgement(
            "within_rounding",
            diff,
            f"off by {by}, less than one unit of the last "
            f"printed digit ({show(stated.step, difference=True)})",
        )
    if span.overlaps(printed):
        return Judgement(
            "within_rounding",
            diff,
            f"off by {by}; the rounding of the inputs allows "
            f"{show(span.low)} to {show(span.high)}, which includes the stated figure",
        )
    return Judgement(
        "inconsistent",
        diff,
        f"off by {by} ({_relative(diff, stated.value)}); even "
        f"allowing for rounding the inputs give {show(span.low)} to {show(span.high)}",
    )


def _relative(diff: float, value: float) -> str:
    if value == 0:
        return "relative difference undefined"
    return f"{100 * diff / abs(value):+.1f}% of the stated figure"


class Fmt:
    """How a figure is written in arithmetic: percentages, or amounts in the stated scale."""

    def __init__(
        self, unit: str, scale: float = 1.0, scale_word: str | None = None, decimals: int = 2
    ) -> None:
        self.unit, self.scale, self.scale_word, self.decimals = unit, scale, scale_word, decimals

    @staticmethod
    def like(quantity: Quantity, extra: int = 1) -> Fmt:
        step = quantity.step or 1.0
        decimals = max(0, -math.floor(math.log10(step))) + extra if step < 1 else extra
        if quantity.unit in ("percent", "points"):
            return Fmt(quantity.unit, decimals=decimals)
        unit = quantity.currency or ""
        return Fmt(unit, quantity.scale, quantity.scale_word, decimals)

    def __call__(self, value: float, difference: bool = False) -> str:
        if math.isinf(value):
            return "unbounded"
        if self.unit == "percent":
            return (
                f"{value:.{self.decimals}f} points" if difference else f"{value:.{self.decimals}f}%"
            )
        if self.unit == "points":
            return f"{value:.{self.decimals}f} percentage points"
        number = f"{value / self.scale:,.{self.decimals}f}"
        words = " ".join(w for w in (self.scale_word, self.unit) if w)
        return f"{number} {words}".strip()

    def rate(self, value: float) -> str:
        return f"{value:.{self.decimals}f}"
