"""Matching invariants: excluded pairs never recommended, deterministic, explanations add up."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servtrade.market.matching import Item, Matcher, MatchInputs, Verdict
from servtrade.market.matching_features import MarketSignal, TextModel
from servtrade.vocab.ebops import ebops_tree

TREE = ebops_tree()
CODES = ["SI2", "SI21", "SI3", "SC3", "SC31", "SG2", "SJ2", "SJ21", "SK22"]
WORDS = ["cloud", "software", "data", "freight", "cargo", "payments", "legal", "audit", "training"]
ECONOMIES = ["CHN", "DEU", "USA", "SGP", "BRA"]


def item(
    i: int,
    owner: int,
    ebops: str,
    *,
    economy: str = "DEU",
    modes: Sequence[int] = (1,),
    markets: Sequence[str] = (),
    size: str = "medium",
    text: str = "",
    org: int | None = None,
    service: str = "",
) -> Item:
    return Item(
        id=i,
        owner=owner,
        organisation=owner if org is None else org,
        economy=economy,
        ebops=ebops,
        modes=tuple(modes),
        markets=tuple(markets),
        size=size,
        text=text or ebops,
        service=service,
    )


def random_fair(seed: int, exhibitors: int = 12, buyers: int = 20) -> tuple[list[Item], list[Item]]:
    rng = random.Random(seed)

    def one(i: int, owner: int) -> Item:
        return item(
            i,
            owner,
            rng.choice(CODES),
            economy=rng.choice(ECONOMIES),
            modes=sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 3))),
            markets=rng.sample(ECONOMIES, rng.randint(0, 2)),
            size=rng.choice(["small", "medium", "large"]),
            text=" ".join(rng.sample(WORDS, 3)),
        )

    offers = [one(i, rng.randrange(exhibitors)) for i in range(exhibitors * 2)]
    needs = [one(i, 100 + rng.randrange(buyers)) for i in range(buyers * 2)]
    return offers, needs


def ban_chn_sc3_mode1(provider: str | None, buyer: str | None, service: str, mode: int) -> Verdict:
    if buyer == "CHN" and service.startswith("ebops:SC3") and mode == 1:
        return Verdict("prohibited", ("TEST-1: encoded test measure",))
    if buyer == "CHN":
        return Verdict("conditional", ("TEST-2: a condition",))
    return Verdict("allowed")


def test_factor_contributions_add_up_to_the_score() -> None:
    offers, needs = random_fair(1)
    matcher = Matcher(
        MatchInputs(offers, needs, distance=TREE.distance, feasibility=ban_chn_sc3_mode1)
    )
    for participant in sorted({n.owner for n in needs} | {o.owner for o in offers}):
        for rec in matcher.recommend(participant, k=10):
            total = sum(f.contribution for f in rec.factors)
            assert abs(total - rec.score) < 1e-6
            assert all(abs(f.weight * f.value - f.contribution) < 1e-6 for f in rec.factors)
            assert all(0.0 <= f.value <= 1.0 for f in rec.factors)


def test_a_prohibited_pair_is_excluded_or_flagged_never_silent() -> None:
    offers = [item(1, 1, "SC31", economy="DEU", modes=(1,), text="freight cargo")]
    offers += [item(2, 2, "SC31", economy="USA", modes=(1, 3), text="freight cargo")]
    needs = [item(1, 10, "SC31", economy="CHN", modes=(1, 3), text="freight cargo")]
    needs += [item(2, 11, "SC31", economy="DEU", modes=(1,), text="freight cargo")]
    inputs = MatchInputs(offers, needs, distance=TREE.distance, feasibility=ban_chn_sc3_mode1)
    recs = {r.counterpart: r for r in Matcher(inputs).recommend(10)}
    # exhibitor 1 can only supply by mode 1, which is prohibited: left out
    assert set(recs) == {2}
    # exhibitor 2 could also use mode 3: shown, flagged, with the citation
    assert (recs[2].flagged, recs[2].verdict) == (True, "conditional")
    assert recs[2].citations == ("TEST-1: encoded test measure", "TEST-2: a condition")
    rules = next(f for f in recs[2].factors if f.name == "rules")
    assert rules.evidence == (
        "FLAGGED conditional: mode 1: prohibited (TEST-1: encoded test measure); "
        "mode 3: conditional (TEST-2: a condition)"
    )
    flagging = MatchInputs(
        offers,
        needs,
        distance=TREE.distance,
        feasibility=ban_chn_sc3_mode1,
        exclude_prohibited=False,
    )
    shown = {r.counterpart: r for r in Matcher(flagging).recommend(10)}
    assert set(shown) == {1, 2}
    assert (shown[1].flagged, shown[1].verdict) == (True, "prohibited")
    assert next(f for f in shown[1].factors if f.name == "rules").value == 0.0
    # the buyer from DEU is not concerned by the measure
    assert [(r.counterpart, r.flagged) for r in Matcher(inputs).recommend(11)] == [
        (1, False),
        (2, False),
    ]


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_invariants_hold_on_random_fairs(seed: int) -> None:
    offers, needs = random_fair(seed)
    rng = random.Random(seed)
    owners = sorted({o.owner for o in offers})
    blocked = [(100 + rng.randrange(20), rng.choice(owners)) for _ in range(5)]
    inputs = MatchInputs(
        offers,
        needs,
        distance=TREE.distance,
        feasibility=ban_chn_sc3_mode1,
        do_not_meet=blocked,
    )
    first = Matcher(inputs)
    result = first.match_all(k=5, slack=2.0)
    offer_by_id, need_by_id = {o.id: o for o in offers}, {n.id: n for n in needs}
    again = Matcher(inputs)
    for buyer in sorted({n.owner for n in needs}):
        recs = first.recommend(buyer, k=5)
        assert recs == again.recommend(buyer, k=5)  # deterministic
        for rec in recs:
            assert (buyer, rec.counterpart) not in blocked
            offer, need = offer_by_id[rec.offer], need_by_id[rec.need]
            usable = (set(offer.modes) & set(need.modes)) or set(offer.modes)
            banned = need.economy == "CHN" and offer.ebops.startswith("SC3") and usable == {1}
            assert not banned, "a pair prohibited in every usable mode was recommended"
            assert rec.flagged == (
                need.economy == "CHN" and offer.ebops.startswith("SC3") and 1 in usable
            )
        assert all((buyer, e) not in blocked for e in result.for_buyers.get(buyer, []))
    cap = max(5, -(-2 * len(result.for_buyers) * 5 // len(owners)))
    assert max(result.loads().values(), default=0) <= cap


def test_every_buyer_gets_recommendations_and_caps_share_popular_exhibitors() -> None:
    star = [item(0, 0, "SI2", text="cloud software data", size="medium")]
    rest = [item(i, i, "SI2", text="cloud", size="small") for i in range(1, 4)]
    needs = [item(i, 100 + i, "SI2", text="cloud software data") for i in range(12)]
    matcher = Matcher(MatchInputs(star + rest, needs, distance=TREE.distance))
    result = matcher.match_all(k=1, slack=1.0)
    assert all(len(result.for_buyers[100 + i]) == 1 for i in range(12))
    assert result.loads() == {0: 3, 1: 3, 2: 3, 3: 3}
    uncapped = matcher.match_all(k=1, slack=None)
    assert uncapped.loads() == {0: 12}
    recs = result.recommendations(100)
    assert [(r.participant, r.counterpart_role) for r in recs] == [(100, "exhibitor")]
    assert result.counterparts(0) == result.for_exhibitors[0]


def test_same_organisation_and_self_are_never_matched() -> None:
    offers = [item(1, 1, "SI2", org=7), item(2, 2, "SI2", org=8)]
    needs = [item(1, 3, "SI2", org=7), item(2, 1, "SI2")]
    matcher = Matcher(MatchInputs(offers, needs, distance=TREE.distance))
    assert [r.counterpart for r in matcher.recommend(3)] == [2]
    # participant 1 buys from 2; as an exhibitor its only buyer, 3, is its own organisation
    assert [r.counterpart for r in matcher.recommend(1)] == [2]


def test_adding_an_item_rescores_only_its_pairs_and_matches_a_rebuild() -> None:
    offers, needs = random_fair(7)
    text = TextModel([i.text for i in offers + needs])
    matcher = Matcher(MatchInputs(offers, needs, distance=TREE.distance, text_model=text))
    matcher.build_pools()
    new_need = item(999, 150, "SC31", economy="USA", modes=(1, 2), text="freight cargo data")
    new_offer = item(998, 60, "SI21", economy="SGP", modes=(1,), text="software cloud")
    assert matcher.add(new_need, "need") == len(offers)
    assert matcher.add(new_offer, "offer") == len(needs) + 1
    rebuilt = Matcher(
        MatchInputs(
            [*offers, new_offer], [*needs, new_need], distance=TREE.distance, text_model=text
        )
    )
    rebuilt.build_pools()
    for participant in (150, 60, *sorted({n.owner for n in needs})):
        assert matcher.recommend(participant) == rebuilt.recommend(participant)


def test_market_attractiveness_is_used_and_explained_when_given() -> None:
    offers = [item(1, 1, "SI2"), item(2, 2, "SI2")]
    needs = [item(1, 10, "SI2", economy="CHN")]

    def signal(economy: str, code: str) -> MarketSignal | None:
        return MarketSignal(0.8, f"imports of {code} by {economy}: rank 2 (test)") if code else None

    matcher = Matcher(MatchInputs(offers, needs, distance=TREE.distance, market=signal))
    rec = matcher.recommend(10)[0]
    factor = next(f for f in rec.factors if f.name == "attractiveness")
    assert (factor.value, factor.evidence) == (0.8, "imports of SI2 by CHN: rank 2 (test)")
    assert matcher.notes == ["rules: weight dropped (not available); other weights rescaled"]


def test_explanations_name_the_evidence() -> None:
    offers = [
        item(1, 1, "SI21", economy="DEU", modes=(1, 3), markets=("CHN",), text="cloud software")
    ]
    needs = [item(1, 10, "SI2", economy="CHN", modes=(1,), markets=("USA",), text="cloud data")]
    rec = Matcher(
        MatchInputs(
            offers,
            needs,
            distance=TREE.distance,
            requests=[(10, 1)],
            labels={"SI2": "Computer services"},
        )
    ).recommend(10)[0]
    evidence = {f.name: f.evidence for f in rec.factors}
    assert evidence["service_code"] == (
        "need SI2 (Computer services) and offer SI21 are 1 step(s) apart in EBOPS 2010"
    )
    assert evidence["service_text"] == "shared description terms: cloud"
    assert evidence["mode"] == "need modes 1; offer modes 1, 3"
    assert evidence["market"] == (
        "buyer economy CHN is among the offer's target markets; "
        "provider economy DEU is not among the need's accepted origins"
    )
    assert evidence["mutual_interest"] == "one side asked to meet the other"
    assert evidence["rules"] == "not available: no rules engine"


def test_weights_must_name_known_factors() -> None:
    with pytest.raises(ValueError, match="unknown matching factors"):
        Matcher(MatchInputs([], [], distance=TREE.distance, weights={"charm": 1.0}))
    with pytest.raises(ValueError, match="more than 0"):
        Matcher(MatchInputs([], [], distance=TREE.distance, weights={"rules": 1.0}))


def test_nobody_to_match_gives_no_recommendations() -> None:
    matcher = Matcher(MatchInputs([item(1, 1, "SI2")], [], distance=TREE.distance))
    assert matcher.recommend(1) == []
    assert matcher.recommend(42) == []
