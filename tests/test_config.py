from __future__ import annotations

from pathlib import Path

import pytest

from servtrade.config import DEFAULT_SECRET_KEY, Environment, bundled_data_dir, load_settings
from servtrade.errors import ConfigError


def test_defaults_put_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    s = load_settings(data_dir=tmp_path)
    assert (s.host, s.port, s.environment) == ("127.0.0.1", 8000, Environment.DEV)
    assert s.resolved_database_url == f"sqlite:///{(tmp_path / 'servtrade.db').resolve()}"
    assert s.store_dir == tmp_path / "store"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVTRADE_PORT", "9001")
    monkeypatch.setenv("SERVTRADE_DATABASE_URL", "postgresql://u@h/db")
    s = load_settings()
    assert (s.port, s.resolved_database_url) == (9001, "postgresql://u@h/db")


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        (
            "SERVTRADE_PORT",
            "abc",
            "invalid setting SERVTRADE_PORT is 'abc': expected a whole number from 1 to 65535",
        ),
        (
            "SERVTRADE_PORT",
            "70000",
            "invalid setting SERVTRADE_PORT is '70000': expected a whole number from 1 to 65535",
        ),
        (
            "SERVTRADE_ENVIRONMENT",
            "staging",
            "invalid setting SERVTRADE_ENVIRONMENT is 'staging': expected one of dev, production",
        ),
        (
            "SERVTRADE_LOG_LEVEL",
            "loud",
            "invalid setting SERVTRADE_LOG_LEVEL is 'loud': "
            "expected one of DEBUG, INFO, WARNING, ERROR",
        ),
    ],
)
def test_invalid_value_names_variable_value_and_accepted(
    monkeypatch: pytest.MonkeyPatch, var: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(var, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == expected


def test_production_requires_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVTRADE_ENVIRONMENT", "production")
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert str(info.value) == (
        "invalid setting SERVTRADE_SECRET_KEY: expected must be set to a non-default value "
        "when SERVTRADE_ENVIRONMENT=production"
    )
    monkeypatch.setenv("SERVTRADE_SECRET_KEY", DEFAULT_SECRET_KEY)
    with pytest.raises(ConfigError):
        load_settings()
    monkeypatch.setenv("SERVTRADE_SECRET_KEY", "a-long-random-secret")
    assert load_settings().environment is Environment.PRODUCTION


def test_bundled_data_dir_is_the_repository_data_folder() -> None:
    assert bundled_data_dir() == Path(__file__).resolve().parents[1] / "data"
