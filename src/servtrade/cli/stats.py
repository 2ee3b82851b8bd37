"""``servtrade stats``: datasets, ingest, query, vintages, diff, fetch (thin skins over
:mod:`servtrade.stats`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.status import Status

from servtrade.cli import claims
from servtrade.cli.output import (
    FORMAT_OPTION,
    Format,
    console,
    errors_exit,
    render_json,
    render_rows,
)
from servtrade.config import load_settings
from servtrade.stats.fetch import fetch_dataset
from servtrade.stats.ingest import ingest_file
from servtrade.stats.overview import dataset_status
from servtrade.stats.queries import INDICATORS, run_indicator
from servtrade.stats.results import Query
from servtrade.stats.store import open_store

app = typer.Typer(
    help="The observatory: official services-trade data and indicators.", no_args_is_help=True
)


@app.command("datasets")
def datasets(fmt: Format = FORMAT_OPTION) -> None:
    """List the catalog and what the store holds of each dataset."""
    with errors_exit():
        rows = [d.to_dict() for d in dataset_status(open_store(load_settings()))]
    cols = (
        None
        if fmt is not Format.table
        else ("id", "publisher", "layout", "unit", "latest_vintage", "rows")
    )
    render_rows(rows, fmt, title="datasets", columns=cols)


@app.command("ingest")
def ingest(
    path: Annotated[
        Path, typer.Argument(help="CSV file (WDI, BaTIS, SDMX-CSV, WTO) or releases YAML.")
    ],
    dataset: str | None = typer.Option(None, "--dataset", help="Dataset id (default: detected)."),
    series: str | None = typer.Option(None, "--series", help="Series code for long WDI files."),
    vintage: str | None = typer.Option(None, "--vintage", help="Vintage name (default: time)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Load a file as a new vintage; rejects go to a quarantine file."""
    with errors_exit():
        store = open_store(load_settings())
        with Status("reading", console=console) as status:
            summary = ingest_file(
                store,
                path,
                dataset=dataset,
                series=series,
                vintage=vintage,
                progress=status.update,
            )
    if fmt is Format.json:
        render_json(summary.to_dict())
        return
    data = summary.to_dict()
    keys = (
        "dataset",
        "vintage",
        "layout",
        "series",
        "encoding",
        "rows_read",
        "rows_stored",
        "rows_rejected",
        "rows_carried",
        "quarantine",
        "rows_per_second",
        "reconciled",
    )
    render_rows([{k: data[k] for k in keys}], fmt, title=f"ingested {path.name}")
    if summary.unknown_codes:
        render_rows(summary.unknown_codes, fmt, title="unknown codes (rows quarantined)")


