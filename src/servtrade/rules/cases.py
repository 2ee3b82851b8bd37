"""Build a :class:`Case` from plain values (strings, numbers), validated and normalised.

``make_case(provider_economy="USA", provider_type="individual", buyer_economy="CHN",
service="cpc:932", mode=4)`` is all a caller (CLI, API, the matchmaking service) needs.
Economies accept codes or names (via :mod:`servtrade.vocab.economies`), modes accept ``4`` or
``"mode 4"``, services any ``ebops:``/``cpc:``/``w120:``/``gbt4754:`` code. Problems are
collected and raised together as one ValidationError (or UnknownCodeError for a lone bad code).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from servtrade.errors import ErrorDetail, ServtradeError, UnknownCodeError, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import Case, DataCategory, FactValue, ProviderType
from servtrade.rules.predicates import fact_value_ok
from servtrade.rules.sectors import canonical_key
from servtrade.vocab.economies import resolve_economy
from servtrade.vocab.modes import resolve_mode

PROVIDER_TYPES = {
    "individual": "individual",
    "person": "individual",
    "natural_person": "individual",
    "entity_abroad": "entity_abroad",
    "entity": "entity_abroad",
    "company": "entity_abroad",
}


def make_case(
    *,
    provider_economy: str,
    provider_type: str,
    buyer_economy: str,
    service: str,
    mode: int | str,
    zone: str | None = None,
    on: date | str | None = None,
    data: Iterable[str] | None = None,
    facts: Mapping[str, Any] | None = None,
    book: Rulebook | None = None,
) -> Case:
    """A validated case; every problem found is reported at once."""
    problems: list[ServtradeError] = []

    def attempt(fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        except ServtradeError as exc:
            problems.append(exc)
            return None

    buyer = attempt(_economy, "buyer_economy", buyer_economy)
    regime = (book or default_rulebook()).regimes.get(buyer) if buyer else None
    case = Case(
        provider_economy=attempt(_economy, "provider_economy", provider_economy),
        provider_type=attempt(_provider_type, provider_type),
        buyer_economy=buyer,
        service=attempt(canonical_key, service),
        mode=attempt(_mode, mode),
        zone=attempt(_zone, zone, regime.zones if regime else {}, buyer),
        on=attempt(_date, on),
        data=attempt(_data, data),
        facts=attempt(_facts, facts or {}, regime.facts if regime else None) or (),
    )
    if problems:
        raise _combined(problems)
    return case


def _combined(problems: list[ServtradeError]) -> ServtradeError:
    if len(problems) == 1:
        return problems[0]
    details = [d for p in problems for d in (p.errors or [ErrorDetail(str(p))])]
    if all(isinstance(p, UnknownCodeError) for p in problems):
        return UnknownCodeError(f"{len(problems)} unknown codes in the case", errors=details)
    return ValidationError(f"the case has {len(problems)} problems", errors=details)


def _invalid(field: str, value: object, message: str, hint: str) -> ValidationError:
    return ValidationError(
        f"{field} {value!r} {message}",
        errors=[ErrorDetail(message, field=field, value=str(value), hint=hint)],
        hint=hint,
    )


def _economy(field: str, text: str) -> str:
    try:
        return resolve_economy(text).alpha3
    except UnknownCodeError as exc:
        raise UnknownCodeError(
            f"{field}: {exc.message}",
            errors=[
                ErrorDetail(d.message, field=field, value=d.value, hint=d.hint) for d in exc.errors
            ],
            hint=exc.hint,
        ) from None


def _provider_type(text: str) -> ProviderType:
    found = PROVIDER_TYPES.get(str(text).strip().lower().replace("-", "_").replace(" ", "_"))
    if found is None:
        raise _invalid(
            "provider_type",
            text,
            "is not a provider type",
            "use individual (a natural person) or entity_abroad (an entity established abroad)",
        )
    return ProviderType(found)


def _mode(value: int | str) -> int:
    return resolve_mode(value).mode


def _zone(zone: str | None, zones: Mapping[str, str], buyer: str | None) -> str | None:
    if zone is None or str(zone).strip() in ("", "none", "nationwide"):
        return None
    text = str(zone).strip().lower()
    if text not in zones:
        known = ", ".join(zones) or "none"
        raise _invalid(
            "zone",
            zone,
            f"is not a zone of {buyer}",
            f"zones of {buyer}: {known}; leave it out for nationwide",
        )
    return text


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise _invalid("on", value, "is not a date", "write YYYY-MM-DD, e.g. 2024-05-01") from None


def _data(values: Iterable[str] | None) -> frozenset[DataCategory] | None:
    if values is None:
        return None
    allowed = [c.value for c in DataCategory]
    found = set()
    for value in values:
        text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        if text not in allowed:
            raise _invalid("data", value, "is not a data category", "use " + ", ".join(allowed))
        found.add(DataCategory(text))
    return frozenset(found)


def _facts(
    facts: Mapping[str, Any], specs: Mapping[str, Any] | None
) -> tuple[tuple[str, FactValue], ...]:
    found: dict[str, FactValue] = {}
    for name, raw in facts.items():
        spec = specs.get(name) if specs is not None else None
        if specs is not None and spec is None:
            raise _invalid(
                "facts", name, "is not a fact the rules read", "known facts: " + ", ".join(specs)
            )
        value = _fact_value(raw, spec.type if spec else None)
        if spec is not None and not fact_value_ok(spec, value):
            shown = ", ".join(spec.choices) if spec.choices else spec.type
            raise _invalid(f"facts.{name}", raw, "does not fit the fact", f"expected {shown}")
        found[name] = value
    return tuple(sorted(found.items()))


def _fact_value(raw: Any, kind: str | None) -> FactValue:
    """Facts from a CLI or form arrive as text; read them as their declared type."""
    if not isinstance(raw, str) or kind is None or kind == "choice":
        return raw if isinstance(raw, bool | int | str) else str(raw)
    text = raw.strip().lower()
    if kind == "bool" and text in ("true", "yes", "1", "false", "no", "0"):
        return text in ("true", "yes", "1")
    if kind == "int" and text.isdigit():
        return int(text)
    return raw
