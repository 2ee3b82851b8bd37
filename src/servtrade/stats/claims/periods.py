"""Periods as releases name them ("from January to August", "the first half of this year",
"in 2024", "from 2014 to 2024", "since 2012", "1-8月", "上半年"), resolved against the date of the
document.

The wording is data (``data/claims/periods.yaml``); this module expands its placeholders into
regular expressions and turns each match into a :class:`Period`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from servtrade.stats.claims.tables import (
    alternation,
    entries,
    load_table,
    table_error,
    table_path,
    words,
)

TABLE = "periods.yaml"
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
YEAR = r"(?<![0-9.,$¥€£])(?:19|20)\d{2}(?![0-9]|[.,]\d|\s*%)"


@dataclass(frozen=True, order=True)
class Period:
    """Months ``first`` to ``last`` (as (year, month)); ``span`` marks a multi-year range."""

    first: tuple[int, int]
    last: tuple[int, int]
    span: bool = False

    @staticmethod
    def year(year: int) -> Period:
        return Period((year, 1), (year, 12))

    @staticmethod
    def years(first: int, last: int) -> Period:
        return Period((first, 1), (last, 12), span=True)

    @property
    def is_year(self) -> bool:
        return (
            not self.span and self.first == (self.first[0], 1) and self.last == (self.first[0], 12)
        )

    @property
    def length(self) -> int:
        """Years between the ends of a span (the exponent of an average annual rate)."""
        return self.last[0] - self.first[0]

    def keys(self) -> tuple[str, ...]:
        """Codes for this period, preferred first: ``2024``, ``2025H1``, ``2025-01..2025-08``."""
        (y0, m0), (y1, m1) = self.first, self.last
        if self.span:
            return (f"{y0}..{y1}",)
        if self.is_year:
            return (str(y0),)
        months = f"{y0}-{m0:02d}..{y1}-{m1:02d}" if (y0, m0) != (y1, m1) else f"{y0}-{m0:02d}"
        if y0 == y1 and m0 in (1, 7) and m1 == m0 + 5:
            return (f"{y0}H{1 if m0 == 1 else 2}", months)
        if y0 == y1 and m0 in (1, 4, 7, 10) and m1 == m0 + 2:
            return (f"{y0}Q{(m0 + 2) // 3}", months)
        return (months,)

    @property
    def key(self) -> str:
        return self.keys()[0]

    @property
    def label(self) -> str:
        (y0, m0), (y1, m1) = self.first, self.last
        if self.span:
            return f"{y0} to {y1}"
        if self.is_year:
            return str(y0)
        if (y0, m0) == (y1, m1):
            return f"{MONTH_NAMES[m0 - 1]} {y0}"
        return f"{MONTH_NAMES[m0 - 1]}–{MONTH_NAMES[m1 - 1]} {y1}"

    def shifted(self, years: int) -> Period:
        """The same months ``years`` later (negative: earlier)."""
        return Period(
            (self.first[0] + years, self.first[1]), (self.last[0] + years, self.last[1]), self.span
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "first": f"{self.first[0]}-{self.first[1]:02d}",
            "last": f"{self.last[0]}-{self.last[1]:02d}",
        }


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    text: str
    period: Period
    note: str | None = None


@dataclass(frozen=True)
class _Words:
    months: Mapping[str, int]
    counts: Mapping[str, int]
    ordinals: Mapping[str, int]
    relative: Mapping[str, int]


def month_names() -> dict[str, int]:
    """Month words of the table (case-folded) and their numbers."""
    return dict(_words().months)


def _int_map(key: str) -> dict[str, int]:
    value = load_table(TABLE).get(key)
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise table_error(table_path(TABLE), "must map words to whole numbers", field=key)
    return {str(k).casefold(): v for k, v in value.items()}


@cache
def _words() -> _Words:
    months = load_table(TABLE).get("months")
    if not isinstance(months, list) or len(months) != 12:
        raise table_error(table_path(TABLE), "must list the 12 months", field="months")
    return _Words(
        months={str(w).casefold(): i + 1 for i, names in enumerate(months) for w in names},
        counts=_int_map("counts"),
        ordinals=_int_map("ordinals"),
        relative={
            w.casefold(): int(e.get("offset", 0))
            for e in entries(TABLE, "relative_years")
            for w in words(TABLE, e)
        },
    )


def _expand(template: str) -> str:
    w = _words()
    month, rel = alternation(w.months), alternation(w.relative)
    fills = {
        "{month_a}": f"(?P<ma>{month})",
        "{month_b}": f"(?P<mb>{month})",
        "{month}": f"(?P<m>{month})",
        "{year_a}": f"(?P<ya>{YEAR})",
        "{year_b}": f"(?P<yb>{YEAR})",
        "{year}": f"(?P<y>{YEAR})",
        "{yearref}": f"(?:(?P<y>{YEAR})|(?P<rel>{rel}))",
        "{n}": f"(?P<n>{alternation(w.counts)}|1[0-2]|[1-9])",
        "{ord}": f"(?P<ord>{alternation(w.ordinals)})",
    }
    for placeholder, regex in fills.items():
        template = template.replace(placeholder, regex)
    return template


@cache
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    compiled = []
    for entry in entries(TABLE, "patterns"):
        resolve, template = entry.get("resolve"), entry.get("regex")
        if resolve not in _RESOLVERS or not isinstance(template, str):
            raise table_error(
                table_path(TABLE), "needs a known resolve and a regex", "resolve", resolve
            )
        try:
            compiled.append((resolve, re.compile(_expand(template), re.IGNORECASE)))
        except re.error as exc:
            raise table_error(
                table_path(TABLE), f"is not a valid pattern ({exc})", "regex", template
            ) from exc
    return compiled


class _Context:
    """What a match is resolved against: the document's year and month, when known."""

    def __init__(self, today: date | None) -> None:
        self.today = today

    def year(self, m: re.Match[str], upto_month: int = 12) -> int | None:
        """The stated year, a relative year, or the latest year ending by the document date."""
        groups = m.groupdict()
        if groups.get("y"):
            return int(groups["y"])
        if self.today is None:
            return None
        if groups.get("rel"):
            return self.today.year + _words().relative[_squash(groups["rel"])]
        # A release on months of an unnamed year reports the latest such months before its date.
        return self.today.year if self.today.month > upto_month else self.today.year - 1


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def _number(m: re.Match[str], group: str, table: Mapping[str, int]) -> int:
    raw = _squash(m.group(group))
    return int(raw) if raw.isdigit() else table[raw]


