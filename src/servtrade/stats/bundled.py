"""Loading the data a new user should see on first start: the bundled national releases and,
when present, the public WDI files in ``../shared/data``. Idempotent: a file whose content the
latest vintage already holds is skipped."""

from __future__ import annotations

from pathlib import Path

from servtrade.config import Settings, bundled_data_dir, shared_data_dir
from servtrade.stats.catalog import catalog
from servtrade.stats.ingest import IngestSummary, already_ingested, file_sha256, ingest_file
from servtrade.stats.ingest.wdi import series_from_name
from servtrade.stats.store import Store, open_store


def bundled_files(settings: Settings) -> list[tuple[str, Path]]:
    """(dataset id, file) pairs to load: releases YAML files, then shared WDI CSV files."""
    found = [(d.id, bundled_data_dir() / "datasets" / d.file) for d in catalog().values() if d.file]
    shared = shared_data_dir(settings)
    if shared is not None:
        wdi = catalog()["wdi"]
        for path in sorted((shared / "data").glob("*/*.csv")):
            if series_from_name(path.name, wdi):
                found.append(("wdi", path))
    return found


def _load_one(store: Store, dataset: str, path: Path) -> IngestSummary:
    sha = file_sha256(path)
    done = already_ingested(store, dataset, sha)
    if done is not None:
        return IngestSummary(
            dataset=dataset,
            vintage=done.vintage,
            file=str(path),
            layout=catalog()[dataset].layout,
            rows_read=0,
            rows_stored=0,
            rows_rejected=0,
            skipped=True,
        )
    return ingest_file(store, path, dataset=dataset)


def load_bundled(settings: Settings) -> list[IngestSummary]:
    """Ingest every bundled/shared file not yet in the store; one summary per file."""
    store = open_store(settings)
    return [_load_one(store, dataset, path) for dataset, path in bundled_files(settings)]
