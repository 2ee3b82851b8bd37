"""Properties: an irrelevant fact never changes a verdict; order of measures or input never does."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.loader import default_rulebook
from servtrade.rules.verdict import Verdict

SERVICES = [
    "gbt4754:F5182",
    "gbt4754:A04",
    "w120:1.A.i",
    "w120:4.A",
    "cpc:749",
    "cpc:8676",
    "ebops:SJ",
    "ebops:SI",
    "w120:1.A.a",
]
cases = st.fixed_dictionaries(
    {
        "provider_economy": st.sampled_from(["USA", "HKG", "DEU", "CHN"]),
        "provider_type": st.sampled_from(["individual", "entity_abroad"]),
        "buyer_economy": st.sampled_from(["CHN", "CHN", "FRA"]),
        "service": st.sampled_from(SERVICES),
        "mode": st.integers(1, 4),
        "on": st.dates(
            min_value=__import__("datetime").date(2019, 1, 1),
            max_value=__import__("datetime").date(2026, 12, 31),
        ),
    }
)


def _essence(verdict: Verdict) -> tuple[object, ...]:
    return (
        verdict.outcome,
        verdict.measure_ids,
        verdict.reasons,
        tuple((r.measure.id, r.applies, r.outcome) for r in verdict.measures),
    )


def _zone(values: dict[str, object]) -> str | None:
    return None if values["buyer_economy"] != "CHN" else "ftz" if values["mode"] == 2 else None


@settings(max_examples=60, deadline=None)
@given(
    values=cases,
    extra=st.dictionaries(st.sampled_from(["weather", "colour", "ticket"]), st.text(max_size=5)),
)
def test_an_irrelevant_fact_never_changes_the_verdict(
    values: dict[str, object], extra: dict[str, str]
) -> None:
    # Buyers without a regime accept any facts; CHN facts must be declared, so use FRA for unknown names.  # noqa: E501
    base = make_case(**values, zone=_zone(values))  # type: ignore[arg-type]
    if values["buyer_economy"] != "CHN":
        noisy = make_case(**values, facts=extra)  # type: ignore[arg-type]
        assert _essence(evaluate(noisy)) == _essence(evaluate(base))
    # Facts no measure of the case reads: data facts without data stated.
    quiet = make_case(
        **values, zone=_zone(values), facts={"transfer_purpose": "other", "ciio": True}
    )  # type: ignore[arg-type]
    assert _essence(evaluate(quiet)) == _essence(evaluate(base))


@settings(max_examples=40, deadline=None)
@given(values=cases, seed=st.integers(0, 10_000))
def test_verdicts_do_not_depend_on_the_order_of_measures(
    values: dict[str, object], seed: int
) -> None:
    book = default_rulebook()
    shuffled = list(book.measures.values())
    random.Random(seed).shuffle(shuffled)
    lists = list(book.lists.items())
    random.Random(seed + 1).shuffle(lists)
    other = Rulebook(book.regimes, dict(lists), shuffled, book.dpa)
    case = make_case(**values, data=["personal"])  # type: ignore[arg-type]
    assert _essence(evaluate(case, book=other)) == _essence(evaluate(case, book=book))


@settings(max_examples=40, deadline=None)
@given(
    values=cases,
    data=st.permutations(["personal", "important", "other"]),
    facts=st.permutations(
        [("ciio", False), ("personal_info_subjects", 150_000), ("transfer_purpose", "other")]
    ),
)
def test_verdicts_do_not_depend_on_the_order_of_input(
    values: dict[str, object], data: list[str], facts: list[tuple[str, object]]
) -> None:
    first = make_case(**values, data=data, facts=dict(facts))  # type: ignore[arg-type]
    second = make_case(**values, data=sorted(data), facts=dict(sorted(facts)))  # type: ignore[arg-type]
    assert first == second
    assert _essence(evaluate(first)) == _essence(evaluate(second))
