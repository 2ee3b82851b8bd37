"""Without a token or session every non-public endpoint answers 401 (issue 9, acceptance).

The test walks every route the app serves, so a new endpoint is checked the day it is added:
it is either in :data:`PUBLIC` (on purpose, and listed in docs/security.md) or it must refuse
an anonymous caller -- with the one JSON error shape under ``/api``, and with the HTML error
page that links to sign-in elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

from servtrade.config import Settings

# (method, path template) that anyone may call: published statistics, rules and vocabularies,
# the health check and API description, and what signing in or up needs.
PUBLIC: frozenset[tuple[str, str]] = frozenset(
    {
        ("GET", "/api/health"),
        ("GET", "/api/docs"),
        ("GET", "/api/openapi.json"),
        ("POST", "/api/accounts/login"),
        ("POST", "/api/accounts/logout"),
        ("POST", "/api/accounts/register"),
        ("POST", "/api/rules/evaluate"),
        ("GET", "/"),
        ("GET", "/rules"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("GET", "/register"),
        ("POST", "/register"),
        ("POST", "/logout"),
        ("POST", "/language"),
        ("GET", "/fair/schedule.css"),
    }
)
PUBLIC_PREFIXES = ("/api/vocab/", "/api/stats/", "/api/rules/", "/observatory")
NOT_PUBLIC_UNDER_PREFIX = frozenset(
    {("POST", "/api/stats/check"), ("POST", "/api/stats/ingest"), ("GET", "/observatory/load")}
)


def _routes(routes: list[Any]) -> Iterator[Route]:
    for route in routes:
        if isinstance(route, Route):
            yield route
        elif hasattr(route, "original_router"):  # an included router
            yield from _routes(route.original_router.routes)


def _endpoints(app: Any) -> list[tuple[str, str]]:
    found = set()
    for route in _routes(app.routes):
        for method in sorted((route.methods or set()) - {"HEAD"}):
            found.add((method, route.path))
    return sorted(found)


def is_public(method: str, path: str) -> bool:
    if (method, path) in NOT_PUBLIC_UNDER_PREFIX:
        return False
    if (method, path) in PUBLIC:
        return True
    return method == "GET" and path.startswith(PUBLIC_PREFIXES)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture(scope="module")
def anonymous(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from servtrade.config import load_settings
    from servtrade.db import upgrade
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("anon")
    settings: Settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_the_walk_sees_every_area(anonymous: TestClient) -> None:
    paths = {p for _m, p in _endpoints(anonymous.app)}
    for expected in ("/api/market/fairs", "/api/accounts/me", "/fair", "/claims", "/account"):
        assert expected in paths
    assert len(paths) > 60


def test_every_non_public_endpoint_answers_401(anonymous: TestClient) -> None:
    checked = []
    for method, template in _endpoints(anonymous.app):
        if is_public(method, template):
            continue
        path = _concrete(template)
        response = anonymous.request(method, path, follow_redirects=False)
        checked.append((method, template))
        assert response.status_code == 401, (method, template, response.status_code)
        if path.startswith("/api/"):
            body = response.json()
            assert body["ok"] is False and body["status"] == 401, (method, template)
            assert body["code"] == "unauthenticated" and body["error"], (method, template)
        else:
            assert "text/html" in response.headers["content-type"], (method, template)
            assert 'href="/login?next=' in response.text, (method, template)
    assert len(checked) > 40


def test_public_endpoints_do_not_ask_for_credentials(anonymous: TestClient) -> None:
    for method, template in _endpoints(anonymous.app):
        if is_public(method, template) and method == "GET":
            response = anonymous.get(_concrete(template), follow_redirects=False)
            assert response.status_code != 401, (method, template)


def test_a_bad_token_is_401_not_anonymous(anonymous: TestClient) -> None:
    response = anonymous.get("/api/market/fairs", headers={"Authorization": "Bearer st_no_no"})
    assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
    assert "invalid, expired or revoked" in response.json()["error"]


def test_the_openapi_description_says_which_operations_need_credentials(
    anonymous: TestClient,
) -> None:
    spec = anonymous.get("/api/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {"token", "session"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if not is_public(method.upper(), path):
                assert operation.get("security"), (method, path)
