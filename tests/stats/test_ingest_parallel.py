"""The parallel ingest path (polars) gives exactly what the reference path (DuckDB) gives.

A file is ingested twice: as written (the parallel path reads it) and with one more empty line
at its end (the same rows and lines, but the line counts no longer prove one row per line, so
the reference path reads it). Stored rows, their lines, the quarantine and the counts must be
identical.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servtrade.stats.ingest import IngestSummary, ingest_file
from servtrade.stats.store import Store

HEADER = (
    "Reporter,type_Reporter,Partner,type_Partner,Flow,Item_code,type_Item,Year,"
    "Reported_value,Estimated_value,Balanced_value"
)
ECONOMIES = ("CHN", "USA", "DEU", "JPN", "FRA", "IND", "BRA")
ITEMS = ("S", "SI", "SJ", "SC1", "SD")


def _good(n: int) -> str:
    reporter = ECONOMIES[n % 7]
    partner = ECONOMIES[(n // 7) % 7]
    item, flow, year = ITEMS[n % 5], "XM"[n % 2], 2005 + n % 17
    reported = "" if n % 3 == 0 else f"{n % 997}.5"
    return f"{reporter},c,{partner},c,{flow},{item},i,{year},{reported},{n % 991}.25,{n % 983}"


def _write(path: Path, rows: list[str], *, quoted: bool = False, end: str = "\n") -> Path:
    body = [",".join(f'"{v}"' for v in r.split(",")) for r in rows] if quoted else rows
    path.write_text("\n".join([HEADER, *body]) + end, encoding="utf-8")
    return path


def _stored(store: Store, summary: IngestSummary) -> list[tuple[object, ...]]:
    data = store.data_file(summary.dataset, summary.vintage)
    return duckdb.sql(
        f"SELECT * FROM read_parquet('{data}', hive_partitioning=false) ORDER BY line"
    ).fetchall()


def _quarantine(summary: IngestSummary) -> list[tuple[str, ...]]:
    if summary.quarantine is None:
        return []
    with Path(summary.quarantine).open() as handle:
        return [(r["line"], r["column"], r["value"], r["reason"]) for r in csv.DictReader(handle)]


def _both(
    tmp_path: Path, rows: list[str], end: str = "\n", *, quoted: bool = False
) -> tuple[tuple[Any, ...], ...]:
    """(summary, stored rows, quarantine rows) of each path; asserts which path read which."""
    found = []
    for blank, reader in (("", "parallel"), ("\n" if end else "\n\n", "reference")):
        folder = tmp_path / reader
        folder.mkdir()
        path = _write(folder / "batis.csv", rows, quoted=quoted, end=end + blank)
        store = Store(folder / "store")
        summary = ingest_file(store, path, dataset="batis", vintage="v1")
        assert summary.reader == reader
        found.append((summary, _stored(store, summary), _quarantine(summary)))
    return tuple(found)


def _counts(summary: IngestSummary) -> tuple[int, int, int]:
    return summary.rows_read, summary.rows_stored, summary.rows_rejected


def _same_values(a: list[tuple[object, ...]], b: list[tuple[object, ...]]) -> bool:
    def same(x: object, y: object) -> bool:
        both_nan = isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)
        return x == y or both_nan

    return len(a) == len(b) and all(map(same, (v for r in a for v in r), (v for r in b for v in r)))


def test_a_clean_file_is_read_in_parallel_with_its_lines(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(500)]
    (ours, stored, rejects), (ref, ref_stored, ref_rejects) = _both(tmp_path, rows)
    assert _counts(ours) == _counts(ref) == (500, 500, 0)
    assert _same_values(stored, ref_stored)
    assert [r[-1] for r in stored] == list(range(2, 502))
    assert rejects == ref_rejects == []


def test_rejects_in_several_places_match_the_reference(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(3000)]
    rows[0] = rows[0].replace("CHN,c", "XXX,c", 1)  # first data line
    rows[700] = "CHN,c,USA,c,X,S,i,2023,1,1,abc"  # a value that is not a number
    rows[1500] = "CHN,c,USA,c,Z,S,i,2023,1,1,1"  # unknown flow
    rows[1501] = "CHN,c,USA,c,X,QQ,i,2023,1,1,1"  # unknown item
    rows[2222] = "CHN,c,USA,c,X,S,i,20X4,1,1,1"  # not a period
    rows[2500] = "CHN,c,USA,c,X,S,i,2023,,,"  # no value at all
    rows[-1] = "CHN,c,YYY,c,X,S,i,2023,1,1,1"  # unknown partner, on a last line with no newline
    (ours, stored, rejects), (ref, ref_stored, ref_rejects) = _both(tmp_path, rows, end="")
    assert _counts(ours) == _counts(ref) == (3000, 2993, 7)
    assert _same_values(stored, ref_stored)
    assert rejects == ref_rejects
    assert [r[0] for r in rejects] == ["2", "702", "1502", "1503", "2224", "2502", "3001"]
    assert ours.unknown_codes == ref.unknown_codes


def test_rejects_near_chunk_borders_keep_their_lines(tmp_path: Path) -> None:
    # ~12 MB: polars reads it in many chunks; rejects every few thousand lines and around
    # powers of two, where chunk borders tend to fall
    rows = [_good(n) for n in range(250_000)]
    bad = sorted(
        {*range(997, 250_000, 4999), *(2**k + d for k in range(10, 18) for d in (-1, 0, 1))}
    )
    for n in bad:
        rows[n] = "XXX," + rows[n].split(",", 1)[1]
    (ours, stored, rejects), (ref, ref_stored, ref_rejects) = _both(tmp_path, rows)
    assert _counts(ours) == _counts(ref) == (250_000, 250_000 - len(bad), len(bad))
    assert rejects == ref_rejects
    assert [int(r[0]) for r in rejects] == [n + 2 for n in bad]
    assert _same_values(stored, ref_stored)


def test_periods_and_codes_in_every_spelling_match_the_reference(tmp_path: Path) -> None:
    periods = ["2024", "2025H1", "2025-S2", "2025Q3", "2025-Q4", "2025-08", "2025-01..2025-08"]
    periods += ["2012..2021", "20X4", "2025-13", "2025Q5"]
    codes = [("chn", "usa", "X"), ("China", "WLD", "M"), ("CHN", "", "X"), ("CHN", "USA", "x")]
    rows = [_good(n) for n in range(3000)]
    for n, period in enumerate(periods):
        rows[100 * n + 7] = f"CHN,c,USA,c,X,S,i,{period},1,2,3"
    for n, (reporter, partner, flow) in enumerate(codes):
        rows[100 * n + 50] = f"{reporter},c,{partner},c,{flow},S,i,2020,1,2,3"
    (ours, stored, rejects), (ref, ref_stored, ref_rejects) = _both(tmp_path, rows)
    assert _counts(ours) == _counts(ref)
    assert _same_values(stored, ref_stored)
    assert rejects == ref_rejects
    assert ours.rows_rejected == 4  # 20X4, 2025-13, 2025Q5 and the flow x


@pytest.mark.parametrize(("period", "year"), [("1850", 1850), ("2024 ", 2024)])
def test_a_period_outside_the_lookup_is_read_by_the_reference(
    tmp_path: Path, period: str, year: int
) -> None:
    rows = [_good(n) for n in range(200)]
    rows[20] = f"CHN,c,USA,c,X,S,i,{period},1,2,3"
    path = _write(tmp_path / "batis.csv", rows)
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    assert (summary.reader, _counts(summary)) == ("reference", (200, 200, 0))
    assert [r[6] for r in _stored(store, summary) if r[-1] == 22] == [year]


def test_a_row_only_the_reference_reads_sends_the_file_there(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(200)]
    rows[50] = "CHN,c,USA,c,X,S,i,2023,1,2_500,3"  # DuckDB reads 2_500; polars does not
    path = _write(tmp_path / "batis.csv", rows)
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    assert (summary.reader, _counts(summary)) == ("reference", (200, 200, 0))
    assert [r[12] for r in _stored(store, summary) if r[-1] == 52] == [2.5e9]


def test_a_long_line_is_reported_by_the_reference_path(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(200)]
    rows[10] += ",extra"
    path = _write(tmp_path / "batis.csv", rows)
    summary = ingest_file(Store(tmp_path / "store"), path, dataset="batis", vintage="v1")
    assert (summary.reader, _counts(summary)) == ("reference", (200, 199, 1))
    assert [r[0] for r in _quarantine(summary)] == ["12"]


@pytest.mark.parametrize(
    ("extra", "line_after", "reader"),
    [
        ("", 13, "reference"),  # a blank line between rows
        ('CHN,c,USA,"c\nwith a newline",X,S,i,2023,1,1,1', 14, "reference"),  # a quoted newline
        ('CHN,c,USA,"c, quoted",X,S,i,2023,1,1,1', 13, "parallel"),  # a quoted delimiter
    ],
)
def test_lines_stay_exact_when_rows_are_not_one_per_line(
    tmp_path: Path, extra: str, line_after: int, reader: str
) -> None:
    rows = [_good(n) for n in range(10)] + [extra] + [_good(n) for n in range(10, 200)]
    rows.append("XXX,c,USA,c,X,S,i,2023,1,1,1")
    path = _write(tmp_path / "batis.csv", rows)
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    stored = _stored(store, summary)
    lines = [r[-1] for r in stored]
    assert summary.reader == reader
    assert lines[10 if extra == "" else 11] == line_after  # the first row after it
    last = 201 + line_after - 12
    assert lines[-1] == last
    assert [r[0] for r in _quarantine(summary)] == [str(last + 1)]


def test_quoted_files_are_read_in_parallel_with_the_same_results(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(2000)]
    rows[5] = "CHN,c,USA,c,X,S,i,2023,1,1,abc"
    rows[1200] = "XXX,c,USA,c,X,S,i,2023,1,1,1"
    (ours, stored, rejects), (ref, ref_stored, ref_rejects) = _both(tmp_path, rows, quoted=True)
    assert _counts(ours) == _counts(ref) == (2000, 1998, 2)
    assert _same_values(stored, ref_stored)
    assert rejects == ref_rejects
    assert [r[0] for r in rejects] == ["7", "1202"]


@pytest.mark.parametrize(
    "odd",
    [
        '"CHN","c","USA"',  # a short line
        '"CHN","c","USA","c","X","S","i","2023","1","1,5"',  # short, but as many delimiters
        '"CHN","c","USA","c\nx","X","S","i","2023","1","1","1"',  # a quoted newline
    ],
)
def test_odd_lines_of_quoted_files_go_to_the_reference_path(tmp_path: Path, odd: str) -> None:
    good = [",".join(f'"{v}"' for v in _good(n).split(",")) for n in range(300)]
    path = tmp_path / "batis.csv"
    path.write_text("\n".join([HEADER, *good[:100], odd, *good[100:]]) + "\n")
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    lines = [r[-1] for r in _stored(store, summary)]
    assert summary.reader == "reference"
    newline = "\n" in odd
    assert (lines[101] if newline else lines[100]) == (104 if newline else 103)
    assert [r[0] for r in _quarantine(summary)] == ([] if newline else ["102"])


def test_a_file_name_with_pattern_characters_is_read_as_named(tmp_path: Path) -> None:
    path = _write(tmp_path / "batis [2024] *.csv", [_good(n) for n in range(50)])
    summary = ingest_file(Store(tmp_path / "store"), path, dataset="batis", vintage="v1")
    assert (summary.reader, _counts(summary)) == ("parallel", (50, 50, 0))


def test_crlf_files_are_read_in_parallel(tmp_path: Path) -> None:
    path = tmp_path / "batis.csv"
    path.write_bytes(("\r\n".join([HEADER, *(_good(n) for n in range(100))]) + "\r\n").encode())
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    assert (summary.reader, _counts(summary)) == ("parallel", (100, 100, 0))
    assert [r[-1] for r in _stored(store, summary)] == list(range(2, 102))


NUMBERISH = st.text(alphabet="0123456789.eE+-_ infaINFAx,", min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(NUMBERISH)
def test_a_number_polars_reads_is_the_number_duckdb_reads(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    """The parallel path stores a number polars parsed; the reference SQL must agree."""
    folder = tmp_path_factory.mktemp("n")
    path = folder / "n.csv"
    path.write_text(f"v\n{text}\n")
    with duckdb.connect() as con:
        row = con.execute("SELECT TRY_CAST(? AS DOUBLE)", [text]).fetchone()
    theirs = row[0] if row else None
    cast = pl.Series([text]).cast(pl.Float64, strict=False)[0]
    try:
        read = pl.read_csv(path, schema={"v": pl.Float64})["v"][0]
    except pl.exceptions.PolarsError:
        read = None
    for ours in (cast, read):
        if ours is not None:
            assert theirs is not None
            assert ours == theirs or (math.isnan(ours) and math.isnan(theirs))


def test_the_parallel_path_writes_one_file_per_year(tmp_path: Path) -> None:
    """Each file holds one year, so a question about a year reads that year's rows only."""
    path = _write(tmp_path / "batis.csv", [_good(n) for n in range(340)])
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    folder = store.vintage_dir("batis", "v1")
    files = sorted(p.name for p in (folder / "data").iterdir())
    assert (summary.reader, files) == (
        "parallel",
        [f"year-{y}-0.parquet" for y in range(2005, 2022)],
    )
    assert not (folder / "data.parquet").exists()
    per_file = duckdb.sql(
        f"SELECT filename[-19:], min(year), max(year), count(*) FROM read_parquet("
        f"'{store.data_file('batis', 'v1')}', filename=true) GROUP BY ALL ORDER BY ALL"
    ).fetchall()
    assert per_file == [(f"year-{y}-0.parquet", y, y, 20) for y in range(2005, 2022)]


