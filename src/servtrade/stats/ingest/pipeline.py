"""The ingest pipeline inside DuckDB: load raw text, map and validate with SQL joins against
the vocabulary tables, write the stored rows to Parquet and the rejects to a quarantine CSV.

Readers only describe where the fields are (a SELECT over ``src`` producing the ``STAGED``
columns); this module does the checking, so every layout is validated the same way. It is the
reference path: parallel.py reads most column-layout files on every core and hands the rows it
doubts back to this SQL, so both give the same rows, lines and rejects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from servtrade.errors import DataFileError, ErrorDetail
from servtrade.stats.ingest.period_sql import PERIOD_TYPE, YEAR_SQL, period_norm_sql, period_ok_sql

STAGED = (
    "line",
    "reporter_raw",
    "partner_raw",
    "item_raw",
    "flow_raw",
    "period_raw",
    "value_raw",
    "reported_raw",
    "estimated_raw",
    "growth_raw",
    "change_raw",
    "unit_raw",
    "scale",
    "series",
    "alternative",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
    "confidence",
    "note",
)
STORED = (
    "reporter",
    "partner",
    "item",
    "flow",
    "period",
    "period_type",
    "year",
    "value",
    "unit",
    "growth_pct",
    "change",
    "reported",
    "estimated",
    "series",
    "alternative",
    "source_publisher",
    "source_title",
    "source_date",
    "source_url",
    "confidence",
    "note",
    "line",
)
REASONS = {
    "reporter": "unknown economy code",
    "partner": "unknown partner economy code",
    "item": "unknown EBOPS item or series code",
    "flow": "unknown flow code",
    "period": "not a period (2024, 2025H1, 2025Q3, 2025-08 or 2025-01..2025-08)",
    "value": "value is not a number",
    "empty": "row has no value",
}


def standard_select(exprs: dict[str, str], source: str = "src") -> str:
    """A SELECT giving every STAGED column (NULL where the reader has none)."""
    cols = [f"{exprs.get(c, 'NULL')} AS {c}" for c in STAGED]
    return f"SELECT {', '.join(cols)} FROM {source}"  # noqa: S608 - values quoted by literal()/quote()


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | None) -> str:
    return "NULL" if value is None else "'" + value.replace("'", "''") + "'"


@dataclass
class Counts:
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    rows_carried: int = 0
    unknown_codes: list[dict[str, Any]] = field(default_factory=list)
    first_rejects: list[ErrorDetail] = field(default_factory=list)
    # which path read the file: "parallel" (parallel.py) or "reference" (this module)
    reader: str = "reference"


def load_csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    header: tuple[str, ...],
    header_line: int,
    delimiter: str,
    label: str,
) -> None:
    """``raw``: a view reading the data lines as text (nothing is materialised; every query over
    it streams the file once); malformed lines go to ``reject_errors`` while it is read."""
    names = unique_names(header)
    columns = "{" + ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names) + "}"
    sql = (
        f"CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM read_csv({literal(str(path))},"  # noqa: S608 - values quoted by literal()/quote()
        f" auto_detect=false, header=false, skip={header_line}, delim={literal(delimiter)},"
        f" quote='\"', escape='\"', columns={columns}, store_rejects=true)"
    )
    with reading(label):
        con.execute(sql)
    number_lines(con, header_line + 1)


@contextmanager
def reading(label: str) -> Iterator[None]:
    """Turn the CSV reader's errors (raised by whichever query streams the file) into a
    DataFileError naming the file and line."""
    try:
        yield
    except duckdb.Error as exc:
        match = re.search(r"Line: (\d+)", str(exc))
        detail = ErrorDetail(
            str(exc).splitlines()[0][:300], file=label, line=int(match.group(1)) if match else None
        )
        raise DataFileError(
            f"cannot read {Path(label).name}",
            errors=[detail],
            hint="check the file is a complete CSV",
        ) from exc


def unique_names(header: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for index, name in enumerate(header):
        base = name or f"column{index}"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return names


def no_malformed_lines(con: duckdb.DuckDBPyConnection) -> None:
    """An empty ``malformed`` for inputs that are not read by the CSV reader."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE malformed (line BIGINT, column_idx BIGINT,"
        " column_name VARCHAR, csv_line VARCHAR, error_message VARCHAR)"
    )


