"""Charts as Vega-Lite specifications (built with Altair), rendered offline with vl-convert.

Every chart takes plain rows (dicts), puts axis titles with units, and carries its source line
under the plot, so an exported SVG/PNG still says where its numbers came from. Marks differ by
shape and dash as well as colour, so charts stay readable in print and in greyscale.

Every builder takes ``lang`` ("en" by default, or "zh"): the texts the chart adds itself (axis
titles, legends, the "Source:" line) come from :data:`TEXTS`, and a unit of the usual shape
("billion US$", "million USD", "%") is put in that language by :func:`unit_text`; titles and
sources are the caller's, already in that language. This module never imports the web layer:
the dashboard passes its page language in.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import altair as alt
import pandas as pd

from servtrade.errors import InputError

Row = Mapping[str, Any]
ChartFormat = Literal["svg", "png", "json"]

# Greyscale-safe palette (differs in lightness) for categorical series.
PALETTE = ["#1b3a4b", "#3f7f8c", "#8fb8bf", "#5c5c5c", "#a3a3a3", "#d9a441", "#7a3b2e"]
WIDTH, HEIGHT = 560, 260

# The words the charts add themselves, per language; an unknown language gets English.
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "source": "Source: {source}",
        "source_missing": "Source: n/a",
        "growth": "growth, % year on year",
        "share": "share, %",
        "share_series": "share",
        "balance": "balance, {unit}",
        "exports": "exports",
        "imports": "imports",
        "surplus": "surplus",
        "deficit": "deficit",
        "item": "EBOPS 2010 item",
        "rca": "RCA (1 = world average)",
    },
    "zh": {
        "source": "来源：{source}",
        "source_missing": "来源：无",
        "growth": "同比增长，%",
        "share": "占比，%",
        "share_series": "占比",
        "balance": "差额，{unit}",
        "exports": "出口",
        "imports": "进口",
        "surplus": "顺差",
        "deficit": "逆差",
        "item": "EBOPS 2010 项目",
        "rca": "显示性比较优势指数（1 = 世界平均）",
    },
}
SCALE_WORDS = ("thousand", "million", "billion", "trillion")
# Units as the observatory and the briefing write them: "<scale> <currency or unit>".
UNIT_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "thousand": "千", "million": "百万", "billion": "十亿", "trillion": "万亿",
        "US$": "美元", "USD": "美元", "yuan": "元", "CNY": "元", "euro": "欧元", "EUR": "欧元",
        "%": "%", "percentage points": "百分点",
    },
}  # fmt: skip
# Chinese charts name a CJK font first (vl-convert measures and draws text with system fonts;
# DejaVu, the usual default, has no Chinese glyphs); browsers fall back along the list.
FONTS = {"zh": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"}


def chart_text(key: str, lang: str = "en", **params: Any) -> str:
    """One of the chart's own texts in ``lang`` (English when ``lang`` is not offered)."""
    text = TEXTS.get(lang, TEXTS["en"])[key]
    return text.format(**params) if params else text


def _frame(rows: Sequence[Row], needed: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    missing = [c for c in needed if c not in frame.columns]
    if frame.empty or missing:
        raise InputError(
            "nothing to chart" if frame.empty else f"chart data lacks columns {missing}",
            hint="load the dataset first (servtrade stats ingest) or widen the period",
        )
    return frame


def unit_text(unit: str, lang: str = "en") -> str:
    """``unit`` in ``lang`` when it has the usual shape ("billion US$" is 十亿美元 in Chinese);
    any other text, and every unit in English, is kept as it is."""
    words = UNIT_WORDS.get(lang)
    if not words:
        return unit
    scale, _, name = unit.strip().partition(" ")
    if unit.strip() in words:
        return words[unit.strip()]
    if scale in SCALE_WORDS and name in words:
        return words[scale] + words[name]
    return unit


def source_lines(source: str, width: int = 95, lang: str = "en") -> list[str]:
    """``Source: ...`` wrapped so that a long citation never widens the chart."""
    text = chart_text("source", lang, source=source)
    return textwrap.wrap(text, width=width) or [chart_text("source_missing", lang)]


def _finish(chart: Any, title: str, source: str, lang: str = "en") -> dict[str, Any]:
    """Wrap ``chart`` with its title on top and the source line under it."""
    framed = alt.vconcat(chart.properties(title=title)).properties(
        title=alt.TitleParams(
            text=source_lines(source, lang=lang),
            orient="bottom",
            anchor="start",
            fontSize=10,
            color="#444",
        )
    )
    if lang in FONTS:  # before the other settings: ``configure`` replaces the whole config
        framed = framed.configure(font=FONTS[lang])
    spec: dict[str, Any] = (
        framed.configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=11)
        .to_dict()
    )
    return spec