def test_a_file_the_reference_path_reads_leaves_no_files_per_year(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(200)]
    rows[50] = "CHN,c,USA,c,X,S,i,2023,1,2_500,3"  # DuckDB reads 2_500; polars does not
    path = _write(tmp_path / "batis.csv", rows)
    store = Store(tmp_path / "store")
    summary = ingest_file(store, path, dataset="batis", vintage="v1")
    folder = store.vintage_dir("batis", "v1")
    assert (summary.reader, summary.rows_stored) == ("reference", 200)
    assert sorted(p.name for p in folder.iterdir()) == ["data.parquet", "manifest.json"]


def test_diff_between_vintages_read_from_files_per_year(tmp_path: Path) -> None:
    rows = [_good(n) for n in range(340)]
    store = Store(tmp_path / "store")
    first = ingest_file(store, _write(tmp_path / "a.csv", rows), dataset="batis", vintage="v1")
    changed = [*rows[:10], rows[10].rsplit(",", 1)[0] + ",5000", *rows[11:339]]
    second = ingest_file(store, _write(tmp_path / "b.csv", changed), dataset="batis", vintage="v2")
    assert (first.reader, second.reader) == ("parallel", "parallel")
    diff = store.diff("batis", "v1", "v2")
    key = ("reporter", "partner", "item", "flow", "period")
    assert [(*(c.key[k] for k in key), c.before, c.after) for c in diff.changed] == [
        ("JPN", "USA", "S", "exports", "2015", 10.0e6, 5000.0e6)
    ]
    assert [tuple(c.key[k] for k in key) for c in diff.removed] == [
        ("JPN", "BRA", "SD", "imports", "2021")
    ]
    assert (diff.added, diff.unchanged) == ([], 338)
