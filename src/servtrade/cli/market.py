"""``servtrade market``: the fair and marketplace (generate, import, kpis, recommend, evaluate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from servtrade.cli import schedule
from servtrade.cli.database import open_database
from servtrade.cli.output import (
    FORMAT_OPTION,
    Format,
    console,
    errors_exit,
    render_json,
    render_rows,
)
from servtrade.market import services
from servtrade.market.queries import ExhibitorFilter, ListingFilter
from servtrade.market.schemas import FairKpis, RecommendationsPublic

app = typer.Typer(
    help="The fair and marketplace: synthetic or imported fairs, KPIs, explained matchmaking.",
    no_args_is_help=True,
)
FAIR_OPTION = typer.Option(None, "--fair", help="Fair id (default: the newest fair).")
KIND_ARGUMENT = typer.Argument(..., help="participants, organisations, offers, needs or listings.")
FILE_ARGUMENT = typer.Argument(..., help="CSV (UTF-8) or XLSX file; columns in docs/fair.md.")
OUTPUT_OPTION = typer.Option(None, "--output", help="Also write the JSON result here.")


@app.command("generate")
def generate(
    *,
    exhibitors: int = typer.Option(2000, "--exhibitors", help="Exhibitors (CIFTIS: about 2,000)."),
    economies: int = typer.Option(85, "--economies", help="Economies they come from (about 85)."),
    seed: int = typer.Option(1, "--seed", help="Random seed: same seed, same fair."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Generate a deterministic synthetic fair (labelled synthetic) and store it."""
    with open_database() as (_, factory), console.status("generating the synthetic fair..."):
        fair = services.generate_fair(factory, exhibitors, economies, seed)
    columns = ("id", "name", "starts_on", "synthetic")
    render_rows([fair.model_dump()], fmt, title="Synthetic fair stored", columns=columns)


@app.command("fairs")
def fairs(fmt: Format = FORMAT_OPTION) -> None:
    """List the fairs in the database."""
    with open_database() as (_, factory):
        rows = [f.model_dump() for f in services.list_fairs(factory)]
    render_rows(rows, fmt, title="Fairs", columns=("id", "name", "edition", "city", "synthetic"))


def _kpi_rows(k: FairKpis) -> list[dict[str, Any]]:
    top = k.top_economies
    top_value: Any = top.present if top.available else None
    rows: list[dict[str, Any]] = [
        {"kpi": name, "value": value, "detail": ""}
        for name, value in k.model_dump(
            exclude={"top_economies", "partners_by_sector", "deal_value"}
        ).items()
    ]
    rows.append(
        {
            "kpi": f"top {top.of} services-trading economies present",
            "value": top_value,
            "detail": top.note,
        }
    )
    rows += [
        {"kpi": f"partners in {s}", "value": n, "detail": "by sector"}
        for s, n in k.partners_by_sector.items()
    ]
    rows += [
        {"kpi": f"deal value {c}", "value": v, "detail": "intended and signed"}
        for c, v in k.deal_value.items()
    ]
    return rows


