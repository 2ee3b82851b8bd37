"""The date of a document: given by the caller, or found in its dateline ("2025-09-30",
"September 30, 2025", "30 September 2025", "2025年9月30日") near the top of the text."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from servtrade.stats.claims.model import Document
from servtrade.stats.claims.periods import month_names
from servtrade.stats.claims.tables import alternation

DATELINE_CHARS = 300  # a release states its date in its first lines


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    month = alternation(month_names())
    year, day = r"(?P<y>(?:19|20)\d{2})", r"(?P<d>3[01]|[12]\d|0?[1-9])"
    forms = (
        rf"{year}-(?P<m>1[0-2]|0[1-9])-{day}(?!\d)",
        rf"(?P<mon>{month})\.?\s+{day},?\s+{year}",
        rf"{day}\s+(?P<mon>{month})\.?,?\s+{year}",
        rf"{year}\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月\s*{day}\s*日",
    )
    return tuple(re.compile(f, re.IGNORECASE) for f in forms)


def _date(m: re.Match[str]) -> date | None:
    groups = m.groupdict()
    month = int(groups["m"]) if groups.get("m") else month_names()[groups["mon"].casefold()]
    try:
        return date(int(groups["y"]), month, int(groups["d"]))
    except ValueError:
        return None


def find_dateline(text: str) -> tuple[date, int, int] | None:
    """The first full date in the first lines of ``text`` and where it is written."""
    head = text[:DATELINE_CHARS]
    found = [
        (m.start(), m.end(), d) for p in _patterns() for m in p.finditer(head) if (d := _date(m))
    ]
    if not found:
        return None
    start, end, when = min(found)
    return when, start, end


def dateline(text: str) -> date | None:
    """The first full date in the first lines of ``text``, if any."""
    found = find_dateline(text)
    return found[0] if found else None


def make_document(name: str, text: str, when: date | None = None) -> Document:
    """A :class:`Document` dated by ``when`` (the caller's ``--date``), else by its dateline."""
    if when is not None:
        return Document(name, text, when, "given")
    found = dateline(text)
    return Document(name, text, found, "dateline" if found else None)
