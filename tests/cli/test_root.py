"""The root command: version, help on every command, settings errors, init."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from servtrade import __version__
from servtrade.cli import app

runner = CliRunner()


def _all_commands(cmd: Any, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    # typer bundles its own click; groups are recognised by their sub-commands.
    for name, sub in getattr(cmd, "commands", {}).items():
        found.extend(_all_commands(sub, (*path, name)))
    return found


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert (result.exit_code, result.output) == (0, f"servtrade {__version__}\n")


def test_every_command_has_help_text() -> None:
    root = get_command(app)
    paths = _all_commands(root)
    assert ("serve",) in paths and ("vocab", "ebops") in paths
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output
        command = root
        for name in path:
            command = command.commands[name]  # type: ignore[attr-defined]
        assert (command.help or "").strip(), f"command {' '.join(path)!r} has no help text"


def test_bad_setting_is_one_line_and_non_zero_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SERVTRADE_")}
    env |= {"SERVTRADE_PORT": "abc", "SERVTRADE_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "servtrade", "serve"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]
    assert proc.returncode == 1
    assert lines == [
        "error: invalid setting SERVTRADE_PORT is 'abc': expected a whole number from 1 to 65535"
    ]


def test_init_migrates_and_records_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("SERVTRADE_SHARED_DIR", str(tmp_path / "none"))
    result = runner.invoke(app, ["init", "--skip-data"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "servtrade.db").is_file()


def test_typer_app_is_configured_without_pretty_tracebacks() -> None:
    assert isinstance(app, typer.Typer)
    assert app.pretty_exceptions_enable is False
