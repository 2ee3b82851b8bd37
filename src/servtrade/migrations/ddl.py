"""Shorthands for migrations: tables, keys, checks and indexes named by the naming convention
of :data:`servtrade.db.NAMING`, so a migration states only what differs between tables.

Migrations are history: once a revision uses a helper, its behaviour must never change (the
schema test and a fresh ``upgrade`` would no longer agree with databases already migrated).
Add a new helper instead of changing one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def indexes(table: str, *columns: str) -> None:
    """One plain index per column, named ``ix_<table>_<column>`` (the naming convention)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def table(name: str, *items: sa.schema.SchemaItem, key: tuple[str, ...] = ("id",)) -> None:
    """``op.create_table`` with the primary key ``key``, named by the naming convention; an
    integer ``id`` column comes first when the key is ``id`` and no item defines it."""
    named = {i.name for i in items if isinstance(i, sa.Column)}
    first = (
        [sa.Column("id", sa.Integer(), nullable=False)] if "id" in key and "id" not in named else []
    )
    op.create_table(name, *first, *items, sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}")))


def check(table: str, name: str, sql: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(sql, name=op.f(f"ck_{table}_{name}"))


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    """``column`` references ``target.id``, named by the naming convention."""
    name = op.f(f"fk_{table}_{column}_{target}")
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=name, ondelete=ondelete)
