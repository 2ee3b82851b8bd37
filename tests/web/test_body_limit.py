"""Every request body is capped before a route or the multipart parser reads it."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from servtrade.web.body_limit import BodyLimit


def _app(limit: int) -> FastAPI:
    app = FastAPI()
    app.add_middleware(BodyLimit, limit=limit)

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"size": len(await request.body())}

    return app


def _chunks(size: int, chunk: int = 100) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        part = min(chunk, size - sent)
        sent += part
        yield b"x" * part


def test_small_bodies_pass() -> None:
    client = TestClient(_app(1000))
    assert client.post("/echo", content=b"x" * 1000).json() == {"size": 1000}


def test_declared_size_over_the_cap_is_413_in_the_json_shape() -> None:
    client = TestClient(_app(1000))
    response = client.post("/echo", content=b"x" * 1001)
    body = response.json()
    assert (response.status_code, body["ok"], body["code"]) == (413, False, "payload_too_large")
    assert "at most 1,000 bytes" in body["error"]


def test_a_chunked_body_is_stopped_when_it_passes_the_cap() -> None:
    client = TestClient(_app(1000))
    response = client.post("/echo", content=_chunks(5000))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_the_app_refuses_a_huge_anonymous_upload_before_any_route(client: TestClient) -> None:
    from servtrade.web.body_limit import MAX_BODY

    files = {"file": ("big.csv", b"x" * (MAX_BODY + 1), "text/csv")}
    response = client.post("/api/market/fairs/1/import/participants", files=files)
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")
