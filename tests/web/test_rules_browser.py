"""The /rules journey in headless Chromium: fill in a case, read the verdict and its citations."""

from __future__ import annotations

from typing import Any

import pytest
from test_browser import live_url, page  # noqa: F401  (fixtures of the landing-page test)

pytestmark = pytest.mark.browser


def test_fill_in_a_case_and_see_verdict_tree_and_citations(page: Any, live_url: str) -> None:  # noqa: F811
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_url}/rules")
    page.fill("input[name=service]", "w120:1.A.i")
    page.fill("input[name=provider_economy]", "France")
    page.fill("input[name=on]", "2024-05-01")
    page.select_option("select[name=mode]", "4")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert page.inner_text("#verdict h2").startswith("Verdict: prohibited on 1 May 2024")
    assert "CN-NAT-2024-060" in page.inner_text("#trace")
    assert "https://www.bjnews.com.cn/detail/1712727264129214.html" in page.inner_text("#citations")
    page.select_option("select[name=mode]", "3")
    page.click("form.case-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert "Foreign Investment Access" in page.inner_text("#verdict .reasons")
    assert errors == []
