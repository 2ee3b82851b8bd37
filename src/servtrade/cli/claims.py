"""``servtrade stats check``: find the numeric claims of release or news texts and check them
(a thin skin over :mod:`servtrade.stats.claims`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from servtrade.cli.output import Format as RowFormat
from servtrade.cli.output import console, errors_exit, render_json, render_rows
from servtrade.config import load_settings
from servtrade.errors import DataFileError, ErrorDetail, ValidationError
from servtrade.stats.claims import Document, Report, Sources, check_documents
from servtrade.stats.claims.dates import make_document
from servtrade.stats.claims_sources import observatory

MAX_BYTES = 2_000_000  # a release or article is far smaller; anything bigger is a mistake
TABLE_COLUMNS = ("id", "text", "kind", "subject", "period", "verdict", "explanation")


class CheckFormat(StrEnum):
    table = "table"
    json = "json"
    md = "md"
    csv = "csv"


def parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        detail = ErrorDetail("is not a date", field="--date", value=text, hint="use YYYY-MM-DD")
        raise ValidationError(f"invalid --date {text!r}", errors=[detail]) from None


def _decode(name: str, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise DataFileError(
            f"{name} is too large to check ({len(data):,} bytes)",
            errors=[
                ErrorDetail(
                    "is larger than 2 MB", file=name, hint="check one release or article at a time"
                )
            ],
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{name} is not UTF-8 text",
            errors=[
                ErrorDetail(
                    f"byte {exc.start} cannot be decoded", file=name, hint="save the text as UTF-8"
                )
            ],
        ) from None


def read_documents(paths: Sequence[str], when: date | None) -> list[Document]:
    """The texts of ``paths`` (``-`` is standard input) as dated documents."""
    docs = []
    for path in paths:
        if path == "-":
            docs.append(make_document("stdin", _decode("stdin", sys.stdin.buffer.read()), when))
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise DataFileError(
                f"cannot read {path}",
                errors=[
                    ErrorDetail(
                        str(exc.strerror or exc), file=path, hint="give the path of a text file"
                    )
                ],
            ) from None
        docs.append(make_document(Path(path).name, _decode(path, data), when))
    return docs


def render(report: Report, fmt: CheckFormat) -> None:
    if fmt is CheckFormat.json:
        render_json(report.to_dict())
    elif fmt is CheckFormat.md:
        sys.stdout.write(report.markdown())
    else:
        row_fmt = RowFormat.csv if fmt is CheckFormat.csv else RowFormat.table
        render_rows(report.rows(), row_fmt, title="claims", columns=TABLE_COLUMNS)
        if fmt is CheckFormat.table:
            summary = ", ".join(f"{n} {v}" for v, n in report.summary().items())
            console.print(
                f"[dim]{summary}; sources: {', '.join(report.sources_used) or 'none'}[/dim]"
            )


def check(
    files: Annotated[
        list[str], typer.Argument(help="Text files to check together; - reads standard input.")
    ],
    when: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Date of the texts (YYYY-MM-DD); default: the dateline of each text. "
            "Resolves 'this year' and unnamed years.",
        ),
    ] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CheckFormat.table
    ),
    use_data: Annotated[
        bool,
        typer.Option(
            "--observatory/--no-observatory",
            help="Also check against the series loaded in the observatory.",
        ),
    ] = True,
) -> None:
    """Find the numeric claims of release or news texts and check them: against their own
    arithmetic, against each other, and against the observatory's loaded series."""
    with errors_exit():
        documents = read_documents(files, parse_date(when))
        sources = observatory(load_settings()) if use_data else Sources()
        report = check_documents(documents, sources)
    render(report, fmt)
