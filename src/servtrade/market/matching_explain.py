"""Why a pair scored what it did: each factor's weight, value, contribution and evidence."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from servtrade.market.matching_exact import NO_RULES, RulesFinding
from servtrade.market.matching_features import SIZES, Item
from servtrade.market.matching_scorer import FACTORS, Scorer

DIGITS = 6


@dataclass(frozen=True)
class Factor:
    """One named factor of a score: ``contribution = weight × value`` (rounded)."""

    name: str
    weight: float
    value: float
    contribution: float
    evidence: str


def _label(scorer: Scorer, code: str) -> str:
    label = scorer.inputs.labels.get(code)
    return f"{code} ({label})" if label else code


def _modes(modes: tuple[int, ...]) -> str:
    return ", ".join(str(m) for m in sorted(modes)) or "none"


def _shared_terms(scorer: Scorer, need_row: int, offer_row: int, limit: int = 5) -> list[str]:
    product = scorer.needs.text[need_row].multiply(scorer.offers.text[offer_row]).tocoo()
    order = np.argsort(-product.data, kind="stable")[:limit]
    return [str(scorer.text.terms[product.col[i]]) for i in order]


def _market(need: Item, offer: Item) -> str:
    to_buyer = (
        "the offer serves any market"
        if not offer.markets
        else f"buyer economy {need.economy or 'n/a'} "
        + ("is" if need.economy in offer.markets else "is not")
        + " among the offer's target markets"
    )
    from_provider = (
        "the need accepts providers from anywhere"
        if not need.markets
        else f"provider economy {offer.economy or 'n/a'} "
        + ("is" if offer.economy in need.markets else "is not")
        + " among the need's accepted origins"
    )
    return f"{to_buyer}; {from_provider}"


def _interest(value: float) -> str:
    if value >= 1.0:
        return "both asked to meet each other"
    if value > 0:
        return "one side asked to meet the other"
    return "no meeting request between them yet"


def _evidence(scorer: Scorer, need: Item, offer: Item, rows: tuple[int, int]) -> dict[str, str]:
    distance = scorer.distance(need.ebops, offer.ebops)
    terms = _shared_terms(scorer, *rows)
    return {
        "service_code": f"need {_label(scorer, need.ebops)} and offer "
        f"{_label(scorer, offer.ebops)} are {distance} step(s) apart in EBOPS 2010",
        "service_text": "shared description terms: " + (", ".join(terms) if terms else "none"),
        "mode": f"need modes {_modes(need.modes)}; offer modes {_modes(offer.modes)}",
        "market": _market(need, offer),
        "size": f"need size {need.size}; provider size {offer.size}"
        + ("" if offer.size in SIZES else " (unknown size read as medium)"),
    }


def _rules_evidence(scorer: Scorer, finding: RulesFinding) -> str:
    if scorer.inputs.feasibility is None:
        return scorer.inputs.missing.get("rules", "not available: no rules engine")
    text = f"{finding.outcome}: {finding.note}" if finding.note else finding.outcome
    if finding.flagged:
        text = "FLAGGED " + text
    return text


def explain_pair(
    scorer: Scorer, need_row: int, offer_row: int, finding: RulesFinding = NO_RULES
) -> tuple[tuple[Factor, ...], float]:
    """The factors of one (need, offer) pair and the score they add up to."""
    ni, oi = np.array([need_row]), np.array([offer_row])
    values = {k: float(v[0]) for k, v in scorer.pair_values(ni, oi).items()}
    values["rules"] = finding.value if scorer.inputs.feasibility is not None else 1.0
    need, offer = scorer.needs.items[need_row], scorer.offers.items[offer_row]
    evidence = _evidence(scorer, need, offer, (need_row, offer_row))
    evidence["mutual_interest"] = _interest(values["mutual_interest"])
    evidence["rules"] = _rules_evidence(scorer, finding)
    if scorer.market is None:
        evidence["attractiveness"] = scorer.inputs.missing.get("attractiveness", "not available")
        values["attractiveness"] = 0.0
    else:
        signal = scorer.inputs.market(need.economy, offer.ebops) if need.economy else None  # type: ignore[misc]
        evidence["attractiveness"] = signal.evidence if signal else "no statistic for this pair"
    factors = tuple(
        Factor(
            name=name,
            weight=round(scorer.weights[name], DIGITS),
            value=round(values[name], DIGITS),
            contribution=round(scorer.weights[name] * values[name], DIGITS),
            evidence=evidence[name],
        )
        for name in FACTORS
    )
    return factors, round(sum(f.contribution for f in factors), DIGITS)