def with_year_gaps(frame: pd.DataFrame) -> pd.DataFrame:
    """Annual rows with every missing year added as an empty row, so gaps show as gaps."""
    periods = frame["period"].astype(str)
    if not periods.str.fullmatch(r"\d{4}").all():
        return frame
    years = [str(y) for y in range(int(periods.min()), int(periods.max()) + 1)]
    full = pd.DataFrame({"period": years})
    return full.merge(frame.assign(period=periods), on="period", how="left")


def _period_x(periods: Sequence[str]) -> alt.X:
    """The period axis over every period given; labels turn when there are many, never overlap."""
    angle = 0 if len(periods) <= 12 else -45
    return alt.X(
        "period:O",
        title=None,
        scale=alt.Scale(domain=list(periods)),
        axis=alt.Axis(labelAngle=angle, labelOverlap=True),
    )


def series_with_growth(
    rows: Sequence[Row], *, title: str, unit: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Levels as a line with points, and year-on-year growth (%) as bars beneath.

    Rows: ``period`` (label), ``value`` and optionally ``growth_pct``.
    """
    frame = with_year_gaps(_frame(rows, ["period", "value"]))
    base = alt.Chart(frame).encode(x=_period_x(frame["period"].astype(str).tolist()))
    level = (
        base.mark_line(
            point=alt.OverlayMarkDef(filled=True, size=50),
            color=PALETTE[0],
            invalid="break-paths-show-domains",  # a missing year breaks the line
        )
        .encode(y=alt.Y("value:Q", title=unit_text(unit, lang)), tooltip=["period", "value"])
        .properties(width=WIDTH, height=HEIGHT)
    )
    if "growth_pct" not in frame.columns or frame["growth_pct"].isna().all():
        return _finish(level, title, source, lang)
    growth = (
        base.mark_bar(
            color=PALETTE[2],
            stroke=PALETTE[0],
            strokeWidth=0.5,
        )
        .encode(
            y=alt.Y("growth_pct:Q", title=chart_text("growth", lang)),
            tooltip=["period", "growth_pct"],
        )
        .properties(width=WIDTH, height=HEIGHT // 2)
    )
    return _finish(alt.vconcat(level, growth), title, source, lang)


def composition(
    rows: Sequence[Row], *, title: str, unit: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Horizontal bars of items (``label``, ``value``), largest first."""
    frame = _frame(rows, ["label", "value"])
    chart = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[1])
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("value:Q", title=unit_text(unit, lang)),
            tooltip=["label", "value"],
        )
        .properties(width=WIDTH - 160, height=max(80, 22 * len(frame)))
    )
    labels = chart.mark_text(align="left", dx=3, fontSize=10, color="#222").encode(
        text=alt.Text("value:Q", format=",.1f")
    )
    return _finish(chart + labels, title, source, lang)


