"""``servtrade report``: briefings built from the observatory and the rules engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import typer

from servtrade.cli.output import console, errors_exit
from servtrade.config import load_settings
from servtrade.errors import ErrorDetail, InputError

app = typer.Typer(help="Briefings: economy profiles as HTML or PDF.", no_args_is_help=True)


@app.command("profile")
def profile(
    economy: Annotated[str, typer.Argument(help="Economy code or name (CHN, China, 中国).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .html or .pdf.")],
    year: Annotated[int | None, typer.Option(help="Profile year (default: latest).")] = None,
    on: Annotated[
        str | None, typer.Option(help="Date for the regimes' status (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Write a one-to-three-page economy profile with figures, charts, sources and regimes."""
    from servtrade.briefing.profile import profile_for
    from servtrade.briefing.render import write_profile

    with errors_exit():
        when = _date(on)
        built = profile_for(load_settings(), economy, year=year, on=when)
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


CHART_KEYS = ("exports", "balance", "composition", "ki-share", "partners", "rca", "ip", "stri")


@app.command("chart")
def chart(
    key: Annotated[str, typer.Argument(help="One of: " + ", ".join(CHART_KEYS) + ".")],
    economy: Annotated[str, typer.Argument(help="Economy code or name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .svg, .png or .json.")],
    year: Annotated[int | None, typer.Option(help="Year (default: latest).")] = None,
) -> None:
    """Export one profile chart offline as SVG, PNG or its Vega-Lite JSON specification."""
    from servtrade.briefing.profile import profile_for
    from servtrade.stats.charts import render

    with errors_exit():
        fmt = _chart_format(out)
        built = profile_for(load_settings(), economy, year=year)
        found = {c.key: c for c in built.charts}
        if key not in found:
            gaps = "; ".join(built.gaps) or "no data"
            raise InputError(
                f"no {key!r} chart for {built.economy.name_en} {built.year}",
                errors=[ErrorDetail(gaps, field="key", value=key)],
                hint="charts available here: " + (", ".join(found) or "none"),
            )
        out.write_bytes(render(found[key].spec, fmt))
    console.print(f"wrote {out} ({found[key].title}, {built.economy.name_en} {built.year})")


def _chart_format(out: Path) -> Literal["svg", "png", "json"]:
    formats: dict[str, Literal["svg", "png", "json"]] = {"svg": "svg", "png": "png", "json": "json"}
    found = formats.get(out.suffix.lower().lstrip("."))
    if found is not None:
        return found
    raise InputError(
        f"cannot write a chart as {out.name!r}",
        hint="use a file name ending in .svg, .png or .json",
    )
