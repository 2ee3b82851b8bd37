"""Place and date select the lists: which edition of each layer applies, and why (or why none)."""

from __future__ import annotations

from datetime import date

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.model import Layer, ListChoice, ListEdition, Regime

MAX_CACHED = 4096


def select_lists(
    book: Rulebook, regime: Regime, zone: str | None, on: date, data_stated: bool
) -> tuple[ListChoice, ...]:
    """The list choice of every layer of ``regime`` for a place and date (cached per book)."""
    key = (regime.economy, zone, on, data_stated)
    found = book.choices.get(key)
    if found is None:
        if len(book.choices) >= MAX_CACHED:
            book.choices.clear()
        found = tuple(
            choice
            for layer in regime.layers
            for choice in _choose(book, regime, layer, zone, on=on, data_stated=data_stated)
        )
        book.choices[key] = found
    return found


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
            return [_chosen(book, regime, layer, chosen, zone=zone, on=on, passed=tuple(passed))]
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
    on: date,
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
            f"{on.isoformat()}, so the nationwide list applies; {since}."
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
    if on < edition.in_force_from:
        return (
            f"{edition.id} ({edition.title_en}) was not yet in force on {on.isoformat()}: "
            f"it enters into force on {edition.in_force_from.isoformat()}."
        )
    ended = edition.in_force_to.isoformat() if edition.in_force_to else "?"
    return f"{edition.id} was no longer in force on {on.isoformat()} (in force until {ended})."
