"""Checks against the observatory: a claim's level, growth rate, average rate or share
recomputed from the loaded series, naming the dataset, vintage and series used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from servtrade.stats.claims.figures import Fig, verdict_check
from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.judge import Fmt
from servtrade.stats.claims.model import Check, Claim
from servtrade.stats.claims.periods import Period
from servtrade.stats.claims.sources import (
    Measure,
    Observation,
    SeriesAnswer,
    SeriesQuery,
    Sources,
)

AMOUNT = "value"


def _fig(obs: Observation) -> Fig:
    return Fig(obs.value, Interval.around(obs.value, obs.step / 2))


def _query(claim: Claim, periods: Sequence[str], measure: Measure = "value") -> SeriesQuery | None:
    if claim.topic is None or claim.economy is None:
        return None
    return SeriesQuery(
        reporter=claim.economy,
        item=claim.topic.item,
        flow=claim.topic.flow,
        periods=tuple(periods),
        measure=measure,
        whole=claim.whole.item if claim.whole and measure == "share" else None,
        currency=claim.currency,
    )


def _ask(sources: Sources, query: SeriesQuery | None) -> SeriesAnswer | None:
    if sources.series is None or query is None:
        return None
    answer = sources.series(query)
    return answer if answer is not None and answer.observations else None


def _at(
    answer: SeriesAnswer, period: Period, unit: str | None = None, near: float | None = None
) -> Observation | None:
    """The observation for ``period`` (in ``unit``); of several published figures, the one
    nearest ``near`` (the stated value), else the first."""
    keys = period.keys()
    hits = [o for o in answer.observations if o.period in keys and (unit is None or o.unit == unit)]
    if not hits:
        return None
    if near is not None:
        return min(hits, key=lambda o: abs(o.value - near))
    return min(hits, key=lambda o: keys.index(o.period))


def _data(answer: SeriesAnswer, used: Sequence[Observation]) -> dict[str, Any]:
    return {
        **answer.provenance(),
        "periods": [o.period for o in used],
        "sources": sorted({o.source for o in used if o.source}),
    }


def _label(answer: SeriesAnswer) -> str:
    return f"{answer.series} ({answer.dataset}, vintage {answer.vintage})"


def check_level(claim: Claim, sources: Sources, prefer: str | None = None) -> Check | None:
    if claim.kind != "level" or claim.period is None or claim.currency is None:
        return None
    answer = _ask(sources, _query(claim, claim.period.keys()))
    obs = _at(answer, claim.period, claim.currency, claim.value) if answer else None
    if answer is None or obs is None:
        return None
    show = Fmt.like(claim.quantity)
    lines = [f"{_label(answer)}, {obs.period}: {show(obs.value)}"]
    others = [
        o
        for o in answer.observations
        if o.period == obs.period and o is not obs and o.unit == obs.unit
    ]
    if others:
        lines.append(
            f"{len(others) + 1} figures published for {obs.period}; the nearest is used "
            f"(others: {', '.join(show(o.value) for o in others)})"
        )
    return verdict_check(
        "level_against_data",
        "level compared with the observatory",
        claim,
        _fig(obs),
        lines,
        data=_data(answer, [obs]),
    )


def check_growth(claim: Claim, sources: Sources, prefer: str | None = None) -> Check | None:
    if claim.kind != "growth" or claim.period is None or claim.period.span:
        return None
    before = claim.period.shifted(-1)
    answer = _ask(sources, _query(claim, [*claim.period.keys(), *before.keys()]))
    now = _at(answer, claim.period) if answer else None
    if answer is None or now is None:
        return None
    then = _at(answer, before, now.unit)
    if then is not None:
        rate = (_fig(now) / _fig(then)).as_percent_rate()
        show = Fmt(now.unit, 1e9, "billion")
        lines = [
            f"{_label(answer)}: {now.period} {show(now.value)} ÷ {then.period} "
            f"{show(then.value)} − 1 = {rate.value:.2f}%"
        ]
        return verdict_check(
            "growth_against_data",
            "growth recomputed from the observatory's levels",
            claim,
            rate,
            lines,
            data=_data(answer, [now, then]),
        )
    if now.growth_pct is None:
        return None
    lines = [f"{_label(answer)}, {now.period}: published growth {now.growth_pct:g}%"]
    return verdict_check(
        "growth_against_data",
        "growth compared with the rate published in the observatory",
        claim,
        Fig.exact(now.growth_pct),
        lines,
        data=_data(answer, [now]),
    )


def _endpoints(
    answer: SeriesAnswer, span: Period, prefer: str | None
) -> tuple[Observation, Observation] | None:
    """The earliest and latest yearly observations within ``span`` in one unit; the unit whose
    endpoints cover the span best wins (then the preferred currency)."""
    best: tuple[tuple[int, int, int], tuple[Observation, Observation]] | None = None
    for unit in sorted({o.unit for o in answer.observations}):
        years = sorted(
            (int(o.period), o)
            for o in answer.observations
            if o.unit == unit
            and o.period.isdigit()
            and span.first[0] <= int(o.period) <= span.last[0]
        )
        if len(years) < 2:
            continue
        (y0, first), (y1, last) = years[0], years[-1]
        rank = (-(y0 - span.first[0]) - (span.last[0] - y1), y1 - y0, int(unit == prefer))
        if best is None or rank > best[0]:
            best = (rank, (first, last))
    return best[1] if best else None


def check_average(claim: Claim, sources: Sources, prefer: str | None = None) -> Check | None:
    span = claim.period
    if claim.kind != "average_growth" or span is None or not span.span:
        return None
    years = [str(y) for y in range(span.first[0], span.last[0] + 1)]
    answer = _ask(sources, _query(claim, years))
    ends = _endpoints(answer, span, prefer) if answer else None
    if answer is None or ends is None:
        return None
    first, last = ends
    n = int(last.period) - int(first.period)
    ratio = _fig(last) / _fig(first)
    rate = ratio.power(1 / n).as_percent_rate()
    show = Fmt(first.unit, 1e9, "billion")
    lines = [
        f"span used: {first.period} to {last.period} ({n} years; claim: {span.label})",
        f"series: {_label(answer)}, in {first.unit}",
        f"({show(last.value)} ÷ {show(first.value)})^(1/{n}) − 1 = "
        f"{ratio.value:.4f}^(1/{n}) − 1 = {rate.value:.2f}%",
    ]
    return verdict_check(
        "average_against_data",
        "average annual growth recomputed from the observatory",
        claim,
        rate,
        lines,
        data=_data(answer, [first, last]),
    )


def check_share(claim: Claim, sources: Sources, prefer: str | None = None) -> Check | None:
    if claim.kind != "share" or claim.period is None or claim.whole is None:
        return None
    answer = _ask(sources, _query(claim, claim.period.keys(), "share"))
    obs = _at(answer, claim.period, "percent") if answer else None
    if answer is None or obs is None:
        return None
    lines = [f"{_label(answer)}, {obs.period}: {obs.value:g}%"]
    return verdict_check(
        "share_against_data",
        "share compared with the observatory",
        claim,
        _fig(obs),
        lines,
        data=_data(answer, [obs]),
    )


def check_published_average(
    claim: Claim, sources: Sources, prefer: str | None = None
) -> Check | None:
    """An average rate against the same rate as published for the same span."""
    span = claim.period
    if claim.kind != "average_growth" or span is None or not span.span:
        return None
    answer = _ask(sources, _query(claim, span.keys(), "average"))
    obs = _at(answer, span, "percent") if answer else None
    if answer is None or obs is None:
        return None
    lines = [f"{_label(answer)}, {obs.period}: {obs.value:g}% as published"]
    return verdict_check(
        "average_published",
        "average rate compared with the rate published for the same span",
        claim,
        _fig(obs),
        lines,
        data=_data(answer, [obs]),
    )


AGAINST_DATA = (check_level, check_growth, check_average, check_published_average, check_share)
