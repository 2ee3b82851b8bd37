"""Closed intervals for figures known only to their printed precision.

A published "7.3 percent" stands for any value from 7.25 to 7.35; a sum or ratio of such
figures stands for an interval too. Every check computes a point value from the printed
figures and, beside it, the interval that their rounding allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Interval:
    """All values from ``low`` to ``high`` (either may be infinite)."""

    low: float
    high: float

    @staticmethod
    def point(value: float) -> Interval:
        return Interval(value, value)

    @staticmethod
    def around(value: float, half_width: float) -> Interval:
        return Interval(value - abs(half_width), value + abs(half_width))

    def __add__(self, other: Interval) -> Interval:
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: Interval) -> Interval:
        return Interval(self.low - other.high, self.high - other.low)

    def __neg__(self) -> Interval:
        return Interval(-self.high, -self.low)

    def __mul__(self, other: Interval) -> Interval:
        products = [a * b for a in (self.low, self.high) for b in (other.low, other.high)]
        products = [0.0 if math.isnan(p) else p for p in products]
        return Interval(min(products), max(products))

    def __truediv__(self, other: Interval) -> Interval:
        if other.contains(0.0):
            return Interval(-math.inf, math.inf)
        return self * Interval(1.0 / other.high, 1.0 / other.low)

    def scale(self, factor: float) -> Interval:
        return self * Interval.point(factor)

    def power(self, exponent: float) -> Interval:
        """``x ** exponent`` for positive intervals (monotone, so the ends map to the ends)."""
        low, high = max(self.low, 0.0), max(self.high, 0.0)
        ends = sorted((low**exponent, high**exponent))
        return Interval(ends[0], ends[1])

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def overlaps(self, other: Interval) -> bool:
        return self.low <= other.high and other.low <= self.high

    def gap(self, other: Interval) -> float:
        """Distance between the two intervals (0 when they overlap)."""
        if self.overlaps(other):
            return 0.0
        return other.low - self.high if other.low > self.high else self.low - other.high

    @property
    def width(self) -> float:
        return self.high - self.low
