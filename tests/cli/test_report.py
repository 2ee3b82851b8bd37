"""``servtrade report profile``."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.config import Settings

runner = CliRunner()


@pytest.fixture
def env(loaded_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(loaded_settings.data_dir))
    monkeypatch.setenv("SERVTRADE_SHARED_DIR", str(loaded_settings.shared_dir))


def test_profile_to_html(env: None, tmp_path: Path) -> None:
    out = tmp_path / "cn.html"
    result = runner.invoke(app, ["report", "profile", "CHN", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).startswith(f"wrote {out} (China, 2024: 4 figures,")
    assert "3,175.6 billion yuan" in out.read_text("utf-8")


def test_bad_date_and_unknown_economy_exit_non_zero(env: None, tmp_path: Path) -> None:
    bad = runner.invoke(app, ["report", "profile", "CHN", "--on", "May 1", "--out", "x.html"])
    assert bad.exit_code == 1
    assert "invalid date 'May 1'" in bad.output
    unknown = runner.invoke(
        app, ["report", "profile", "Atlantis", "--out", str(tmp_path / "a.html")]
    )
    assert unknown.exit_code == 1
    assert "Atlantis" in unknown.output
