"""Reading import files (CSV or XLSX) into validated rows, with a per-row error report.

Nothing here touches the database: a file is read and every row validated first, so that
a file with any bad row is rejected whole, naming row, column, value and reason.
Column formats are documented in ``docs/fair.md``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pydantic

from servtrade.errors import DataFileError, ErrorDetail
from servtrade.market.schemas import (
    ListingCreate,
    NeedCreate,
    OfferCreate,
    OrganisationCreate,
    ParticipantCreate,
)

Kind = Literal["organisations", "participants", "offers", "needs", "listings"]
SCHEMAS: dict[str, type[pydantic.BaseModel]] = {
    "organisations": OrganisationCreate,
    "participants": ParticipantCreate,
    "offers": OfferCreate,
    "needs": NeedCreate,
    "listings": ListingCreate,
}
MAX_ERRORS = 200


@dataclass(frozen=True)
class Parsed:
    """The valid rows of a file, each with its line number (header = line 1)."""

    kind: str
    file: str
    rows: list[tuple[int, pydantic.BaseModel]]


def field(row: pydantic.BaseModel, name: str) -> Any:
    """A validated value of ``row`` by column name."""
    return row.__dict__[name]


def schema_for(kind: str) -> type[pydantic.BaseModel]:
    if kind not in SCHEMAS:
        raise DataFileError(
            f"unknown import kind {kind!r}",
            errors=[ErrorDetail("unknown kind", field="kind", value=kind)],
            hint="use one of " + ", ".join(SCHEMAS),
        )
    return SCHEMAS[kind]


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """Header and (line, row) pairs of a CSV (UTF-8) or XLSX file; blank rows skipped."""
    if not path.is_file():
        raise DataFileError(f"no file at {path}", hint="check the path")
    excel = path.suffix.lower() in {".xlsx", ".xlsm"}
    table = _read_xlsx(path) if excel else _read_csv(path)
    if not table:
        raise DataFileError(
            f"{path.name} is empty", errors=[ErrorDetail("no header", file=path.name)]
        )
    header = [str(h).strip() if h is not None else "" for h in table[0]]
    rows = []
    for line, values in enumerate(table[1:], start=2):
        cells = [_cell(v) for v in values]
        if all(c is None for c in cells):
            continue
        rows.append((line, dict(zip(header, cells, strict=False))))
    return header, rows


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(r) for r in csv.reader(handle)]
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{path.name} is not UTF-8 text",
            errors=[ErrorDetail(str(exc), file=path.name)],
            hint="save the file as CSV UTF-8, or as .xlsx",
        ) from exc


def _read_xlsx(path: Path) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataFileError(
            f"{path.name} is not a readable .xlsx workbook",
            errors=[ErrorDetail(str(exc), file=path.name)],
            hint="save it again from a spreadsheet program as .xlsx, or export CSV",
        ) from exc
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _check_header(kind: str, header: list[str], file: str) -> None:
    schema = schema_for(kind)
    known = set(schema.model_fields)
    required = {n for n, f in schema.model_fields.items() if f.is_required()}
    problems = [
        ErrorDetail(
            "unknown column",
            file=file,
            line=1,
            field=h or "(blank)",
            hint="known columns: " + ", ".join(schema.model_fields),
        )
        for h in header
        if h not in known
    ]
    problems += [
        ErrorDetail("required column is missing", file=file, line=1, field=name)
        for name in sorted(required - set(header))
    ]
    if problems:
        raise DataFileError(
            f"{file}: the header does not fit {kind}: {problems[0].render()}", errors=problems
        )


def _row_errors(
    exc: pydantic.ValidationError, file: str, line: int, row: dict[str, Any]
) -> list[ErrorDetail]:
    found = []
    for err in exc.errors():
        column = str(err["loc"][0]) if err.get("loc") else None
        raw = row.get(column) if column else None
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        found.append(
            ErrorDetail(
                message,
                file=file,
                line=line,
                field=column,
                value=None if raw is None else str(raw)[:200],
            )
        )
    return found


def parse_rows(
    kind: str, file: str, header: list[str], rows: list[tuple[int, dict[str, Any]]]
) -> Parsed:
    """Validate every row; raise one DataFileError listing every bad row and column."""
    _check_header(kind, header, file)
    schema = schema_for(kind)
    good: list[tuple[int, pydantic.BaseModel]] = []
    problems: list[ErrorDetail] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        data = {k: v for k, v in row.items() if k and v is not None}
        try:
            item = schema.model_validate(data)
        except pydantic.ValidationError as exc:
            problems += _row_errors(exc, file, line, row)
            continue
        external_id = field(item, "external_id")
        if external_id in first_line:
            problems.append(
                ErrorDetail(
                    f"duplicate external_id (first on line {first_line[external_id]})",
                    file=file,
                    line=line,
                    field="external_id",
                    value=external_id,
                )
            )
            continue
        first_line[external_id] = line
        good.append((line, item))
    if problems:
        raise reject(file, problems)
    return Parsed(kind, file, good)


def reject(file: str, problems: list[ErrorDetail]) -> DataFileError:
    shown = problems[:MAX_ERRORS]
    more = f" (first {MAX_ERRORS} shown)" if len(problems) > MAX_ERRORS else ""
    return DataFileError(
        f"{file}: {len(problems)} problem(s){more}, nothing imported; first: {shown[0].render()}",
        errors=shown,
        hint="fix the rows listed and import the file again",
    )


def parse_file(kind: str, path: Path) -> Parsed:
    schema_for(kind)
    header, rows = read_table(path)
    return parse_rows(kind, path.name, header, rows)
