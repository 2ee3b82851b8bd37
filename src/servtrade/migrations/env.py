"""Alembic environment: runs migrations against the URL set by servtrade.db.upgrade."""

from __future__ import annotations

import importlib

from alembic import context

from servtrade.db import Base, make_engine

# Every table module, so that autogenerate sees the whole schema.
importlib.import_module("servtrade.market.models")
importlib.import_module("servtrade.accounts.models")

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "servtrade.db.upgrade sets sqlalchemy.url"
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
