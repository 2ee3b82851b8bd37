"""Economies named in a text ("China's services trade", "中国服务贸易"), found with the names
and aliases of :mod:`servtrade.vocab.economies`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from servtrade.stats.claims.tables import alternation
from servtrade.vocab.economies import Economy, economy_index

# A name after these words is more likely the partner than the reporter ("exports to Japan").
_PARTNER_CUE = re.compile(r"(?:\bto|\bwith|\bfrom|\band|\bbetween)\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class EconomyMention:
    start: int
    end: int
    text: str
    economy: Economy
    partner: bool


def _is_name(key: str) -> bool:
    if any(not ch.isascii() for ch in key):
        return len(key) >= 2
    return len(key) >= 4 and any(ch.isalpha() for ch in key)


@cache
def _pattern() -> re.Pattern[str]:
    index = economy_index()
    names = [
        k for k, code in index.keys.items() if _is_name(k) and not index.by_code[code].is_aggregate
    ]
    return re.compile(alternation(names), re.IGNORECASE)


def find_economies(text: str) -> list[EconomyMention]:
    """Economies named in ``text``; English names must start with a capital letter."""
    index = economy_index()
    found = []
    for m in _pattern().finditer(text):
        if m.group(0)[0].isascii() and not m.group(0)[0].isupper():
            continue
        economy = index.lookup(m.group(0))
        if economy is None:  # pragma: no cover - every key of the pattern is in the index
            continue
        partner = _PARTNER_CUE.search(text[max(0, m.start() - 16) : m.start()]) is not None
        found.append(EconomyMention(m.start(), m.end(), m.group(0), economy, partner))
    return found
