"""Ingest one file into the store as a new vintage of its dataset.

``ingest_file`` detects the layout (or takes ``dataset``), validates and maps every row (on every
core with polars for column layouts, parallel.py; else inside DuckDB, pipeline.py), writes
stored rows aside, quarantines rejects and publishes atomically. The summary
reconciles: rows read = rows stored + rows rejected. Past the dataset's reject threshold the
ingest fails and publishes nothing (the quarantine file still shows why).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from servtrade.errors import DataFileError, ErrorDetail, ValidationError
from servtrade.stats.catalog import Dataset, catalog, get_dataset
from servtrade.stats.ingest import columns, lines, parallel, pipeline, rates, releases, wdi
from servtrade.stats.ingest.detect import Sniffed, sniff
from servtrade.stats.ingest.digest import Digest, file_digest
from servtrade.stats.ingest.digest import file_sha256 as file_sha256
from servtrade.stats.ingest.reader import Staged
from servtrade.stats.ingest.vocabulary import load_vocabulary
from servtrade.stats.store import Store
from servtrade.stats.vintages import Vintage, check_vintage_name, new_vintage_name

Progress = Callable[[str], None]
MEMORY_LIMIT = "1500MB"


@dataclass
class IngestSummary:
    """What one ingest did; ``rows_read == rows_stored + rows_rejected`` always holds."""

    dataset: str
    vintage: str
    file: str
    layout: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    rows_carried: int = 0
    quarantine: str | None = None
    encoding: str = "utf-8"
    delimiter: str = ","
    series: str | None = None
    seconds: float = 0.0
    skipped: bool = False
    unknown_codes: list[dict[str, Any]] = field(default_factory=list)
    reader: str = "reference"  # or "parallel": see parallel.py

    @property
    def reconciled(self) -> bool:
        return self.rows_read == self.rows_stored + self.rows_rejected

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "reconciled": self.reconciled,
            "rows_per_second": round(self.rows_per_second),
        }


@dataclass(frozen=True)
class Plan:
    dataset: Dataset
    staged: Staged
    sniffed: Sniffed | None


def _releases_dataset(wanted: Dataset | None) -> Dataset:
    if wanted is not None:
        if wanted.layout != "releases":
            raise ValidationError(
                f"dataset {wanted.id!r} is not read from a releases YAML file",
                hint="pass a CSV file for this dataset",
            )
        return wanted
    found = [d for d in catalog().values() if d.layout == "releases"]
    return found[0]


def plan(path: Path, wanted: Dataset | None, series: str | None, work: Path) -> Plan:
    """Which dataset and reader a file needs."""
    if path.suffix.lower() in (".yaml", ".yml"):
        return Plan(_releases_dataset(wanted), releases.staged(), None)
    sniffed = sniff(path, work, wanted)
    dataset = sniffed.dataset
    assert dataset is not None  # sniff raises when no layout matches
    if dataset.layout == "wdi":
        staged = wdi.staged(sniffed.header, dataset, series, path.name)
    elif dataset.layout == "rates":
        staged = rates.staged(sniffed.header, dataset)
    elif dataset.layout == "releases":
        raise ValidationError("release figures are read from YAML", hint="pass the .yaml file")
    else:
        staged = columns.staged(sniffed.header, dataset)
    return Plan(dataset, staged, sniffed)


def already_ingested(store: Store, dataset: str, sha256: str) -> Vintage | None:
    """The latest vintage of ``dataset`` when it already holds a file with this content."""
    latest = store.latest(dataset)
    if latest and any(s.get("sha256") == sha256 for s in latest.sources):
        return latest
    return None


def _load(con: duckdb.DuckDBPyConnection, path: Path, found: Plan) -> None:
    if found.sniffed is None:
        con.register("release_rows", releases.releases_table(path))
        pipeline.no_malformed_lines(con)
        return
    s = found.sniffed
    pipeline.load_csv(
        con,
        s.readable,
        header=s.header,
        header_line=s.header_line,
        delimiter=s.delimiter,
        label=str(path),
    )


def _manifest(
    found: Plan,
    *,
    path: Path,
    sha: str,
    counts: pipeline.Counts,
    previous: Vintage | None,
    quarantine: Path | None,
) -> dict[str, Any]:
    source = {
        "file": str(path),
        "sha256": sha,
        "layout": found.dataset.layout,
        "series": found.staged.series,
        "encoding": found.sniffed.encoding if found.sniffed else "utf-8",
    }
    kept = []
    if previous is not None and found.dataset.replace == "slice":
        kept = [s for s in previous.sources if s.get("series") != found.staged.series]
    return {
        "rows_read": counts.rows_read,
        "rows_stored": counts.rows_stored,
        "rows_rejected": counts.rows_rejected,
        "rows_carried": counts.rows_carried,
        "sources": [source, *kept],
        "quarantine": str(quarantine) if quarantine else None,
        "unknown_codes": counts.unknown_codes,
    }


def _run(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    found: Plan,
    *,
    path: Path,
    target: Path,
    quarantine: Path,
    digest: Future[Digest],
    progress: Progress,
) -> pipeline.Counts:
    progress("reading")
    load_vocabulary(con, found.dataset)
    counts = None
    if _carried_from(store, found) is None:  # rows carried over are the reference path's
        counts = parallel.run(
            con,
            found.staged,
            dataset=found.dataset,
            sniffed=found.sniffed,
            target=target,
            quarantine=quarantine,
            digest=digest,
            progress=progress,
        )
    if counts is None:
        counts = _reference(
            con,
            store,
            found,
            path=path,
            target=target,
            quarantine=quarantine,
            digest=digest,
            progress=progress,
        )
    if counts.rows_read == 0:
        raise DataFileError(
            f"{path.name} has no data rows",
            errors=[ErrorDetail("no rows after the header", file=str(path))],
        )
    threshold = found.dataset.reject_threshold
    if counts.rows_rejected > threshold * counts.rows_read:
        raise DataFileError(
            f"{counts.rows_rejected} of {counts.rows_read} rows of {path.name} rejected, over the"
            f" threshold of {threshold:.1%}; nothing was published",
            errors=counts.first_rejects,
            hint=f"see the quarantine file {quarantine}",
        )
    return counts


def _reference(
    con: duckdb.DuckDBPyConnection,
    store: Store,
    found: Plan,
    *,
    path: Path,
    target: Path,
    quarantine: Path,
    digest: Future[Digest],
    progress: Progress,
) -> pipeline.Counts:
    """The reference path: DuckDB reads, numbers, validates and maps the file (pipeline.py)."""
    _load(con, path, found)
    pipeline.check(con, found.staged.sql, found.dataset.defaults.get("partner", "WLD"))
    progress("writing")
    # one streaming pass: read, validate, map and write the stored rows
    counts = _write(con, store, found, target, label=str(path))
    malformed = pipeline.snapshot_malformed(con)
    if malformed and found.sniffed is not None:
        # rows after a malformed line were numbered too low: number them again and rewrite
        pipeline.number_lines(con, found.sniffed.header_line + 1)
        counts = _write(con, store, found, target, label=str(path))
    progress("validating")
    if not malformed and _all_stored(found, digest, counts.rows_stored):
        counts.rows_read = counts.rows_stored  # every data line was stored: no rejects
        return counts
    _rejects(con, found, counts, path=path, quarantine=quarantine)
    s = found.sniffed
    expected = _data_lines(found, digest)
    if s is not None and expected is not None and counts.rows_read != expected:
        # rows are not one per line (blank lines, quoted newlines): find the true lines
        found_lines = lines.row_lines(
            s.readable, header_line=s.header_line, delimiter=s.delimiter, fields=len(s.header)
        )
        lines.register(con, found_lines)
        pipeline.number_lines(con, s.header_line + 1)
        counts = _write(con, store, found, target, label=str(path))
        _rejects(con, found, counts, path=path, quarantine=quarantine)
    return counts


def _data_lines(found: Plan, digest: Future[Digest]) -> int | None:
    """Data lines of a file read one row per line (trailing blank lines left out)."""
    s = found.sniffed
    total = digest.result().lines
    if s is None or total is None or not found.staged.one_row_per_line:
        return None
    return total - s.header_line - lines.trailing_blank_lines(s.readable)


def _carried_from(store: Store, found: Plan) -> Path | None:
    previous = store.latest(found.dataset.id)
    if previous is not None and found.dataset.replace == "slice":
        return store.data_file(previous.dataset, previous.vintage)
    return None


def _write(
    con: duckdb.DuckDBPyConnection, store: Store, found: Plan, target: Path, *, label: str
) -> pipeline.Counts:
    carry = _carried_from(store, found)
    with pipeline.reading(label):
        stored, carried = pipeline.write_stored(con, target, found.dataset.unit, carry)
    return pipeline.Counts(rows_stored=stored, rows_carried=carried)


def _all_stored(found: Plan, digest: Future[Digest], accounted: int) -> bool:
    """Whether the file's data lines are all stored or malformed (so nothing else was
    rejected): known only for a CSV read as it is, one row per line."""
    s = found.sniffed
    if s is None or s.readable != s.source or not found.staged.one_row_per_line:
        return False
    lines = digest.result().lines
    return lines is not None and lines - s.header_line == accounted


def _rejects(
    con: duckdb.DuckDBPyConnection,
    found: Plan,
    counts: pipeline.Counts,
    *,
    path: Path,
    quarantine: Path,
) -> None:
    """The second, cheap pass: rejected rows to the quarantine file, with their counts."""
    pipeline.quarantine_rejects(con, counts, quarantine, str(path), found.staged.columns)


def ingest_file(
    store: Store,
    path: Path,
    *,
    dataset: str | None = None,
    series: str | None = None,
    vintage: str | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read ``path`` into a new vintage; raise DataFileError/ValidationError on bad input."""
    started = time.perf_counter()
    report = progress or (lambda _stage: None)
    wanted = get_dataset(dataset) if dataset else None
    name = check_vintage_name(vintage) if vintage else new_vintage_name()
    if not path.is_file():
        raise DataFileError(
            f"no such file: {path}", errors=[ErrorDetail("not found", file=str(path))]
        )
    # the checksum pass runs beside DuckDB's (hashlib releases the GIL on large reads)
    with ThreadPoolExecutor(max_workers=1) as pool, store.scratch() as work:
        digest = pool.submit(file_digest, path)
        found = plan(path, wanted, series, work)
        quarantine = store.quarantine_path(found.dataset.id, name)
        with store.staging(found.dataset.id, name) as staging, duckdb.connect() as con:
            con.execute(f"SET temp_directory = {pipeline.literal(str(work))}")
            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            con.execute("SET enable_progress_bar = false")
            # read_csv tells the planner nothing of its size (it guesses a few rows), so it
            # would build the validation hash joins on the file: keep them on the vocabulary
            con.execute("SET disabled_optimizers = 'build_side_probe_side'")
            counts = _run(
                con,
                store,
                found,
                path=path,
                target=staging.data_file,
                quarantine=quarantine,
                digest=digest,
                progress=report,
            )
            previous = store.latest(found.dataset.id)
            kept = quarantine if counts.rows_rejected else None
            manifest = _manifest(
                found,
                path=path,
                sha=digest.result().sha256,
                counts=counts,
                previous=previous,
                quarantine=kept,
            )
            published = store.publish(staging, manifest)
    report("published")
    return IngestSummary(
        dataset=found.dataset.id,
        vintage=published.vintage,
        file=str(path),
        layout=found.dataset.layout,
        rows_read=counts.rows_read,
        rows_stored=counts.rows_stored,
        rows_rejected=counts.rows_rejected,
        rows_carried=counts.rows_carried,
        quarantine=str(kept) if kept else None,
        encoding=found.sniffed.encoding if found.sniffed else "utf-8",
        delimiter=found.sniffed.delimiter if found.sniffed else "",
        series=found.staged.series,
        seconds=time.perf_counter() - started,
        unknown_codes=counts.unknown_codes,
        reader=counts.reader,
    )
