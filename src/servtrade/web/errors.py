"""The one JSON error shape and the HTML error pages.

Every API error, whatever raised it, leaves as
``{"ok": false, "error": "...", "errors": [...], "status": N, "code": "..."}``.
Pages (non-API paths) get a styled HTML page with the same message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from servtrade.errors import (
    AuthenticationError,
    ConflictError,
    ErrorDetail,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ServtradeError,
    ValidationError,
)
from servtrade.web.templating import templates

log = logging.getLogger("servtrade.web")

_HTTP_CLASSES: dict[int, type[ServtradeError]] = {
    400: InputError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
}


class _HttpStatusError(ServtradeError):
    """An HTTP status without a more specific class (405, 413, ...)."""

    code = "http_error"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status  # type: ignore[misc]


def _from_http(exc: StarletteHTTPException) -> ServtradeError:
    detail = exc.detail if isinstance(exc.detail, str) else "request failed"
    if exc.status_code == 404 and detail == "Not Found":
        detail = "no such page or endpoint"
    cls = _HTTP_CLASSES.get(exc.status_code)
    return cls(detail) if cls else _HttpStatusError(detail, exc.status_code)


def _from_validation(exc: RequestValidationError) -> ValidationError:
    details = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        raw: Any = err.get("input")
        value = None if isinstance(raw, dict | list) or raw is None else str(raw)[:200]
        details.append(ErrorDetail(message=str(err.get("msg")), field=".".join(loc), value=value))
    first = details[0].render() if details else "invalid request"
    return ValidationError(f"invalid request: {first}", errors=details)


# Ids, offsets and counts are stored in 64-bit integer columns. A larger number in a request
# cannot name a row, and the drivers refuse to send it: SQLite raises OverflowError, PostgreSQL
# "bigint out of range" (SQLSTATE 22003). Either way the caller sent a number out of range.
INT64_MAX = 2**63 - 1
_OUT_OF_RANGE = "22003"


def _out_of_range(exc: Exception) -> ValidationError | None:
    """A 422 for a number the database cannot hold, else ``None``."""
    if isinstance(exc, DataError) and getattr(exc.orig, "sqlstate", None) != _OUT_OF_RANGE:
        return None
    hint = f"ids, offsets and counts are whole numbers up to {INT64_MAX:,}"
    detail = ErrorDetail("a number in the request is too large", hint=hint)
    return ValidationError("invalid request: a number is out of range", errors=[detail])


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_response(request: Request, exc: ServtradeError) -> Response:
    if is_api(request):
        return JSONResponse(exc.to_dict(), status_code=exc.status)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": exc.status, "message": str(exc), "details": exc.errors},
        status_code=exc.status,
    )


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the one shape."""

    async def on_servtrade(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ServtradeError)
        if exc.status >= 500:
            log.error("request failed: %s", exc.render())
        return error_response(request, exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return error_response(request, _from_http(exc))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(request, _from_validation(exc))

    async def on_out_of_range(request: Request, exc: Exception) -> Response:
        error = _out_of_range(exc)
        if error is None:
            return await on_unexpected(request, exc)
        return error_response(request, error)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(
            request, ServtradeError("internal error; the server log has the details")
        )

    app.add_exception_handler(ServtradeError, on_servtrade)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(OverflowError, on_out_of_range)
    app.add_exception_handler(DataError, on_out_of_range)
    app.add_exception_handler(Exception, on_unexpected)


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "details": []}
    )
    response.status_code = status
    return response
