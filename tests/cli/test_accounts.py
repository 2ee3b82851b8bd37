"""``servtrade accounts``: create-admin, invite, list, set-role, revoke-token, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servtrade.accounts.runtime import AccountsRuntime
from servtrade.accounts.schemas import TokenCreate
from servtrade.accounts.sessions import login, resolve_session
from servtrade.accounts.tokens import create_token
from servtrade.cli import app
from servtrade.config import load_settings
from servtrade.db import make_engine, make_session_factory

runner = CliRunner()
PASSWORD = "correct horse battery"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _json(args: list[str]) -> list[dict[str, object]]:
    result = runner.invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_create_admin_invite_list_and_set_role(data_dir: Path) -> None:
    made = runner.invoke(
        app, ["accounts", "create-admin", "Root@Example.org", "--name", "Root",
              "--password-stdin"], input=f"{PASSWORD}\n",
    )  # fmt: skip
    assert (made.exit_code, made.stdout) == (0, "admin root@example.org created (id 1)\n")
    again = runner.invoke(
        app, ["accounts", "create-admin", "root@example.org", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip
    assert again.exit_code == 1
    assert "an account for root@example.org already exists" in again.output
    invited = _json(["accounts", "invite", "--role", "organiser", "--email", "o@fair.example"])
    assert (invited[0]["role"], invited[0]["email"], len(str(invited[0]["code"]))) == (
        "organiser", "o@fair.example", 32,
    )  # fmt: skip
    users = _json(["accounts", "list"])
    assert [(u["email"], u["role"]) for u in users] == [("root@example.org", "admin")]
    demote = runner.invoke(app, ["accounts", "set-role", "root@example.org", "public"])
    assert (demote.exit_code, "root@example.org is the last admin" in demote.output) == (1, True)
    bad = runner.invoke(app, ["accounts", "set-role", "1", "emperor"])
    assert (bad.exit_code, "unknown role 'emperor'" in bad.output) == (1, True)
    bad_days = runner.invoke(app, ["accounts", "invite", "--role", "buyer", "--email", "nope"])
    assert (bad_days.exit_code, "is not an email address" in bad_days.output) == (1, True)
    assert _json(["accounts", "list", "--role", "buyer"]) == []


def test_revoke_token_and_audit(data_dir: Path) -> None:
    runner.invoke(
        app, ["accounts", "create-admin", "root@example.org", "--password-stdin"],
        input=f"{PASSWORD}\n",
    )  # fmt: skip
    settings = load_settings()
    engine = make_engine(settings.resolved_database_url)
    factory, runtime = make_session_factory(engine), AccountsRuntime()
    outcome = login(factory, runtime, "root@example.org", PASSWORD, ip="127.0.0.1")
    identity = resolve_session(factory, runtime, outcome.session_secret)
    assert identity is not None
    token = create_token(factory, runtime, identity, TokenCreate(name="ops"))
    engine.dispose()
    result = runner.invoke(app, ["accounts", "revoke-token", str(token.id)])
    assert (result.exit_code, result.stdout) == (0, f"token {token.id} (ops) revoked\n")
    missing = runner.invoke(app, ["accounts", "revoke-token", "999"])
    assert (missing.exit_code, "no token 999" in missing.output) == (1, True)
    entries = _json(["accounts", "audit"])
    assert [(e["action"], e["actor"]) for e in entries] == [
        ("token_revoke", "cli"), ("token_create", "root@example.org"),
        ("login", "root@example.org"), ("register", "cli"),
    ]  # fmt: skip
    logins = _json(["accounts", "audit", "--action", "login", "--actor", "1"])
    assert [e["ip"] for e in logins] == ["127.0.0.1"]
    bad = runner.invoke(app, ["accounts", "audit", "--action", "dance"])
    assert (bad.exit_code, "unknown audit action 'dance'" in bad.output) == (1, True)
    table = runner.invoke(app, ["accounts", "list", "--format", "csv"])
    assert table.stdout == (
        "id,email,display_name,role,organisation_id,fair_id,active\n"
        "1,root@example.org,,admin,,,True\n"
    )
