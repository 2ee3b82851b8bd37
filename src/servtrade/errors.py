"""The one error tree of servtrade.

Every failure a user can cause or meet is a :class:`ServtradeError`. Each class
carries the HTTP status the API answers with and structured fields that the one
JSON error shape (``{"ok": false, "error": ..., "errors": [...], "status": ...}``)
and the CLI both render::

    ServtradeError (500)
    ├── ConfigError (500)              settings that cannot be used
    ├── InputError (400)               a value from the user is wrong
    │   ├── ValidationError (422)      a structured input failed validation
    │   ├── DataFileError (422)        a file (line, field, value) cannot be read
    │   └── UnknownCodeError (404)     a code/name is in no vocabulary (with suggestions)
    ├── NotFoundError (404)            an object does not exist
    ├── ConflictError (409)            the request contradicts the current state
    ├── PermissionDeniedError (403)    the caller may not do this
    ├── AuthenticationError (401)      the caller is not identified
    ├── RateLimitedError (429)         too many requests
    ├── StoreError (500)               the statistics store failed
    └── DatabaseError (503)            the database cannot be reached or failed

Messages say what went wrong, with which value, and what to do about it.
Foreign exceptions are translated where the dependency is owned (``raise ... from``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True)
class ErrorDetail:
    """One located problem: where (file, line, field), which value, why, what to do."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    value: str | None = None
    hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def render(self) -> str:
        where = ":".join(p for p in (self.file, str(self.line) if self.line else None) if p)
        parts = [f"{where}: " if where else ""]
        if self.field:
            parts.append(f"field {self.field!r}")
            parts.append(f" value {self.value!r}: " if self.value is not None else ": ")
        elif self.value is not None:
            parts.append(f"value {self.value!r}: ")
        parts.append(self.message)
        if self.hint:
            parts.append(f" ({self.hint})")
        return "".join(parts)


@dataclass
class ServtradeError(Exception):
    """Root of every servtrade error."""

    message: str
    errors: list[ErrorDetail] = field(default_factory=list)
    hint: str | None = None
    status: ClassVar[int] = 500
    code: ClassVar[str] = "error"

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message
        if self.hint:
            text = f"{text} ({self.hint})"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The one JSON error shape of the API."""
        body: dict[str, Any] = {
            "ok": False,
            "error": str(self),
            "errors": [e.to_dict() for e in self.errors],
            "status": self.status,
            "code": self.code,
        }
        return body

    def render(self) -> str:
        """Text for the CLI: the message, then one line per detail."""
        lines = [str(self)]
        lines.extend(f"  - {e.render()}" for e in self.errors)
        return "\n".join(lines)


class ConfigError(ServtradeError):
    status = 500
    code = "config_error"


class InputError(ServtradeError):
    status = 400
    code = "bad_input"


class ValidationError(InputError):
    status = 422
    code = "validation_error"


class DataFileError(InputError):
    status = 422
    code = "data_file_error"


class UnknownCodeError(InputError):
    status = 404
    code = "unknown_code"


class NotFoundError(ServtradeError):
    status = 404
    code = "not_found"


class ConflictError(ServtradeError):
    status = 409
    code = "conflict"


class PermissionDeniedError(ServtradeError):
    status = 403
    code = "forbidden"


class AuthenticationError(ServtradeError):
    status = 401
    code = "unauthenticated"


class RateLimitedError(ServtradeError):
    status = 429
    code = "rate_limited"


class StoreError(ServtradeError):
    status = 500
    code = "store_error"


class DatabaseError(ServtradeError):
    status = 503
    code = "database_error"
