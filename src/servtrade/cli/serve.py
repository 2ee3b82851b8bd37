"""``servtrade init`` (prepare data dir, migrate, load bundled data) and ``servtrade serve``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from fastapi import FastAPI

from servtrade.cli.database import prepare
from servtrade.cli.output import console, errors_exit
from servtrade.config import Settings, load_settings
from servtrade.db import make_engine, make_session_factory, record_load


def _vocab_counts() -> dict[str, int]:
    from servtrade.vocab.ebops import ebops_tree
    from servtrade.vocab.economies import all_economies
    from servtrade.vocab.w120 import w120_sectors

    return {
        "EBOPS 2010 items": len(list(ebops_tree().items())),
        "economies": len(all_economies()),
        "W/120 sectors": len(w120_sectors()),
    }


def _vocab_detail() -> str:
    return ", ".join(f"{n:,} {name}" for name, n in _vocab_counts().items())


def _vocab_rows() -> int:
    return sum(_vocab_counts().values())


def _load_stats(settings: Settings, factory: sessionmaker[Session]) -> None:
    from servtrade.stats.bundled import load_bundled as load_stats

    for done in load_stats(settings):
        name = f"{done.dataset}: {Path(done.file).name}"
        if done.skipped:
            console.print(f"stats   {name}: unchanged since vintage {done.vintage}")
            continue
        record_load(factory, "stats", name, f"vintage {done.vintage}", rows=done.rows_stored)
        console.print(f"stats   {name}: {done.rows_stored:,} rows, vintage {done.vintage}")


def _load_rules(factory: sessionmaker[Session]) -> None:
    from servtrade.rules.loader import default_rulebook

    book = default_rulebook()
    detail = "; ".join(book.coverage(list_id) for list_id in book.lists)
    record_load(factory, "rules", "measures", detail, rows=len(book.measures))
    console.print(f"rules   {len(book.lists)} lists, {len(book.measures)} measures encoded")


def load_bundled(settings: Settings) -> int:
    """Load every area's bundled data; each area records what it loaded. Returns the id of
    the demo fair."""
    engine = make_engine(settings.resolved_database_url)
    factory = make_session_factory(engine)
    try:
        record_load(factory, "vocab", "classifications", _vocab_detail(), rows=_vocab_rows())
        _load_stats(settings, factory)
        _load_rules(factory)
        from servtrade.market.services import load_demo

        fair = load_demo(factory)
        console.print(f"market  demo fair {fair.id} loaded (synthetic)")
        return fair.id
    finally:
        engine.dispose()


def _demo_accounts(settings: Settings, fair_id: int) -> None:
    from servtrade.cli.demo_accounts import make_demo_accounts, write_file

    engine = make_engine(settings.resolved_database_url)
    try:
        made = make_demo_accounts(settings, make_session_factory(engine), fair_id)
    finally:
        engine.dispose()
    path = write_file(settings.data_dir, made)
    console.print(f"accounts demo accounts for the synthetic demo fair (also in {path}):")
    for account in made:
        console.print(f"  {account.role.value:10} {account.email:42} {account.password}")


def init(
    skip_data: bool = typer.Option(False, "--skip-data", help="Only migrate; load no data."),
    demo_accounts: bool = typer.Option(
        False,
        "--demo-accounts",
        help="Also make demo accounts (admin, organiser, exhibitor, buyer, analyst) for the "
        "synthetic demo fair, with new random passwords; refused in production.",
    ),
) -> None:
    """Prepare the data directory, apply migrations and load the bundled data."""
    with errors_exit():
        settings = load_settings()
        prepare(settings)
        console.print(f"database ready: {settings.resolved_database_url}")
        if not skip_data:
            fair_id = load_bundled(settings)
            if demo_accounts:
                _demo_accounts(settings, fair_id)
        console.print(f"data directory ready: {settings.data_dir.resolve()}")


def app_from_env() -> FastAPI:
    """The web app for the settings in the environment (each server process builds its own)."""
    from servtrade.web.app import create_app

    return create_app(load_settings())


def serve() -> None:
    """Serve the dashboard and the API (host, port and processes from SERVTRADE_HOST,
    SERVTRADE_PORT and SERVTRADE_WORKERS)."""
    import uvicorn

    with errors_exit():
        settings = load_settings()
        prepare(settings)
    logging.basicConfig(level=settings.log_level.value)
    console.print(
        f"servtrade serving on [bold]http://{settings.host}:{settings.port}[/bold] "
        f"with {settings.workers} process(es) (API docs at /api/docs; Ctrl-C stops)"
    )
    level = settings.log_level.value.lower()
    if settings.workers > 1:
        # one process runs Python on one core at a time; several need the app by name
        uvicorn.run(
            f"{__name__}:app_from_env", factory=True, workers=settings.workers,
            host=settings.host, port=settings.port, log_level=level,
        )  # fmt: skip
    else:
        uvicorn.run(app_from_env(), host=settings.host, port=settings.port, log_level=level)
