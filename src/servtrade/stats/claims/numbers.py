"""Numbers as releases print them: "4.58 trillion yuan", "$219.1 bn", "14.7%", "38872.6亿元",
"more than half", "nearly 2,000".

Each number becomes a :class:`Quantity` that remembers its printed precision (the unit of its
last digit), so a check can ask which interval of true values the printed figure stands for.
Scale words, currencies, percent words, fractions and qualifiers come from
``data/claims/numbers.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.tables import (
    alternation,
    entries,
    string_list,
    table_error,
    table_path,
    words,
)

Unit = Literal["money", "percent", "points", "number"]
Bound = Literal["lower", "upper", "both"]
TABLE = "numbers.yaml"
YEAR_RANGE = (1900, 2100)
# Words before "half"/"quarter" that make it a part of the year, not a share.
_NOT_A_SHARE = re.compile(
    r"(?:first|second|third|fourth|latter|former|last|\d(?:st|nd|rd|th)|上|下)\s*$", re.I
)


@dataclass(frozen=True)
class Qualifier:
    """A word that widens a figure ("more than", "nearly") and how it does so."""

    text: str
    bound: Bound
    tolerance: float


@dataclass(frozen=True)
class Quantity:
    """One printed number with its unit, scale, currency and precision."""

    start: int
    end: int
    text: str
    mantissa: float
    step: float  # unit of the last printed digit, in mantissa units (0 for exact words)
    scale: float = 1.0
    unit: Unit = "number"
    currency: str | None = None
    qualifier: Qualifier | None = None
    scale_word: str | None = None
    currency_inferred: bool = field(default=False, compare=False)

    @property
    def value(self) -> float:
        return self.mantissa * self.scale

    @property
    def bare(self) -> bool:
        """A number without unit or scale ("85", "8" of a date): a claim only as a count."""
        return self.unit == "number" and self.scale_word is None

    @property
    def rounding(self) -> Interval:
        """The values that print as this figure (half a last digit either side)."""
        return Interval.around(self.value, self.step * self.scale / 2)

    def interval(self) -> Interval:
        """The values the figure stands for: its rounding, widened by its qualifier."""
        rounded = self.rounding
        q = self.qualifier
        if q is None:
            return rounded
        reach = abs(self.value) * q.tolerance
        if q.bound == "lower":
            return Interval(rounded.low, rounded.high + reach)
        if q.bound == "upper":
            return Interval(rounded.low - reach, rounded.high)
        return Interval(rounded.low - reach, rounded.high + reach)

    def with_currency(self, currency: str) -> Quantity:
        return Quantity(
            self.start,
            self.end,
            self.text,
            self.mantissa,
            self.step,
            self.scale,
            "money",
            currency,
            self.qualifier,
            self.scale_word,
            currency_inferred=True,
        )

    def to_dict(self) -> dict[str, Any]:
        span = self.interval()
        return {
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "currency": self.currency,
            "scale": self.scale_word,
            "precision": self.step * self.scale,
            "interval": [span.low, span.high],
            "qualifier": self.qualifier.text if self.qualifier else None,
            "currency_inferred": self.currency_inferred,
        }


@dataclass(frozen=True)
class _Lexicon:
    scales: Mapping[str, float]
    currency_before: Mapping[str, str]
    currency_after: Mapping[str, str]
    percent: frozenset[str]
    points: frozenset[str]
    fractions: Mapping[str, float]
    qualifiers: Mapping[str, Qualifier]
    home: Mapping[str, str | None]


def _number(entry: Mapping[str, Any], key: str) -> float:
    value = entry.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise table_error(table_path(TABLE), "must be a number", field=key, value=value)
    return float(value)


def _qualifiers() -> dict[str, Qualifier]:
    found: dict[str, Qualifier] = {}
    for entry in entries(TABLE, "qualifiers"):
        bound = entry.get("bound")
        if bound not in ("lower", "upper", "both"):
            raise table_error(table_path(TABLE), "must be lower, upper or both", "bound", bound)
        for word in words(TABLE, entry):
            found[word.casefold()] = Qualifier(word, bound, _number(entry, "tolerance"))
    return found


def _currencies() -> tuple[dict[str, str], dict[str, str], dict[str, str | None]]:
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    home: dict[str, str | None] = {}
    for entry in entries(TABLE, "currencies"):
        code = str(entry.get("code") or "")
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise table_error(table_path(TABLE), "must be an ISO 4217 code", "code", code)
        before.update({w.casefold(): code for w in words(TABLE, entry, "before")})
        after.update({w.casefold(): code for w in words(TABLE, entry, "after")})
        home[code] = entry.get("economy")
    return before, after, home


@cache
def lexicon() -> _Lexicon:
    """The number words of ``data/claims/numbers.yaml``."""
    before, after, home = _currencies()
    return _Lexicon(
        scales={
            w.casefold(): _number(e, "factor")
            for e in entries(TABLE, "scales")
            for w in words(TABLE, e)
        },
        currency_before=before,
        currency_after=after,
        percent=frozenset(w.casefold() for w in string_list(TABLE, "percent")),
        points=frozenset(w.casefold() for w in string_list(TABLE, "points")),
        fractions={
            w.casefold(): _number(e, "value")
            for e in entries(TABLE, "fractions")
            for w in words(TABLE, e)
        },
        qualifiers=_qualifiers(),
        home=home,
    )


def home_economy(currency: str) -> str | None:
    """The economy whose currency ``currency`` is (alpha-3), if the table names one."""
    return lexicon().home.get(currency)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lex = lexicon()
    qual = alternation(lex.qualifiers)
    units = alternation([*lex.currency_after, *lex.percent, *lex.points])
    number = rf"""
        (?:(?P<qual>{qual})\s*)?
        (?:(?P<cur>{alternation(lex.currency_before)})\s?)?
        (?P<sign>(?<![0-9A-Za-z])[-−])?
        (?<![0-9.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![0-9])
        (?:\s*(?P<scale>{alternation(lex.scales)}))?
        (?:\s*(?P<unit>{units}))?
        (?![0-9A-Za-z])
    """
    fraction = rf"(?:(?P<qual>{qual})\s+)?(?P<frac>{alternation(lex.fractions)})"
    flags = re.VERBOSE | re.IGNORECASE
    return re.compile(number, flags), re.compile(fraction, re.IGNORECASE)


def _step(digits: str) -> float:
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return 10.0**-decimals


def _unit(word: str | None) -> tuple[Unit, str | None]:
    lex = lexicon()
    if word is None:
        return "number", None
    key = word.casefold()
    if key in lex.points:
        return "points", None
    if key in lex.percent:
        return "percent", None
    return "money", lex.currency_after[key]


def _from_number(m: re.Match[str], text: str) -> Quantity | None:
    lex = lexicon()
    digits = m.group("num")
    unit, currency = _unit(m.group("unit"))
    if m.group("cur"):
        unit, currency = "money", lex.currency_before[m.group("cur").casefold()]
    scale_word = m.group("scale")
    mantissa = float(digits.replace(",", "")) * (-1.0 if m.group("sign") else 1.0)
    bare = unit == "number" and scale_word is None
    if (
        bare
        and not m.group("qual")
        and "." not in digits
        and "," not in digits
        and (YEAR_RANGE[0] <= mantissa <= YEAR_RANGE[1])
    ):
        return None  # a year: periods read it
    if (
        not m.group("cur")
        and m.start("num") > 0
        and text[m.start("num") - 1].isalpha()
        and (text[m.start("num") - 1].isascii())
    ):
        return None  # part of a name such as "G20" or "A4"
    qual = m.group("qual")
    return Quantity(
        start=m.start(),
        end=m.end(),
        text=m.group(0),
        mantissa=mantissa,
        step=_step(digits),
        scale=lex.scales[scale_word.casefold()] if scale_word else 1.0,
        unit=unit,
        currency=currency,
        qualifier=lex.qualifiers[qual.casefold()] if qual else None,
        scale_word=scale_word,
    )


def _from_fraction(m: re.Match[str], text: str) -> Quantity | None:
    lex = lexicon()
    qual = m.group("qual")
    followed_by_of = re.match(r"\s+of\b|的", text[m.end() :]) is not None
    if qual is None and not followed_by_of:
        return None
    if qual is None and _NOT_A_SHARE.search(text[max(0, m.start() - 12) : m.start()]):
        return None  # "the first half of the year"
    return Quantity(
        start=m.start(),
        end=m.end(),
        text=m.group(0),
        mantissa=lex.fractions[m.group("frac").casefold()] * 100,
        step=0.0,
        unit="percent",
        qualifier=lex.qualifiers[qual.casefold()] if qual else None,
    )


def find_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its unit, in order of position (years are left out)."""
    number, fraction = _patterns()
    found = [q for m in number.finditer(text) if (q := _from_number(m, text))]
    taken = [(q.start, q.end) for q in found]
    for m in fraction.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        if (q := _from_fraction(m, text)) is not None:
            found.append(q)
    return sorted(found, key=lambda q: q.start)
