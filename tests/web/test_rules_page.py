"""`/rules`: the case form, the verdict with its explanation tree and citations."""

from __future__ import annotations

from fastapi.testclient import TestClient

QUERY = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "zone": "",
    "service": "gbt4754:F5182",
    "mode": "4",
    "on": "2024-05-01",
}


def test_form_prefilled_without_verdict(client: TestClient) -> None:
    page = client.get("/rules")
    assert page.status_code == 200
    assert 'name="service" value="gbt4754:F5182"' in page.text
    assert 'id="verdict"' not in page.text
    assert "<script" not in page.text


def test_verdict_tree_and_citations(client: TestClient) -> None:
    page = client.get("/rules", params=QUERY)
    assert page.status_code == 200
    assert '<span class="outcome outcome-prohibited">prohibited</span>' in page.text
    assert (
        'id="trace"' in page.text
        and "<strong>CN-NAT-2024-005</strong> (item 5, nationality_or_residency)" in page.text
    )
    assert '<a href="https://www.bjnews.com.cn/detail/1712727264129214.html"' in page.text


def test_data_choices_and_errors(client: TestClient) -> None:
    page = client.get(
        "/rules", params={**QUERY, "service": "ebops:SI", "data": ["personal", "bogus"]}
    )
    assert 'value="personal" checked' in page.text
    assert "CN-PIPL-2021-39" in page.text
    bad = client.get("/rules", params={**QUERY, "service": "cpc:0"})
    assert bad.status_code == 404
    assert 'id="rules-error"' in bad.text and "unknown CPC code" in bad.text
