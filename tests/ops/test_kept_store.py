"""The stats API keeps its stores and answers between requests (bench/api_load.py: opening a
store and compiling a query cost more than the query); a kept store must still answer from the
newest vintage after an ingest, and give the same rows as a fresh one; a kept answer is used
only while the store's published vintages stay the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from servtrade.config import Settings, bundled_data_dir, load_settings
from servtrade.db import upgrade
from servtrade.errors import NotFoundError
from servtrade.stats.bundled import load_bundled
from servtrade.stats.ingest import ingest_file
from servtrade.stats.pool import kept_answer, kept_store, store_stamp
from servtrade.stats.store import open_store

QUERY = "/api/stats/query/value?reporter=CHN&item=S&flow=exports&dataset=cn-mofcom-releases"


@pytest.fixture
def loaded(tmp_path: Path) -> Settings:
    settings = load_settings(data_dir=tmp_path / "data", shared_dir=tmp_path / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    load_bundled(settings)
    return settings


@pytest.fixture
def client(loaded: Settings) -> Iterator[TestClient]:
    from servtrade.web.app import create_app

    with TestClient(create_app(loaded), raise_server_exceptions=False) as test_client:
        yield test_client


def _vintages(client: TestClient) -> set[str]:
    rows = client.get(QUERY).json()["results"]
    return {r["vintage"] for r in rows}


def test_a_kept_store_is_reused_one_request_at_a_time(loaded: Settings) -> None:
    with kept_store(loaded) as first, kept_store(loaded) as second:
        assert second is not first  # the first is busy: another one
    with kept_store(loaded) as again:
        assert again in (first, second)


def test_a_new_vintage_is_answered_after_an_ingest(loaded: Settings, client: TestClient) -> None:
    before = client.get(QUERY).json()
    assert len(_vintages(client)) == 1
    source = bundled_data_dir() / "datasets" / "releases" / "cn-mofcom.yaml"
    ingest_file(open_store(loaded), source, dataset="cn-mofcom-releases", vintage="v-next")
    after = client.get(QUERY).json()
    assert _vintages(client) == {"cn-mofcom-releases@v-next"}
    assert [(r["period"], r["value"]) for r in after["results"]] == [
        (r["period"], r["value"]) for r in before["results"]
    ]
    datasets = {d["id"]: d["latest_vintage"] for d in client.get("/api/stats/datasets").json()}
    assert datasets["cn-mofcom-releases"] == "v-next"


def test_an_answer_is_kept_until_a_vintage_is_published(loaded: Settings) -> None:
    made: list[str] = []

    def compute(store: object) -> list[str]:
        made.append(f"answer {len(made) + 1}")
        return [made[-1]]

    first = kept_answer(loaded, ("test", 1), compute)
    assert kept_answer(loaded, ("test", 1), compute) is first
    assert kept_answer(loaded, ("test", 2), compute) == ["answer 2"]  # another question
    stamp = store_stamp(loaded)
    source = bundled_data_dir() / "datasets" / "releases" / "cn-mofcom.yaml"
    ingest_file(open_store(loaded), source, dataset="cn-mofcom-releases", vintage="v-next")
    assert store_stamp(loaded) != stamp
    assert kept_answer(loaded, ("test", 1), compute) == ["answer 3"]  # computed again


def test_an_error_is_never_kept(loaded: Settings) -> None:
    calls: list[int] = []

    def failing(store: object) -> None:
        calls.append(1)
        raise NotFoundError("nothing here")

    for _ in range(2):
        with pytest.raises(NotFoundError):
            kept_answer(loaded, ("test", "failing"), failing)
    assert len(calls) == 2


def test_the_series_endpoint_answers_the_new_vintage(loaded: Settings, client: TestClient) -> None:
    url = "/api/stats/series?economy=CHN&item=S&flow=exports"
    before = client.get(url).json()
    assert client.get(url).json() == before  # a kept answer, the same
    source = bundled_data_dir() / "datasets" / "releases" / "cn-mofcom.yaml"
    ingest_file(open_store(loaded), source, dataset="cn-mofcom-releases", vintage="v-next")
    vintages = {r["vintage"] for r in client.get(url).json()["rows"]}
    assert vintages == {"v-next"}
