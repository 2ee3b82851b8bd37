"""The fast path agrees with the explanation: compiled predicates, decisions, list timelines.

Evaluating decides from precomputed candidates and compiled conditions and explains only when
asked; these properties hold the two readings to the same answers on rules written here to use
every predicate (fixtures, not real measures) as well as on the bundled ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from servtrade.rules.book import Rulebook
from servtrade.rules.evaluate import evaluate
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import (
    Case,
    Condition,
    DataCategory,
    Effect,
    Kind,
    Measure,
    Outcome,
    ProviderType,
    Reference,
    Sector,
    Verification,
)
from servtrade.rules.predicates import check_condition, compile_condition, parse_condition
from servtrade.rules.sectors import canonical_key, service_keys
from servtrade.rules.selection import DAY, select_lists

FACTS = default_rulebook().regimes["CHN"].facts
RAW_CONDITIONS: list[dict[str, Any]] = [
    {"predicate": "fact_is_not", "args": {"fact": "local_presence", "value": True}},
    {"predicate": "fact_at_least", "args": {"fact": "personal_info_subjects", "value": 100_000}},
    {"predicate": "fact_below", "args": {"fact": "sensitive_info_subjects", "value": 10_000}},
    {"predicate": "fact_not_in", "args": {"fact": "transfer_purpose", "values": ["emergency"]}},
    {"predicate": "provider_economy_not_in", "args": {"economies": ["HKG", "MAC"]}},
    {
        "predicate": "any_of",
        "args": {
            "conditions": [
                {"predicate": "fact_in", "args": {"fact": "transfer_purpose", "values": ["other"]}},
                {"predicate": "provider_economy_in", "args": {"economies": ["USA"]}},
            ]
        },
    },
    {
        "predicate": "none_of",
        "args": {
            "conditions": [
                {"predicate": "fact_is", "args": {"fact": "approval", "value": True}},
                {"predicate": "data_includes", "args": {"categories": ["important"]}},
            ]
        },
    },
]
CONDITIONS = [parse_condition(raw, FACTS, "c") for raw in RAW_CONDITIONS]
SERVICES = ["gbt4754:F5182", "gbt4754:L72", "w120:1.A.i", "w120:1", "cpc:93191", "ebops:SJ"]
SERVICES += ["gbt4754:L71", "gbt4754:M", "w120:1.F", "ebops:SJ22", "cpc:9"]


def _fixture(i: int, conditions: tuple[Condition, ...], **sector: Any) -> Measure:
    return Measure(
        id=f"FIX-{i:02d}",
        list_id=("CN-NAT-2024", "CN-FTZ-2024", "CN-HN-2021")[i % 3],
        item=f"fixture {i}",
        sector=Sector(activity="fixture activity", **sector),
        modes=frozenset({1, 2, 4}),
        kind=Kind.licensing_or_qualification,
        binds=frozenset([("individual",), ("entity_abroad",), ("buyer",)][i % 3]),
        effect=(Effect.prohibited, Effect.conditional)[i % 2],
        reference=Reference("fixture", str(i)),
        summary_en="Fixture measure for tests.",
        verification=Verification.unverified,
        conditions=conditions,
        in_force_to=date(2025, 6, 30) if i % 4 == 0 else None,
        synthetic=True,
    )


FIXTURES = [
    _fixture(i, (c,), whole=(canonical_key(SERVICES[i % len(SERVICES)]),))
    for i, c in enumerate(CONDITIONS)
] + [
    _fixture(7, (CONDITIONS[0], CONDITIONS[4]), part=("w120:1.A",)),
    _fixture(8, (), all=True),
    _fixture(9, (CONDITIONS[5],), part=("cpc:9319",)),
    # several codes, so that equally strong links compete (index and scan must cite the same)
    _fixture(10, (), whole=("w120:1.F.b", "w120:9.C", "cpc:8676"), part=("ebops:SJ", "cpc:93")),
    _fixture(11, (), whole=("cpc:93", "w120:9.C"), part=("w120:1.F.b", "ebops:SJ22")),
]
BOOK = default_rulebook().with_changes(add=FIXTURES)

fact_values = st.fixed_dictionaries(
    {},
    optional={
        "local_presence": st.booleans(),
        "approval": st.booleans(),
        "ciio": st.booleans(),
        "personal_info_subjects": st.integers(0, 2_000_000),
        "sensitive_info_subjects": st.integers(0, 50_000),
        "transfer_purpose": st.sampled_from(FACTS["transfer_purpose"].choices),
    },
)
cases = st.builds(
    Case,
    provider_economy=st.sampled_from(["USA", "HKG", "DEU"]),
    provider_type=st.sampled_from(list(ProviderType)),
    buyer_economy=st.just("CHN"),
    service=st.sampled_from(SERVICES),
    mode=st.sampled_from([1, 2, 4]),
    zone=st.sampled_from([None, "ftz", "hainan"]),
    on=st.dates(date(2021, 1, 1), date(2026, 12, 31)),
    data=st.none() | st.frozensets(st.sampled_from(list(DataCategory))),
    facts=fact_values.map(lambda f: tuple(sorted(f.items()))),
)


def _every(conditions: list[Condition]) -> list[Condition]:
    return [x for c in conditions for x in (c, *_every(list(c.children)))]


@settings(max_examples=150, deadline=None)
@given(case=cases)
def test_compiled_conditions_give_what_the_explaining_check_gives(case: Case) -> None:
    bundled = [c for m in default_rulebook().measures.values() for c in m.conditions]
    for condition in _every(CONDITIONS + bundled):
        assert compile_condition(condition)(case) == check_condition(condition, case).value


@settings(max_examples=150, deadline=None)
@given(case=cases)
def test_the_decision_agrees_with_the_explanation_and_the_linear_scan(case: Case) -> None:
    verdict = evaluate(case, book=BOOK)
    ids, outcome = verdict.measure_ids, verdict.outcome  # decided, nothing explained yet
    explained = [r for r in verdict.measures if r.outcome is not None]
    assert ids == tuple(r.measure.id for r in explained)
    if any(r.outcome is Outcome.prohibited for r in explained):
        assert outcome is Outcome.prohibited
    elif explained:
        assert outcome is Outcome.conditional
    else:
        assert outcome in (Outcome.allowed, Outcome.not_covered)
    assert verdict == evaluate(case, book=BOOK, linear=True)


def _passed_over(day: str) -> tuple[str, ...]:
    title = "Special Administrative Measures for Cross-Border Trade in Services"
    return (
        f"CN-FTZ-2024 ({title} in Pilot Free Trade Zones (Negative List) (2024 Edition)) was not "
        f"yet in force on {day}: it enters into force on 2024-04-21.",
        f"CN-NAT-2024 ({title} (Negative List) (2024 Edition)) was not yet in force on {day}: "
        "it enters into force on 2024-04-21.",
        "In force elsewhere on that date: CN-HN-2021 (only in the Hainan Free Trade Port).",
    )


def test_list_choices_name_the_date_of_the_case_within_one_span() -> None:
    book = Rulebook(BOOK.regimes, BOOK.lists, BOOK.measures.values(), BOOK.dpa)
    regime = book.regimes["CHN"]
    none_in_force = (
        "No cross-border services negative list was in force for this place on this date. "
        "Restrictions on foreign suppliers then sat in sector laws, regulations and China's GATS "
        "schedule, which are not encoded here."
    )
    for day in ("2024-01-02", "2024-04-20"):
        choice = select_lists(book, regime, "ftz", date.fromisoformat(day), False)[0]
        assert (choice.list_id, choice.passed_over) == (None, _passed_over(day))
        assert choice.reason == " ".join((none_in_force, *_passed_over(day)))
    later = select_lists(book, regime, "ftz", date(2024, 4, 21), True)
    assert [(c.list_id, DAY in c.reason) for c in later] == [
        ("CN-FTZ-2024", False),
        ("CN-CBDF-2024", False),
        ("CN-DSL-2021", False),
        ("CN-PIPL-2021", False),
    ]


def test_the_index_works_out_every_listed_code_ahead() -> None:
    keys = service_keys()
    assert len(keys) == len(set(keys)) > 600
    assert {"ebops:SJ", "w120:1.A.i", "cpc:932", "gbt4754:F51", "gbt4754:L"} <= set(keys)
    assert "gbt4754:F5182" not in keys  # a GB/T class: looked up on demand
