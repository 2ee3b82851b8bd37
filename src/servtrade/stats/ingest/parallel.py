"""The parallel path for delimited files in a column layout (BaTIS, SDMX-CSV, WTO Stats).

The reference pipeline (pipeline.py) numbers rows with ``row_number() OVER ()``, which makes
DuckDB read the file on one thread. Here polars reads the file on every core with each row's
file line, maps codes and periods through lookup tables that the reference SQL itself computed
(over the spellings files use: ``CHN``, ``chn``, ``China``, ``2024``, ``2025-Q1``, ...), and
writes the stored rows. It stores a row only when the reference SQL would store it with the
same values; any row it doubts (a spelling outside the tables, a number polars does not parse)
goes to the reference SQL in a second pass, run only when such rows exist, which quarantines
them. The caller runs the reference pipeline on the whole file instead when that SQL would have
stored one of them, or when the file is not shown to be one row per line with every field
(a blank, short or long line, a quoted newline, a stray carriage return): results and line
numbers never depend on which path ran (tests/stats/test_ingest_parallel.py checks both paths
against each other).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq

from servtrade.stats.catalog import Dataset
from servtrade.stats.ingest import pipeline
from servtrade.stats.ingest.detect import Sniffed
from servtrade.stats.ingest.digest import Digest
from servtrade.stats.ingest.mapping import (
    LINE,
    Layout,
    Lookups,
    checked,
    doubted,
    lookups,
    stored,
)
from servtrade.stats.ingest.reader import Staged
from servtrade.stats.store import year_folder

SAMPLE = 1 << 16
SUPPORTED = frozenset(
    {"reporter", "partner", "item", "flow", "period", "value", "reported", "estimated"}
    | {"unit", "unit_mult"}
)


def layout(sniffed: Sniffed | None, staged: Staged, dataset: Dataset) -> Layout | None:
    """The file's layout when this path can read it, else None (the reference path reads it)."""
    if sniffed is None or staged.scale_sql is None or sniffed.readable != sniffed.source:
        return None
    names = tuple(pipeline.unique_names(sniffed.header))
    if not set(staged.columns) <= SUPPORTED or LINE in names or len(sniffed.delimiter) != 1:
        return None
    return Layout(
        path=sniffed.readable,
        names=names,
        header_line=sniffed.header_line,
        delimiter=sniffed.delimiter,
        fields=dict(staged.columns),
        scale=staged.scale_sql,
        unit=dataset.unit,
        partner_default=dataset.defaults.get("partner", "WLD"),
        quoted=_quoted(sniffed.readable, sniffed.header_line),
    )


def one_row_per_line(lay: Layout, digest: Digest) -> int | None:
    """The number of data lines when every data line is one row with every field, else None.
    Polars fails on a line with too many fields. Without quotes, as many delimiters as
    (fields - 1) x lines then leaves no line short. With quotes, rows are ``ok`` only with their
    last field (mapping.py) and the caller checks the others: as many rows as lines then leaves
    no quoted newline (a row is at least one line) and no short line."""
    returns, newlines = digest.count("\r"), digest.count("\n")
    if digest.lines is None or (returns and not returns == digest.crlf == newlines):
        return None
    with lay.path.open("rb") as handle:
        head = b"".join(handle.readline() for _ in range(lay.header_line))
    lines = digest.lines - lay.header_line
    if lay.quoted:
        return lines
    quotes = digest.count('"') - head.count(b'"')
    delimiters = digest.count(lay.delimiter) - head.count(lay.delimiter.encode())
    if quotes or delimiters != (len(lay.names) - 1) * lines:
        return None
    return lines


def _quoted(path: Path, header_line: int) -> bool:
    """Whether the first data lines hold a quote (then the whole file is read as quoted)."""
    with path.open("rb") as handle:
        for _ in range(header_line):
            handle.readline()
        return b'"' in handle.read(SAMPLE)


def _write(frame: pl.LazyFrame, target: Path) -> int:
    frame.sink_parquet(target, compression="zstd")
    return int(pq.read_metadata(target).num_rows)


def _year_file(args: pl.io.partition.FileProviderArgs) -> str:
    return f"year-{args.partition_keys[0, 0]}-{args.index_in_partition}.parquet"


