"""Database fixtures of the market tests: SQLite always, PostgreSQL when reachable.

Each test runs inside one outer transaction that is rolled back at the end; the use cases'
own commits become savepoints (``join_transaction_mode="create_savepoint"``), so no test
sees another's writes. PostgreSQL is used when ``SERVTRADE_TEST_DATABASE_URL`` is set or
``postgresql://postgres@127.0.0.1:5432/test`` answers; the tests run in a schema of their
own there, so other suites sharing the server are not disturbed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from servtrade.db import make_engine, upgrade
from servtrade.market import services

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SCHEMA = f"servtrade_market_test_{os.getpid()}"
MIGRATION = "0002_market"
#: the small fair every database test may read (committed once per engine)
BASE_FAIR = (40, 8, 3)


def _postgres_url() -> str | None:
    url = os.environ.get("SERVTRADE_TEST_DATABASE_URL") or LOCAL_POSTGRES
    try:
        probe = sa.create_engine(url, connect_args={"connect_timeout": 2})
        with probe.connect():
            pass
        probe.dispose()
    except Exception:  # any failure means: not reachable here
        return None
    return url


def _sqlite_savepoints(engine: Engine) -> None:
    """Let pysqlite use SAVEPOINT: SQLAlchemy emits BEGIN itself (see its SQLite docs)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


@contextmanager
def _postgres_engine(url: str) -> Iterator[Engine]:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{SCHEMA}"'))
    scoped = sa.make_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    scoped_url = scoped.render_as_string(hide_password=False)
    upgrade(scoped_url, MIGRATION)
    engine = make_engine(scoped_url)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database with one committed base fair, per backend."""
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("market") / "market.db"
        url = f"sqlite:///{path}"
        upgrade(url, MIGRATION)
        sqlite = make_engine(url)
        _sqlite_savepoints(sqlite)
        services.generate_fair(sessionmaker(bind=sqlite, expire_on_commit=False), *BASE_FAIR)
        yield sqlite
        sqlite.dispose()
        return
    url = _postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not reachable (set SERVTRADE_TEST_DATABASE_URL to test on it)")
    with _postgres_engine(url) as pg:
        services.generate_fair(sessionmaker(bind=pg, expire_on_commit=False), *BASE_FAIR)
        yield pg


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection inside a transaction that is rolled back after the test."""
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            yield conn
        finally:
            outer.rollback()


@pytest.fixture
def factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits are savepoints of the test's transaction."""
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def base_fair(factory: sessionmaker[Session]) -> int:
    """Id of the committed base fair."""
    name_part = f"{BASE_FAIR[0]} exhibitors, {BASE_FAIR[1]} economies, seed {BASE_FAIR[2]}"
    found = [f.id for f in services.list_fairs(factory) if name_part in f.name]
    assert len(found) == 1
    return found[0]


class StatementCounter:
    """Counts the SQL statements run on a connection (for N+1 guards)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.count = 0

    def _count(self, *_args: Any) -> None:
        self.count += 1

    @contextmanager
    def counting(self) -> Iterator[StatementCounter]:
        self.count = 0
        event.listen(self.connection, "before_cursor_execute", self._count)
        try:
            yield self
        finally:
            event.remove(self.connection, "before_cursor_execute", self._count)


@pytest.fixture
def statements(connection: Connection) -> StatementCounter:
    return StatementCounter(connection)
