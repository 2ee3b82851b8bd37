"""Migration 0003 applies from empty on SQLite and PostgreSQL, with its constraints."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from servtrade.config import Settings
from servtrade.db import make_engine, ping, upgrade

PG_URL = os.environ.get(
    "SERVTRADE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TABLES = {
    "account_user",
    "account_session",
    "account_token",
    "account_invitation",
    "account_contact_consent",
    "account_audit",
}


def _check(url: str) -> None:
    upgrade(url, "0003_accounts")
    engine = make_engine(url)
    try:
        inspector = sa.inspect(engine)
        assert set(inspector.get_table_names()) >= TABLES
        user_fks = {
            (fk["constrained_columns"][0], fk["referred_table"], fk["options"].get("ondelete"))
            for fk in inspector.get_foreign_keys("account_user")
        }
        assert user_fks == {
            ("organisation_id", "market_organisation", "SET NULL"),
            ("participant_id", "market_participant", "SET NULL"),
            ("fair_id", "market_fair", "SET NULL"),
        }
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO account_user (email, display_name, password_hash, role, locale,"
                    " active, created_at) VALUES ('x@y.z', '', 'h', 'emperor', 'en', true,"
                    " CURRENT_TIMESTAMP)"
                )
            )
    finally:
        engine.dispose()


def test_migration_applies_from_empty_on_sqlite(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True)
    _check(settings.resolved_database_url)


@pytest.fixture
def pg_url() -> Iterator[str]:
    engine = make_engine(PG_URL, connect_args={"connect_timeout": 2})
    if ping(engine) != "ok":
        engine.dispose()
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    schema = f"servtrade_accounts_t{os.getpid()}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.mark.postgres
def test_migration_applies_from_empty_on_postgresql(pg_url: str) -> None:
    _check(pg_url)
