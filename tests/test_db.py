from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from servtrade.config import Settings
from servtrade.db import (
    latest_loads,
    make_engine,
    make_session_factory,
    normalise_url,
    ping,
    record_load,
    transaction,
    upgrade,
)
from servtrade.errors import DatabaseError

PG_URL = os.environ.get(
    "SERVTRADE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_reachable() -> bool:
    engine = make_engine(PG_URL, connect_args={"connect_timeout": 2})
    try:
        return ping(engine) == "ok"
    finally:
        engine.dispose()


def test_normalise_url_uses_psycopg3() -> None:
    assert normalise_url("postgresql://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_url("postgres://a@b/c") == "postgresql+psycopg://a@b/c"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_migrations_apply_from_empty_on_sqlite(migrated_settings: Settings) -> None:
    engine = make_engine(migrated_settings.resolved_database_url)
    tables = set(sa.inspect(engine).get_table_names())
    engine.dispose()
    assert {"alembic_version", "data_load"} <= tables


def test_record_and_list_latest_loads(migrated_settings: Settings) -> None:
    factory = make_session_factory(make_engine(migrated_settings.resolved_database_url))
    record_load(factory, "stats", "wdi", "first", rows=10)
    record_load(factory, "stats", "wdi", "second", rows=12)
    record_load(factory, "rules", "CN", "lists", rows=3)
    loads = latest_loads(factory)
    assert [(x.area, x.name, x.detail, x.rows) for x in loads] == [
        ("rules", "CN", "lists", 3),
        ("stats", "wdi", "second", 12),
    ]


def test_transaction_rolls_back_and_translates(migrated_settings: Settings) -> None:
    factory = make_session_factory(make_engine(migrated_settings.resolved_database_url))
    with pytest.raises(DatabaseError), transaction(factory) as session:
        session.execute(sa.text("INSERT INTO data_load (area) VALUES ('x')"))
    assert latest_loads(factory) == []


def test_unreachable_database_pings_unavailable() -> None:
    engine = make_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    assert ping(engine) == "unavailable: OperationalError"


def test_migration_failure_is_a_database_error() -> None:
    with pytest.raises(DatabaseError) as info:
        upgrade("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    assert info.value.hint == "check SERVTRADE_DATABASE_URL and that the server is running"


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not _pg_reachable():
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}")
    engine = make_engine(PG_URL)
    schema = f"servtrade_t{os.getpid()}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    yield f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.mark.postgres
def test_migrations_apply_from_empty_on_postgresql(pg_url: str) -> None:
    upgrade(pg_url)
    engine = make_engine(pg_url)
    tables = set(sa.inspect(engine).get_table_names())
    factory = make_session_factory(engine)
    record_load(factory, "stats", "x", rows=1)
    assert [(x.area, x.rows) for x in latest_loads(factory)] == [("stats", 1)]
    engine.dispose()
    assert {"alembic_version", "data_load"} <= tables


def test_a_database_error_names_the_kind_not_the_sql_or_its_values(tmp_path: Path) -> None:
    from servtrade.db import make_engine, make_session_factory, transaction
    from servtrade.errors import DatabaseError

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (email TEXT UNIQUE)"))
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        session.execute(sa.text("INSERT INTO t VALUES (:e)"), {"e": "secret@example.org"})
    with pytest.raises(DatabaseError) as caught, transaction(factory) as session:
        session.execute(sa.text("INSERT INTO t VALUES (:e)"), {"e": "secret@example.org"})
    message = str(caught.value)
    assert "IntegrityError" in message and "UNIQUE" in message
    assert "secret@example.org" not in message and "INSERT" not in message
    engine.dispose()