def _write_years(frame: pl.LazyFrame, target: Path) -> int:
    """Write the stored rows one file per year into the folder beside ``target`` (rows in file
    order within a year). The synthetic and real files are in no useful order, so one
    file's row-group statistics skip nothing; per year, a question about one or two years
    reads only those files. Partitioning as it streams costs no more than one file (a sort
    would cost five times the ingest). With no row at all, one empty ``target``."""
    folder = year_folder(target)
    key = pl.PartitionBy(folder, key="year", include_key=True, file_path_provider=_year_file)
    frame.sink_parquet(key, compression="zstd", mkdir=True)
    files = sorted(folder.glob("*.parquet"))
    if files:
        return sum(int(pq.read_metadata(f).num_rows) for f in files)
    shutil.rmtree(folder, ignore_errors=True)
    pl.DataFrame(schema=frame.collect_schema()).write_parquet(target, compression="zstd")
    return 0


def _store(lay: Layout, lk: Lookups, target: Path) -> tuple[pl.LazyFrame, int] | None:
    """Write the stored rows: with the typed reader, else (a spelling or number it could not
    parse) reading text; None when polars cannot read the file."""
    for typed in (True, False):
        frame = checked(lay, lk, typed=typed)
        try:
            return frame, _write_years(stored(frame), target)
        except pl.exceptions.PolarsError:
            shutil.rmtree(year_folder(target), ignore_errors=True)  # a half-written attempt
            continue  # e.g. a line with too many fields: the reference path reports it
    return None


def run(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    *,
    dataset: Dataset,
    sniffed: Sniffed | None,
    target: Path,
    quarantine: Path,
    digest: Future[Digest],
    progress: Callable[[str], None],
) -> pipeline.Counts | None:
    """Ingest through this path: the counts, or None when the reference path must read the
    file (nothing is then left beside ``target``: the reference path writes it)."""
    lay = layout(sniffed, staged, dataset)
    if lay is None:
        return None
    progress("writing")
    found = _store(lay, lookups(con, dataset, lay), target)
    counts = None
    if found is not None:
        counts = _validate(
            con, staged, lay, found, target=target, quarantine=quarantine,
            digest=digest.result(), progress=progress,
        )  # fmt: skip
    if counts is None:
        shutil.rmtree(year_folder(target), ignore_errors=True)
        target.unlink(missing_ok=True)
    return counts


def _validate(
    con: duckdb.DuckDBPyConnection,
    staged: Staged,
    lay: Layout,
    written: tuple[pl.LazyFrame, int],
    *,
    target: Path,
    quarantine: Path,
    digest: Digest,
    progress: Callable[[str], None],
) -> pipeline.Counts | None:
    """The counts once the written rows are reconciled with the file's lines (doubted rows
    judged by the reference SQL), or None when the reference path must read the file."""
    lines = one_row_per_line(lay, digest)
    if lines is None:
        return None
    frame, rows = written
    counts = pipeline.Counts(rows_read=rows, rows_stored=rows, reader="parallel")
    if rows == lines:
        return counts
    progress("validating")
    aside = target.with_name("doubted.parquet")  # in the staging folder: never published
    try:
        judged = _judge_doubted(
            con,
            frame,
            lay=lay,
            staged=staged,
            counts=counts,
            lines=lines,
            aside=aside,
            quarantine=quarantine,
        )
    finally:
        aside.unlink(missing_ok=True)
    return counts if judged else None


def _judge_doubted(
    con: duckdb.DuckDBPyConnection,
    frame: pl.LazyFrame,
    *,
    lay: Layout,
    staged: Staged,
    counts: pipeline.Counts,
    lines: int,
    aside: Path,
    quarantine: Path,
) -> bool:
    """Hand the doubted rows to the reference SQL: True when it rejects them all (they are
    then quarantined and counted), False when it would store some."""
    if _write(doubted(frame, lay), aside) + counts.rows_stored != lines:
        return False
    source = f"SELECT * FROM read_parquet({pipeline.literal(str(aside))})"  # noqa: S608 - quoted by literal()
    con.execute(f"CREATE OR REPLACE TEMP VIEW src AS {source}")
    if lay.quoted and pipeline.scalar(con, "SELECT count(*) FROM src WHERE NOT __complete"):
        return False  # a short line, or a blank one: the reference path reports it
    pipeline.no_malformed_lines(con)
    pipeline.check(con, staged.sql, lay.partner_default)
    if pipeline.stored_count(con):
        return False
    pipeline.quarantine_rejects(con, counts, quarantine, str(lay.path), staged.columns)
    return True
