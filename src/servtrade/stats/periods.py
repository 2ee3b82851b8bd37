"""Periods as statistical releases state them: a year, a month, a quarter, a half-year, or a
year-to-date range (``2025-01..2025-08``). Canonical text is what the store keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from servtrade.errors import ErrorDetail, ValidationError

PeriodType = Literal["year", "half", "quarter", "month", "ytd", "span"]

_PATTERNS: tuple[tuple[PeriodType, re.Pattern[str]], ...] = (
    ("year", re.compile(r"^(\d{4})$")),
    ("half", re.compile(r"^(\d{4})H([12])$")),
    ("quarter", re.compile(r"^(\d{4})Q([1-4])$")),
    ("month", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    ("ytd", re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\.\.(\d{4})-(0[1-9]|1[0-2])$")),
    ("span", re.compile(r"^(\d{4})\.\.(\d{4})$")),
)
# SQL regular expressions for the same forms, used when validating inside DuckDB.
SQL_PATTERN = r"^\d{4}(H[12]|Q[1-4]|\.\.\d{4}|-(0[1-9]|1[0-2])(\.\.\d{4}-(0[1-9]|1[0-2]))?)?$"


@dataclass(frozen=True, order=True)
class Period:
    """A parsed period; ``text`` is canonical."""

    year: int
    kind: PeriodType
    text: str

    def shifted(self, years: int) -> Period:
        """The same span ``years`` later (negative: earlier)."""

        def bump(match: re.Match[str]) -> str:
            return str(int(match.group(0)) + years)

        return parse_period(re.sub(r"\d{4}", bump, self.text))


def parse_period(text: str) -> Period:
    """Parse ``2024``, ``2025H1``, ``2025Q3``, ``2025-08`` or ``2025-01..2025-08``."""
    clean = str(text).strip()
    for kind, pattern in _PATTERNS:
        match = pattern.match(clean)
        if match:
            if kind == "ytd" and (
                match.group(1) != match.group(3) or match.group(2) > match.group(4)
            ):
                break
            if kind == "span" and match.group(1) >= match.group(2):
                break
            year = int(match.group(2) if kind == "span" else match.group(1))
            return Period(year=year, kind=kind, text=clean)
    detail = ErrorDetail(
        "is not a period",
        field="period",
        value=clean,
        hint="use 2024, 2025H1, 2025Q3, 2025-08 or a year-to-date range 2025-01..2025-08",
    )
    raise ValidationError(f"invalid period {clean!r}", errors=[detail])


def year_span(start: int, end: int) -> list[str]:
    """Yearly periods from ``start`` to ``end`` inclusive."""
    if end < start:
        detail = ErrorDetail(
            "ends before it starts", field="to", value=str(end), hint=f"use a year from {start} on"
        )
        raise ValidationError(f"invalid range {start}..{end}", errors=[detail])
    return [str(y) for y in range(start, end + 1)]
