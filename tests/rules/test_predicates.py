"""Named predicates: three-valued results, typed arguments checked on load."""

from __future__ import annotations

import pytest

from servtrade.rules.cases import make_case
from servtrade.rules.loader import default_rulebook
from servtrade.rules.predicates import ConditionError, check_condition, describe, parse_condition

FACTS = default_rulebook().regimes["CHN"].facts


def _case(**facts: object) -> object:
    return make_case(
        provider_economy="USA",
        provider_type="individual",
        buyer_economy="CHN",
        service="ebops:SI",
        mode=1,
        data=["personal"],
        facts=facts,
    )


def _value(raw: dict[str, object], **facts: object) -> object:
    return check_condition(parse_condition(raw, FACTS, "c"), _case(**facts)).value  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "facts", "expected"),
    [
        ({"predicate": "fact_is", "args": {"fact": "ciio", "value": True}}, {"ciio": True}, True),
        ({"predicate": "fact_is", "args": {"fact": "ciio", "value": True}}, {"ciio": False}, False),
        ({"predicate": "fact_is", "args": {"fact": "ciio", "value": True}}, {}, None),
        (
            {
                "predicate": "fact_at_least",
                "args": {"fact": "personal_info_subjects", "value": 100},
            },
            {"personal_info_subjects": 100},
            True,
        ),
        (
            {"predicate": "fact_below", "args": {"fact": "personal_info_subjects", "value": 100}},
            {"personal_info_subjects": 100},
            False,
        ),
        (
            {"predicate": "fact_in", "args": {"fact": "transfer_purpose", "values": ["emergency"]}},
            {"transfer_purpose": "emergency"},
            True,
        ),
        ({"predicate": "data_includes", "args": {"categories": ["important"]}}, {}, False),
        ({"predicate": "provider_economy_in", "args": {"economies": ["USA"]}}, {}, True),
        ({"predicate": "provider_economy_not_in", "args": {"economies": ["USA"]}}, {}, False),
        (
            {
                "predicate": "any_of",
                "args": {
                    "conditions": [
                        {"predicate": "fact_is", "args": {"fact": "ciio", "value": True}},
                        {"predicate": "data_includes", "args": {"categories": ["personal"]}},
                    ]
                },
            },
            {},
            True,
        ),
        (
            {
                "predicate": "all_of",
                "args": {
                    "conditions": [
                        {"predicate": "fact_is", "args": {"fact": "ciio", "value": True}},
                        {"predicate": "data_includes", "args": {"categories": ["personal"]}},
                    ]
                },
            },
            {},
            None,
        ),
        (
            {
                "predicate": "none_of",
                "args": {
                    "conditions": [
                        {"predicate": "fact_is", "args": {"fact": "ciio", "value": True}}
                    ]
                },
            },
            {"ciio": False},
            True,
        ),
        (
            {
                "predicate": "none_of",
                "args": {
                    "conditions": [
                        {"predicate": "fact_is", "args": {"fact": "ciio", "value": True}}
                    ]
                },
            },
            {},
            None,
        ),
    ],
)
def test_predicates_are_three_valued(
    raw: dict[str, object], facts: dict[str, object], expected: object
) -> None:
    assert _value(raw, **facts) == expected


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("fact_is", "c"),
        ({"predicate": "exec", "args": {}}, "c.predicate"),
        ({"predicate": "fact_is", "args": ["x"]}, "c.args"),
        ({"predicate": "fact_is", "args": {"fact": "ciio"}}, "c.args.value"),
        ({"predicate": "fact_is", "args": {"fact": "ciio", "value": 3}}, "c.args.value"),
        ({"predicate": "fact_is", "args": {"fact": "ciio", "value": True, "x": 1}}, "c.args.x"),
        ({"predicate": "fact_at_least", "args": {"fact": "ciio", "value": "many"}}, "c.args.value"),
        (
            {"predicate": "fact_in", "args": {"fact": "transfer_purpose", "values": "x"}},
            "c.args.values",
        ),
        ({"predicate": "data_includes", "args": {"categories": ["secret"]}}, "c.args.categories"),
        ({"predicate": "provider_economy_in", "args": {"economies": [1]}}, "c.args.economies"),
        ({"predicate": "any_of", "args": {"conditions": []}}, "c.args.conditions"),
        (
            {"predicate": "any_of", "args": {"conditions": [{"predicate": "nope"}]}},
            "c.args.conditions[0].predicate",
        ),
    ],
)
def test_malformed_conditions_name_their_field(raw: object, field: str) -> None:
    with pytest.raises(ConditionError) as err:
        parse_condition(raw, FACTS, "c")
    assert err.value.field == field


def test_registry_is_described() -> None:
    names = [row["predicate"] for row in describe()]
    assert names == [
        "fact_is",
        "fact_is_not",
        "fact_at_least",
        "fact_below",
        "fact_in",
        "fact_not_in",
        "data_includes",
        "provider_economy_in",
        "provider_economy_not_in",
        "any_of",
        "all_of",
        "none_of",
    ]
