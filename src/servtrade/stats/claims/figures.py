"""A figure in a check: a point value and the interval its printed inputs allow, computed
side by side so every result carries its rounding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.judge import Fmt, Stated, judge
from servtrade.stats.claims.model import Check, Claim, Verdict


@dataclass(frozen=True)
class Fig:
    value: float
    span: Interval

    @staticmethod
    def of(claim: Claim) -> Fig:
        return Fig(claim.value, claim.interval)

    @staticmethod
    def exact(value: float) -> Fig:
        return Fig(value, Interval.point(value))

    def __add__(self, other: Fig) -> Fig:
        return Fig(self.value + other.value, self.span + other.span)

    def __sub__(self, other: Fig) -> Fig:
        return Fig(self.value - other.value, self.span - other.span)

    def __mul__(self, other: Fig) -> Fig:
        return Fig(self.value * other.value, self.span * other.span)

    def __truediv__(self, other: Fig) -> Fig:
        return Fig(self.value / other.value, self.span / other.span)

    def __abs__(self) -> Fig:
        if self.span.low >= 0:
            return self
        if self.span.high <= 0:
            return Fig(-self.value, -self.span)
        return Fig(abs(self.value), Interval(0.0, max(-self.span.low, self.span.high)))

    def power(self, exponent: float) -> Fig:
        return Fig(max(self.value, 0.0) ** exponent, self.span.power(exponent))

    def growth_factor(self) -> Fig:
        """1 + g/100 for a growth rate in percent."""
        return Fig(
            1 + self.value / 100, Interval(1 + self.span.low / 100, 1 + self.span.high / 100)
        )

    def as_percent_rate(self) -> Fig:
        """100 × (x − 1): a growth factor written as a rate in percent."""
        return Fig(
            100 * (self.value - 1), Interval(100 * (self.span.low - 1), 100 * (self.span.high - 1))
        )


def verdict_check(
    name: str,
    description: str,
    target: Claim,
    result: Fig,
    arithmetic: list[str],
    *,
    inputs: list[Claim] | None = None,
    stated: Stated | None = None,
    data: dict[str, Any] | None = None,
) -> Check:
    """A check of ``target`` against the recomputed ``result``."""
    stated = stated or Stated(target.quantity, target.sign)
    show = Fmt.like(stated.quantity)
    verdict = judge(stated, result.value, result.span, show)
    lines = [
        *arithmetic,
        f"stated {show(stated.value)}; computed {show(result.value)} "
        f"(rounding of the inputs allows {show(result.span.low)} to {show(result.span.high)})",
    ]
    return Check(
        name=name,
        description=description,
        verdict=verdict.verdict,
        arithmetic=tuple(lines),
        inputs=tuple(c.id for c in inputs or ()),
        stated=stated.value,
        computed=result.value,
        computed_interval=result.span,
        unit=show.unit or None,
        difference=verdict.difference,
        explanation=verdict.explanation,
        data=data,
    )


def unchecked(
    name: str,
    description: str,
    needs: str,
    arithmetic: list[str] | None = None,
    verdict: Verdict = "not_checkable",
) -> Check:
    """A check that could not run, saying which data would let it run."""
    return Check(
        name=name,
        description=description,
        verdict=verdict,
        arithmetic=tuple(arithmetic or ()),
        explanation=f"needs {needs}",
        needs=needs,
    )
