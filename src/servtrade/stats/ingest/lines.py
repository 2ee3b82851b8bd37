"""Exact file lines for the reference path when rows and lines disagree.

The reference path numbers rows (``row_number() OVER ()``), which is the file line only while
every row is one line. A blank line between rows, or a quoted field holding a newline, shifts
every later row. When the counts show that (rows read != data lines), one streaming pass with
the csv module finds where each row starts, and the stored rows and the quarantine are written
again with those lines. Only such files pay for the pass.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

TAIL = 1 << 16


@dataclass
class RowLines:
    """Where rows start: from row ``n`` (1-based, as numbered) on, line = n + first - 1 +
    offset; and the lines of the records that do not have every field (malformed)."""

    breaks: list[tuple[int, int]] = field(default_factory=list)
    malformed: list[int] = field(default_factory=list)


def trailing_blank_lines(path: Path) -> int:
    """Empty lines at the end of the file (the readers skip them; they shift no row)."""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - TAIL))
        tail = handle.read().replace(b"\r\n", b"\n")
    stripped = tail.rstrip(b"\n")
    return max(0, len(tail) - len(stripped) - 1) if stripped else 0


def row_lines(path: Path, *, header_line: int, delimiter: str, fields: int) -> RowLines:
    """One pass over ``path`` (UTF-8) with the csv module, quote rules as the reader's."""
    found = RowLines()
    rows = offset = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _ in range(header_line):
            handle.readline()
        reader = csv.reader(handle, delimiter=delimiter, quotechar='"', doublequote=True)
        start = header_line + 1
        for record in reader:
            if record and len(record) != fields:
                found.malformed.append(start)
            elif record:
                rows += 1
                shift = start - (rows + header_line)
                if shift != offset:
                    found.breaks.append((rows, shift))
                    offset = shift
            start = header_line + reader.line_num + 1
    return found


def register(con: duckdb.DuckDBPyConnection, lines: RowLines) -> None:
    """``breaks`` for number_lines(), and the malformed lines' true lines in ``malformed``."""
    starts = [b[0] for b in lines.breaks]
    shifts = [b[1] for b in lines.breaks]
    con.register("breaks_arrow", pa.table({"n_from": starts, "shift": shifts}, schema=_BREAKS))
    con.execute("CREATE OR REPLACE TEMP TABLE breaks AS SELECT * FROM breaks_arrow")
    con.unregister("breaks_arrow")
    true_lines = pa.table({"k": range(1, len(lines.malformed) + 1), "true_line": lines.malformed})
    con.register("true_arrow", true_lines)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE malformed AS SELECT m.* REPLACE"
        " (coalesce(t.true_line, m.line) AS line) FROM (SELECT *, row_number() OVER"
        " (ORDER BY line) AS k FROM malformed) m LEFT JOIN true_arrow t USING (k) ORDER BY line"
    )
    con.execute("ALTER TABLE malformed DROP COLUMN k")
    con.unregister("true_arrow")
    con.execute("DROP TABLE IF EXISTS skips")  # the breaks count malformed lines already


_BREAKS = pa.schema([("n_from", pa.int64()), ("shift", pa.int64())])
