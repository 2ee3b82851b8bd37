"""Cue phrases that say what kind of claim a number makes ("up", "narrowed by", "an average
annual growth rate of", "accounting for"), from ``data/claims/cues.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from servtrade.stats.claims.tables import (
    alternation,
    load_table,
    string_list,
    table_error,
    table_path,
)

Cue = Literal["average", "up", "down", "narrow", "widen", "share"]
CUES: tuple[Cue, ...] = ("average", "up", "down", "narrow", "widen", "share")
TABLE = "cues.yaml"
WINDOW = 90  # characters before a number searched for its cue


@dataclass(frozen=True)
class CueMatch:
    kind: Cue
    offset: int  # where the cue starts, counted back from the number (a positive distance)
    text: str


def _group(side: str) -> dict[Cue, list[str]]:
    table = load_table(TABLE).get(side)
    if not isinstance(table, dict) or not set(table) <= set(CUES):
        raise table_error(
            table_path(TABLE),
            "must map cue kinds to phrases",
            field=side,
            value=None if not isinstance(table, dict) else sorted(table),
        )
    found: dict[Cue, list[str]] = {}
    for kind in CUES:
        phrases = table.get(kind) or []
        if not all(isinstance(p, str) and p for p in phrases):
            raise table_error(table_path(TABLE), "must be a list of phrases", f"{side}.{kind}")
        found[kind] = phrases
    return found


def _named(groups: dict[Cue, list[str]]) -> str:
    return "|".join(f"(?P<{kind}>{alternation(p)})" for kind, p in groups.items() if p)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    filler = alternation(string_list(TABLE, "fillers"))
    before = re.compile(rf"(?:{_named(_group('before'))})(?:[\s,]*{filler})*[\s,:]*$", re.I)
    after = re.compile(rf"^[\s,]*(?:{_named(_group('after'))})", re.I)
    range_from = re.compile(rf"{alternation(string_list(TABLE, 'range_from'))}\s*$", re.I)
    range_to = re.compile(rf"^\s*{alternation(string_list(TABLE, 'range_to'))}\s*$", re.I)
    return before, after, range_from, range_to


def _kind(m: re.Match[str]) -> Cue:
    return next(k for k in CUES if m.groupdict().get(k))


def cue_before(text: str) -> CueMatch | None:
    """The cue that ends ``text`` (the text right before a number), if any."""
    window = text[-WINDOW:]
    # Anchored at the end, so the match is the cue closest to the number (longest phrase first).
    best = _patterns()[0].search(window)
    if best is None:
        return None
    return CueMatch(_kind(best), len(window) - best.start(), best.group(0).strip())


def cue_after(text: str) -> Cue | None:
    """The cue that starts ``text`` (the text right after a number), if any."""
    m = _patterns()[1].match(text[:WINDOW])
    return _kind(m) if m else None


def is_range(before_first: str, between: str) -> bool:
    """Whether two figures are the ends of a change: "from <first> to <second>"."""
    _, _, range_from, range_to = _patterns()
    return range_from.search(before_first[-20:]) is not None and range_to.match(between) is not None