def top_partners(
    rows: Sequence[Row], *, title: str, unit: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Partners (``label``, ``value``) as ranked bars; same layout as :func:`composition`."""
    return composition(rows, title=title, unit=unit, source=source, lang=lang)


def share_over_time(
    rows: Sequence[Row], *, title: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Shares in percent (``period``, ``share_pct``, optional ``series``) as dashed lines."""
    frame = _frame(rows, ["period", "share_pct"])
    if "series" not in frame.columns:
        frame["series"] = chart_text("share_series", lang)
    # One series needs no legend; several are told apart by colour, dash and point shape.
    legend = None if frame["series"].nunique() == 1 else alt.Legend(title=None)
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=_period_x(frame["period"].astype(str).tolist()),
            y=alt.Y("share_pct:Q", title=chart_text("share", lang), scale=alt.Scale(zero=True)),
            color=alt.Color("series:N", scale=alt.Scale(range=PALETTE), legend=legend),
            strokeDash=alt.StrokeDash("series:N", legend=legend),
            shape=alt.Shape("series:N", legend=legend),
            tooltip=["period", "series", "share_pct"],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return _finish(chart, title, source, lang)


def balance(
    rows: Sequence[Row], *, title: str, unit: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Exports and imports (solid and dashed lines) and the balance (bars shaded by sign).

    Rows: ``period``, ``exports``, ``imports``; the balance is computed here.
    """
    frame = _frame(rows, ["period", "exports", "imports"])
    frame["balance"] = frame["exports"] - frame["imports"]
    # legends show the values themselves, so they are in the chart's language
    flow_names = [chart_text("exports", lang), chart_text("imports", lang)]
    signs = [chart_text("surplus", lang), chart_text("deficit", lang)]
    frame["sign"] = frame["balance"].map(lambda v: signs[0] if v >= 0 else signs[1])
    long = frame.melt(id_vars=["period"], value_vars=["exports", "imports"], var_name="flow")
    long["flow"] = long["flow"].map(dict(zip(("exports", "imports"), flow_names, strict=True)))
    x = _period_x(frame["period"].astype(str).tolist())
    flows = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit_text(unit, lang)),
            color=alt.Color(
                "flow:N",
                scale=alt.Scale(domain=flow_names, range=[PALETTE[0], PALETTE[3]]),
                title=None,
            ),
            strokeDash=alt.StrokeDash(
                "flow:N",
                scale=alt.Scale(domain=flow_names, range=[[1, 0], [6, 3]]),
                title=None,
            ),
            tooltip=["period", "flow", "value"],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    bars = (
        alt.Chart(frame)
        .mark_bar(stroke="#222", strokeWidth=0.5)
        .encode(
            x=x,
            y=alt.Y("balance:Q", title=chart_text("balance", lang, unit=unit_text(unit, lang))),
            color=alt.Color(
                "sign:N",
                scale=alt.Scale(domain=signs, range=["#bdbdbd", "#4d4d4d"]),
                title=None,
            ),
            tooltip=["period", "balance"],
        )
        .properties(width=WIDTH, height=HEIGHT // 2)
    )
    both = alt.vconcat(flows, bars).resolve_scale(color="independent", strokeDash="independent")
    return _finish(both, title, source, lang)


def rca_heatmap(
    rows: Sequence[Row], *, title: str, source: str, lang: str = "en"
) -> dict[str, Any]:
    """Balassa RCA per ``economy`` × ``item`` (``rca``), shaded around 1, values printed."""
    frame = _frame(rows, ["economy", "item", "rca"])
    base = alt.Chart(frame).encode(
        x=alt.X("item:N", title=chart_text("item", lang)), y=alt.Y("economy:N", title=None)
    )
    cells = base.mark_rect(stroke="#fff").encode(
        color=alt.Color(
            "rca:Q",
            scale=alt.Scale(scheme="greys", domainMid=1),
            title=chart_text("rca", lang),
        ),
        tooltip=["economy", "item", "rca"],
    )
    text = base.mark_text(fontSize=9).encode(
        text=alt.Text("rca:Q", format=".2f"),
        color=alt.condition("datum.rca > 1.5", alt.value("#fff"), alt.value("#111")),
    )
    chart = (cells + text).properties(
        width=max(200, 38 * frame["item"].nunique()),
        height=max(80, 20 * frame["economy"].nunique()),
    )
    return _finish(chart, title, source, lang)


def render(spec: Mapping[str, Any], fmt: ChartFormat = "svg") -> bytes:
    """The chart as SVG or PNG bytes (offline, via vl-convert), or as its JSON spec."""
    import json

    import vl_convert as vlc

    if fmt == "json":
        return json.dumps(spec, indent=2).encode()
    try:
        if fmt == "png":
            data: bytes = vlc.vegalite_to_png(dict(spec), scale=2)
            return data
        svg: str = vlc.vegalite_to_svg(dict(spec))
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError
        raise InputError(f"chart could not be rendered: {exc}") from exc
    return svg.encode()
