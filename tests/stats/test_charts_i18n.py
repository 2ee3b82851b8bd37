"""Charts in the page's language: the texts a chart adds itself (axis titles, legends, the source
line) and the usual units come in Chinese for ``lang="zh"``; English stays the default."""

from __future__ import annotations

from typing import Any

import pytest

from servtrade.stats import charts

SERIES = [
    {"period": "2022", "value": 40.0, "growth_pct": None},
    {"period": "2023", "value": 50.0, "growth_pct": 25.0},
]
FLOWS = [
    {"period": "2023", "exports": 5.0, "imports": 7.0},
    {"period": "2024", "exports": 9.0, "imports": 7.0},
]


def _texts(spec: Any) -> set[str]:
    """Every title, axis title and source line in a spec."""
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("title", "text") and isinstance(value, str):
                found.add(value)
            if key == "text" and isinstance(value, list):
                found.add(" ".join(value))
            found |= _texts(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= _texts(value)
    return found


def test_series_in_chinese() -> None:
    spec = charts.series_with_growth(
        SERIES, title="中国：服务，出口", unit="billion US$", source="国家外汇管理局", lang="zh"
    )
    assert {"中国：服务，出口", "十亿美元", "同比增长，%", "来源：国家外汇管理局"} <= _texts(spec)
    assert "growth, % year on year" not in _texts(spec)
    assert spec["config"]["font"].startswith("Noto Sans CJK SC, ")
    # the other settings survive the font
    assert spec["config"]["axis"] == {"labelFontSize": 11, "titleFontSize": 11}
    assert spec["config"]["view"]["stroke"] is None


def test_english_is_the_default_and_the_fallback() -> None:
    default = charts.series_with_growth(SERIES, title="T", unit="billion US$", source="S")
    french = charts.series_with_growth(SERIES, title="T", unit="billion US$", source="S", lang="fr")
    assert default == french
    assert {"billion US$", "growth, % year on year", "Source: S"} <= _texts(default)
    assert "font" not in default["config"]


def test_balance_legends_and_signs_in_chinese() -> None:
    spec = charts.balance(FLOWS, title="差额", unit="million USD", source="S", lang="zh")
    assert {"百万美元", "差额，百万美元", "来源：S"} <= _texts(spec)
    flows, bars = spec["vconcat"][0]["vconcat"]
    assert flows["encoding"]["color"]["scale"]["domain"] == ["出口", "进口"]
    assert bars["encoding"]["color"]["scale"]["domain"] == ["顺差", "逆差"]
    values = spec["datasets"][bars["data"]["name"]]
    assert [(v["balance"], v["sign"]) for v in values] == [(-2.0, "逆差"), (2.0, "顺差")]
    long = spec["datasets"][flows["data"]["name"]]
    assert sorted({v["flow"] for v in long}) == ["出口", "进口"]


def test_share_rca_and_composition_in_chinese() -> None:
    share = charts.share_over_time(
        [{"period": "2024", "share_pct": 52.2}], title="T", source="S", lang="zh"
    )
    assert "占比，%" in _texts(share)
    rca = charts.rca_heatmap(
        [{"economy": "CHN", "item": "SI", "rca": 1.4}], title="R", source="S", lang="zh"
    )
    assert {"EBOPS 2010 项目", "显示性比较优势指数（1 = 世界平均）"} <= _texts(rca)
    bars = charts.top_partners(
        [{"label": "美国", "value": 9.0}], title="T", unit="score, 0 = open", source="S", lang="zh"
    )
    assert {"score, 0 = open", "来源：S"} <= _texts(bars)  # an unusual unit is kept as given


@pytest.mark.parametrize(
    ("unit", "zh"),
    [
        ("billion US$", "十亿美元"),
        ("million yuan", "百万元"),
        ("trillion CNY", "万亿元"),
        ("thousand EUR", "千欧元"),
        ("%", "%"),
        ("percentage points", "百分点"),
        ("billion", "十亿"),
        ("100 million yuan", "100 million yuan"),
        ("score, 0 = open, 1 = closed", "score, 0 = open, 1 = closed"),
    ],
)
def test_unit_text(unit: str, zh: str) -> None:
    assert (charts.unit_text(unit, "zh"), charts.unit_text(unit, "en")) == (zh, unit)


def test_zh_chart_renders_chinese_text_to_svg_and_png() -> None:
    spec = charts.series_with_growth(
        SERIES, title="中国：服务，出口", unit="billion US$", source="S", lang="zh"
    )
    svg = charts.render(spec, "svg").decode()
    assert all(text in svg for text in ("同比增长，%", "十亿美元", "来源：S", "Noto Sans CJK SC"))
    png = charts.render(spec, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
