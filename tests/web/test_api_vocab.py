"""The /api/vocab routes: whole-body checks of the vocabularies over HTTP."""

from __future__ import annotations

from fastapi.testclient import TestClient

CHINA = {
    "alpha2": "CN",
    "alpha3": "CHN",
    "numeric": "156",
    "name_en": "China",
    "name_zh": "中国",
    "region": "East Asia & Pacific",
    "income_group": "Upper middle income",
    "is_aggregate": False,
    "official_name": "People's Republic of China",
}

SH = {
    "code": "SH",
    "label": "Charges for the use of intellectual property n.i.e.",
    "parent": "S",
    "level": 1,
    "comtrade_code": "8",
    "breakdown": "standard",
    "partition": "main",
    "note": None,
    "name_zh": "知识产权使用费",
}


def test_ebops_list_has_every_item_with_label_and_parent(client: TestClient) -> None:
    response = client.get("/api/vocab/ebops")
    body = response.json()
    assert response.status_code == 200
    assert len(body) == 152
    assert [i for i in body if not i["label"] or (i["parent"] is None) != (i["code"] == "S")] == []
    assert next(i for i in body if i["code"] == "SH") == SH


def test_ebops_search(client: TestClient) -> None:
    body = client.get("/api/vocab/ebops", params={"search": "intellectual"}).json()
    assert [i["code"] for i in body] == ["SH"]


def _child(code: str, label: str, comtrade: str) -> dict[str, object]:
    return SH | {
        "code": code,
        "label": label,
        "parent": "SH",
        "level": 2,
        "comtrade_code": comtrade,
        "name_zh": None,
    }


def test_ebops_item_by_comtrade_code(client: TestClient) -> None:
    response = client.get("/api/vocab/ebops/8")
    assert response.status_code == 200
    assert response.json() == {
        **SH,
        "ancestors": ["S"],
        "children": [
            _child("SH1", "Franchises and trademarks licensing fees", "8.1"),
            _child("SH2", "Licences for the use of outcomes of research and development", "8.2"),
            _child("SH3", "Licences to reproduce and/or distribute computer software", "8.3"),
            _child(
                "SH4",
                "Licences to reproduce and/or distribute audio-visual and related products",
                "8.4",
            ),
        ],
        "standard_children": ["SH1", "SH2", "SH3", "SH4"],
    }


def test_ebops_unknown_code_is_404_with_suggestions(client: TestClient) -> None:
    response = client.get("/api/vocab/ebops/SHH")
    body = response.json()
    assert response.status_code == 404
    assert body["ok"] is False
    assert body["code"] == "unknown_code"
    assert body["status"] == 404
    assert body["error"].startswith("unknown EBOPS code 'SHH' (did you mean: SH Charges")


def test_aggregates(client: TestClient) -> None:
    body = client.get("/api/vocab/aggregates").json()
    assert {a["id"]: a["items"] for a in body} == {
        "knowledge_intensive": ["SF", "SG", "SH", "SI", "SJ", "SK"],
        "digitally_deliverable": ["SF", "SG", "SH", "SI", "SJ", "SK1"],
    }


def test_economy_by_chinese_name(client: TestClient) -> None:
    response = client.get("/api/vocab/economies/中国")
    assert response.status_code == 200
    assert response.json() == CHINA


def test_economies_search_and_aggregates(client: TestClient) -> None:
    found = client.get("/api/vocab/economies", params={"search": "中国"}).json()
    assert [e["alpha3"] for e in found] == ["CHN", "HKG", "MAC", "TWN"]
    plain = client.get("/api/vocab/economies").json()
    everything = client.get("/api/vocab/economies", params={"aggregates": True}).json()
    assert [e for e in plain if e["is_aggregate"]] == []
    assert len(everything) - len(plain) == 48
    assert "WLD" in {e["alpha3"] for e in everything}


def test_unknown_economy_suggests(client: TestClient) -> None:
    response = client.get("/api/vocab/economies/Chnia")
    assert response.status_code == 404
    assert "did you mean: China (CHN)" in response.json()["error"]


def test_modes(client: TestClient) -> None:
    body = client.get("/api/vocab/modes").json()
    assert [(m["mode"], m["name_en"], m["in_cn_cross_border_negative_list"]) for m in body] == [
        (1, "Cross-border supply", True),
        (2, "Consumption abroad", True),
        (3, "Commercial presence", False),
        (4, "Presence of natural persons", True),
    ]


def test_w120_list_search_and_detail(client: TestClient) -> None:
    assert len(client.get("/api/vocab/w120").json()) == 183
    found = client.get("/api/vocab/w120", params={"search": "842"}).json()
    assert found == [
        {
            "code": "1.B.b",
            "name": "Software implementation services",
            "parent": "1.B",
            "level": 3,
            "cpc_prov": "842",
            "cpc_codes": ["842"],
            "cpc_excluded": [],
            "verification": "verified_excerpt",
        }
    ]
    detail = client.get("/api/vocab/w120/1.b").json()
    assert detail["code"] == "1.B"
    assert [c["code"] for c in detail["children"]] == ["1.B.a", "1.B.b", "1.B.c", "1.B.d", "1.B.e"]
