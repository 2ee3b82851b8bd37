"""``servtrade stats``: the acceptance commands of issue 4."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).parents[1] / "stats" / "fixtures"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


@pytest.mark.shared
def test_wdi_long_acceptance(env: Path, shared_dir: Path) -> None:
    path = shared_dir / "data" / "wdi-ip-charges" / "bx.gsr.royl.cd__data.csv"
    out = runner.invoke(
        app, ["stats", "ingest", str(path), "--series", "BX.GSR.ROYL.CD", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    summary = json.loads(out.stdout)
    assert (summary["rows_read"], summary["rows_stored"], summary["rows_rejected"]) == (
        6462,
        6462,
        0,
    )
    out = runner.invoke(
        app,
        [
            "stats",
            "query",
            "value",
            "--reporter",
            "CHN",
            "--item",
            "SH",
            "--flow",
            "exports",
            "--period",
            "2024",
            "--explain",
        ],
    )
    assert out.exit_code == 0, out.output
    assert "7,064.9 million US$" in out.stdout
    assert "value as published" in out.stdout
    out = runner.invoke(
        app,
        [
            "stats",
            "query",
            "value",
            "--reporter",
            "CHN",
            "--item",
            "SH",
            "--flow",
            "exports",
            "--period",
            "2024",
            "--format",
            "json",
        ],
    )
    [row] = json.loads(out.stdout)
    assert (row["display"], row["dataset"], row["unit"]) == ("7,064.9 million US$", "wdi", "USD")


def test_corrupted_file_exits_non_zero_and_previous_answers(env: Path) -> None:
    good = runner.invoke(
        app, ["stats", "ingest", str(FIXTURES / "wdi_wide.csv"), "--vintage", "v1"]
    )
    assert good.exit_code == 0, good.output
    broken = env / "broken.csv"
    broken.write_bytes(b"\x00\xff\xfe garbage" * 10)
    out = runner.invoke(app, ["stats", "ingest", str(broken)])
    assert out.exit_code == 1
    assert "broken.csv" in out.output
    out = runner.invoke(
        app, ["stats", "query", "value", "--reporter", "DEU", "--period", "2024", "--format", "csv"]
    )
    assert out.exit_code == 0
    assert '"440,000.0 million US$",wdi,wdi@v1' in out.stdout.splitlines()[1]


def test_vintages_diff_datasets(env: Path, tmp_path: Path) -> None:
    path = tmp_path / "bx.gsr.nfsv.cd.csv"
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,1\n")
    assert runner.invoke(app, ["stats", "ingest", str(path), "--vintage", "a"]).exit_code == 0
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,2\n")
    assert runner.invoke(app, ["stats", "ingest", str(path), "--vintage", "b"]).exit_code == 0
    out = runner.invoke(app, ["stats", "vintages", "wdi", "--format", "json"])
    assert [v["vintage"] for v in json.loads(out.stdout)] == ["a", "b"]
    out = runner.invoke(
        app, ["stats", "diff", "wdi", "--from", "a", "--to", "b", "--format", "json"]
    )
    body = json.loads(out.stdout)
    assert (body["changed"], body["added"], body["removed"]) == (1, 0, 0)
    assert body["rows"][0]["delta"] == 1.0
    out = runner.invoke(app, ["stats", "datasets", "--format", "json"])
    assert {d["id"]: d["rows"] for d in json.loads(out.stdout)}["wdi"] == 1
    out = runner.invoke(app, ["stats", "query", "nope", "--reporter", "CHN"])
    assert out.exit_code == 1
    assert "unknown indicator 'nope'" in out.output


def test_ingest_table_lists_unknown_codes(env: Path) -> None:
    lines = (FIXTURES / "batis_small.csv").read_text().splitlines()
    path = env / "batis.csv"
    path.write_text("\n".join([lines[0], *(lines[1:7] * 20), lines[7]]) + "\n")
    out = runner.invoke(app, ["stats", "ingest", str(path), "--format", "csv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[-2:] == ["column,code,rows", "Reporter,XXX,1"]
