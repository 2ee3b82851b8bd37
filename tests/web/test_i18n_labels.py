"""What the engines put on the dashboard, in the page's language: EBOPS item names through the
``item`` filter (Chinese official terms in zh, English labels otherwise) and the charts' own
texts (axis titles, legends, source line) in the observatory's SVG."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from servtrade.config import load_settings
from servtrade.db import upgrade
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store
from servtrade.web import i18n
from servtrade.web.templating import templates

FIXTURES = Path(__file__).parents[1] / "stats" / "fixtures"
CJK = re.compile(r"[\u4e00-\u9fff]")
# BaTIS rows for China's exports of SI (telecommunications, computer and information services)
BATIS_HEAD = (
    "Reporter,type_Reporter,Partner,type_Partner,Flow,Item_code,type_Item,Year,"
    "Reported_value,Estimated_value,Balanced_value\n"
)
SI_ROWS = BATIS_HEAD + "".join(
    f"CHN,c,WLD,c,X,SI,i,{year},{value},{value},{value}\n"
    for year, value in ((2021, 40.0), (2022, 50.0), (2023, 60.0))
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The web app over a store with WDI services exports and BaTIS exports of SI for China."""
    from servtrade.web.app import create_app

    root = tmp_path_factory.mktemp("labels")
    settings = load_settings(data_dir=root / "data", shared_dir=root / "no-shared")
    settings.data_dir.mkdir(parents=True)
    upgrade(settings.resolved_database_url)
    store = open_store(settings)
    ingest_file(store, FIXTURES / "wdi_wide.csv", vintage="w1")
    batis = root / "batis.csv"
    batis.write_text(SI_ROWS, encoding="utf-8")
    ingest_file(store, batis, vintage="b1")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _page(client: TestClient, path: str, lang: str) -> str:
    client.cookies.set(i18n.LANG_COOKIE, lang)
    try:
        response = client.get(path)
    finally:
        client.cookies.clear()
    assert response.status_code == 200, response.text[:500]
    return response.text


def _render(source: str, lang: str) -> str:
    return templates.env.from_string(source).render(lang=lang)


@pytest.mark.parametrize(
    ("code", "en", "zh"),
    [
        ("SI", "Telecommunications, computer, and information services", "电信、计算机和信息服务"),
        (
            "ebops:SI",
            "Telecommunications, computer, and information services",
            "电信、计算机和信息服务",
        ),
        ("sh", "Charges for the use of intellectual property n.i.e.", "知识产权使用费"),
        ("S", "Total EBOPS 2010 Services", "服务"),
        ("SI2", "Computer services", "计算机服务"),
        ("SC1", "Sea transport", "Sea transport"),  # no checked official term: English shows
        ("knowledge_intensive", "Knowledge-intensive services", "知识密集型服务"),
        ("XX9", "XX9", "XX9"),  # unknown codes are shown as they are
        ("gbt4754:F5182", "gbt4754:F5182", "gbt4754:F5182"),
        (None, "", ""),
    ],
)
def test_item_filter_in_both_languages(code: str | None, en: str, zh: str) -> None:
    source = "{{ code | item }}|{{ item_name(code) }}"
    assert templates.env.from_string(source).render(lang="en", code=code) == f"{en}|{en}"
    assert templates.env.from_string(source).render(lang="zh", code=code) == f"{zh}|{zh}"


def test_item_filter_default_for_other_systems() -> None:
    source = '{{ "gbt4754:F5182" | item("Freight forwarding") }}|{{ "ebops:SG" | item("x") }}'
    assert _render(source, "zh") == "Freight forwarding|金融服务"
    assert _render(source, "en") == "Freight forwarding|Financial services"
    assert i18n.item_name("SD", "fr") == "Travel"  # a language without names gets English


def test_zh_observatory_names_si_and_charts_in_chinese(site: TestClient) -> None:
    html = _page(site, "/observatory?economy=CHN&item=SI&flow=exports", "zh")
    assert '<option value="SI" selected>SI 电信、计算机和信息服务</option>' in html
    assert '<option value="knowledge_intensive">knowledge_intensive 知识密集型服务</option>' in html
    assert "<h2>中国：电信、计算机和信息服务，出口</h2>" in html
    [svg] = re.findall(r'<figure class="chart"[^>]*>(<svg.*?</svg>)</figure>', html, re.S)
    texts = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r"<text[^>]*>.*?</text>", svg, re.S)]
    assert {"中国：电信、计算机和信息服务，出口", "同比增长，%", "百万美元"} <= set(texts)
    assert any(t.startswith("来源：OECD and WTO") for t in texts)
    assert "Noto Sans CJK SC" in svg
    assert "growth, % year on year" not in svg


def test_en_observatory_keeps_english_names_and_chart_texts(site: TestClient) -> None:
    html = _page(site, "/observatory?economy=CHN&item=SI&flow=exports", "en")
    assert (
        '<option value="SI" selected>SI Telecommunications, computer, and information services'
        "</option>"
    ) in html
    [svg] = re.findall(r'<figure class="chart"[^>]*>(<svg.*?</svg>)</figure>', html, re.S)
    assert "growth, % year on year" in svg and "million US$" in svg
    assert "Source: OECD and WTO" in svg
    assert CJK.search(svg) is None


def test_zh_profile_charts_speak_chinese_and_the_download_stays_english(site: TestClient) -> None:
    html = _page(site, "/observatory/profile?economy=CHN&year=2024", "zh")
    assert "同比增长，%" in html and "来源：" in html
    headings = re.findall(r'<section class="chart">\s*<h2>(.*?)</h2>', html)
    assert headings[:1] == ["服务出口及增长"]  # the store here holds no imports: one chart
    english = _page(site, "/observatory/profile?economy=CHN&year=2024", "en")
    assert re.findall(r'<section class="chart">\s*<h2>(.*?)</h2>', english)[:1] == [
        "Services exports and growth"
    ]
    download = site.get("/observatory/profile.html", params={"economy": "CHN", "year": 2024})
    assert download.status_code == 200
    assert "growth, % year on year" in download.text and "同比增长" not in download.text


def test_rules_trace_names_the_ebops_service_in_chinese(site: TestClient) -> None:
    query = (
        "/rules?provider_economy=USA&provider_type=entity_abroad&buyer_economy=CHN&zone="
        "&service=ebops:SI2&mode=1&on=2024-05-01"
    )
    zh = _page(site, query, "zh")
    en = _page(site, query, "en")
    assert re.search(r"<code>ebops:SI2</code> 计算机服务,", zh) is not None
    assert re.search(r"<code>ebops:SI2</code> Computer services,", en) is not None


def test_vocab_api_carries_the_chinese_name(site: TestClient) -> None:
    body = site.get("/api/vocab/ebops", params={"search": "计算机"}).json()
    assert [(i["code"], i["name_zh"]) for i in body] == [
        ("SI", "电信、计算机和信息服务"),
        ("SI2", "计算机服务"),
    ]
    one = site.get("/api/vocab/ebops/SC1").json()
    assert (one["label"], one["name_zh"]) == ("Sea transport", None)