def _months(m: re.Match[str], ctx: _Context, first: int, last: int) -> Period | None:
    if not 1 <= first <= last <= 12:
        return None
    year = ctx.year(m, last)
    return None if year is None else Period((year, first), (year, last))


def _month_range(m: re.Match[str], ctx: _Context) -> Period | None:
    w = _words().months
    return _months(m, ctx, _number(m, "ma", w), _number(m, "mb", w))


def _month(m: re.Match[str], ctx: _Context) -> Period | None:
    month = _number(m, "m", _words().months)
    return _months(m, ctx, month, month)


def _first_months(m: re.Match[str], ctx: _Context) -> Period | None:
    return _months(m, ctx, 1, _number(m, "n", _words().counts))


def _quarters(m: re.Match[str], ctx: _Context) -> Period | None:
    return _months(m, ctx, 1, 3 * _number(m, "n", _words().counts))


def _half(m: re.Match[str], ctx: _Context) -> Period | None:
    half = _number(m, "ord", _words().ordinals)
    return _months(m, ctx, 6 * half - 5, 6 * half) if half in (1, 2) else None


def _quarter(m: re.Match[str], ctx: _Context) -> Period | None:
    quarter = _number(m, "ord", _words().ordinals)
    return _months(m, ctx, 3 * quarter - 2, 3 * quarter)


def _year(m: re.Match[str], ctx: _Context) -> Period | None:
    year = ctx.year(m)
    return None if year is None else Period.year(year)


def _year_range(m: re.Match[str], ctx: _Context) -> Period | None:
    first, last = int(m.group("ya")), int(m.group("yb"))
    return Period.years(first, last) if first < last else None


def _since(m: re.Match[str], ctx: _Context) -> Period | None:
    # "since 2012" in a release reaches the last full year before the release.
    if ctx.today is None:
        return None
    first, last = int(m.group("ya")), ctx.today.year - 1
    return Period.years(first, last) if first < last else None


_SINCE_NOTE = "end: the last full year before the document date"

_RESOLVERS: dict[str, Callable[[re.Match[str], _Context], Period | None]] = {
    "year_range": _year_range,
    "since": _since,
    "month_range": _month_range,
    "month": _month,
    "first_months": _first_months,
    "quarters": _quarters,
    "half": _half,
    "quarter": _quarter,
    "year": _year,
}


def find_periods(text: str, today: date | None) -> list[PeriodMention]:
    """Every period named in ``text``; relative ones are resolved against ``today``.

    A phrase that cannot be resolved (no date for "since 2012") still claims its words, so
    "2012" inside it is not read as the year 2012.
    """
    ctx = _Context(today)
    found: list[PeriodMention] = []
    taken: list[tuple[int, int]] = []
    for resolve, pattern in _patterns():
        for m in pattern.finditer(text):
            if m.end() == m.start() or any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            period = _RESOLVERS[resolve](m, ctx)
            if period is not None:
                note = _SINCE_NOTE if resolve == "since" else None
                found.append(PeriodMention(m.start(), m.end(), m.group(0), period, note))
    return sorted(found, key=lambda p: p.start)
