"""Golden results for the SDMX-CSV (OECD 2.0 and 1.0 headers) and WTO Stats bulk layouts, on
fixtures written for these tests in the publishers' layouts, cross-checked with plain pandas."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from servtrade.stats.indicators import balance, value
from servtrade.stats.ingest import ingest_file
from servtrade.stats.results import Query
from servtrade.stats.store import Store

COLUMNS = ["reporter", "partner", "item", "flow", "period", "period_type", "value", "unit", "line"]


def stored(store: Store, dataset: str) -> list[tuple[object, ...]]:
    table = store.observations(dataset)
    rows = store.execute(table.select(COLUMNS).order_by("line"))
    return [tuple(r[c] for c in COLUMNS) for r in rows]


def test_oecd_sdmx_csv_golden(store: Store, fixtures: Path) -> None:
    summary = ingest_file(store, fixtures / "sdmx_oecd.csv")
    assert (summary.dataset, summary.layout, summary.delimiter) == ("oecd-sdmx", "sdmx", ",")
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (7, 7, 0)
    assert stored(store, "oecd-sdmx") == [
        ("FRA", "WLD", "S", "exports", "2022", "year", 330_500.5e6, "USD", 2),
        ("FRA", "WLD", "S", "imports", "2022", "year", 300_250e6, "USD", 3),
        ("FRA", "WLD", "SH", "exports", "2022", "year", 15_000e6, "USD", 4),
        ("FRA", "USA", "S", "exports", "2022", "year", 45_000e6, "USD", 5),
        ("FRA", "WLD", "S", "balance", "2022", "year", 30_250.5e6, "USD", 6),
        ("FRA", "WLD", "S", "exports", "2023Q1", "quarter", 85_000e6, "USD", 7),
        # UNIT_MULT 9: billions, whatever the catalog's default scale
        ("DEU", "WLD", "S", "exports", "2022", "year", 410.25e9, "USD", 8),
    ]


def test_oecd_sdmx_matches_pandas(store: Store, fixtures: Path) -> None:
    ingest_file(store, fixtures / "sdmx_oecd.csv")
    frame = pd.read_csv(fixtures / "sdmx_oecd.csv")
    frame["scaled"] = frame["OBS_VALUE"] * 10.0 ** frame["UNIT_MULT"]
    world = frame[
        (frame.REF_AREA == "FRA") & (frame.COUNTERPART_AREA == "W") & (frame.MEASURE == "S")
    ]
    annual = world[world.TIME_PERIOD == "2022"].set_index("ACCOUNTING_ENTRY")["scaled"]
    [exports] = value(store, Query("FRA", period="2022"))
    assert exports.value == pytest.approx(annual["C"])
    [published] = balance(store, Query("FRA", period="2022"))
    assert (published.value, published.formula) == (
        pytest.approx(annual["B"]),
        "balance as published",
    )
    assert published.value == pytest.approx(annual["C"] - annual["D"])


def test_sdmx_csv_1_header_and_world_codes(store: Store, fixtures: Path) -> None:
    summary = ingest_file(store, fixtures / "sdmx_v1.csv")
    assert (summary.dataset, summary.rows_stored) == ("oecd-sdmx", 4)
    assert stored(store, "oecd-sdmx") == [
        ("JPN", "WLD", "S", "exports", "2021", "year", 168_000e6, "USD", 2),
        ("JPN", "WLD", "S", "imports", "2021", "year", 210_000e6, "USD", 3),
        # empty UNIT_MULT: the catalog's value_scale (millions) applies
        ("JPN", "CHN", "SD", "imports", "2021", "year", 1_500.5e6, "USD", 4),
        ("JPN", "WLD", "S", "exports", "2021H1", "half", 80_000e6, "USD", 5),
    ]


def test_wto_bulk_csv_golden(store: Store, fixtures: Path) -> None:
    summary = ingest_file(store, fixtures / "wto_services.csv")
    assert (summary.dataset, summary.layout) == ("wto-services", "wto")
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (5, 5, 0)
    assert stored(store, "wto-services") == [
        ("CHN", "WLD", "S", "exports", "2023", "year", 381_000.5e6, "USD", 2),
        ("CHN", "WLD", "SC", "exports", "2023", "year", 57_000e6, "USD", 3),
        ("CHN", "WLD", "SD", "imports", "2023", "year", 196_000e6, "USD", 4),
        ("USA", "CHN", "S", "exports", "2023", "year", 45_500e6, "USD", 5),
        ("USA", "WLD", "S", "exports", "2023", "year", 1_027_000e6, "USD", 6),
    ]
    frame = pd.read_csv(fixtures / "wto_services.csv", dtype=str)
    expected = frame["Value"].astype(float).mul(1e6).tolist()
    assert [row[6] for row in stored(store, "wto-services")] == pytest.approx(expected)


def test_unknown_sdmx_codes_are_reported(store: Store, fixtures: Path, tmp_path: Path) -> None:
    lines = (fixtures / "sdmx_v1.csv").read_text().splitlines()
    body = lines[1:] * 50  # 200 good rows
    bad = "OECD:TIS(1.0),JPN,W1,ZZ9,C,A,2021,1,6"
    path = tmp_path / "sdmx.csv"
    path.write_text("\n".join([lines[0], *body, bad]) + "\n")
    summary = ingest_file(store, path)
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (201, 200, 1)
    assert summary.unknown_codes == [{"column": "MEASURE", "code": "ZZ9", "rows": 1}]
