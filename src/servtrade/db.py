"""Database access: the declarative base, engines, sessions and migrations.

SQLite is the default (a file in the data dir); PostgreSQL works through psycopg 3 when
``SERVTRADE_DATABASE_URL`` points at it. Only use cases commit; helpers never do.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from servtrade.errors import DatabaseError
from servtrade.kept import Kept

log = logging.getLogger("servtrade.db")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class DataLoad(Base):
    """One load of bundled or user data into a store, shown on the landing page."""

    __tablename__ = "data_load"

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    detail: Mapped[str] = mapped_column(sa.String(500), default="")
    rows: Mapped[int] = mapped_column(default=0)
    loaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def pooled_engine(url: str, size: int) -> Engine:
    """An engine for a long-running server: ``size`` connections stay open between requests
    (opening a PostgreSQL connection costs a process fork on the server, so the default five
    made bursts open and close connections all the time), up to ``size`` more during bursts."""
    if normalise_url(url) in ("sqlite://", "sqlite:///:memory:"):
        return make_engine(url)
    return make_engine(url, pool_size=size, max_overflow=size, pool_timeout=30)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


READ_ONLY = "servtrade_read_only"
_AUTOCOMMIT = "servtrade_autocommit"


@contextmanager
def reading(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for reads only. On PostgreSQL its connection autocommits: a plain session
    costs a BEGIN and a ROLLBACK round trip around its statements, which under load cost more
    than the statements (bench/api_load.py). Each statement still sees committed data only, as
    under READ COMMITTED. A flush (any write) raises :class:`DatabaseError`."""
    with factory() as session:
        session.info[READ_ONLY] = True
        bind = session.get_bind()
        if isinstance(bind, Engine) and bind.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            session.info[_AUTOCOMMIT] = True
        yield session


_SNAPSHOT = sa.text("SELECT pg_current_snapshot()::text")
T = TypeVar("T")
P = ParamSpec("P")


def data_stamp(session: Session) -> str | None:
    """The database's committed state, for a :func:`reading` session on PostgreSQL: the text
    of the current snapshot (``xmin:xmax:xids in progress``). Any commit of a writing
    transaction changes it: its transaction id either is new (``xmax`` moves on) or leaves the
    in-progress list. ``None`` elsewhere (SQLite, PostgreSQL before 13, which lacks the
    function, or a session inside a caller's transaction, where uncommitted writes would not
    change it): nothing is then kept."""
    if not session.info.get(READ_ONLY) or not session.info.get(_AUTOCOMMIT):
        return None
    version = session.get_bind().dialect.server_version_info or (0,)
    if version < (13,):
        return None
    return str(session.execute(_SNAPSHOT).scalar_one())


# Answers of read use cases, keyed by the question and :func:`data_stamp`: an answer is reused
# only while no write has been committed anywhere in the database server since it was computed,
# so it is never older than a fresh one would be; under steady writes answers are computed as
# often as without it. 1,024 answers per process; the largest, a page of 500 rows, holds a few
# hundred KB.
KEPT_READS = Kept(size=1024)


def kept_read(
    also: Callable[..., Hashable] | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Keep the answers of a read use case whose first argument is the session factory (see
    :data:`KEPT_READS`). The key is the use case, :func:`data_stamp` (read before the answer,
    so the answer is at least that new) and every argument (which must be hashable);
    ``also(*args, **kwargs)`` adds what the answer depends on outside the database (the
    statistics store's state, today's date)."""

    def decorate(use_case: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(use_case)
        def kept(*args: P.args, **kwargs: P.kwargs) -> T:
            with reading(args[0]) as session:  # type: ignore[arg-type]
                stamp = data_stamp(session)
            if stamp is None:
                return use_case(*args, **kwargs)
            extra = also(*args, **kwargs) if also is not None else None
            key = (use_case.__qualname__, stamp, extra, args[1:], tuple(sorted(kwargs.items())))
            try:
                hash(key)
            except TypeError:  # an argument that cannot be a key: answered afresh
                return use_case(*args, **kwargs)
            return KEPT_READS.answer(key, lambda: use_case(*args, **kwargs))

        return kept

    return decorate


@event.listens_for(Session, "before_flush")
def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(READ_ONLY) and (session.new or session.dirty or session.deleted):
        raise DatabaseError("a read-only session was asked to write; use transaction()")


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            raise DatabaseError(f"database error: {_short(exc)}") from exc
        except BaseException:
            session.rollback()
            raise


def _short(exc: SQLAlchemyError) -> str:
    """The error's kind and the driver's first line: never the SQL text or its parameters
    (they can carry other people's data); the full error is logged."""
    log.warning("database error: %s", exc)
    driver = getattr(exc, "orig", None)
    first = str(driver).strip().splitlines()[0] if driver is not None and str(driver) else ""
    return f"{exc.__class__.__name__}: {first}" if first else exc.__class__.__name__


def ping(engine: Engine) -> str:
    """``ok`` when the database answers, else the reason."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return "ok"
    except SQLAlchemyError as exc:
        return f"unavailable: {exc.__class__.__name__}"


def migrations_dir() -> Path:
    return Path(__file__).parent / "migrations"


def upgrade(url: str, revision: str = "head") -> None:
    """Apply Alembic migrations up to ``revision``."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    try:
        command.upgrade(cfg, revision)
    except SQLAlchemyError as exc:
        raise DatabaseError(
            f"could not migrate the database at {sa.make_url(normalise_url(url))!r}: {exc}",
            hint="check SERVTRADE_DATABASE_URL and that the server is running",
        ) from exc


def record_load(
    factory: sessionmaker[Session], area: str, name: str, detail: str = "", rows: int = 0
) -> None:
    """Note that ``name`` was loaded into ``area`` (shown on the landing page)."""
    with transaction(factory) as session:
        session.add(DataLoad(area=area, name=name, detail=detail[:500], rows=rows))


def latest_loads(factory: sessionmaker[Session], limit: int = 50) -> list[DataLoad]:
    """The most recent load of each (area, name), newest first."""
    with factory() as session:
        latest = (
            sa.select(DataLoad.area, DataLoad.name, sa.func.max(DataLoad.id).label("id"))
            .group_by(DataLoad.area, DataLoad.name)
            .subquery()
        )
        stmt = (
            sa.select(DataLoad)
            .join(latest, DataLoad.id == latest.c.id)
            .order_by(DataLoad.area, DataLoad.name)
            .limit(limit)
        )
        try:
            return list(session.scalars(stmt))
        except SQLAlchemyError:
            return []
