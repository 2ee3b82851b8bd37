"""The economy profile: figures with sources, charts, restrictiveness, regimes, honest gaps."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from servtrade.briefing.profile import profile_for
from servtrade.briefing.render import body_html, to_html, write_profile
from servtrade.config import Settings
from servtrade.errors import InputError

CHROMIUM = Path("/usr/bin/chromium")


def test_china_headline_figures_carry_their_sources(loaded_settings: Settings) -> None:
    p = profile_for(loaded_settings, "中国", year=2024)
    assert (p.economy.code, p.year, p.unit) == ("CHN", 2024, "CNY")
    assert [(f.label, f.display, f.period) for f in p.figures] == [
        ("Services exports", "3,175.6 billion yuan", "2024"),
        ("Services imports", "4,348.2 billion yuan", "2024"),
        ("Services total", "7,523.8 billion yuan", "2024"),
        ("Services balance", "-1,172.7 billion yuan", "2024"),
    ]
    assert all(f.provenance.startswith("cn-mofcom-releases@") for f in p.figures)
    assert all("MOFCOM" in f.source for f in p.figures)


def test_china_regimes_and_charts(loaded_settings: Settings) -> None:
    p = profile_for(loaded_settings, "CHN", year=2024, on=date(2024, 5, 1))
    regimes = {r["list_id"]: r["status"] for r in p.regimes}
    assert regimes["CN-NAT-2024"] == "in force"
    assert regimes["CN-HN-2021"] == "in force"
    assert {"exports", "balance"} <= {c.key for c in p.charts}
    before = profile_for(loaded_settings, "CHN", year=2023, on=date(2024, 4, 1))
    assert {r["list_id"]: r["status"] for r in before.regimes}["CN-NAT-2024"] == (
        "not yet in force (from 2024-04-21)"
    )


def test_gaps_are_stated_not_hidden(loaded_settings: Settings) -> None:
    p = profile_for(loaded_settings, "Brazil", year=2024)
    assert p.figures == []
    assert "services exports 2024: not in the store" in p.gaps
    assert "cross-border regimes: none encoded for BRA" in p.gaps


@pytest.mark.shared
def test_stri_and_ip_charges_from_the_shared_data(loaded_settings: Settings) -> None:
    if loaded_settings.shared_dir is None or not loaded_settings.shared_dir.is_dir():
        pytest.skip("public datasets in ../shared are absent")
    p = profile_for(loaded_settings, "CHN", year=2024)
    assert {"ip", "stri"} <= {c.key for c in p.charts}
    digital = [r for r in p.restrictiveness if r["index"] == "Digital STRI"]
    assert [(r["sector"], r["year"]) for r in digital] == [("economy-wide", 2024)]


def test_html_is_self_contained_with_sources(loaded_settings: Settings, tmp_path: Path) -> None:
    p = profile_for(loaded_settings, "CHN", year=2024)
    html = to_html(p)
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "<svg" in html and "Source:" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    body = body_html(p)
    assert "<style>" not in body and "China" in body
    out = write_profile(p, tmp_path / "cn.html")
    assert out.read_text("utf-8").count("<svg") == len(p.charts)


def test_unknown_output_type_is_refused(loaded_settings: Settings, tmp_path: Path) -> None:
    p = profile_for(loaded_settings, "CHN", year=2024)
    with pytest.raises(InputError) as info:
        write_profile(p, tmp_path / "cn.docx")
    assert str(info.value) == (
        "cannot write a profile as 'cn.docx' (use a file name ending in .html or .pdf)"
    )


@pytest.mark.browser
def test_pdf_has_one_to_three_pages(loaded_settings: Settings, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (make browser installs it when root)")
    p = profile_for(loaded_settings, "CHN", year=2024)
    pdf = write_profile(p, tmp_path / "cn.pdf").read_bytes()
    assert pdf[:5] == b"%PDF-"
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 3


def test_without_stri_data_the_profile_says_so(loaded_settings: Settings) -> None:
    from servtrade.briefing.profile import build_profile
    from servtrade.rules.loader import default_rulebook
    from servtrade.stats.store import open_store

    p = build_profile(open_store(loaded_settings), default_rulebook(), None, "CHN", year=2024)
    assert p.restrictiveness == []
    assert "restrictiveness: OECD STRI data not available (../shared/rules-data)" in p.gaps


def test_pdf_without_chromium_is_a_clear_error(tmp_path: Path) -> None:
    from servtrade.briefing.render import html_to_pdf
    from servtrade.errors import ConfigError

    with pytest.raises(ConfigError) as info:
        html_to_pdf("<p>x</p>", tmp_path / "x.pdf", chromium=tmp_path / "no-chromium")
    assert info.value.hint == (
        "install it (apt-get install chromium, or make browser) or write --out FILE.html"
    )