@app.command("kpis")
def kpis(
    *,
    fair: int | None = FAIR_OPTION,
    dataset: str = typer.Option(
        services.RANKING_DATASET, "--dataset", help="Observatory dataset for the top-30 ranking."
    ),
    year: int | None = typer.Option(None, "--year", help="Year of the top-30 ranking."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The fair's key figures as CIFTIS reports them (synthetic fairs are marked)."""
    with open_database() as (settings, factory):
        result = services.kpis(factory, fair, settings, dataset, year)
    if fmt is Format.json:
        render_json(result.model_dump())
        return
    render_rows(
        _kpi_rows(result),
        fmt,
        title=f"KPIs of fair {result.fair_id}" + (" (SYNTHETIC)" if result.synthetic else ""),
    )


def _recommendation_rows(result: RecommendationsPublic) -> list[dict[str, Any]]:
    return [
        {
            "participant": r.participant_id,
            "organisation": r.organisation,
            "economy": r.economy,
            "role": r.role,
            "score": r.score,
            "flagged": r.flagged,
            "verdict": r.verdict,
            "factors": "; ".join(f"{f.name} {f.contribution:.3f}" for f in r.factors if f.weight),
        }
        for r in result.recommendations
    ]


@app.command("recommend")
def recommend(
    *,
    participant: int = typer.Option(..., "--participant", help="Participant id."),
    k: int = typer.Option(10, "--k", min=1, max=100, help="How many recommendations."),
    flag_prohibited: bool = typer.Option(
        False,
        "--flag-prohibited",
        help="Show pairs the rules prohibit, flagged, instead of leaving them out.",
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Explained recommendations for one participant: factors, weights, evidence, verdicts."""
    with open_database() as (settings, factory):
        result = services.recommend(
            factory, participant, k, exclude_prohibited=not flag_prohibited, settings=settings
        )
    if fmt is Format.json:
        render_json(result.model_dump())
        return
    render_rows(
        _recommendation_rows(result), fmt, title=f"Recommendations for participant {participant}"
    )
    if fmt is Format.table:  # notes would break CSV; JSON carries them in "notes"
        for note in result.notes:
            console.print(f"[dim]note: {note}[/dim]")


@app.command("import")
def import_(
    kind: str = KIND_ARGUMENT,
    file: Path = FILE_ARGUMENT,
    fair: int | None = typer.Option(
        None, "--fair", help="Fair id (needed for participants, offers, needs)."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Import a file: all rows or none; a bad row is reported with row, column and reason."""
    with open_database() as (_, factory):
        report = services.import_file(factory, kind, file, fair)
    render_rows([report.model_dump()], fmt, title="Import")


@app.command("evaluate")
def evaluate(
    *,
    exhibitors: int = typer.Option(500, "--exhibitors", help="Exhibitors of the generated fair."),
    economies: int = typer.Option(40, "--economies", help="Economies of the generated fair."),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    k: int = typer.Option(10, "--k", min=1, max=100, help="Cut-off of the metrics."),
    output: Path | None = OUTPUT_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """precision@k, recall@k, nDCG@k of our matcher, a tag-overlap baseline and random."""
    from servtrade.cli.output import to_json
    from servtrade.market.evaluation import evaluate as run

    with errors_exit(), console.status("generating a fair and ranking..."):
        result = run(exhibitors, economies, seed, k)
    if output is not None:
        output.write_text(to_json(result) + "\n", encoding="utf-8")
    if fmt is Format.json:
        render_json(result)
        return
    render_rows(result["methods"], fmt, title=f"Matching quality at k={k} on a synthetic fair")


@app.command("exhibitors")
def exhibitors(
    *,
    fair: int | None = FAIR_OPTION,
    zone: str | None = typer.Option(None, "--zone", help="Thematic zone name."),
    economy: str | None = typer.Option(None, "--economy", help="Economy code (ISO alpha-3)."),
    service: str | None = typer.Option(None, "--service", help="EBOPS 2010 code (and below)."),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
    offset: int = typer.Option(0, "--offset", min=0),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """The exhibitor directory, filtered by zone, economy or service."""
    with open_database() as (_, factory):
        page = services.exhibitors(
            factory, fair, ExhibitorFilter(zone, economy, service), limit, offset
        )
    render_rows(
        [e.model_dump() for e in page.items], fmt, title=f"Exhibitors ({page.total} in all)"
    )


@app.command("listings")
def listings(
    *,
    search: str | None = typer.Option(
        None, "--search", "-s", help="Words in title or description."
    ),
    category: str | None = typer.Option(
        None, "--category", help="algorithm, logistics, payments, ..."
    ),
    service: str | None = typer.Option(None, "--service", help="EBOPS 2010 code (and below)."),
    limit: int = typer.Option(50, "--limit", min=1, max=500),
    offset: int = typer.Option(0, "--offset", min=0),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Search the marketplace's standing catalogue of services."""
    with open_database() as (_, factory):
        page = services.listings(factory, ListingFilter(search, category, service), limit, offset)
    columns = ("id", "title", "category", "ebops", "organisation", "economy", "synthetic")
    render_rows(
        [x.model_dump() for x in page.items],
        fmt,
        title=f"Listings ({page.total} in all)",
        columns=columns,
    )


app.command("schedule")(schedule.schedule_cmd)
app.command("validate-schedule")(schedule.validate_schedule_cmd)
app.command("agenda")(schedule.agenda_cmd)
