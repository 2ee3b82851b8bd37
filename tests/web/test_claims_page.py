"""The ``/claims`` dashboard page: paste text, see claims highlighted with verdicts."""

from __future__ import annotations

import pytest
from access_support import bearer
from fastapi.testclient import TestClient

from servtrade.accounts.roles import Role
from servtrade.stats.claims import check_documents
from servtrade.stats.claims.dates import make_document
from servtrade.web.pages.claims import Segment, segments

TEXT = (
    "From January to August, total 5.25 trillion yuan, up 7.4%; exports 2.3 trillion, "
    "up 14.7%; the deficit narrowed by 228.07 billion yuan.\n\nNearly 2,000 companies came."
)


@pytest.fixture(autouse=True)
def _signed_in(request: pytest.FixtureRequest) -> None:
    """These pages and routes are for signed-in users: the shared client carries a token."""
    if "client" in request.fixturenames:
        client = request.getfixturevalue("client")
        client.headers.update(bearer(client.app, "user@example.org", Role.ANALYST))


def test_form_page(client: TestClient) -> None:
    page = client.get("/claims")
    assert (
        page.status_code,
        '<form method="post" action="/claims"' in page.text,
        "<script" in page.text,
    ) == (200, True, False)


def test_posted_text_is_annotated_with_verdicts_and_arithmetic(client: TestClient) -> None:
    page = client.post("/claims", data={"text": TEXT.replace("\n", "\r\n"), "date": "2025-09-30"})
    html = page.text
    assert html.count('<p><mark class="not_checkable"') == 1  # the second paragraph
    assert page.status_code == 200
    assert (
        '<mark class="within_rounding" id="claim-5" title="within rounding">'
        '<a href="#check-5">narrowed by 228.07 billion yuan</a></mark><sup>5</sup>'
    ) in html
    assert "change in the size of the balance, |now| − |earlier| = -227.806 billion CNY" in html
    assert html.count("<mark ") == 6
    assert "<script" not in html


def test_bad_date_is_a_clear_error(client: TestClient) -> None:
    page = client.post("/claims", data={"text": TEXT, "date": "yesterday"})
    assert (page.status_code, "invalid date &#39;yesterday&#39;" in page.text) == (422, True)


def test_segments_cut_text_at_claims_into_paragraphs() -> None:
    report = check_documents([make_document("t", "Up 5%.\n\nExports rose 3.1% in 2024.")])
    results = report.documents[0].claims
    paragraphs = segments("Up 5%.\n\nExports rose 3.1% in 2024.", results)
    assert [[(s.text, s.n) for s in p] for p in paragraphs] == [
        [("", None), ("Up 5%", 1), (".", None)],
        [("Exports ", None), ("rose 3.1%", 2), (" in 2024.", None)],
    ]
    assert Segment("x").result is None
