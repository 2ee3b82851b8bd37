"""Query shapes compiled once: an ibis expression is built with placeholder values, compiled to
SQL the first time its shape (which filters, which year bounds) is asked, and later questions of
the same shape only put their values in. Compiling is most of the cost of a small question."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

import ibis

Value = str | Sequence[str]
PARAM = "__servtrade_param_{}__"


def param(name: str) -> str:
    """The placeholder the expression of a shape holds where value ``name`` goes."""
    return PARAM.format(name)


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _fill(value: Value) -> str:
    if isinstance(value, str):
        return sql_literal(value)
    # an empty list matches nothing, as ibis' isin([]) does
    return ", ".join(sql_literal(v) for v in value) or "NULL"


class Shapes:
    """Compiled SQL per shape key."""

    def __init__(self) -> None:
        self._compiled: dict[Hashable, str] = {}

    def clear(self) -> None:
        self._compiled.clear()

    def sql(
        self,
        key: Hashable,
        build: Callable[[], Any],
        values: Mapping[str, Value],
        around: str = "{query}",
    ) -> str:
        """The SQL of shape ``key`` (``build()`` gives its ibis expression, placed in ``around``
        where it says ``{query}``) with ``values``."""
        text = self._compiled.get(key)
        if text is None:
            text = around.replace("{query}", str(ibis.to_sql(build(), dialect="duckdb")))
            missing = [n for n in values if sql_literal(param(n)) not in text]
            if missing:  # pragma: no cover - a bug in the expression, not user input
                raise ValueError(f"shape {key!r} lacks placeholders {missing}")
            self._compiled[key] = text
        for name, value in values.items():
            text = text.replace(sql_literal(param(name)), _fill(value))
        return text
