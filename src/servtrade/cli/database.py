"""The database as commands use it: data dir prepared, schema migrated, engine disposed after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from servtrade.cli.output import errors_exit
from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory, upgrade


def prepare(settings: Settings) -> None:
    """Create the data directory and bring the database schema up to date."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)


@contextmanager
def open_database() -> Iterator[tuple[Settings, sessionmaker[Session]]]:
    """Settings and a session factory on the migrated database; errors exit cleanly."""
    with errors_exit():
        settings = load_settings()
        prepare(settings)
        engine = make_engine(settings.resolved_database_url)
        try:
            yield settings, make_session_factory(engine)
        finally:
            engine.dispose()
