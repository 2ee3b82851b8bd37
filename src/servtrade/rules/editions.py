"""Editions over time: which lists are in force on a date, and how two editions differ."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from servtrade.rules.book import Rulebook
from servtrade.rules.model import ListEdition, Measure


def status_on(edition: ListEdition, on: date) -> str:
    if on < edition.in_force_from:
        return f"not yet in force (from {edition.in_force_from.isoformat()})"
    if edition.in_force_to is not None and on > edition.in_force_to:
        return f"no longer in force (until {edition.in_force_to.isoformat()})"
    return "in force"


def lists_as_of(book: Rulebook, on: date | None = None) -> list[dict[str, Any]]:
    """One row per list: dates, territory, coverage and (given a date) its status that day."""
    rows = []
    for edition in book.lists.values():
        rows.append(
            {
                "list_id": edition.id,
                "layer": edition.layer,
                "economy": edition.economy,
                "territory": edition.territory,
                "title_en": edition.title_en,
                "in_force_from": edition.in_force_from.isoformat(),
                "in_force_to": edition.in_force_to.isoformat() if edition.in_force_to else None,
                "status": status_on(edition, on) if on else None,
                "coverage": book.coverage(edition.id),
            }
        )
    return rows


@dataclass(frozen=True)
class MeasureChange:
    status: str  # "in_both", "changed", "only_in_a", "only_in_b"
    a: Measure | None
    b: Measure | None
    detail: str

    @property
    def measure(self) -> Measure:
        found = self.b or self.a
        assert found is not None
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "a": self.a.id if self.a else None,
            "a_item": self.a.item if self.a else None,
            "b": self.b.id if self.b else None,
            "b_item": self.b.item if self.b else None,
            "summary_en": self.measure.summary_en,
            "detail": self.detail,
        }


META_FIELDS = (
    "territory",
    "issuer",
    "instrument",
    "published",
    "in_force_from",
    "in_force_to",
    "measures_in_text",
    "modes_covered",
    "verification",
)


def _key(measure: Measure) -> tuple[Any, ...]:
    """Measures of two editions are "the same measure" when they concern the same codes and kind."""
    return (frozenset(measure.sector.codes()), measure.sector.all, measure.kind)


def _compare(a: Measure, b: Measure) -> MeasureChange:
    diffs = [
        name
        for name, x, y in (
            ("effect", a.effect, b.effect),
            ("binds", a.binds, b.binds),
            ("modes", a.modes, b.modes),
            ("conditions", a.conditions, b.conditions),
            ("summary_en", a.summary_en, b.summary_en),
        )
        if x != y
    ]
    if not diffs:
        return MeasureChange("in_both", a, b, f"item {a.item} -> item {b.item}")
    return MeasureChange(
        "changed", a, b, f"item {a.item} -> item {b.item}; differs in " + ", ".join(diffs)
    )


def diff(book: Rulebook, a_id: str, b_id: str) -> dict[str, Any]:
    """How edition ``b`` differs from ``a``: metadata, and encoded measures matched by content."""
    a, b = book.edition(a_id), book.edition(b_id)
    meta = [
        {"field": f, "a": _shown(getattr(a, f)), "b": _shown(getattr(b, f))}
        for f in META_FIELDS
        if getattr(a, f) != getattr(b, f)
    ]
    left = {_key(m): m for m in book.measures_of(a.id)}
    right = {_key(m): m for m in book.measures_of(b.id)}
    changes = [_compare(left[k], right[k]) for k in left if k in right]
    changes += [
        MeasureChange("only_in_a", m, None, _absence(b, m))
        for k, m in left.items()
        if k not in right
    ]
    changes += [
        MeasureChange("only_in_b", None, m, _absence(a, m))
        for k, m in right.items()
        if k not in left
    ]
    changes.sort(key=lambda c: (c.status, c.measure.id))
    return {
        "a": a.id,
        "b": b.id,
        "metadata": meta,
        "measures": [c.to_dict() for c in changes],
        "coverage": [book.coverage(a.id), book.coverage(b.id)],
        "caveat": (
            "Only encoded measures are compared: differences among the measures not encoded "
            "are unknown. A measure counts as the same when it names the same sector codes "
            "and kind."
        ),
    }


def _absence(other: ListEdition, measure: Measure) -> str:
    for measure_id, source in other.reported_absent:
        if measure_id == measure.id:
            return f"reported absent from {other.id} [{source}]"
    return f"not encoded in {other.id} (it may still be among its unencoded measures)"


def _shown(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, frozenset):
        return sorted(value)
    return getattr(value, "value", value)
