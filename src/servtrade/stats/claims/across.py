"""Checks that look beyond one sentence's arithmetic: a currency conversion's implied exchange
rate (against a loaded rate series when there is one) and the same figure as stated by
different documents given together."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from servtrade.stats.claims.figures import Fig, unchecked, verdict_check
from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.judge import Fmt, Stated
from servtrade.stats.claims.model import Check, Claim
from servtrade.stats.claims.sources import Sources


def _rate_text(fig: Fig, currency: str, per: str) -> str:
    return (
        f"{fig.value:.4f} {currency} per {per} (rounding allows {fig.span.low:.4f} to "
        f"{fig.span.high:.4f})"
    )


def check_conversion(claim: Claim, sources: Sources) -> Check | None:
    """ "4.58 trillion yuan ($640 billion)": the implied rate, and the converted amount
    recomputed from a loaded exchange-rate series."""
    other = claim.converted
    if other is None or claim.currency is None or other.currency is None:
        return None
    base = Fig(claim.quantity.value, claim.quantity.interval())
    implied = base / Fig(other.value, other.interval())
    lines = [
        f"implied rate: {Fmt.like(claim.quantity)(base.value)} ÷ {Fmt.like(other)(other.value)}"
        f" = {_rate_text(implied, claim.currency, other.currency)}"
    ]
    keys = claim.period.keys() if claim.period else ()
    answer = sources.rates(claim.currency, other.currency, keys) if sources.rates else None
    obs = next(
        (o for k in keys for o in (answer.observations if answer else ()) if o.period == k), None
    )
    if answer is None or obs is None:
        needs = (
            f"an exchange-rate series of {claim.currency} per {other.currency} for "
            f"{claim.period.label if claim.period else 'the period'} in the observatory"
        )
        return unchecked(
            "conversion_rate", "currency conversion against an exchange-rate series", needs, lines
        )
    rate = Fig(obs.value, Interval.around(obs.value, obs.step / 2))
    result = base / rate
    lines.append(
        f"{answer.series} ({answer.dataset}, vintage {answer.vintage}), {obs.period}: "
        f"{obs.value:g} {claim.currency} per {other.currency}; "
        f"{Fmt.like(claim.quantity)(base.value)} ÷ {obs.value:g} = {Fmt.like(other)(result.value)}"
    )
    return verdict_check(
        "conversion_rate",
        "converted amount recomputed with the loaded exchange rate",
        claim,
        result,
        lines,
        stated=Stated(other),
        data={**answer.provenance(), "periods": [obs.period]},
    )


def _same_figure(a: Claim, b: Claim) -> bool:
    if a.document == b.document or a.kind != b.kind or a.kind in ("rate", "count"):
        return False
    if a.topic is None or b.topic is None or a.period is None or a.period != b.period:
        return False
    same_whole = (a.whole.item if a.whole else None) == (b.whole.item if b.whole else None)
    return (
        a.economy == b.economy
        and a.topic.item == b.topic.item
        and a.topic.flow == b.topic.flow
        and a.currency == b.currency
        and same_whole
    )


def cross_document(claims: Sequence[Claim]) -> dict[str, list[Check]]:
    """For each claim, its comparison with the same figure in every other document."""
    found: dict[str, list[Check]] = {}
    for a, b in combinations(claims, 2):
        if not _same_figure(a, b):
            continue
        for target, other in ((a, b), (b, a)):
            line = f"{other.document} states {other.text!r} for the same figure ({other.id})"
            check = verdict_check(
                "across_documents",
                f"the same figure in {other.document}",
                target,
                Fig.of(other),
                [line],
                inputs=[other],
            )
            found.setdefault(target.id, []).append(check)
    return found
