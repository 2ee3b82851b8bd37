"""Checked access to one record of a rules data file, with errors naming file, line, item, field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from servtrade.errors import DataFileError, ErrorDetail


class LineDict(dict[Any, Any]):
    """A mapping read from YAML that remembers the line it starts on."""

    line: int | None = None
    lines: dict[Any, int] | None = None  # the line of each key


def data_error(
    file: str,
    message: str,
    *,
    line: int | None = None,
    item: str | None = None,
    field: str | None = None,
    value: object = None,
    hint: str | None = None,
) -> DataFileError:
    """A DataFileError with one located detail; ``item`` is the measure or list concerned."""
    text = f"{item}: {message}" if item else message
    shown = None if value is None else str(value)
    detail = ErrorDetail(text, file=file, line=line, field=field, value=shown, hint=hint)
    return DataFileError(f"bad rules data: {detail.render()}", errors=[detail])


@dataclass(frozen=True)
class Record:
    """One list header or measure entry: its values, and where it sits for error messages."""

    values: Mapping[Any, Any]
    file: str
    line: int | None
    item: str | None = None
    prefix: str = ""

    def at(self, field: str | int) -> int | None:
        """The line of a nested mapping when known, else the record's own line."""
        keys = getattr(self.values, "lines", None) or {}
        return keys.get(field) or getattr(self.values.get(field), "line", None) or self.line

    def error(
        self, field: str | int, value: object, message: str, hint: str | None = None
    ) -> DataFileError:
        return data_error(
            self.file,
            message,
            line=self.at(field),
            item=self.item,
            field=f"{self.prefix}{field}",
            value=value,
            hint=hint,
        )

    def raw(self, field: str | int) -> Any:
        return self.values.get(field)

    def text(self, field: str | int) -> str:
        value = self.values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise self.error(field, value, "is missing", hint="fill in the field")
        if isinstance(value, bool | list | dict):
            raise self.error(field, value, "must be text")
        return str(value).strip()

    def optional(self, field: str | int) -> str | None:
        value = self.values.get(field)
        return None if value is None or str(value).strip() == "" else self.text(field)

    def choice(self, field: str | int, allowed: Sequence[str]) -> str:
        value = self.text(field)
        if value not in allowed:
            raise self.error(
                field, value, "is not allowed", hint="use one of " + ", ".join(allowed)
            )
        return value

    def day(self, field: str, *, required: bool = True) -> date | None:
        value = self.values.get(field)
        if value is None or value == "":
            if required:
                raise self.error(field, value, "is missing", hint="give a date as YYYY-MM-DD")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise self.error(field, value, "is not a date", hint="write YYYY-MM-DD") from None

    def whole(self, field: str, *, required: bool = True, minimum: int = 0) -> int | None:
        value = self.values.get(field)
        if value is None or value == "":
            if required:
                raise self.error(field, value, "is missing", hint="give a whole number")
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            raise self.error(field, value, "is not a whole number") from None
        if isinstance(value, bool) or number < minimum:
            raise self.error(field, value, f"must be a whole number >= {minimum}")
        return number

    def flag(self, field: str, default: bool) -> bool:
        value = self.values.get(field)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text not in ("true", "false", "yes", "no"):
            raise self.error(field, value, "must be true or false")
        return text in ("true", "yes")

    def strings(self, field: str | int, *, required: bool = True) -> tuple[str, ...]:
        value = self.values.get(field)
        if value is None or value in ("", []):
            if required:
                raise self.error(field, value, "is missing", hint="give a list")
            return ()
        if isinstance(value, str):
            value = [v for v in (p.strip() for p in value.replace(";", ",").split(",")) if v]
        if not isinstance(value, list) or any(isinstance(v, dict | list) for v in value):
            raise self.error(field, value, "must be a list of values")
        return tuple(str(v).strip() for v in value)

    def modes(self, field: str) -> frozenset[int]:
        found = set()
        for mode in self.strings(field):
            if mode not in ("1", "2", "3", "4"):
                raise self.error(field, mode, "is not a GATS mode", hint="modes are 1, 2, 3 and 4")
            found.add(int(mode))
        return frozenset(found)

    def nested(self, field: str | int, *, required: bool = True) -> Record | None:
        value = self.values.get(field)
        if value is None:
            if required:
                raise self.error(field, value, "is missing", hint="give a mapping")
            return None
        if not isinstance(value, Mapping):
            raise self.error(field, value, "must be a mapping")
        line = getattr(value, "line", None) or self.line
        return Record(value, self.file, line, self.item, f"{self.prefix}{field}.")

    def sub(self, field: str | int) -> Record:
        """A required nested mapping."""
        found = self.nested(field)
        assert found is not None
        return found

    def unknown_fields(self, allowed: Sequence[str]) -> None:
        extra = sorted(str(k) for k in self.values if k not in allowed)
        if extra:
            raise self.error(
                extra[0], None, "is not a known field", hint="known fields: " + ", ".join(allowed)
            )
