"""A cap on every request body, before any route (or multipart parser) reads it.

FastAPI parses a multipart form before it runs a route's dependencies, so without a cap an
anonymous caller could make the server spool any amount of data to disk before being told
401. This ASGI middleware answers **413** in the one JSON error shape when ``Content-Length``
is over the cap, and stops a chunked body as soon as it passes the cap. Routes keep their
own, smaller limits (:mod:`servtrade.web.uploads`).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servtrade.errors import ErrorDetail, InputError

MAX_BODY = 64 * 1024 * 1024  # the largest upload a route accepts (50 MB) plus form overhead


class BodyTooLargeError(InputError):
    status = 413
    code = "payload_too_large"


def _refusal(size: str, limit: int) -> BodyTooLargeError:
    return BodyTooLargeError(
        f"request body too large ({size}); the server accepts at most {limit:,} bytes",
        errors=[ErrorDetail("too large", field="body", value=size)],
        hint="split the file into smaller ones",
    )


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await _answer(send, _refusal(f"{int(declared):,} bytes", self.limit))
            return
        state = {"seen": 0, "started": False, "answered": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] != "http.request" or state["answered"]:
                return message
            state["seen"] += len(message.get("body", b""))
            if state["seen"] <= self.limit:
                return message
            if not state["started"]:
                await _answer(send, _refusal(f"more than {self.limit:,} bytes", self.limit))
                state["answered"] = True
            return {"type": "http.disconnect"}  # the route stops reading

        async def tracked(message: Message) -> None:
            if state["answered"]:
                return  # the 413 went out already
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if not state["answered"]:
                raise


async def _answer(send: Send, error: BodyTooLargeError) -> None:
    body = json.dumps(error.to_dict()).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
