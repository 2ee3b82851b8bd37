"""The national releases YAML format: every mistake is named with its file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.errors import ValidationError
from servtrade.stats.ingest import ingest_file
from servtrade.stats.ingest.releases import load_releases
from servtrade.stats.store import Store

GOOD = """reporter: CHN
sources:
  a: {publisher: P, title: T, url: https://example.org/a, confidence: high}
figures:
  - {period: '2024', flow: exports, item: S, value: 1, currency: CNY, source: a}
"""


def details(path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ValidationError) as caught:
        load_releases(path)
    return [(d.line, d.field, d.message) for d in caught.value.errors]


def test_release_mistakes_are_located(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(GOOD.replace("url: https://example.org/a, ", ""))
    assert details(path) == [
        (3, "sources.a", "Value error, a source needs a url unless its confidence is 'unverified'")
    ]
    path.write_text(GOOD.replace("value: 1, ", ""))
    assert details(path) == [
        (5, "figures.0", "Value error, a figure needs a value, a growth_pct or a change")
    ]
    path.write_text(GOOD.replace("'2024'", "'2024-13'"))
    assert details(path) == [
        (
            5,
            "figures.0",
            "Value error, invalid period '2024-13' (use 2024, 2025H1, 2025Q3, 2025-08 or a"
            " year-to-date range 2025-01..2025-08)",
        )
    ]
    path.write_text(GOOD.replace("source: a}", "source: b}"))
    assert details(path) == [(5, "figures.0.source", "names no source in 'sources'")]
    path.write_text(GOOD + GOOD.splitlines()[-1] + "\n")
    assert details(path) == [(6, "figures.1", "repeats the figure on line 5")]


def test_release_file_ingests_with_its_sources(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(GOOD)
    summary = ingest_file(store, path)
    assert (summary.dataset, summary.rows_read, summary.rows_stored) == ("cn-mofcom-releases", 1, 1)
    with pytest.raises(ValidationError, match="is not read from a releases YAML file"):
        ingest_file(store, path, dataset="wdi")
