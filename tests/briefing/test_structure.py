"""Profile sections that need partner and item detail, on a small BaTIS-layout fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.briefing.profile import build_profile
from servtrade.cli import app
from servtrade.config import Settings, load_settings
from servtrade.rules.loader import default_rulebook
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store

FIXTURE = Path(__file__).resolve().parents[1] / "stats" / "fixtures" / "batis_structure.csv"


@pytest.fixture(scope="module")
def batis_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("batis")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "none")
    ingest_file(open_store(settings), FIXTURE, dataset="batis")
    return settings


def _chart_rows(spec: dict[str, object], field: str) -> list[object]:
    datasets = spec["datasets"]
    assert isinstance(datasets, dict)
    return [row[field] for rows in datasets.values() for row in rows if field in row]


def test_partners_composition_and_rca(batis_settings: Settings) -> None:
    p = build_profile(open_store(batis_settings), default_rulebook(), None, "CHN", year=2023)
    charts = {c.key: c for c in p.charts}
    assert {"composition", "partners", "rca"} <= set(charts)
    assert _chart_rows(charts["partners"].spec, "label") == [
        "United States",
        "Germany",
        "Japan",
        "South Korea",
    ]
    items = _chart_rows(charts["rca"].spec, "item")
    assert items == ["SC", "SD", "SI", "SJ"]


def test_chart_export_cli(
    batis_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(batis_settings.data_dir))
    monkeypatch.setenv("SERVTRADE_SHARED_DIR", str(tmp_path / "none"))
    runner = CliRunner()
    out = tmp_path / "partners.svg"
    ok = runner.invoke(
        app, ["report", "chart", "partners", "CHN", "--year", "2023", "--out", str(out)]
    )
    assert ok.exit_code == 0, ok.output
    assert out.read_text("utf-8").startswith("<svg") and "Germany" in out.read_text("utf-8")
    missing = runner.invoke(
        app, ["report", "chart", "stri", "CHN", "--out", str(tmp_path / "x.png")]
    )
    assert missing.exit_code == 1
    assert "no 'stri' chart for China" in missing.output
    wrong = runner.invoke(app, ["report", "chart", "rca", "CHN", "--out", str(tmp_path / "x.gif")])
    assert wrong.exit_code == 1
    assert "cannot write a chart as 'x.gif'" in wrong.output
