"""``SERVTRADE_WORKERS=2`` serves from two processes (bench/api_load.py runs that way)."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import _apiserver  # the shared helpers live in bench/


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_two_workers_serve_the_api(tmp_path: Path) -> None:
    site = _apiserver.Site(
        tmp_path / "data",
        f"sqlite:///{tmp_path / 'data' / 'servtrade.db'}",
        extra={"SERVTRADE_WORKERS": "2"},
    )
    with _apiserver.serving(site, tmp_path / "server.log") as server:
        assert server.process is not None
        workers = [p for p in _children(server.process.pid) if p != server.process.pid]
        answers = {httpx.get(f"{site.url}/api/health").json()["status"] for _ in range(4)}
    assert answers == {"ok"}
    # uvicorn's supervisor starts one process per worker (and may add a helper)
    assert len(workers) >= 2


def test_serve_hands_uvicorn_the_app_by_name_for_several_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    from servtrade.cli import serve

    calls: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    monkeypatch.setenv("SERVTRADE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SERVTRADE_WORKERS", "3")
    serve.serve()
    monkeypatch.setenv("SERVTRADE_WORKERS", "1")
    serve.serve()
    (by_name, several), (app, one) = calls
    assert (by_name, several["factory"], several["workers"]) == (
        "servtrade.cli.serve:app_from_env",
        True,
        3,
    )
    assert app.title == "servtrade API"  # type: ignore[attr-defined]
    assert "workers" not in one
    assert serve.app_from_env().openapi_url == "/api/openapi.json"
