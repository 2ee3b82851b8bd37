"""Place and date select the lists: which edition of each layer applies, and why (or why none).

The choice changes only on the dates where some edition of the regime enters into or leaves
force, so a :class:`Timeline` works the choices out once per span between those dates, for each
zone of the regime and for "the case states its data" or not, when the rulebook first meets them.
Choosing for a case is then a binary search; texts that name the case's date carry a
placeholder that is filled in per case.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.model import Layer, ListEdition, Outcome, Regime
from servtrade.rules.verdict import ListChoice

DAY = "\x00day\x00"  # stands for the case's date (ISO) in the texts of a span
_OPEN = (None, date.max)  # no end of force


def select_lists(
    book: Rulebook, regime: Regime, zone: str | None, on: date, data_stated: bool
) -> tuple[ListChoice, ...]:
    """The list choice of every layer of ``regime`` for a place and date."""
    return selection(book, regime, zone, on, data_stated)[0]


def selection(
    book: Rulebook, regime: Regime, zone: str | None, on: date, data_stated: bool
) -> tuple[tuple[ListChoice, ...], Outcome]:
    """The list choices, and the outcome when none of their measures applies."""
    key = (regime.economy, zone, data_stated)
    timeline = book.timelines.get(key)
    if timeline is None:  # once per zone of the regime; an unknown zone raises and is not kept
        timeline = book.timelines[key] = Timeline(book, regime, zone, data_stated)
    return timeline.at(on)


@dataclass(frozen=True, slots=True)
class Span:
    choices: tuple[ListChoice, ...]
    quiet: Outcome  # the outcome when no measure of the chosen lists applies
    dated: bool  # some text names the date


class Timeline:
    """The list choices of one regime, zone and data statement, span by span."""

    def __init__(self, book: Rulebook, regime: Regime, zone: str | None, data_stated: bool) -> None:
        editions = [e for e in book.lists.values() if e.economy == regime.economy]
        days = {e.in_force_from for e in editions}
        days |= {e.in_force_to + timedelta(days=1) for e in editions if e.in_force_to not in _OPEN}
        self.starts = sorted(days)
        self.spans = [
            _span(book, regime, zone, data_stated, day) for day in (date.min, *self.starts)
        ]

    def at(self, on: date) -> tuple[tuple[ListChoice, ...], Outcome]:
        span = self.spans[bisect_right(self.starts, on)]
        if not span.dated:
            return span.choices, span.quiet
        day = on.isoformat()
        return tuple(_dated(c, day) for c in span.choices), span.quiet


def _span(book: Rulebook, regime: Regime, zone: str | None, data_stated: bool, on: date) -> Span:
    choices = tuple(
        choice
        for layer in regime.layers
        for choice in _choose(book, regime, layer, zone, on=on, data_stated=data_stated)
    )
    dated = any(DAY in c.reason or any(DAY in p for p in c.passed_over) for c in choices)
    return Span(choices, quiet_outcome(choices), dated)


def _dated(choice: ListChoice, day: str) -> ListChoice:
    return ListChoice(
        choice.layer,
        choice.list_id,
        choice.reason.replace(DAY, day),
        choice.coverage,
        choice.fully_encoded,
        tuple(p.replace(DAY, day) for p in choice.passed_over),
        choice.assessed,
    )


def quiet_outcome(choices: tuple[ListChoice, ...]) -> Outcome:
    """``allowed`` only when every layer was assessed on a fully encoded list."""
    assessed = [c for c in choices if c.list_id is not None]
    if any(c.list_id is None and c.assessed for c in choices):
        return Outcome.not_covered
    if assessed and all(c.fully_encoded for c in assessed):
        return Outcome.allowed
    return Outcome.not_covered


def _order(regime: Regime, layer: Layer, zone: str | None) -> tuple[str, ...]:
    order = layer.precedence.get(zone or "nationwide")
    if order is None:
        known = ", ".join(regime.zones) or "none"
        raise ValidationError(
            f"unknown zone {zone!r} for {regime.economy}",
            errors=[
                ErrorDetail(
                    "is not a zone of this economy",
                    field="zone",
                    value=zone,
                    hint=f"zones of {regime.economy}: {known}; leave it out for nationwide",
                )
            ],
            hint=f"zones of {regime.economy}: {known}",
        )
    return order


def _choose(
    book: Rulebook, regime: Regime, layer: Layer, zone: str | None, *, on: date, data_stated: bool
) -> list[ListChoice]:
    order = _order(regime, layer, zone)
    if layer.requires_data and not data_stated:
        reason = (
            f"{layer.title_en.capitalize()} not assessed: the case states no data "
            "(say which data are involved: personal, sensitive_personal, important, other)."
        )
        return [ListChoice(layer.name, None, reason, "", assessed=False)]
    editions = [
        e for e in book.lists.values() if e.economy == regime.economy and e.layer == layer.name
    ]
    if layer.combine == "all":
        return _all_in_force(book, layer, editions, order, on)
    passed: list[str] = []
    for territory in order:
        in_force = [e for e in editions if e.territory == territory and e.in_force(on)]
        if in_force:
            chosen = max(in_force, key=lambda e: e.in_force_from)
            return [_chosen(book, regime, layer, chosen, zone=zone, passed=tuple(passed))]
        passed += [_not_in_force(e, on) for e in editions if e.territory == territory]
    elsewhere = [
        f"{e.id} (only in the {regime.zones.get(e.territory, e.territory)})"
        for e in editions
        if e.territory not in order and e.in_force(on)
    ]
    if elsewhere:
        passed.append(f"In force elsewhere on that date: {', '.join(elsewhere)}.")
    reason = layer.none_in_force + (" " + " ".join(passed) if passed else "")
    return [ListChoice(layer.name, None, reason, "", passed_over=tuple(passed))]


def _chosen(
    book: Rulebook,
    regime: Regime,
    layer: Layer,
    edition: ListEdition,
    *,
    zone: str | None,
    passed: tuple[str, ...],
) -> ListChoice:
    since = f"in force since {edition.in_force_from.isoformat()}"
    if zone and edition.territory == zone:
        why = (
            f"{edition.id} applies: the buyer is in the {regime.zones[zone]}, where this list "
            f"replaces the nationwide list; {since}."
        )
    elif zone:
        why = (
            f"{edition.id} applies: no list for the {regime.zones[zone]} was in force on "
            f"{DAY}, so the nationwide list applies; {since}."
        )
    else:
        why = f"{edition.id} applies: the nationwide {layer.title_en}, {since}."
    if passed:
        why += " " + " ".join(passed)
    return ListChoice(
        layer.name,
        edition.id,
        why,
        book.coverage(edition.id),
        book.fully_encoded(edition.id),
        passed,
    )


def _all_in_force(
    book: Rulebook, layer: Layer, editions: list[ListEdition], order: tuple[str, ...], on: date
) -> list[ListChoice]:
    chosen = [e for e in editions if e.territory in order and e.in_force(on)]
    if not chosen:
        passed = tuple(_not_in_force(e, on) for e in editions if e.territory in order)
        reason = layer.none_in_force + (" " + " ".join(passed) if passed else "")
        return [ListChoice(layer.name, None, reason, "", passed_over=passed)]
    return [
        ListChoice(
            layer.name,
            e.id,
            f"{e.id} applies throughout the economy ({layer.title_en}), in force since "
            f"{e.in_force_from.isoformat()}.",
            book.coverage(e.id),
            book.fully_encoded(e.id),
        )
        for e in sorted(chosen, key=lambda e: e.id)
    ]


def _not_in_force(edition: ListEdition, on: date) -> str:
    """Why ``edition`` was passed over on ``on`` (the text names the date as :data:`DAY`)."""
    if on < edition.in_force_from:
        return (
            f"{edition.id} ({edition.title_en}) was not yet in force on {DAY}: "
            f"it enters into force on {edition.in_force_from.isoformat()}."
        )
    ended = edition.in_force_to.isoformat() if edition.in_force_to else "?"
    return f"{edition.id} was no longer in force on {DAY} (in force until {ended})."