def number_lines(con: duckdb.DuckDBPyConnection, first_line: int) -> None:
    """``src``: raw plus its file line number. ``row_number() OVER ()`` is a streaming window
    that numbers rows in file order (insertion order is preserved); lines the reader rejected
    are not rows, so once ``malformed`` is known, rows after them shift down by their count."""
    con.execute(
        "CREATE OR REPLACE TEMP VIEW numbered AS SELECT row_number() OVER () AS n, * FROM raw"
    )
    base = f"numbered.n + {first_line - 1}"
    shift, join = "", ""
    if _has_table(con, "breaks"):  # lines.py found where rows start (blank lines, newlines)
        shift, join = (
            " + coalesce(b.shift, 0)",
            " ASOF LEFT JOIN breaks b ON numbered.n >= b.n_from",
        )
    elif _has_table(con, "skips"):
        shift = f" + (SELECT count(*) FROM skips WHERE adj <= {base})"  # noqa: S608 - values quoted by literal()/quote()
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW src AS SELECT {base}{shift} AS line,"  # noqa: S608 - values quoted by literal()/quote()
        f" numbered.* EXCLUDE (n) FROM numbered{join}"
    )


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = scalar(
        con,
        f"SELECT count(*) FROM duckdb_tables() WHERE table_name = {literal(name)}",  # noqa: S608 - values quoted by literal()/quote()
    )
    return bool(found)


def snapshot_malformed(con: duckdb.DuckDBPyConnection) -> int:
    """Keep the lines the reader rejected (one per line: a short line is reported once per
    missing column) in ``malformed``, and the ``skips`` that renumber the other rows; their
    count. Later reads of the file may replace ``reject_errors``, so this is a copy."""
    if _has_table(con, "reject_errors"):  # not for inputs that no_malformed_lines() set up
        con.execute(
            "CREATE OR REPLACE TEMP TABLE malformed AS SELECT DISTINCT ON (line) * FROM"
            " reject_errors ORDER BY line, column_idx"
        )
    count = int(scalar(con, "SELECT count(*) FROM malformed"))
    if count:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE skips AS SELECT line - (row_number() OVER"
            " (ORDER BY line) - 1) AS adj FROM malformed"
        )
    return count


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


CHECKED_SQL = """
CREATE OR REPLACE TEMP VIEW checked AS
WITH s AS (
  SELECT *,
         {period_norm} AS period_norm,
         lower(trim(reporter_raw)) AS reporter_key,
         lower(trim(coalesce(nullif(trim(partner_raw), ''), {partner_default}))) AS partner_key
  FROM staged
)
SELECT s.*, e.code AS reporter, p.code AS partner, i.code AS item, f.code AS flow,
  TRY_CAST(s.value_raw AS DOUBLE) * coalesce(s.scale, 1) AS value,
  TRY_CAST(s.reported_raw AS DOUBLE) * coalesce(s.scale, 1) AS reported,
  TRY_CAST(s.estimated_raw AS DOUBLE) * coalesce(s.scale, 1) AS estimated,
  TRY_CAST(s.growth_raw AS DOUBLE) AS growth_pct,
  TRY_CAST(s.change_raw AS DOUBLE) * coalesce(s.scale, 1) AS change,
  CASE
    WHEN e.code IS NULL THEN 'reporter'
    WHEN p.code IS NULL THEN 'partner'
    WHEN i.code IS NULL THEN 'item'
    WHEN f.code IS NULL THEN 'flow'
    WHEN NOT ({period_ok}) THEN 'period'
    WHEN nullif(trim(s.value_raw), '') IS NOT NULL AND TRY_CAST(s.value_raw AS DOUBLE) IS NULL
      THEN 'value'
    WHEN nullif(trim(s.growth_raw), '') IS NOT NULL AND TRY_CAST(s.growth_raw AS DOUBLE) IS NULL
      THEN 'value'
    WHEN coalesce(TRY_CAST(s.value_raw AS DOUBLE), TRY_CAST(s.reported_raw AS DOUBLE),
                  TRY_CAST(s.estimated_raw AS DOUBLE), TRY_CAST(s.growth_raw AS DOUBLE),
                  TRY_CAST(s.change_raw AS DOUBLE)) IS NULL
      THEN 'empty'
  END AS reason
FROM s
LEFT JOIN economies e ON s.reporter_key = e.key
LEFT JOIN economies p ON s.partner_key = p.key
LEFT JOIN items i ON trim(s.item_raw) = i.key
LEFT JOIN flows f ON trim(s.flow_raw) = f.key
"""


def stored_select(default_unit: str) -> str:
    exprs = {
        "period": "period_norm",
        "period_type": PERIOD_TYPE,
        "year": YEAR_SQL,
        "unit": f"coalesce(nullif(trim(unit_raw), ''), {literal(default_unit)})",
        "line": "CAST(line AS BIGINT)",
    }
    return ", ".join(f"{exprs.get(c, c)} AS {c}" for c in STORED)