@app.command("query")
def query(  # noqa: PLR0917 - one parameter per CLI option
    indicator: str = typer.Argument(..., help="One of: " + ", ".join(INDICATORS)),
    reporter: str = typer.Option(..., "--reporter", help="Economy code or name."),
    partner: str = typer.Option("WLD", "--partner", help="Partner economy (WLD = world)."),
    item: str = typer.Option("S", "--item", help="EBOPS 2010 code or named aggregate."),
    flow: str = typer.Option("exports", "--flow", help="exports|imports|balance|total."),
    period: str | None = typer.Option(None, "--period", help="2024, 2025H1, 2025-01..2025-08."),
    start: int | None = typer.Option(None, "--from", help="First year."),
    end: int | None = typer.Option(None, "--to", help="Last year."),
    dataset: str | None = typer.Option(None, "--dataset", help="Only this dataset."),
    unit: str | None = typer.Option(None, "--unit", help="Only this unit (USD, CNY)."),
    convert: bool = typer.Option(
        False, "--convert", help="With --unit: convert other currencies (loaded rates only)."
    ),
    by: str = typer.Option("reporter", "--by", help="rank/hhi: reporter|partner|item."),
    top: int = typer.Option(10, "--top", help="rank: how many."),
    explain: bool = typer.Option(False, "--explain", help="Show inputs, sources and formula."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compute an indicator; every row carries dataset, vintage and unit."""
    with errors_exit():
        store = open_store(load_settings())
        q = Query(reporter, partner, item, flow, period, start, end, dataset, unit, convert)
        results = run_indicator(store, indicator, q, by=by, top=top)
    if explain and fmt is Format.json:
        render_json([r.to_dict() for r in results])
        return
    cols = (
        None
        if fmt is not Format.table
        else ("reporter", "partner", "item", "flow", "period", "display", "dataset", "alternative")
    )
    render_rows([r.row() for r in results], fmt, title=indicator, columns=cols)
    if explain:
        for r in results:
            console.print(f"[bold]{r.indicator}[/bold] {r.display} = {r.formula}", highlight=False)
            for o in r.inputs:
                src = o.source or {}
                where = (
                    f"{src.get('publisher')}, {src.get('title')}, {src.get('date')},"
                    f" {src.get('url')}"
                    if src
                    else f"line {o.line}"
                )
                console.print(
                    f"  - {o.dataset}@{o.vintage} {o.reporter} {o.item} {o.flow}"
                    f" {o.period}: {o.value} {o.unit} ({where})",
                    highlight=False,
                )
                if o.conversion:
                    rates = ", ".join(
                        f"{r['currency']} {r['period']} {r['per_usd']} per USD"
                        for r in o.conversion["rates"]
                    )
                    console.print(
                        f"    converted from {o.conversion['from_value']}"
                        f" {o.conversion['from_unit']} at {rates}",
                        highlight=False,
                    )


@app.command("vintages")
def vintages(
    dataset: str = typer.Argument(..., help="Dataset id."), fmt: Format = FORMAT_OPTION
) -> None:
    """List the vintages of a dataset, oldest first."""
    with errors_exit():
        store = open_store(load_settings())
        rows = [
            {k: v for k, v in x.to_dict().items() if k != "sources"}
            for x in store.vintages(dataset)
        ]
    render_rows(rows, fmt, title=f"vintages of {dataset}")


@app.command("diff")
def diff(
    dataset: str = typer.Argument(..., help="Dataset id."),
    old: str = typer.Option(..., "--from", help="Older vintage."),
    new: str = typer.Option(..., "--to", help="Newer vintage."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Revisions between two vintages: added, removed and changed values."""
    with errors_exit():
        result = open_store(load_settings()).diff(dataset, old, new)
    rows = [
        {"change": kind, **c.key, "before": c.before, "after": c.after, "delta": c.delta}
        for kind, changes in (
            ("added", result.added),
            ("removed", result.removed),
            ("changed", result.changed),
        )
        for c in changes
    ]
    if fmt is Format.json:
        render_json(
            {
                "dataset": dataset,
                "from": old,
                "to": new,
                "added": len(result.added),
                "removed": len(result.removed),
                "changed": len(result.changed),
                "unchanged": result.unchanged,
                "rows": rows,
            }
        )
        return
    render_rows(rows, fmt, title=f"{dataset}: {old} -> {new} ({result.unchanged} unchanged)")


@app.command("fetch")
def fetch(  # noqa: PLR0917 - one parameter per CLI option
    source: str = typer.Argument(..., help="Dataset id with a public URL: wdi or oecd-sdmx."),
    series: str | None = typer.Option(
        None, "--series", help="WDI indicator code, or an SDMX key (default: all)."
    ),
    folder: Annotated[
        Path | None, typer.Option("--to", help="Download folder (default: <data dir>/downloads).")
    ] = None,
    load: bool = typer.Option(False, "--ingest", help="Ingest the file once downloaded."),
    mirror: str | None = typer.Option(
        None, "--url", help="Download from this copy instead of the catalog URL."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Download a source with retries, resume (HTTP Range) and its rate limit."""
    with errors_exit():
        settings = load_settings()
        with Status(f"downloading {source}", console=console):
            got = fetch_dataset(
                source, folder or settings.data_dir / "downloads", series=series, mirror=mirror
            )
        result: dict[str, object] = got.to_dict()
        if load:
            summary = ingest_file(open_store(settings), got.path, dataset=source, series=series)
            result["ingest"] = summary.to_dict()
    if fmt is Format.json:
        render_json(result)
        return
    render_rows([{k: v for k, v in result.items() if k != "ingest"}], fmt, title="fetched")


app.command("check")(claims.check)
