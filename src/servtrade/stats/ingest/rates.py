"""Reader for exchange-rate files: ``Currency,Period,Per_USD`` (national currency units per US
dollar, period average), one row per currency and period. Rates are stored as item
``fx_per_usd`` of the world, in the unit of their currency, for :mod:`servtrade.stats.currency`."""

from __future__ import annotations

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.catalog import Dataset
from servtrade.stats.ingest.pipeline import quote, standard_select
from servtrade.stats.ingest.reader import Staged

FIELDS = ("currency", "period", "value")


def staged(header: tuple[str, ...], dataset: Dataset) -> Staged:
    present = {h.strip().upper(): h for h in header}
    found = {
        f: next(
            (present[n.upper()] for n in dataset.columns.get(f, ()) if n.upper() in present), None
        )
        for f in FIELDS
    }
    missing = [f for f in FIELDS if found[f] is None]
    if missing:
        details = [
            ErrorDetail(
                "no column for this field",
                field=f,
                hint="expected " + ", ".join(dataset.columns.get(f, ())),
            )
            for f in missing
        ]
        raise ValidationError("the exchange-rate file lacks required columns", errors=details)
    currency = quote(str(found["currency"]))
    exprs = {
        "line": "line",
        "reporter_raw": "'WLD'",
        # a currency that is not three capital letters fails the item lookup: quarantined
        "item_raw": f"CASE WHEN regexp_full_match(trim({currency}), '[A-Z]{{3}}')"
        f" THEN 'fx_per_usd' ELSE {currency} END",
        "flow_raw": "'total'",
        "period_raw": quote(str(found["period"])),
        "value_raw": quote(str(found["value"])),
        "unit_raw": f"trim({currency})",
    }
    columns = {
        "item": str(found["currency"]),
        "period": str(found["period"]),
        "value": str(found["value"]),
    }
    return Staged(sql=standard_select(exprs), columns=columns)
