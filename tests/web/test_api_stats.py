"""``/api/stats``: the observatory over HTTP, with pagination, row caps and hostile input
answered in the one JSON error shape (never a 500)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from servtrade.config import Settings
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store

FIXTURES = Path(__file__).parents[1] / "stats" / "fixtures"


@pytest.fixture
def loaded(migrated_settings: Settings) -> Settings:
    store = open_store(migrated_settings)
    ingest_file(store, FIXTURES / "wdi_wide.csv", vintage="w1")
    ingest_file(store, FIXTURES / "releases_small.yaml", vintage="r1")
    return migrated_settings


@pytest.fixture
def wide() -> pd.DataFrame:
    frame = pd.read_csv(FIXTURES / "wdi_wide.csv", skiprows=4, encoding="utf-8-sig")
    return frame.set_index("Country Code")


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def test_datasets_before_and_after_loading(client: TestClient, loaded: Settings) -> None:
    body = get(client, "/api/stats/datasets")
    by_id = {d["id"]: d for d in body}
    assert sorted(by_id) == [
        "batis",
        "cn-mofcom-releases",
        "exchange-rates",
        "oecd-sdmx",
        "wdi",
        "wto-services",
    ]
    wdi = by_id["wdi"]
    assert {k: v for k, v in wdi.items() if k != "created_at"} == {
        "id": "wdi",
        "title": "World Development Indicators - trade in services (BoP, current US$)",
        "publisher": "World Bank",
        "source_url": "https://data.worldbank.org/indicator/BX.GSR.NFSV.CD",
        "licence": "CC-BY-4.0",
        "layout": "wdi",
        "unit": "USD",
        "latest_vintage": "w1",
        "rows": 29,
    }
    assert (by_id["batis"]["latest_vintage"], by_id["batis"]["rows"]) == (None, 0)


def test_vintages_list_file_names_not_server_paths(client: TestClient, loaded: Settings) -> None:
    body = get(client, "/api/stats/datasets/wdi/vintages")
    [vintage] = body["vintages"]
    [source] = vintage.pop("sources")
    assert source["file"] == "wdi_wide.csv"
    assert (source["layout"], source["encoding"], len(source["sha256"])) == ("wdi", "utf-8-sig", 64)
    assert {k: v for k, v in vintage.items() if k != "created_at"} == {
        "dataset": "wdi",
        "vintage": "w1",
        "rows_read": 29,
        "rows_stored": 29,
        "rows_rejected": 0,
        "rows_carried": 0,
    }
    assert (body["dataset"], body["total"], body["limit"], body["offset"]) == ("wdi", 1, 100, 0)


def test_diff_pages_revisions(
    client: TestClient, migrated_settings: Settings, tmp_path: Path
) -> None:
    store = open_store(migrated_settings)
    path = tmp_path / "bx.gsr.nfsv.cd.csv"
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2023,1\nChina,CHN,2024,2\n")
    ingest_file(store, path, vintage="a")
    path.write_text("Country Name,Country Code,Year,Value\nChina,CHN,2024,2.5\nChina,CHN,2025,3\n")
    ingest_file(store, path, vintage="b")
    body = get(client, "/api/stats/datasets/wdi/diff?from=a&to=b&limit=2")
    key = {"reporter": "CHN", "partner": "WLD", "item": "S", "flow": "exports", "alternative": None}
    assert body == {
        "dataset": "wdi",
        "from": "a",
        "to": "b",
        "added": 1,
        "removed": 1,
        "changed": 1,
        "unchanged": 0,
        "total": 3,
        "limit": 2,
        "offset": 0,
        "rows": [
            {
                "change": "added",
                **key,
                "period": "2025",
                "before": None,
                "after": 3.0,
                "delta": None,
            },
            {
                "change": "removed",
                **key,
                "period": "2023",
                "before": 1.0,
                "after": None,
                "delta": None,
            },
        ],
    }
    rest = get(client, "/api/stats/datasets/wdi/diff?from=a&to=b&limit=2&offset=2")["rows"]
    assert rest == [
        {"change": "changed", **key, "period": "2024", "before": 2.0, "after": 2.5, "delta": 0.5}
    ]


def test_value_with_explain_carries_provenance(client: TestClient, loaded: Settings) -> None:
    body = get(client, "/api/stats/query/value?reporter=China&period=2024&unit=CNY&explain=true")
    assert (body["indicator"], body["total"]) == ("value", 2)
    first = body["results"][0]
    [observation] = first.pop("inputs")
    assert first == {
        "indicator": "value",
        "reporter": "CHN",
        "partner": "WLD",
        "item": "S",
        "flow": "exports",
        "period": "2024",
        "value": 250e9,
        "unit": "CNY",
        "display": "250.0 billion yuan",
        "dataset": "cn-mofcom-releases",
        "vintage": "cn-mofcom-releases@r1",
        "alternative": "ministry-2024",
        "formula": "value as published",
        "extra": {},
    }
    assert observation["source"] == {
        "publisher": "Example ministry",
        "title": "Services trade in 2024",
        "date": "2025-01-20",
        "url": "https://example.org/2024",
        "confidence": "high",
    }
    assert (observation["line"], observation["period_type"]) == (22, "year")  # its YAML line
    assert [(r["alternative"], r["value"]) for r in body["results"]] == [
        ("ministry-2024", 250e9),
        ("paper-2024", 251e9),
    ]


def test_indicators_match_pandas(client: TestClient, loaded: Settings, wide: pd.DataFrame) -> None:
    [growth] = get(client, "/api/stats/query/yoy?reporter=DEU&period=2024&dataset=wdi")["results"]
    assert growth["value"] == pytest.approx(
        (wide.loc["DEU", "2024"] / wide.loc["DEU", "2023"] - 1) * 100
    )
    [rate] = get(client, "/api/stats/query/cagr?reporter=DEU&from=2015&to=2024")["results"]
    expected = ((wide.loc["DEU", "2024"] / wide.loc["DEU", "2015"]) ** (1 / 9) - 1) * 100
    assert (rate["value"], rate["formula"]) == (
        pytest.approx(expected),
        "((2024 / 2015) ^ (1 / 9) - 1) x 100",
    )
    ranked = get(client, "/api/stats/query/rank?reporter=WLD&period=2023&unit=USD")
    assert [(r["reporter"], r["value"], r["extra"]) for r in ranked["results"]] == [
        ("DEU", 420e9, {"rank": 1, "of": 2}),
        ("CHN", 381e9, {"rank": 2, "of": 2}),
    ]
    page = get(client, "/api/stats/query/rank?reporter=WLD&period=2023&unit=USD&limit=1&offset=1")
    assert (page["total"], [r["reporter"] for r in page["results"]]) == (2, ["CHN"])


def test_ytd_growth_as_published(client: TestClient, loaded: Settings) -> None:
    [growth] = get(client, "/api/stats/query/yoy?reporter=CHN&period=2025-01..2025-08")["results"]
    assert (growth["value"], growth["unit"], growth["formula"]) == (
        9.5,
        "percent",
        "growth rate as published (earlier value not in the store)",
    )


def test_series_with_growth_and_sources(client: TestClient, loaded: Settings) -> None:
    body = get(client, "/api/stats/series?economy=CHN&unit=CNY")
    assert (body["reporter_name"], body["item_label"], body["units"], body["total"]) == (
        "China",
        "Total EBOPS 2010 Services",
        ["CNY", "USD"],
        4,
    )
    rows = [
        (r["period"], r["display"], r["growth_pct"], r["growth_basis"], r["source_text"])
        for r in body["rows"]
    ]
    assert rows == [
        (
            "2023",
            "200.0 billion yuan",
            None,
            None,
            "Example ministry, Services trade in 2024, 2025-01-20",
        ),
        (
            "2024",
            "250.0 billion yuan",
            pytest.approx(25.0),
            "computed on 2023",
            "Example ministry, Services trade in 2024, 2025-01-20",
        ),
        (
            "2024",
            "251.0 billion yuan",
            pytest.approx(25.5),
            "computed on 2023",
            "Example newspaper citing the ministry, Services trade grew in 2024, 2025-01-21",
        ),
        (
            "2025-01..2025-08",
            "180.0 billion yuan",
            9.5,
            "as published",
            "Example ministry, Services trade, January-August 2025",
        ),
    ]


ERROR_KEYS = {"ok", "error", "errors", "status", "code"}
HOSTILE = [
    ("/api/stats/query/value?reporter=CHN&limit=1000000000", 422, "validation_error"),
    ("/api/stats/query/value?reporter=CHN&limit=0", 422, "validation_error"),
    ("/api/stats/query/value?reporter=CHN&offset=-1", 422, "validation_error"),
    ("/api/stats/query/rank?reporter=WLD&period=2023&top=99999999", 422, "validation_error"),
    ("/api/stats/query/value?reporter=" + "A" * 5000, 422, "validation_error"),
    ("/api/stats/query/value?reporter=XXQ", 404, "unknown_code"),
    ("/api/stats/query/value?reporter=CHN&partner=%00%01", 404, "unknown_code"),
    ("/api/stats/query/value?reporter=CHN&item=ZZZ", 404, "unknown_code"),
    ("/api/stats/query/value?reporter=CHN&period=20x5", 422, "validation_error"),
    ("/api/stats/query/value?reporter=CHN&period=2025-09..2025-01", 422, "validation_error"),
    ("/api/stats/query/value?reporter=CHN&flow=sideways", 422, "validation_error"),
    ("/api/stats/query/nope?reporter=CHN", 422, "validation_error"),
    ("/api/stats/query/value", 422, "validation_error"),
    ("/api/stats/query/cagr?reporter=CHN&from=2024&to=2014", 422, "validation_error"),
    ("/api/stats/query/cagr?reporter=CHN&from=99999&to=2014", 422, "validation_error"),
    ("/api/stats/query/value?reporter=CHN&dataset=nope", 404, "not_found"),
    ("/api/stats/query/value?reporter=FRA&period=2024", 404, "not_found"),
    ("/api/stats/query/rank?reporter=WLD", 422, "validation_error"),
    ("/api/stats/query/rank?reporter=WLD&period=2023&by=planet", 422, "validation_error"),
    ("/api/stats/datasets/nope/vintages", 404, "not_found"),
    ("/api/stats/datasets/wdi/diff?from=w1&to=zz", 404, "not_found"),
    ("/api/stats/datasets/wdi/diff?from=w1", 422, "validation_error"),
    ("/api/stats/series?economy=CHN&item=SH", 404, "not_found"),
    ("/api/stats/series?economy=CHN&unit=EUR", 404, "not_found"),
]


@pytest.mark.parametrize(("url", "status", "code"), HOSTILE)
def test_hostile_input_gets_the_json_error_shape(
    client: TestClient, loaded: Settings, url: str, status: int, code: str
) -> None:
    body = get(client, url, status)
    assert set(body) == ERROR_KEYS
    assert (body["ok"], body["status"], body["code"]) == (False, status, code)
    assert body["error"]


def test_empty_store_is_a_clear_404(client: TestClient) -> None:
    body = get(client, "/api/stats/query/value?reporter=CHN", 404)
    assert (body["error"], body["code"]) == (
        "the statistics store is empty"
        " (load data first: servtrade stats ingest PATH or servtrade init)",
        "not_found",
    )


@hsettings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    reporter=st.text(min_size=1, max_size=12),
    period=st.text(min_size=4, max_size=12),
    item=st.text(min_size=1, max_size=6),
)
def test_random_query_text_never_500(
    client: TestClient, reporter: str, period: str, item: str
) -> None:
    response = client.get(
        "/api/stats/query/value", params={"reporter": reporter, "period": period, "item": item}
    )
    assert response.status_code in (404, 422)
    assert response.json()["ok"] is False
