"""The web app's bones: health, OpenAPI, docs, landing page, error pages, the one error shape."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from servtrade import __version__
from servtrade.errors import ErrorDetail, NotFoundError, ValidationError
from servtrade.web.app import SECURITY_HEADERS

INT_MSG = "Input should be a valid integer, unable to parse string as an integer"


def test_health_reports_version_and_database(client: TestClient) -> None:
    response = client.get("/api/health")
    assert (response.status_code, response.json()) == (
        200,
        {
            "ok": True,
            "status": "ok",
            "version": __version__,
            "environment": "dev",
            "database": "sqlite: ok",
        },
    )


def test_openapi_and_local_docs(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert (spec["info"]["title"], spec["info"]["version"]) == ("servtrade API", __version__)
    assert "/api/health" in spec["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui-bundle.js" in docs.text
    assert "http://" not in docs.text.replace("http://www.w3.org", "")
    asset = client.get("/static/vendor/swagger-ui-bundle.js")
    assert (asset.status_code, asset.headers["content-type"]) == (
        200,
        "text/javascript; charset=utf-8",
    )


def test_landing_page_introduces_three_areas(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    for area in ("area-observatory", "area-rules", "area-fair"):
        assert f'id="{area}"' in page.text
    assert "Nothing loaded yet" in page.text
    assert "cdn" not in page.text.lower()


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/health", "/no-such-page"):
        headers = client.get(path).headers
        assert {k: headers[k] for k in SECURITY_HEADERS} == SECURITY_HEADERS


def _app_with_failing_routes(client: TestClient) -> FastAPI:
    app: Any = client.app

    def raise_domain() -> None:
        raise NotFoundError(
            "no dataset 'xyz'",
            errors=[ErrorDetail("unknown id", field="dataset", value="xyz")],
            hint="list them with servtrade stats datasets",
        )

    def raise_bug() -> None:
        raise RuntimeError("boom")

    def needs_int(n: int) -> dict[str, int]:
        return {"n": n}

    app.add_api_route("/api/test/domain", raise_domain)
    app.add_api_route("/api/test/bug", raise_bug)
    app.add_api_route("/api/test/int", needs_int)
    app.add_api_route("/test/bug", raise_bug)
    return app  # type: ignore[no-any-return]


def test_the_one_json_error_shape_is_locked(client: TestClient) -> None:
    _app_with_failing_routes(client)
    cases = {
        "/api/test/domain": {
            "ok": False,
            "error": "no dataset 'xyz' (list them with servtrade stats datasets)",
            "errors": [{"message": "unknown id", "field": "dataset", "value": "xyz"}],
            "status": 404,
            "code": "not_found",
        },
        "/api/test/bug": {
            "ok": False,
            "error": "internal error; the server log has the details",
            "errors": [],
            "status": 500,
            "code": "error",
        },
        "/api/test/int?n=abc": {
            "ok": False,
            "error": f"invalid request: field 'query.n' value 'abc': {INT_MSG}",
            "errors": [
                {
                    "message": INT_MSG,
                    "field": "query.n",
                    "value": "abc",
                }
            ],
            "status": 422,
            "code": "validation_error",
        },
        "/api/nothing-here": {
            "ok": False,
            "error": "no such page or endpoint",
            "errors": [],
            "status": 404,
            "code": "not_found",
        },
    }
    for path, body in cases.items():
        response = client.get(path)
        assert (response.status_code, response.json()) == (body["status"], body), path
    wrong_method = client.post("/api/health")
    assert (wrong_method.status_code, wrong_method.json()) == (
        405,
        {
            "ok": False,
            "error": "Method Not Allowed",
            "errors": [],
            "status": 405,
            "code": "http_error",
        },
    )


def test_html_error_pages_share_the_layout(client: TestClient) -> None:
    _app_with_failing_routes(client)
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text and 'class="site"' in missing.text
    broken = client.get("/test/bug")
    assert broken.status_code == 500
    assert "<h1>Something went wrong</h1>" in broken.text


def test_validation_error_detail_in_html(client: TestClient) -> None:
    app: Any = client.app

    def bad() -> None:
        raise ValidationError(
            "bad case", errors=[ErrorDetail("must be 1-4", field="mode", value="7")]
        )

    app.add_api_route("/test/bad", bad)
    page = client.get("/test/bad")
    assert page.status_code == 422
    assert "field &#39;mode&#39; value &#39;7&#39;: must be 1-4" in page.text
