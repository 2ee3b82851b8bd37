"""Reading the shipped classification tables, with errors that name file, line, field and value."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from servtrade.errors import DataFileError, ErrorDetail

T = TypeVar("T")


PACKAGE_DIR = Path(__file__).resolve().parents[1]


def classification_path(name: str) -> Path:
    """Path of a file in ``data/classifications`` (or its copy inside an installed wheel).

    Same places as ``servtrade.config.bundled_data_dir``; the layer contract keeps ``vocab``
    independent of ``config``, so the two lines are repeated here rather than imported.
    """
    packaged = PACKAGE_DIR / "_bundled"
    root = packaged if packaged.is_dir() else PACKAGE_DIR.parents[1] / "data"
    return root / "classifications" / name


def data_error(
    path: Path,
    message: str,
    *,
    line: int | None = None,
    field: str | None = None,
    value: object = None,
    hint: str | None = None,
) -> DataFileError:
    """A :class:`DataFileError` with one located detail."""
    shown = None if value is None else str(value)
    detail = ErrorDetail(message, file=str(path), line=line, field=field, value=shown, hint=hint)
    where = f"{path.name}:{line}" if line else path.name
    return DataFileError(f"bad classification data in {where}: {detail.render()}", errors=[detail])


@dataclass(frozen=True)
class Row:
    """One CSV record with its location, so any field problem can be reported precisely."""

    path: Path
    line: int
    values: Mapping[str, str]

    def text(self, field: str, *, required: bool = True) -> str:
        value = (self.values.get(field) or "").strip()
        if required and not value:
            raise self.error(field, value, "is empty", hint="fill in the field or remove the row")
        return value

    def optional(self, field: str) -> str | None:
        return self.text(field, required=False) or None

    def choice(self, field: str, allowed: Sequence[str]) -> str:
        value = self.text(field)
        if value not in allowed:
            raise self.error(
                field, value, "is not allowed", hint="use one of " + ", ".join(allowed)
            )
        return value

    def integer(self, field: str) -> int:
        value = self.text(field)
        try:
            return int(value)
        except ValueError:
            raise self.error(field, value, "is not a whole number") from None

    def flag(self, field: str) -> bool:
        return self.choice(field, ("yes", "no", "true", "false")) in ("yes", "true")

    def error(
        self, field: str, value: object, message: str, hint: str | None = None
    ) -> DataFileError:
        return data_error(self.path, message, line=self.line, field=field, value=value, hint=hint)


def read_rows(path: Path, columns: Sequence[str]) -> Iterator[Row]:
    """Yield the rows of a UTF-8 CSV file after checking that ``columns`` are present."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise data_error(
                    path,
                    "missing column",
                    line=1,
                    field=missing[0],
                    hint="expected columns: " + ", ".join(columns),
                )
            for values in reader:
                yield Row(path, reader.line_num, values)
    except OSError as exc:
        raise data_error(path, f"cannot be read ({exc.strerror})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise data_error(path, f"is not valid UTF-8 CSV ({exc})") from exc


def load_rows(path: Path, columns: Sequence[str], build: Callable[[Row], T]) -> list[T]:
    """Read ``path`` and turn each row into a value with ``build`` (which validates)."""
    return [build(row) for row in read_rows(path, columns)]


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; syntax errors name the file and line."""
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise data_error(path, f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise data_error(path, f"is not valid YAML ({exc})", line=line) from exc


def unique(path: Path, items: Sequence[T], key: Callable[[T], str], field: str) -> dict[str, T]:
    """Index ``items`` by ``key`` (case-folded); a duplicate is a data error."""
    index: dict[str, T] = {}
    for number, item in enumerate(items, start=2):
        k = key(item).casefold()
        if k in index:
            raise data_error(path, "is duplicated", line=number, field=field, value=key(item))
        index[k] = item
    return index
