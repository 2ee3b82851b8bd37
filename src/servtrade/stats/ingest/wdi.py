"""World Bank WDI readers: the wide download layout (preamble, one column per year, series in
the ``Indicator Code`` column) and the long ``Country Name,Country Code,Year,Value`` layout
(series given by the caller). Series codes map to an EBOPS item and a flow via the catalog."""

from __future__ import annotations

import re

from servtrade.errors import ErrorDetail, ValidationError
from servtrade.stats.catalog import Dataset
from servtrade.stats.ingest.pipeline import literal, quote, standard_select
from servtrade.stats.ingest.reader import Staged

WIDE = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
YEAR = re.compile(r"^\d{4}$")


def series_from_name(name: str, dataset: Dataset) -> str | None:
    """A series code the file name starts with (``bx.gsr.royl.cd__data.csv``), if any."""
    lowered = name.lower()
    return next((code for code in dataset.series if lowered.startswith(code.lower())), None)


def _series_map(dataset: Dataset) -> str:
    rows = [
        f"({literal(c)}, {literal(s.item)}, {literal(s.flow)})" for c, s in dataset.series.items()
    ]
    return f"(VALUES {', '.join(rows)}) AS sm(code, item, flow)"


def wide(header: tuple[str, ...], dataset: Dataset) -> Staged:
    years = [h for h in header if YEAR.match(h)]
    if not years:
        raise ValidationError(
            "the WDI wide file has no year columns",
            errors=[
                ErrorDetail(
                    "no column named like 1960 ... 2024", field="header", value=",".join(header[:6])
                )
            ],
        )
    year_cols = ", ".join(quote(y) for y in years)
    unpivot = (
        f"(SELECT * FROM (UNPIVOT src ON {year_cols} INTO NAME period_raw VALUE value_raw)"  # noqa: S608 - values quoted by literal()/quote()
        f' u LEFT JOIN {_series_map(dataset)} ON u."Indicator Code" = sm.code)'
    )
    exprs = {
        "line": "line",
        "reporter_raw": '"Country Code"',
        "partner_raw": "'WLD'",
        "item_raw": 'coalesce(item, "Indicator Code")',
        "flow_raw": 'coalesce(flow, "Indicator Code")',
        "period_raw": "period_raw",
        "value_raw": "value_raw",
        "series": '"Indicator Code"',
    }
    columns = {
        "reporter": "Country Code",
        "item": "Indicator Code",
        "flow": "Indicator Code",
        "period": "year column",
        "value": "year column",
    }
    return Staged(sql=standard_select(exprs, unpivot), columns=columns, one_row_per_line=False)


def long(dataset: Dataset, series: str | None, file_name: str) -> Staged:
    code = series or series_from_name(file_name, dataset)
    if code is None or code not in dataset.series:
        known = ", ".join(dataset.series)
        detail = ErrorDetail(
            "is not a known WDI services series",
            field="series",
            value=code or "",
            hint=f"pass --series, one of: {known}",
        )
        raise ValidationError("the long WDI layout needs the series code", errors=[detail])
    meaning = dataset.series[code]
    exprs = {
        "line": "line",
        "reporter_raw": '"Country Code"',
        "partner_raw": "'WLD'",
        "item_raw": literal(meaning.item),
        "flow_raw": literal(meaning.flow),
        "period_raw": '"Year"',
        "value_raw": '"Value"',
        "series": literal(code),
    }
    columns = {"reporter": "Country Code", "period": "Year", "value": "Value"}
    return Staged(sql=standard_select(exprs), columns=columns, series=code)


def staged(header: tuple[str, ...], dataset: Dataset, series: str | None, file_name: str) -> Staged:
    if header[: len(WIDE)] == WIDE:
        return wide(header, dataset)
    return long(dataset, series, file_name)
