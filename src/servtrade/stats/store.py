"""The versioned statistics store: Parquet partitioned by dataset and vintage, plus a DuckDB
catalog file, queried through ibis on the DuckDB backend.

Layout under ``settings.store_dir``::

    parquet/dataset=<id>/vintage=<v>/data.parquet   observations (the reference ingest path)
    parquet/dataset=<id>/vintage=<v>/data/*.parquet observations, one file per year (the
                                                     parallel path: a question about a year
                                                     or two reads only those files' rows)
    parquet/dataset=<id>/vintage=<v>/manifest.json  rows read/stored/rejected, sources
    quarantine/<id>/<v>.csv                          rejects: file, line, column, value, reason
    catalog.duckdb                                   ``vintages`` table, ``observations`` view
    .staging/<id>-<v>-<pid>-<token>/                 work in progress (write aside)

Publishing renames a finished staging folder into ``parquet/`` in one step, so a reader (or a
SIGKILL) sees either the previous vintages or the new one, never half of it. Staging folders
left by dead processes are removed when a store is opened.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeAlias

import duckdb
import ibis

from servtrade.config import Settings
from servtrade.errors import ConflictError, NotFoundError, StoreError
from servtrade.stats.prepared import Shapes, Value
from servtrade.stats.vintages import Change, Diff, Staging, Vintage, check_vintage_name

# An ibis table expression (ibis is untyped under our mypy settings, so Any).
Table: TypeAlias = Any
KEY = ("reporter", "partner", "item", "flow", "period", "alternative")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - another user's live process
        return True
    return True


class Store:
    """The statistics store rooted at ``root`` (normally ``settings.store_dir``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.parquet = root / "parquet"
        self.staging_dir = root / ".staging"
        for folder in (self.parquet, self.staging_dir, root / "quarantine"):
            folder.mkdir(parents=True, exist_ok=True)
        self.cleanup()
        self._ibis: Any = None
        self._views: dict[tuple[str, ...], Table] = {}
        self._shapes = Shapes()
        self._manifests: dict[str, tuple[int, tuple[Vintage, ...]]] = {}

    # -- write side ------------------------------------------------------------------------

    def cleanup(self) -> list[Path]:
        """Remove staging folders whose process is gone; return what was removed."""
        removed = []
        for leftover in self.staging_dir.iterdir():
            parts = leftover.name.rsplit("-", 2)
            pid = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else -1
            if pid == os.getpid() or (pid > 0 and _pid_alive(pid)):
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
        return removed

    def vintage_dir(self, dataset: str, vintage: str) -> Path:
        return self.parquet / f"dataset={dataset}" / f"vintage={vintage}"

    def quarantine_path(self, dataset: str, vintage: str) -> Path:
        path = self.root / "quarantine" / dataset / f"{vintage}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @contextmanager
    def staging(self, dataset: str, vintage: str) -> Iterator[Staging]:
        """A fresh write-aside folder, removed if the block fails."""
        check_vintage_name(vintage)
        if self.vintage_dir(dataset, vintage).exists():
            raise ConflictError(
                f"vintage {vintage!r} of {dataset!r} already exists",
                hint="choose another --vintage or leave it out",
            )
        token = f"{dataset}.{vintage}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        path = self.staging_dir / token
        path.mkdir()
        try:
            yield Staging(dataset=dataset, vintage=vintage, path=path)
        finally:
            shutil.rmtree(path, ignore_errors=True)

    @contextmanager
    def scratch(self) -> Iterator[Path]:
        """A private work folder (spill files, transcoded input), always removed afterwards."""
        path = self.staging_dir / f"scratch-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def publish(self, staging: Staging, manifest: dict[str, Any]) -> Vintage:
        """Write the manifest, then rename the staging folder into place (atomic)."""
        manifest = {**manifest, "dataset": staging.dataset, "vintage": staging.vintage}
        manifest.setdefault("created_at", datetime.now(UTC).isoformat())
        (staging.path / "manifest.json").write_text(json.dumps(manifest, indent=2), "utf-8")
        target = self.vintage_dir(staging.dataset, staging.vintage)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            staging.path.rename(target)
        except OSError as exc:
            raise StoreError(
                f"cannot publish vintage {staging.vintage!r}: {exc}",
                hint="check the store folder is writable",
            ) from exc
        self._views.clear()
        self._shapes.clear()
        self.write_catalog()
        return self._read_manifest(target / "manifest.json")

    def write_catalog(self) -> Path:
        """Rebuild ``catalog.duckdb`` aside, then swap it in."""
        aside = self.staging_dir / f"catalog-{os.getpid()}-{uuid.uuid4().hex[:8]}.duckdb"
        rows = [v for d in self.datasets() for v in self.vintages(d)]
        with duckdb.connect(str(aside)) as con:
            con.execute(
                "CREATE TABLE vintages (dataset VARCHAR, vintage VARCHAR, created_at VARCHAR,"
                " rows_read BIGINT, rows_stored BIGINT, rows_rejected BIGINT, latest BOOLEAN)"
            )
            latest = {d: self.latest(d) for d in self.datasets()}
            con.executemany(
                "INSERT INTO vintages VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        v.dataset,
                        v.vintage,
                        v.created_at,
                        v.rows_read,
                        v.rows_stored,
                        v.rows_rejected,
                        latest[v.dataset] == v,
                    )
                    for v in rows
                ],
            )
            files = self.latest_files()
            if files:
                con.execute(f"CREATE VIEW observations AS SELECT * FROM {_parquet_sql(files)}")  # noqa: S608 - values quoted by literal()/quote()
        final = self.root / "catalog.duckdb"
        aside.replace(final)
        return final

    # -- read side -------------------------------------------------------------------------

    def datasets(self) -> list[str]:
        return sorted(
            p.name.removeprefix("dataset=")
            for p in self.parquet.glob("dataset=*")
            if any(p.glob("vintage=*/manifest.json"))
        )

    def vintages(self, dataset: str) -> list[Vintage]:
        """Published vintages of ``dataset``, oldest first."""
        folder = self.parquet / f"dataset={dataset}"
        try:
            # publishing renames a vintage folder in, which changes the folder's mtime: the
            # manifests are read again only then (a query otherwise re-reads every manifest)
            stamp = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        cached = self._manifests.get(dataset)
        if cached is not None and cached[0] == stamp:
            return list(cached[1])
        found = [self._read_manifest(m) for m in folder.glob("vintage=*/manifest.json")]
        ordered = sorted(found, key=lambda v: (v.created_at, v.vintage))
        self._manifests[dataset] = (stamp, tuple(ordered))
        return ordered

    def latest(self, dataset: str) -> Vintage | None:
        found = self.vintages(dataset)
        return found[-1] if found else None

    def get_vintage(self, dataset: str, vintage: str | None = None) -> Vintage:
        if vintage is None:
            latest = self.latest(dataset)
            if latest is None:
                raise NotFoundError(
                    f"dataset {dataset!r} has no vintage in the store",
                    hint=f"load it first: servtrade stats ingest --dataset {dataset}",
                )
            return latest
        path = self.vintage_dir(dataset, vintage) / "manifest.json"
        if not path.exists():
            known = ", ".join(v.vintage for v in self.vintages(dataset)) or "none"
            raise NotFoundError(
                f"vintage {vintage!r} of {dataset!r} not found", hint=f"known vintages: {known}"
            )
        return self._read_manifest(path)

    def data_file(self, dataset: str, vintage: str) -> Path:
        """The vintage's observations as ``read_parquet`` takes them: one file, or a glob over
        the files per year (``data/*.parquet``) when the parallel ingest wrote it."""
        return data_path(self.vintage_dir(dataset, vintage))

    def latest_files(self, datasets: Sequence[str] | None = None) -> list[Path]:
        chosen = datasets if datasets is not None else self.datasets()
        files = []
        for dataset in chosen:
            latest = self.latest(dataset)
            if latest is not None:
                files.append(self.data_file(dataset, latest.vintage))
        return files

    def _read_manifest(self, path: Path) -> Vintage:
        data = json.loads(path.read_text("utf-8"))
        return Vintage(
            dataset=data["dataset"],
            vintage=data["vintage"],
            created_at=data["created_at"],
            rows_read=data["rows_read"],
            rows_stored=data["rows_stored"],
            rows_rejected=data["rows_rejected"],
            rows_carried=data.get("rows_carried", 0),
            sources=tuple(data.get("sources", ())),
            quarantine=data.get("quarantine"),
        )

    # -- queries ---------------------------------------------------------------------------

    def _backend(self) -> Any:
        if self._ibis is None:
            self._ibis = ibis.duckdb.connect()
            # a published vintage's files never change (a new vintage is a new folder), so
            # their footers are parsed once, not on every question (one file per year each)
            self._ibis.raw_sql("SET parquet_metadata_cache = true")
        return self._ibis

    def observations(self, dataset: str | None = None, vintage: str | None = None) -> Table:
        """An ibis table of the latest vintage of every dataset (or one dataset/vintage)."""
        if dataset is not None and vintage is not None:
            files = [self.data_file(dataset, self.get_vintage(dataset, vintage).vintage)]
        else:
            files = self.latest_files([dataset] if dataset else None)
        if not files:
            raise NotFoundError(
                "the statistics store is empty",
                hint="load data first: servtrade stats ingest PATH or servtrade init",
            )
        key = tuple(str(f) for f in files)
        if key not in self._views:
            backend = self._backend()
            name = f"observations_{len(self._views)}_{uuid.uuid4().hex[:6]}"
            # a view made with raw SQL: ibis' own .sql() does not run on DuckDB 2 yet
            backend.raw_sql(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {_parquet_sql(files)}"  # noqa: S608 - values quoted by literal()/quote()
            )
            self._views[key] = backend.table(name)
        return self._views[key]

    def execute(self, expr: Table, limit: int | None = None) -> list[dict[str, Any]]:
        """Run an ibis expression; rows as plain dicts."""
        try:
            # Arrow to Python rows: no pandas frame in between (a large share of a small query)
            table = expr.to_pyarrow(limit=limit)
        except duckdb.Error as exc:  # pragma: no cover - a bug, not user input
            raise StoreError(f"query failed: {exc}") from exc
        records: list[dict[str, Any]] = table.to_pylist()
        return [{k: _clean(v) for k, v in r.items()} for r in records]

    def execute_shape(
        self,
        table: Table,
        shape: Hashable,
        build: Callable[[], Table],
        values: Mapping[str, Value],
        around: str = "{query}",
    ) -> list[dict[str, Any]]:
        """Run the expression ``build()`` makes over ``table`` (with ``param()`` placeholders,
        placed in the SQL ``around``), compiled once per ``shape``; ``values`` fill the
        placeholders. Rows as plain dicts."""
        sql = self._shapes.sql((table.get_name(), shape), build, values, around)
        try:
            arrow = self._backend().con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:  # pragma: no cover - a bug, not user input
            raise StoreError(f"query failed: {exc}") from exc
        records: list[dict[str, Any]] = arrow.to_pylist()
        return [{k: _clean(v) for k, v in r.items()} for r in records]

    def diff(self, dataset: str, old: str, new: str) -> Diff:
        """Added, removed and changed observations from vintage ``old`` to ``new``."""
        files = [self.data_file(dataset, self.get_vintage(dataset, v).vintage) for v in (old, new)]
        on = " AND ".join(f"a.{k} IS NOT DISTINCT FROM b.{k}" for k in KEY)
        cols = ", ".join(f"coalesce(a.{k}, b.{k}) AS {k}" for k in KEY)
        sql = (
            f"SELECT {cols}, a.value AS before, b.value AS after, a.reporter IS NULL AS added,"  # noqa: S608 - values quoted by literal()/quote()
            f" b.reporter IS NULL AS removed FROM read_parquet('{files[0]}') a"
            f" FULL OUTER JOIN read_parquet('{files[1]}') b ON {on}"
            " WHERE a.reporter IS NULL OR b.reporter IS NULL"
            " OR a.value IS DISTINCT FROM b.value ORDER BY ALL"
        )
        result = Diff(dataset=dataset, old=old, new=new)
        with duckdb.connect() as con:
            for row in con.execute(sql).fetchall():
                change = Change(
                    key=dict(zip(KEY, row[: len(KEY)], strict=True)), before=row[-4], after=row[-3]
                )
                bucket = result.added if row[-2] else result.removed if row[-1] else result.changed
                bucket.append(change)
            total = con.execute(f"SELECT count(*) FROM read_parquet('{files[1]}')").fetchone()  # noqa: S608 - values quoted by literal()/quote()
        result.unchanged = (total[0] if total else 0) - len(result.added) - len(result.changed)
        return result


def year_folder(data_file: Path) -> Path:
    """The folder beside ``data_file`` (``.../data.parquet``) holding one file per year."""
    return data_file.with_suffix("")


def data_path(vintage_dir: Path) -> Path:
    """A vintage folder's observations: the glob over its files per year, else its one file."""
    years = year_folder(vintage_dir / "data.parquet")
    return years / "*.parquet" if years.is_dir() else vintage_dir / "data.parquet"


def _parquet_sql(files: Sequence[Path]) -> str:
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    options = "hive_partitioning=true, hive_types_autocast=false, union_by_name=true"
    return f"read_parquet([{listed}], {options})"


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):  # NaN from pandas means missing
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def open_store(settings: Settings) -> Store:
    """The store of ``settings`` (created if missing; leftovers of killed ingests removed)."""
    return Store(settings.store_dir)
