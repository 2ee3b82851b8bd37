"""``servtrade report``: briefings built from the observatory and the rules engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from servtrade.cli.output import console, errors_exit
from servtrade.config import load_settings, shared_data_dir
from servtrade.errors import ErrorDetail, InputError

app = typer.Typer(help="Briefings: economy profiles as HTML or PDF.", no_args_is_help=True)


@app.command("profile")
def profile(
    economy: str = typer.Argument(..., help="Economy code or name (CHN, China, 中国)."),
    out: Path = typer.Option(..., "--out", "-o", help="Output file: .html or .pdf."),
    year: int | None = typer.Option(None, "--year", help="Profile year (default: latest)."),
    on: str | None = typer.Option(None, "--on", help="Date for the regimes' status (YYYY-MM-DD)."),
) -> None:
    """Write a one-to-three-page economy profile with figures, charts, sources and regimes."""
    from servtrade.briefing.profile import build_profile
    from servtrade.briefing.render import write_profile
    from servtrade.rules.loader import default_rulebook
    from servtrade.rules.stri import StriContext
    from servtrade.stats.store import open_store

    with errors_exit():
        settings = load_settings()
        when = _date(on)
        shared = shared_data_dir(settings)
        built = build_profile(
            open_store(settings),
            default_rulebook(),
            StriContext(shared) if shared else None,
            economy,
            year=year,
            on=when,
        )
        written = write_profile(built, out, when)
    console.print(
        f"wrote {written} ({built.economy.name_en}, {built.year}: {len(built.figures)} figures, "
        f"{len(built.charts)} charts, {len(built.gaps)} gaps noted)"
    )


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(
            f"invalid date {text!r}",
            errors=[ErrorDetail("expected YYYY-MM-DD", field="--on", value=text)],
        ) from exc
