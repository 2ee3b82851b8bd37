"""``servtrade rules``: check a case against the encoded regimes, browse, diff, import, test."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from servtrade.cli.output import FORMAT_OPTION, Format, errors_exit, render_json, render_rows
from servtrade.config import load_settings, shared_data_dir
from servtrade.errors import ErrorDetail, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.editions import diff as diff_editions
from servtrade.rules.editions import lists_as_of
from servtrade.rules.evaluate import evaluate
from servtrade.rules.explain import (
    explain_text,
    list_to_dict,
    measure_row,
    measure_to_dict,
    verdict_to_dict,
)
from servtrade.rules.imports import import_file
from servtrade.rules.loader import rulebook_for
from servtrade.rules.predicates import describe
from servtrade.rules.scenarios import load_scenarios, run_files
from servtrade.rules.simulate import measures_from_file, simulate
from servtrade.rules.stri import StriContext

app = typer.Typer(
    help="Rules as code: may a provider from X supply service S to a buyer in Y by mode M on D?",
    no_args_is_help=True,
)
DATA_OPTION = typer.Option(
    [], help="Data involved: personal, sensitive_personal, important, other."
)
FACT_OPTION = typer.Option([], help="A fact NAME=VALUE, e.g. ciio=true (repeatable).")
IMPORT_FILE = typer.Argument(..., help="A list as YAML, or CSV with one row per item.")
CASES_OPTION = typer.Option(..., "--cases", help="Scenario files or folders (repeatable).")
ADD_OPTION = typer.Option(None, "--add", help="A list file whose measures are added.")
REMOVE_OPTION = typer.Option([], "--remove", help="A measure id to remove (repeatable).")
SCENARIO_FILES = typer.Argument(..., help="Scenario files or folders.")


def _user_root() -> Path:
    return load_settings().data_dir / "measures"


def _book() -> Rulebook:
    """The bundled rules plus lists imported with `servtrade rules import`."""
    return rulebook_for(_user_root())


def _facts(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ValidationError(
                f"--fact {pair!r} is not NAME=VALUE",
                errors=[
                    ErrorDetail(
                        "is not NAME=VALUE", field="fact", value=pair, hint="e.g. --fact ciio=true"
                    )
                ],
            )
        found[name.strip()] = value.strip()
    return found


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            f"--on {text!r} is not a date",
            errors=[ErrorDetail("is not a date", field="on", value=text, hint="write YYYY-MM-DD")],
        ) from None


@app.command("check")
def check(
    *,
    provider_economy: str = typer.Option(..., help="Provider's economy (ISO code or name)."),
    provider_type: str = typer.Option(..., help="individual or entity_abroad."),
    buyer_economy: str = typer.Option(..., help="Buyer's economy (whose rules apply)."),
    service: str = typer.Option(..., help="ebops:SJ34, cpc:932, w120:1.A.i or gbt4754:F5182."),
    mode: str = typer.Option(..., help="GATS mode 1-4."),
    on: str = typer.Option(..., help="Date to judge, YYYY-MM-DD."),
    zone: str | None = typer.Option(None, help="ftz or hainan (leave out for nationwide)."),
    data: list[str] = DATA_OPTION,
    fact: list[str] = FACT_OPTION,
    explain: bool = typer.Option(False, "--explain", help="Print the full explanation tree."),
    stri: bool = typer.Option(
        True, help="Show OECD STRI context when the shared data are present."
    ),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Judge one case and print the verdict, its reasons and citations."""
    with errors_exit():
        book = _book()
        case = make_case(
            provider_economy=provider_economy,
            provider_type=provider_type,
            buyer_economy=buyer_economy,
            service=service,
            mode=mode,
            zone=zone,
            on=_day(on),
            data=data or None,
            facts=_facts(fact),
            book=book,
        )
        shared = shared_data_dir(load_settings()) if stri else None
        verdict = evaluate(case, book=book, context=StriContext(shared) if shared else None)
    if fmt is Format.json:
        render_json(verdict_to_dict(verdict))
    elif explain and fmt is Format.table:
        typer.echo(explain_text(verdict))
    else:
        row = {
            "outcome": verdict.outcome.value,
            "on": verdict.on.isoformat(),
            "lists": [c.list_id for c in verdict.lists if c.list_id],
            "measures": list(verdict.measure_ids),
            "reasons": list(verdict.reasons),
        }
        render_rows([row], fmt, title="Verdict")


