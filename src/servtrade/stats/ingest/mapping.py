"""The parallel path's validation and code mapping, in polars, bound to the reference SQL.

Codes and periods are mapped through lookup tables that the reference SQL (pipeline.py) itself
computed over the spellings files use (``CHN``, ``chn``, ``China``, ``2024``, ``2025-Q1``, ...):
a spelling outside them is not mapped here but doubted. Numbers are parsed by polars; where it
fails (``' 1.5'``, ``1_000``) the row is doubted too. ``ok`` is true only for rows the reference
SQL stores with the same values; the others go to that SQL (parallel.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa

from servtrade.stats.catalog import Dataset
from servtrade.stats.ingest import period_sql, pipeline
from servtrade.stats.ingest.vocabulary import economy_rows, flow_rows, item_rows

NUMBERS = ("value", "reported", "estimated")
CODED = ("reporter", "partner", "item", "flow", "period", "unit_mult")
LINE = "line"
COMPLETE = "__complete"  # the row's last field is there (a short row lacks it)
YEARS = range(1900, 2100)
NULL_COLUMNS = (
    "series",
    "alternative",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
    "confidence",
    "note",
)


@dataclass(frozen=True)
class Layout:
    """Where the fields are in a file the parallel path reads."""

    path: Path
    names: tuple[str, ...]
    header_line: int
    delimiter: str
    fields: dict[str, str]  # field -> column name
    scale: str  # the reference SQL's scale expression over ``unit_mult_raw``
    unit: str
    partner_default: str
    # quotes in the data: a quoted field may hide a delimiter, so the byte counts cannot show
    # that no line is short; a row is then only ``ok`` with its last field present (see parallel.py)
    quoted: bool = False


@dataclass(frozen=True)
class Lookups:
    """Spelling (``raw``) -> what the reference SQL makes of it; only spellings it accepts."""

    economies: pl.DataFrame  # raw, code
    items: pl.DataFrame  # raw, code
    flows: pl.DataFrame  # raw, code
    periods: pl.DataFrame  # raw, period, period_type, year
    scales: pl.DataFrame  # raw, scale

    def of(self, field: str) -> pl.DataFrame:
        tables = {"reporter": self.economies, "partner": self.economies, "item": self.items}
        tables |= {"flow": self.flows, "period": self.periods, "unit_mult": self.scales}
        return tables[field]


def _spellings(keys: list[str], *extra: str) -> pa.Table:
    found = {s for k in [*keys, *extra] for s in (k, k.upper(), k.lower(), k.title())}
    return pa.table({"raw": sorted(found)})


def _query(con: duckdb.DuckDBPyConnection, sql: str, **tables: Any) -> pl.DataFrame:
    for name, table in tables.items():
        con.register(name, table)
    try:
        return pl.DataFrame(con.sql(sql).arrow())
    finally:
        for name in tables:
            con.unregister(name)


def lookups(con: duckdb.DuckDBPyConnection, dataset: Dataset, lay: Layout) -> Lookups:
    """The tables, from the vocabulary tables that load_vocabulary() created on ``con``."""
    econ = _spellings(list(economy_rows(dataset)), lay.partner_default)
    mults = pa.table({"unit_mult_raw": [str(n) for n in range(-15, 16)]})
    join = "SELECT v.raw, t.code FROM v JOIN {} t ON {} = t.key"
    return Lookups(
        economies=_query(con, join.format("economies", "lower(trim(v.raw))"), v=econ),
        items=_query(
            con, join.format("items", "trim(v.raw)"), v=_spellings(list(item_rows(dataset)))
        ),
        flows=_query(
            con, join.format("flows", "trim(v.raw)"), v=_spellings(list(flow_rows(dataset)))
        ),
        periods=periods(),
        scales=_query(con, f"SELECT unit_mult_raw AS raw, {lay.scale} AS scale FROM v", v=mults),  # noqa: S608 - the reader's own expression
    )


@cache
def periods() -> pl.DataFrame:
    """Every year, half, quarter, month, year-to-date and span spelling of YEARS, as the
    reference SQL normalises and types it (invalid ones left out)."""
    spelled = []
    for y in YEARS:
        spelled += [str(y), *(f"{y}{p}" for p in ("H1", "H2", "S1", "S2", "Q1", "Q2", "Q3", "Q4"))]
        spelled += [f"{y}-{p}" for p in ("S1", "S2", "Q1", "Q2", "Q3", "Q4")]
        spelled += [f"{y}-{m:02d}" for m in range(1, 13)]
        spelled += [f"{y}-{a:02d}..{y}-{b:02d}" for a in range(1, 13) for b in range(a, 13)]
        spelled += [f"{y}..{z}" for z in range(y + 1, min(y + 31, YEARS.stop))]
    sql = (
        f"SELECT raw, period_norm AS period, {period_sql.PERIOD_TYPE} AS period_type,"  # noqa: S608 - fixed expressions
        f" {period_sql.YEAR_SQL} AS year FROM (SELECT raw, {period_sql.period_norm_sql('raw')}"
        f" AS period_norm FROM v) WHERE {period_sql.period_ok_sql('period_norm')}"
    )
    with duckdb.connect() as con:
        return _query(con, sql, v=pa.table({"raw": spelled}))


@cache
def _scale_of_null(sql: str) -> float:
    with duckdb.connect() as con:
        row = con.execute(f"SELECT {sql} FROM (SELECT NULL::VARCHAR AS unit_mult_raw)").fetchone()  # noqa: S608 - the reader's own expression
    assert row is not None
    return float(row[0])


def read(lay: Layout, lk: Lookups, *, typed: bool) -> pl.LazyFrame:
    """The data lines with their file line, fields as ``in_<field>``. ``typed``: the reader
    parses coded fields as enums of the lookup spellings and numbers as floats (cheapest, but
    any other spelling or number fails the read); else every field is read as text."""
    types: dict[str, Any] = {}
    if typed:
        types = {lay.fields[f]: pl.Enum(lk.of(f)["raw"]) for f in CODED if f in lay.fields}
        types |= {lay.fields[n]: pl.Float64 for n in NUMBERS if n in lay.fields}
    frame = pl.scan_csv(
        lay.path,
        has_header=False,
        skip_lines=lay.header_line,
        new_columns=list(lay.names),
        separator=lay.delimiter,
        infer_schema=False,
        schema_overrides=types,
        row_index_name=LINE,
        row_index_offset=lay.header_line + 1,
        raise_if_empty=False,
        null_values=[""],  # a quoted "" too, like the reference reader
        glob=False,  # a file name with [ or * is a name, not a pattern
    )
    absent = [f for f in (*CODED, *NUMBERS, "unit") if f not in lay.fields]
    return frame.select(
        pl.col(LINE).cast(pl.Int64),
        pl.col(lay.names[-1]).is_not_null().alias(COMPLETE),
        *(pl.col(c).alias(f"in_{f}") for f, c in lay.fields.items()),
        *(pl.lit(None, pl.String).alias(f"in_{f}") for f in absent),
    )


def checked(lay: Layout, lk: Lookups, *, typed: bool) -> pl.LazyFrame:
    """Every data row with its line, its fields as read (``in_<field>``), the stored columns
    and ``ok``: whether the reference SQL would store it with these values."""
    found: list[pl.Expr] = []
    for field in CODED:
        table = lk.of(field)
        given = pl.col(f"in_{field}")
        if not typed or field not in lay.fields:
            given = given.cast(pl.Enum(table["raw"]), strict=False)
        index = given.to_physical()
        for out in table.columns[1:]:
            name = f"{field}_mapped" if out in ("code", "scale") else out
            found.append(pl.lit(table[out]).gather(index).alias(name))
    for n in NUMBERS:
        found.append(pl.col(f"in_{n}").cast(pl.Float64, strict=False).alias(f"{n}_parsed"))
    frame = read(lay, lk, typed=typed).with_columns(found)
    return frame.with_columns(_values(lay, lk)).with_columns(_ok(lay))


def _default_partner(lay: Layout, lk: Lookups) -> str | None:
    found = lk.economies.filter(pl.col("raw") == lay.partner_default)["code"]
    return str(found[0]) if len(found) else None


def _values(lay: Layout, lk: Lookups) -> list[pl.Expr]:
    default = pl.lit(_default_partner(lay, lk), pl.String)
    partner = pl.when(pl.col("in_partner").is_not_null()).then(pl.col("partner_mapped"))
    # the scale of a spelled UNIT_MULT from the lookup (null when unknown), else the catalog's
    null_scale = pl.lit(_scale_of_null(lay.scale), pl.Float64)
    spelled = pl.when(pl.col("in_unit_mult").is_not_null()).then(pl.col("unit_mult_mapped"))
    scale = spelled.otherwise(null_scale)
    return [
        *(pl.col(f"{n}_mapped").alias(n) for n in ("reporter", "item", "flow")),
        partner.otherwise(default).alias("partner"),
        scale.alias("scale"),
        *((pl.col(f"{n}_parsed") * scale).alias(n) for n in NUMBERS),
        # stored as it stands: _ok() leaves padded or empty units to the reference SQL
        pl.col("in_unit").fill_null(lay.unit).alias("unit"),
    ]


def _ok(lay: Layout) -> pl.Expr:
    known = [pl.col(c).is_not_null() for c in ("reporter", "partner", "item", "flow", "period")]
    parsed = [pl.col(f"in_{n}").is_null() | pl.col(n).is_not_null() for n in NUMBERS]
    unit = pl.col("in_unit")
    plain_unit = unit.is_null() | ((unit.str.strip_chars() == unit) & (unit != ""))
    ok = pl.all_horizontal(*known, *parsed, pl.col("scale").is_not_null(), plain_unit)
    if lay.quoted:
        ok &= pl.col(COMPLETE)
    return (ok & pl.coalesce(*NUMBERS).is_not_null()).alias("ok")


def stored(frame: pl.LazyFrame) -> pl.LazyFrame:
    """The stored columns (pipeline.STORED, with the reference path's types)."""
    columns = {
        "growth_pct": pl.lit(None, pl.Float64),
        "change": pl.lit(None, pl.Float64),
        **{c: pl.lit(None, pl.Null) for c in NULL_COLUMNS},
    }
    return frame.filter(pl.col("ok")).select(
        columns[c].alias(c) if c in columns else pl.col(c) for c in pipeline.STORED
    )


def doubted(frame: pl.LazyFrame, lay: Layout) -> pl.LazyFrame:
    """The rows ``ok`` leaves out: line and fields as text under the file's column names
    (what the reference SQL reads)."""
    # as text again: an enum gives back its spelling, a float a spelling of the same number
    kept = [pl.col(f"in_{f}").cast(pl.String).alias(c) for f, c in lay.fields.items()]
    kept[:0] = [pl.col(LINE), pl.col(COMPLETE)]
    return frame.filter(~pl.col("ok")).select(kept)
