"""Currency conversion, only with a loaded exchange-rate series (dataset ``exchange-rates``:
national currency units per US dollar, by period). Without a rate the conversion is an error
that names both units; values are never converted with a rate the store does not hold.

A value in currency A becomes currency B as ``value / rate_A x rate_B`` (US dollar = 1), with
the rate of the same period, or of its year for sub-year periods (2025-01..2025-08 uses 2025);
each converted observation records the rates it used.
"""

from __future__ import annotations

from dataclasses import replace

from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.stats.periods import parse_period
from servtrade.stats.results import Observation
from servtrade.stats.store import Store

RATES_DATASET = "exchange-rates"
RATE_ITEM = "fx_per_usd"
NOT_MONEY = {"percent", "pp", "index"}


def load_rates(store: Store) -> dict[tuple[str, str], Observation]:
    """(currency, period) -> rate observation, from the latest exchange-rate vintage."""
    try:
        table = store.observations(RATES_DATASET)
    except NotFoundError:
        return {}
    rows = store.execute(table.filter(table.item == RATE_ITEM))
    found = [Observation.from_row(r) for r in rows]
    return {(o.unit, o.period): o for o in found if o.value}


def _rate(rates: dict[tuple[str, str], Observation], unit: str, period: str) -> Observation | None:
    if unit == "USD":
        return None
    year = str(parse_period(period).year)
    return rates.get((unit, period)) or rates.get((unit, year))


def _missing(o: Observation, to_unit: str, have_rates: bool) -> ValidationError:
    detail = ErrorDetail(
        f"no {o.unit} or {to_unit} rate for {o.period}" if have_rates else "no rates loaded",
        field="unit",
        value=f"{o.unit}/{to_unit}",
        hint=f"load an exchange-rate series for {o.period} (dataset {RATES_DATASET}:"
        " a CSV with Currency,Period,Per_USD) or query with --unit " + o.unit,
    )
    return ValidationError(
        f"cannot convert {o.unit} ({o.dataset} {o.period}) to {to_unit}", errors=[detail]
    )


def convert(store: Store, found: list[Observation], to_unit: str) -> list[Observation]:
    """``found`` with every money value in ``to_unit``; raise when a rate is missing."""
    rates: dict[tuple[str, str], Observation] | None = None
    out = []
    for o in found:
        if o.unit == to_unit or o.unit in NOT_MONEY or o.value is None:
            out.append(o)
            continue
        rates = load_rates(store) if rates is None else rates
        source, target = _rate(rates, o.unit, o.period), _rate(rates, to_unit, o.period)
        if (source is None and o.unit != "USD") or (target is None and to_unit != "USD"):
            raise _missing(o, to_unit, bool(rates))
        divide = source.value if source and source.value else 1.0
        times = target.value if target and target.value else 1.0
        used = [r for r in (source, target) if r is not None]
        conversion = {
            "from_unit": o.unit,
            "from_value": o.value,
            "formula": f"{o.unit} / ({o.unit} per USD) x ({to_unit} per USD)",
            "rates": [
                {"currency": r.unit, "period": r.period, "per_usd": r.value, "vintage": r.vintage}
                for r in used
            ],
        }
        # a published growth rate is in the original currency: not carried over
        out.append(
            replace(
                o,
                value=o.value / divide * times,
                unit=to_unit,
                growth_pct=None,
                conversion=conversion,
            )
        )
    return out
