"""What a figure is about: the service (an EBOPS 2010 item or a named aggregate) and the flow.

Phrases come from ``data/claims/subjects.yaml``; each code is checked against the EBOPS tree
and the aggregates of :mod:`servtrade.vocab.ebops`, whose labels the report shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from servtrade.errors import UnknownCodeError
from servtrade.stats.claims.tables import alternation, entries, table_error, table_path, words
from servtrade.vocab.ebops import aggregates, resolve_ebops

Flow = Literal["total", "exports", "imports", "balance"]
FLOWS: tuple[Flow, ...] = ("total", "exports", "imports", "balance")
TABLE = "subjects.yaml"
TOTAL_SERVICES = "S"


@dataclass(frozen=True)
class Subject:
    """One entry of the subject table: a service, a flow, or both."""

    id: str
    ebops: str | None = None
    aggregate: str | None = None
    flow: Flow | None = None
    sign: int = 1  # -1 for a deficit: a balance phrase that names the size of a negative balance
    size: bool = False  # a deficit or surplus: "narrowed", "decreased" change its size

    @property
    def item(self) -> str | None:
        return self.ebops or self.aggregate


@dataclass(frozen=True)
class Mention:
    """A phrase found in a text: a subject or a count noun."""

    start: int
    end: int
    text: str
    subject: Subject


@dataclass(frozen=True)
class Topic:
    """What one claim is about: service ``item`` (EBOPS code or aggregate id) and ``flow``."""

    item: str
    flow: Flow
    inferred: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{item_label(self.item)}, {self.flow}"

    def to_dict(self) -> dict[str, Any]:
        kind = "aggregate" if self.item in aggregates() else "ebops"
        return {
            "item": self.item,
            "item_kind": kind,
            "item_label": item_label(self.item),
            "flow": self.flow,
            "inferred": list(self.inferred),
        }


def item_label(item: str) -> str:
    """The label of an EBOPS code or aggregate id, from the vocabulary."""
    found = aggregates().get(item)
    return found.name if found else resolve_ebops(item).label


def _subject(entry: Mapping[str, Any]) -> Subject:
    path = table_path(TABLE)
    flow = entry.get("flow")
    if flow is not None and flow not in FLOWS:
        raise table_error(path, "must be one of " + ", ".join(FLOWS), "flow", flow)
    subject = Subject(
        id=str(entry.get("id")),
        ebops=entry.get("ebops"),
        aggregate=entry.get("aggregate"),
        flow=flow,
        sign=int(entry.get("sign", 1)),
        size="sign" in entry,
    )
    try:
        if subject.ebops:
            resolve_ebops(subject.ebops)
    except UnknownCodeError as exc:
        raise table_error(path, "is not an EBOPS 2010 code", "ebops", subject.ebops) from exc
    if subject.aggregate and subject.aggregate not in aggregates():
        raise table_error(
            path, "is not an aggregate of aggregates.yaml", "aggregate", subject.aggregate
        )
    return subject


@cache
def _phrases() -> tuple[dict[str, Subject], dict[str, Subject]]:
    subjects: dict[str, Subject] = {}
    for entry in entries(TABLE, "subjects"):
        subject = _subject(entry)
        subjects.update({w.casefold(): subject for w in words(TABLE, entry)})
    nouns = {
        w.casefold(): Subject(id=str(e.get("noun")))
        for e in entries(TABLE, "count_nouns")
        for w in words(TABLE, e)
    }
    return subjects, nouns


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    subjects, nouns = _phrases()
    return (
        re.compile(alternation(subjects), re.IGNORECASE),
        re.compile(alternation(nouns), re.IGNORECASE),
    )


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_subjects(text: str) -> list[Mention]:
    """Every subject phrase in ``text`` (longest phrases win)."""
    subjects = _phrases()[0]
    return [
        Mention(m.start(), m.end(), m.group(0), subjects[_key(m.group(0))])
        for m in _patterns()[0].finditer(text)
    ]


def count_noun(text: str) -> Subject | None:
    """The count noun that ``text`` starts with ("companies from ..."), if any."""
    m = _patterns()[1].match(text)
    return _phrases()[1][_key(m.group(0))] if m else None
