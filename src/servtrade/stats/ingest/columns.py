"""Readers for column layouts named in the catalog: OECD-WTO BaTIS bulk CSV, SDMX-CSV (OECD,
Eurostat, IMF) and the WTO Stats bulk CSV. The catalog entry lists, per field, the column names
to look for; this module finds them in the header and builds the staging SELECT."""

from __future__ import annotations

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.catalog import Dataset
from servtrade.stats.ingest.pipeline import literal, quote, standard_select
from servtrade.stats.ingest.reader import Staged

REQUIRED = ("reporter", "item", "flow", "period", "value")


def _find(header: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    present = {h.strip().upper(): h for h in header}
    return next((present[n.upper()] for n in names if n.upper() in present), None)


def staged(header: tuple[str, ...], dataset: Dataset) -> Staged:
    found = {f: _find(header, names) for f, names in dataset.columns.items()}
    missing = [f for f in REQUIRED if not found.get(f)]
    if missing:
        details = [
            ErrorDetail(
                "no column for this field",
                field=f,
                hint="expected one of " + ", ".join(dataset.columns.get(f, ())),
            )
            for f in missing
        ]
        raise ValidationError(f"the {dataset.id} file lacks required columns", errors=details)
    col = {f: quote(c) for f, c in found.items() if c}
    scale = scale_sql(dataset, col.get("unit_mult"))
    exprs = {
        "line": "line",
        "reporter_raw": col["reporter"],
        "partner_raw": col.get("partner", "NULL"),
        "item_raw": col["item"],
        "flow_raw": col["flow"],
        "period_raw": col["period"],
        "value_raw": col["value"],
        "reported_raw": col.get("reported", "NULL"),
        "estimated_raw": col.get("estimated", "NULL"),
        "unit_raw": col.get("unit", "NULL"),
        "scale": scale,
    }
    columns = {f: c for f, c in found.items() if c}
    return Staged(
        sql=standard_select(exprs),
        columns=columns,
        scale_sql=scale_sql(dataset, "unit_mult_raw" if "unit_mult" in col else None),
    )


def scale_sql(dataset: Dataset, unit_mult: str | None) -> str:
    """The factor a row's values are multiplied by, given its UNIT_MULT column (or none)."""
    scale = literal(str(dataset.value_factor)) + "::DOUBLE"
    if unit_mult is None:
        return scale
    # SDMX UNIT_MULT: values are in units of 10^n; it replaces the catalog's value_scale,
    # which only applies to rows that leave UNIT_MULT empty
    return f"coalesce(pow(10, TRY_CAST({unit_mult} AS INTEGER)), {scale})"
