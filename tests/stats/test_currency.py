"""Currency conversion only with a loaded exchange-rate series; without one, mixing units is an
error naming both. (The rates in the fixture are made up for the test.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.errors import DataFileError, ValidationError
from servtrade.stats.indicators import cagr, value, yoy
from servtrade.stats.ingest import ingest_file
from servtrade.stats.results import Query
from servtrade.stats.store import Store


@pytest.fixture
def loaded(store: Store, fixtures: Path) -> Store:
    ingest_file(store, fixtures / "releases_small.yaml", vintage="r1")
    ingest_file(store, fixtures / "wdi_wide.csv", vintage="w1")
    return store


def test_without_rates_conversion_names_both_units(loaded: Store) -> None:
    with pytest.raises(ValidationError) as caught:
        value(loaded, Query("CHN", period="2024", unit="USD", convert=True))
    assert caught.value.message == "cannot convert CNY (cn-mofcom-releases 2024) to USD"
    [detail] = caught.value.errors
    assert (detail.message, detail.value) == ("no rates loaded", "CNY/USD")
    assert "Currency,Period,Per_USD" in (detail.hint or "")


def test_conversion_with_loaded_rates_records_them(loaded: Store, fixtures: Path) -> None:
    summary = ingest_file(loaded, fixtures / "rates_small.csv", vintage="fx1")
    assert (summary.dataset, summary.layout, summary.rows_stored) == ("exchange-rates", "rates", 4)
    found = value(loaded, Query("CHN", period="2024", unit="USD", convert=True))
    assert [(r.datasets, r.value, r.unit) for r in found] == [
        (["cn-mofcom-releases"], pytest.approx(250e9 / 7.1957), "USD"),
        (["cn-mofcom-releases"], pytest.approx(251e9 / 7.1957), "USD"),
    ]  # WDI has no CHN 2024 value in the fixture
    assert found[0].inputs[0].conversion == {
        "from_unit": "CNY",
        "from_value": 250e9,
        "formula": "CNY / (CNY per USD) x (USD per USD)",
        "rates": [{"currency": "CNY", "period": "2024", "per_usd": 7.1957, "vintage": "fx1"}],
    }
    [euro] = value(loaded, Query("DEU", period="2024", unit="EUR", convert=True))
    assert (euro.value, euro.unit) == (pytest.approx(440e9 * 0.9239), "EUR")
    ytd = value(loaded, Query("CHN", period="2025-01..2025-08", unit="USD", convert=True))
    assert [r.value for r in ytd] == [pytest.approx(180e9 / 7.18)]
    assert ytd[0].inputs[0].growth_pct is None  # a yuan growth rate is not a dollar one


def test_growth_in_one_currency_after_conversion(loaded: Store, fixtures: Path) -> None:
    ingest_file(loaded, fixtures / "rates_small.csv")
    growth = yoy(loaded, Query("CHN", period="2024", unit="USD", convert=True))
    before = 200e9 / 7.0809
    assert [(r.value, r.alternative) for r in growth] == [
        (pytest.approx((250e9 / 7.1957 / before - 1) * 100), "ministry-2024"),
        (pytest.approx((251e9 / 7.1957 / before - 1) * 100), "ministry-2024,paper-2024"),
    ]
    rates = cagr(loaded, Query("CHN", start=2023, end=2024, unit="USD", convert=True))
    assert [r.value for r in rates] == [
        pytest.approx((250e9 / 7.1957 / before - 1) * 100),
        pytest.approx((251e9 / 7.1957 / before - 1) * 100),
    ]
    with pytest.raises(ValidationError) as caught:  # no 2023 euro rate in the fixture
        value(loaded, Query("CHN", period="2023", unit="EUR", convert=True))
    assert caught.value.errors[0].message == "no CNY or EUR rate for 2023"


def test_bad_currency_code_is_quarantined_with_its_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text("Currency,Period,Per_USD\nCNY,2024,7.19\nyuan,2024,7.19\n")
    with pytest.raises(DataFileError) as caught:  # exchange rates tolerate no rejects
        ingest_file(store, path)
    [detail] = caught.value.errors
    assert (detail.line, detail.field, detail.value) == (3, "Currency", "yuan")
    bad = tmp_path / "nocol.csv"
    bad.write_text("Currency,Period,Rate\nCNY,2024,7.19\n")
    with pytest.raises(DataFileError):  # no known header: not taken for a rates file
        ingest_file(store, bad)


def test_cli_convert_and_explain(
    loaded: Store, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(loaded.root.parent))
    ingest_file(loaded, fixtures / "rates_small.csv")
    args = ["stats", "query", "value", "--reporter", "CHN", "--period", "2024", "--unit", "USD"]
    out = CliRunner().invoke(app, [*args, "--convert", "--explain"])
    assert out.exit_code == 0, out.output
    assert "converted from 250000000000.0 CNY at CNY 2024 7.1957 per USD" in out.stdout
    out = CliRunner().invoke(app, [*args, "--format", "json"])  # no --convert: a filter
    assert out.exit_code == 1
    assert "no value for CHN S exports 2024 in the store" in out.output
