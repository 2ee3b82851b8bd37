"""``servtrade stats check`` through Typer's CliRunner on a small app holding the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from servtrade.cli import claims

ACCEPTANCE_2 = (
    "From January to August, total 5.25 trillion yuan, up 7.4%; exports 2.3 trillion, "
    "up 14.7%; the deficit narrowed by 228.07 billion yuan."
)


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SERVTRADE_SHARED_DIR", str(tmp_path / "no-shared"))
    small = typer.Typer()
    small.command("check")(claims.check)
    small.command("noop")(lambda: None)  # two commands keep "check" a named subcommand
    return small


@pytest.fixture
def release(tmp_path: Path) -> Path:
    path = tmp_path / "release.txt"
    path.write_text(ACCEPTANCE_2, encoding="utf-8")
    return path


def test_json_lists_each_claim_with_span_values_check_and_verdict(
    app: typer.Typer, release: Path
) -> None:
    result = CliRunner().invoke(
        app, ["check", str(release), "--date", "2025-09-30", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["summary"] == {
        "consistent": 0,
        "within_rounding": 1,
        "inconsistent": 0,
        "not_checkable": 4,
    }
    deficit = data["documents"][0]["claims"][4]
    assert {k: deficit[k] for k in ("id", "kind", "span", "text", "verdict")} == {
        "id": "release.txt:5",
        "kind": "change",
        "span": {"start": 103, "end": 134},
        "text": "narrowed by 228.07 billion yuan",
        "verdict": "within_rounding",
    }
    assert round(deficit["computed"] / 1e9, 1) == -227.8


def test_markdown_and_table_and_csv(app: typer.Typer, release: Path) -> None:
    md = CliRunner().invoke(app, ["check", str(release), "--date", "2025-09-30", "-f", "md"])
    assert md.output.startswith("# Claim check\n\n0 consistent, 1 within rounding")
    table = CliRunner().invoke(app, ["check", str(release), "--date", "2025-09-30"])
    assert (
        table.exit_code,
        "within_rounding" in table.output,
        "sources: none" in table.output,
    ) == (0, True, True)
    csv = CliRunner().invoke(
        app, ["check", str(release), "--date", "2025-09-30", "-f", "csv", "--no-observatory"]
    )
    assert csv.output.splitlines()[0] == "id,text,kind,subject,period,verdict,explanation"
    assert len(csv.output.splitlines()) == 6


def test_stdin(app: typer.Typer) -> None:
    result = CliRunner().invoke(
        app, ["check", "-", "--date", "2025-09-30", "-f", "json"], input=ACCEPTANCE_2.encode()
    )
    assert json.loads(result.output)["documents"][0]["name"] == "stdin"


def test_bad_input_gives_a_clear_error(app: typer.Typer, tmp_path: Path, release: Path) -> None:
    missing = CliRunner().invoke(app, ["check", str(tmp_path / "nope.txt")])
    assert (missing.exit_code, "cannot read" in missing.output) == (1, True)
    bad_date = CliRunner().invoke(app, ["check", str(release), "--date", "30/09/2025"])
    assert (bad_date.exit_code, "invalid --date '30/09/2025'" in bad_date.output) == (1, True)
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    not_utf8 = CliRunner().invoke(app, ["check", str(binary)])
    assert (not_utf8.exit_code, "is not UTF-8 text" in not_utf8.output) == (1, True)
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (claims.MAX_BYTES + 1))
    too_big = CliRunner().invoke(app, ["check", str(big)])
    assert (too_big.exit_code, "too large to check" in too_big.output) == (1, True)


def test_observatory_wiring_uses_the_loaded_store(
    loaded_settings_cli: Path, app: typer.Typer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(loaded_settings_cli))
    path = tmp_path / "since.txt"
    path.write_text(
        "Since 2012, China's services trade has grown at an average annual rate of 6.7%."
    )
    result = CliRunner().invoke(app, ["check", str(path), "--date", "2025-09-12", "-f", "json"])
    claim = json.loads(result.output)["documents"][0]["claims"][0]
    assert (
        claim["verdict"],
        claim["checks"][0]["check"],
        claim["checks"][0]["data"]["dataset"],
    ) == ("inconsistent", "average_against_data", "cn-mofcom-releases")


@pytest.fixture(scope="module")
def loaded_settings_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from servtrade.config import load_settings
    from servtrade.stats.bundled import load_bundled

    root = tmp_path_factory.mktemp("cli-observatory")
    load_bundled(load_settings(data_dir=root / "data", shared_dir=root / "no-shared"))
    return root / "data"
