"""``servtrade init --demo-accounts``: working demo accounts, never in production."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from servtrade.cli import app
from servtrade.config import load_settings

runner = CliRunner()


def _init(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SERVTRADE_SHARED_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["init", "--demo-accounts"])
    assert result.exit_code == 0, result.output
    return tmp_path / "d" / "demo-accounts.txt"


@pytest.mark.slow
def test_demo_accounts_sign_in_and_see_their_own_fair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _init(tmp_path, monkeypatch)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    accounts = {row[0]: (row[1], row[2]) for row in rows}
    assert set(accounts) == {"admin", "organiser", "exhibitor", "buyer", "analyst"}
    first_exhibitor = accounts["exhibitor"]
    again = _init(tmp_path, monkeypatch)  # a second init replaces them with new passwords
    rows = [line.split() for line in again.read_text().splitlines() if not line.startswith("#")]
    accounts = {row[0]: (row[1], row[2]) for row in rows}
    assert accounts["exhibitor"][1] != first_exhibitor[1]
    from servtrade.web.app import create_app

    with TestClient(create_app(load_settings()), raise_server_exceptions=False) as client:
        email, password = accounts["exhibitor"]
        old = client.post(
            "/api/accounts/login", json={"email": email, "password": first_exhibitor[1]}
        )
        assert old.status_code == 401
        signed = client.post("/api/accounts/login", json={"email": email, "password": password})
        assert signed.status_code == 200, signed.text
        me = client.get("/api/accounts/me").json()
        assert me["role"] == "exhibitor" and me["participant_id"] and me["fair_id"]
        mine = client.get(f"/api/market/participants/{me['participant_id']}/recommendations")
        assert mine.status_code == 200 and mine.json()["recommendations"]


def test_demo_accounts_are_refused_in_production(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from servtrade.cli.demo_accounts import make_demo_accounts
    from servtrade.config import Environment
    from servtrade.errors import ConfigError

    settings = load_settings(data_dir=tmp_path / "d", shared_dir=tmp_path / "none")
    production = settings.model_copy(update={"environment": Environment.PRODUCTION})
    with pytest.raises(ConfigError, match="refused in production"):
        make_demo_accounts(production, None, 1)  # type: ignore[arg-type]
