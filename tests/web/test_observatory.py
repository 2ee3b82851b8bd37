"""``/observatory``: pick an economy, item and flow; see the chart, the growth table with the
provenance of every value, and the loaded datasets."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from servtrade.config import Settings
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store

FIXTURES = Path(__file__).parents[1] / "stats" / "fixtures"


class Tables(HTMLParser):
    """Cell texts of each table body, by the id of the table or its section."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._owner = ""
        self._current: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("section", "table") and found.get("id"):
            self._owner = found["id"] or ""
        if tag == "tbody":
            self._current = self._owner
            self.tables[self._current] = []
        elif tag == "tr" and self._current is not None:
            self.tables[self._current].append([])
        elif tag == "td" and self._current is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._current = None
        elif tag == "td" and self._cell is not None and self._current is not None:
            self.tables[self._current][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def loaded(migrated_settings: Settings) -> Settings:
    store = open_store(migrated_settings)
    ingest_file(store, FIXTURES / "wdi_wide.csv", vintage="w1")
    ingest_file(store, FIXTURES / "releases_small.yaml", vintage="r1")
    return migrated_settings


def test_series_table_growth_and_provenance(client: TestClient, loaded: Settings) -> None:
    response = client.get("/observatory", params={"economy": "China", "unit": "CNY"})
    assert response.status_code == 200
    found = tables(response.text)["series-table"]
    ministry = "Example ministry, Services trade in 2024, 2025-01-20"
    assert found == [
        ["2023", "200.0 billion yuan", "n/a", "", "cn-mofcom-releases", "r1", ministry],
        [
            "2024",
            "250.0 billion yuan",
            "25.00",
            "computed on 2023",
            "cn-mofcom-releases",
            "r1",
            ministry,
        ],
        [
            "2024",
            "251.0 billion yuan",
            "25.50",
            "computed on 2023",
            "cn-mofcom-releases",
            "r1",
            "Example newspaper citing the ministry, Services trade grew in 2024, 2025-01-21",
        ],
        [
            "2025-01..2025-08",
            "180.0 billion yuan",
            "9.50",
            "as published",
            "cn-mofcom-releases",
            "r1",
            "Example ministry, Services trade, January-August 2025 unverified",
        ],
    ]
    assert '<a href="https://example.org/2024" rel="noopener noreferrer">' in response.text
    [units] = re.findall(r'<select name="unit">(.*?)</select>', response.text, re.S)
    assert re.findall(r'<option value="(\w*)"( selected)?>', units) == [
        ("", ""),
        ("CNY", " selected"),
        ("USD", ""),
    ]


def test_chart_is_inline_svg_and_the_page_obeys_the_csp(
    client: TestClient, loaded: Settings
) -> None:
    response = client.get("/observatory", params={"economy": "DEU", "item": "S", "flow": "exports"})
    assert response.status_code == 200
    html = response.text
    [svg] = re.findall(r"<figure class=\"chart\"[^>]*>(<svg.*?</svg>)</figure>", html, re.S)
    assert "Germany: Total EBOPS 2010 Services, exports" in svg
    assert "Source: World Bank, World Development Indicators" in svg
    assert "growth, % year on year" in svg
    # the CSP allows no inline script or style: none in the page, none in the chart
    assert (re.findall(r"<script|\sstyle=|\son\w+=", html)) == []
    rows = tables(html)["series-table"]
    assert [(r[0], r[1], r[2]) for r in rows[:3]] == [
        ("2015", "270,000.0 million US$", "n/a"),
        ("2016", "275,000.0 million US$", "1.85"),
        ("2017", "300,000.0 million US$", "9.09"),
    ]
    assert {r[6] for r in rows} == {f"World Bank, line {7}"}
    assert '<a href="/observatory/profile?economy=DEU">Economy profile</a>' in html


def test_datasets_with_latest_vintage(client: TestClient, loaded: Settings) -> None:
    html = client.get("/observatory").text
    found = tables(html)["datasets"]
    assert [(r[0].split()[-1], r[2], r[3], r[4]) for r in found] == [
        ("batis", "USD", "not loaded", "0"),
        ("cn-mofcom-releases", "CNY", "r1", "4"),
        ("exchange-rates", "USD", "not loaded", "0"),
        ("oecd-sdmx", "USD", "not loaded", "0"),
        ("wdi", "USD", "w1", "29"),
        ("wto-services", "USD", "not loaded", "0"),
    ]


def test_unknown_economy_keeps_the_form_and_explains(client: TestClient, loaded: Settings) -> None:
    response = client.get("/observatory", params={"economy": "Atlantis", "item": "SH"})
    assert response.status_code == 404
    [message] = re.findall(
        r'<section class="card error" id="series-error">.*?<p>(.*?)</p>', response.text, re.S
    )
    assert message.startswith("unknown economy &#39;Atlantis&#39;")
    assert '<input name="economy" value="Atlantis"' in response.text
    assert (
        '<option value="SH" selected>SH Charges for the use of intellectual property n.i.e.'
        "</option>" in response.text
    )


def test_empty_store_says_what_to_do(client: TestClient) -> None:
    response = client.get("/observatory")
    assert response.status_code == 404
    [message] = re.findall(r'id="series-error">.*?<p>(.*?)</p>', response.text, re.S)
    assert message == (
        "the statistics store is empty"
        " (load data first: servtrade stats ingest PATH or servtrade init)"
    )
    assert {r[3] for r in tables(response.text)["datasets"]} == {"not loaded"}


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"flow": "sideways"}, 422),
        ({"economy": "x" * 500}, 422),
        ({"item": "NOPE"}, 404),
        ({"unit": "EUR"}, 404),
    ],
)
def test_bad_form_values_are_clear_errors(
    client: TestClient, loaded: Settings, params: dict[str, str], status: int
) -> None:
    response = client.get("/observatory", params=params)
    assert response.status_code == status
    assert "<h1>" in response.text and "Traceback" not in response.text


@pytest.fixture
def live_url(loaded: Settings, app_server: Callable[[Settings], str]) -> str:
    return app_server(loaded)


@pytest.mark.browser
def test_journey_pick_an_economy_item_and_flow(
    live_url: str, tmp_path: Path, browser_page: Any
) -> None:
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: problems.append(r.url))
    page.goto(live_url + "/observatory")
    page.fill("input[name=economy]", "DEU")
    page.select_option("select[name=flow]", "exports")
    page.click("#series-form button[type=submit]")
    page.wait_for_selector("#series-table")
    assert page.locator("#series h2").inner_text() == "Germany: Total EBOPS 2010 Services, exports"
    assert page.locator("figure.chart svg").count() == 1
    assert page.locator("#series-table tbody tr").count() == 10
    page.screenshot(path=str(tmp_path / "observatory.png"), full_page=True)
    assert problems == []  # no CSP violation, no failed asset