def check(con: duckdb.DuckDBPyConnection, staged_sql: str, partner_default: str) -> None:
    """Create ``checked``: staged rows with mapped codes and a ``reason`` when rejected."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS {staged_sql}")
    sql = CHECKED_SQL.format(
        period_norm=period_norm_sql("period_raw"),
        partner_default=literal(partner_default),
        period_ok=period_ok_sql("s.period_norm"),
    )
    con.execute(sql)


def write_rejects(
    con: duckdb.DuckDBPyConnection, quarantine: Path, label: str, columns: dict[str, str]
) -> int:
    """Rejected rows (mapping failures and malformed lines) to ``quarantine``; their count."""
    column = (
        "CASE reason "
        + " ".join(f"WHEN {literal(k)} THEN {literal(columns.get(k, k))}" for k in REASONS)
        + " END"
    )
    value = (
        "CASE reason WHEN 'reporter' THEN reporter_raw WHEN 'partner' THEN partner_raw"
        " WHEN 'item' THEN item_raw WHEN 'flow' THEN flow_raw WHEN 'period' THEN period_raw"
        " WHEN 'value' THEN coalesce(value_raw, growth_raw) ELSE '' END"
    )
    why = (
        "CASE reason "
        + " ".join(f"WHEN {literal(k)} THEN {literal(v)}" for k, v in REASONS.items())
        + " END"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE rejects AS "  # noqa: S608 - values quoted by literal()/quote()
        f'SELECT {literal(label)} AS file, CAST(line AS BIGINT) AS line, {column} AS "column",'
        f" {value} AS value, {why} AS reason FROM checked WHERE reason IS NOT NULL"
        f" UNION ALL SELECT {literal(label)}, line, coalesce(column_name, ''),"
        " csv_line, error_message FROM malformed ORDER BY line"
    )
    count = int(scalar(con, "SELECT count(*) FROM rejects"))
    if count:
        con.execute(f"COPY rejects TO {literal(str(quarantine))} (HEADER, DELIMITER ',')")
    return count


def reject_details(con: duckdb.DuckDBPyConnection, limit: int = 5) -> list[ErrorDetail]:
    rows = con.execute(f"SELECT * FROM rejects ORDER BY line LIMIT {limit}").fetchall()  # noqa: S608 - values quoted by literal()/quote()
    return [
        ErrorDetail(
            str(r[4]),
            file=str(r[0]),
            line=int(r[1]),
            field=str(r[2]) or None,
            value=None if r[3] is None else str(r[3])[:120],
        )
        for r in rows
    ]


def unknown_codes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    rows = con.execute(
        "SELECT \"column\", value, count(*) AS n FROM rejects WHERE reason LIKE 'unknown%'"
        " GROUP BY ALL ORDER BY n DESC, value LIMIT 20"
    ).fetchall()
    return [{"column": r[0], "code": r[1], "rows": int(r[2])} for r in rows]


def write_stored(
    con: duckdb.DuckDBPyConnection, target: Path, default_unit: str, carry_from: Path | None
) -> tuple[int, int]:
    """Stored rows (plus rows carried from the previous vintage) to Parquet: (new, carried)."""
    new = f"SELECT {stored_select(default_unit)} FROM checked WHERE reason IS NULL"  # noqa: S608 - values quoted by literal()/quote()
    con.execute(f"CREATE OR REPLACE TEMP VIEW fresh AS {new}")
    body = "SELECT * FROM fresh"
    if carry_from is not None:
        body += (
            f" UNION ALL BY NAME SELECT * FROM read_parquet({literal(str(carry_from))}) p"  # noqa: S608 - values quoted by literal()/quote()
            " WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE f.item = p.item"
            " AND f.flow = p.flow)"
        )
    written = con.execute(
        f"COPY ({body}) TO {literal(str(target))} (FORMAT parquet, COMPRESSION zstd)"
    ).fetchone()
    total = int(written[0]) if written else 0
    fresh = total if carry_from is None else int(scalar(con, "SELECT count(*) FROM fresh"))
    return fresh, total - fresh


def stored_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many rows of ``checked`` the reference SQL stores."""
    return int(scalar(con, "SELECT count(*) FROM checked WHERE reason IS NULL"))


def quarantine_rejects(
    con: duckdb.DuckDBPyConnection,
    counts: Counts,
    quarantine: Path,
    label: str,
    columns: dict[str, str],
) -> None:
    """Rejected rows of ``checked`` (and malformed lines) to the quarantine file; ``counts``
    then reconciles: rows read = rows stored + rows rejected."""
    with reading(label):
        counts.rows_rejected = write_rejects(con, quarantine, label, columns)
    counts.rows_read = counts.rows_stored + counts.rows_rejected
    counts.unknown_codes = unknown_codes(con)
    counts.first_rejects = reject_details(con)