@app.command("lists")
def lists(
    on: str | None = typer.Option(None, help="Show each list's status on this date (YYYY-MM-DD)."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """List the encoded list editions, their dates, coverage and (with --on) status."""
    with errors_exit():
        rows = lists_as_of(_book(), _day(on))
    columns = ["list_id", "layer", "territory", "in_force_from", "in_force_to", "coverage"]
    render_rows(rows, fmt, title="Lists", columns=[*columns, "status"] if on else columns)


@app.command("show")
def show(
    list_id: str = typer.Argument(..., help="A list id, e.g. CN-NAT-2024."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Show a list and every encoded measure with its sector codes, modes, dates and reference."""
    with errors_exit():
        book = _book()
        edition = book.edition(list_id)
        measures = [measure_to_dict(m) for m in book.measures_of(edition.id)]
    if fmt is Format.json:
        render_json({"list": list_to_dict(edition, book), "measures": measures})
        return
    rows = [measure_row(m) for m in book.measures_of(edition.id)]
    render_rows(rows, fmt, title=f"{edition.id}: {book.coverage(edition.id)}")


@app.command("diff")
def diff(
    a: str = typer.Argument(..., help="First list id."),
    b: str = typer.Argument(..., help="Second list id."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Compare two editions: metadata and encoded measures (matched by sector and kind)."""
    with errors_exit():
        found = diff_editions(_book(), a, b)
    if fmt is Format.json:
        render_json(found)
        return
    render_rows(found["metadata"], fmt, title=f"{found['a']} -> {found['b']}: metadata")
    render_rows(
        found["measures"],
        fmt,
        title="Measures",
        columns=["status", "a", "b", "summary_en", "detail"],
    )
    if fmt is Format.table:
        typer.echo(" / ".join(found["coverage"]) + ". " + found["caveat"])


@app.command("import")
def import_(
    file: Path = IMPORT_FILE,
    replace: bool = typer.Option(False, "--replace", help="Overwrite a file imported before."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate only; store nothing."),
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Validate a list file and add it to your rules (errors name file, line, item and field)."""
    with errors_exit():
        report = import_file(file, _user_root(), replace=replace, dry_run=dry_run)
    render_rows([report.to_dict()], fmt, title="Imported" if not dry_run else "Validated (dry run)")


@app.command("simulate")
def simulate_(
    cases: list[Path] = CASES_OPTION,
    add: Path | None = ADD_OPTION,
    remove: list[str] = REMOVE_OPTION,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """What-if: add or remove measures and report which scenario cases change verdict."""
    with errors_exit():
        book = _book()
        scenarios = [
            s
            for p in cases
            for f in (sorted(p.glob("*.yaml")) if p.is_dir() else [p])
            for s in load_scenarios(f)
        ]
        added = measures_from_file(add, book) if add else []
        report = simulate(book, scenarios, add=added, remove=remove)
    if fmt is Format.json:
        render_json(report)
        return
    render_rows(
        report["changed"],
        fmt,
        title=report["summary"],
        columns=["name", "before", "after", "before_measures", "after_measures"],
    )


@app.command("test")
def test(
    files: list[Path] = SCENARIO_FILES,
    fmt: Format = FORMAT_OPTION,
) -> None:
    """Run scenario files and print pass/fail per case (exit 1 if any fails)."""
    with errors_exit():
        results = run_files(files, _book())
    rows: list[dict[str, Any]] = [r.to_dict() for r in results]
    render_rows(
        rows, fmt, title="Scenarios", columns=["passed", "name", "expected", "got", "problems"]
    )
    failed = sum(not r.passed for r in results)
    if fmt is Format.table:
        typer.echo(f"{len(results) - failed} passed, {failed} failed")
    if failed:
        raise typer.Exit(code=1)


@app.command("predicates")
def predicates(fmt: Format = FORMAT_OPTION) -> None:
    """List the named predicates conditions may use, with their arguments."""
    render_rows(describe(), fmt, title="Predicates")
