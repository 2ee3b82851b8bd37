"""Charts as Vega-Lite specifications (built with Altair), rendered offline with vl-convert.

Every chart takes plain rows (dicts), puts axis titles with units, and carries its source line
under the plot, so an exported SVG/PNG still says where its numbers came from. Marks differ by
shape and dash as well as colour, so charts stay readable in print and in greyscale.
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


def _frame(rows: Sequence[Row], needed: Sequence[str]) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows))
    missing = [c for c in needed if c not in frame.columns]
    if frame.empty or missing:
        raise InputError(
            "nothing to chart" if frame.empty else f"chart data lacks columns {missing}",
            hint="load the dataset first (servtrade stats ingest) or widen the period",
        )
    return frame


def source_lines(source: str, width: int = 95) -> list[str]:
    """``Source: ...`` wrapped so that a long citation never widens the chart."""
    return textwrap.wrap(f"Source: {source}", width=width) or ["Source: n/a"]


def _finish(chart: Any, title: str, source: str) -> dict[str, Any]:
    """Wrap ``chart`` with its title on top and the source line under it."""
    framed = alt.vconcat(chart.properties(title=title)).properties(
        title=alt.TitleParams(
            text=source_lines(source), orient="bottom", anchor="start", fontSize=10, color="#444"
        )
    )
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
    rows: Sequence[Row], *, title: str, unit: str, source: str
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
        .encode(y=alt.Y("value:Q", title=unit), tooltip=["period", "value"])
        .properties(width=WIDTH, height=HEIGHT)
    )
    if "growth_pct" not in frame.columns or frame["growth_pct"].isna().all():
        return _finish(level, title, source)
    growth = (
        base.mark_bar(
            color=PALETTE[2],
            stroke=PALETTE[0],
            strokeWidth=0.5,
        )
        .encode(
            y=alt.Y("growth_pct:Q", title="growth, % year on year"),
            tooltip=["period", "growth_pct"],
        )
        .properties(width=WIDTH, height=HEIGHT // 2)
    )
    return _finish(alt.vconcat(level, growth), title, source)


def composition(rows: Sequence[Row], *, title: str, unit: str, source: str) -> dict[str, Any]:
    """Horizontal bars of items (``label``, ``value``), largest first."""
    frame = _frame(rows, ["label", "value"])
    chart = (
        alt.Chart(frame)
        .mark_bar(color=PALETTE[1])
        .encode(
            y=alt.Y("label:N", sort="-x", title=None),
            x=alt.X("value:Q", title=unit),
            tooltip=["label", "value"],
        )
        .properties(width=WIDTH - 160, height=max(80, 22 * len(frame)))
    )
    labels = chart.mark_text(align="left", dx=3, fontSize=10, color="#222").encode(
        text=alt.Text("value:Q", format=",.1f")
    )
    return _finish(chart + labels, title, source)


def top_partners(rows: Sequence[Row], *, title: str, unit: str, source: str) -> dict[str, Any]:
    """Partners (``label``, ``value``) as ranked bars; same layout as :func:`composition`."""
    return composition(rows, title=title, unit=unit, source=source)


def share_over_time(rows: Sequence[Row], *, title: str, source: str) -> dict[str, Any]:
    """Shares in percent (``period``, ``share_pct``, optional ``series``) as dashed lines."""
    frame = _frame(rows, ["period", "share_pct"])
    if "series" not in frame.columns:
        frame["series"] = "share"
    # One series needs no legend; several are told apart by colour, dash and point shape.
    legend = None if frame["series"].nunique() == 1 else alt.Legend(title=None)
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=_period_x(frame["period"].astype(str).tolist()),
            y=alt.Y("share_pct:Q", title="share, %", scale=alt.Scale(zero=True)),
            color=alt.Color("series:N", scale=alt.Scale(range=PALETTE), legend=legend),
            strokeDash=alt.StrokeDash("series:N", legend=legend),
            shape=alt.Shape("series:N", legend=legend),
            tooltip=["period", "series", "share_pct"],
        )
        .properties(width=WIDTH, height=HEIGHT)
    )
    return _finish(chart, title, source)


def balance(rows: Sequence[Row], *, title: str, unit: str, source: str) -> dict[str, Any]:
    """Exports and imports (solid and dashed lines) and the balance (bars shaded by sign).

    Rows: ``period``, ``exports``, ``imports``; the balance is computed here.
    """
    frame = _frame(rows, ["period", "exports", "imports"])
    frame["balance"] = frame["exports"] - frame["imports"]
    frame["sign"] = frame["balance"].map(lambda v: "surplus" if v >= 0 else "deficit")
    long = frame.melt(id_vars=["period"], value_vars=["exports", "imports"], var_name="flow")
    x = _period_x(frame["period"].astype(str).tolist())
    flows = (
        alt.Chart(long)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=unit),
            color=alt.Color(
                "flow:N",
                scale=alt.Scale(domain=["exports", "imports"], range=[PALETTE[0], PALETTE[3]]),
                title=None,
            ),
            strokeDash=alt.StrokeDash(
                "flow:N",
                scale=alt.Scale(domain=["exports", "imports"], range=[[1, 0], [6, 3]]),
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
            y=alt.Y("balance:Q", title=f"balance, {unit}"),
            color=alt.Color(
                "sign:N",
                scale=alt.Scale(domain=["surplus", "deficit"], range=["#bdbdbd", "#4d4d4d"]),
                title=None,
            ),
            tooltip=["period", "balance"],
        )
        .properties(width=WIDTH, height=HEIGHT // 2)
    )
    both = alt.vconcat(flows, bars).resolve_scale(color="independent", strokeDash="independent")
    return _finish(both, title, source)


def rca_heatmap(rows: Sequence[Row], *, title: str, source: str) -> dict[str, Any]:
    """Balassa RCA per ``economy`` × ``item`` (``rca``), shaded around 1, values printed."""
    frame = _frame(rows, ["economy", "item", "rca"])
    base = alt.Chart(frame).encode(
        x=alt.X("item:N", title="EBOPS 2010 item"), y=alt.Y("economy:N", title=None)
    )
    cells = base.mark_rect(stroke="#fff").encode(
        color=alt.Color(
            "rca:Q",
            scale=alt.Scale(scheme="greys", domainMid=1),
            title="RCA (1 = world average)",
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
    return _finish(chart, title, source)


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
