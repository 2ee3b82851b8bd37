"""Rendering of command results as table, JSON or CSV, and the CLI's error exit."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from servtrade.errors import ServtradeError

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


FORMAT_OPTION = typer.Option(Format.table, "--format", "-f", help="Output format.")


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Path | StrEnum):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def to_json(data: Any) -> str:
    return json.dumps(_plain(data), ensure_ascii=False, indent=2)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.1f}"
    return str(_plain(value))


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Print ``rows`` (dicts with the same keys) in the chosen format."""
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt is Format.json:
        sys.stdout.write(to_json([{c: r.get(c) for c in cols} for r in rows]) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(cols)
        for r in rows:
            writer.writerow([_cell(r.get(c)) for c in cols])
        sys.stdout.write(buf.getvalue())
        return
    table = Table(title=title, show_lines=False)
    for c in cols:
        table.add_column(c)
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in cols])
    console.print(table)
    if not rows:
        console.print("[dim]no rows[/dim]")


def render_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def fail(exc: ServtradeError) -> typer.Exit:
    """Print the error the way the API words it and return the exit to raise."""
    err_console.print(
        f"[bold red]error:[/bold red] {exc.render()}", highlight=False, soft_wrap=True
    )
    return typer.Exit(code=1)


@contextmanager
def errors_exit() -> Iterator[None]:
    """Turn any ServtradeError raised inside into a clean message and exit code 1."""
    try:
        yield
    except ServtradeError as exc:
        raise fail(exc) from None


def guarded(fn: Callable[[], T]) -> T:
    with errors_exit():
        return fn()
