from __future__ import annotations

import pytest

from servtrade.stats.claims.intervals import Interval
from servtrade.stats.claims.numbers import Qualifier, find_quantities, home_economy


def _one(text: str) -> tuple[str, float, str, str | None, float]:
    (q,) = find_quantities(text)
    return q.text, q.value, q.unit, q.currency, q.step * q.scale


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4.58 trillion yuan", ("4.58 trillion yuan", 4.58e12, "money", "CNY", 0.01e12)),
        ("US$219.1bn", ("US$219.1bn", 219.1e9, "money", "USD", 0.1e9)),
        ("$445.9 bn", ("$445.9 bn", 445.9e9, "money", "USD", 0.1e9)),
        ("RMB 2,300.44 billion", ("RMB 2,300.44 billion", 2300.44e9, "money", "CNY", 0.01e9)),
        ("228.07 billion yuan", ("228.07 billion yuan", 228.07e9, "money", "CNY", 0.01e9)),
        ("8.2 percent", ("8.2 percent", 8.2, "percent", None, 0.1)),
        ("14.7%", ("14.7%", 14.7, "percent", None, 0.1)),
        ("0.5 percentage point", ("0.5 percentage point", 0.5, "points", None, 0.1)),
        ("38872.6亿元", ("38872.6亿元", 3887.26e9, "money", "CNY", 1e7)),
        ("4.58万亿元", ("4.58万亿元", 4.58e12, "money", "CNY", 0.01e12)),
        ("2.3 trillion", ("2.3 trillion", 2.3e12, "number", None, 0.1e12)),
        ("growth of -1.1%", ("-1.1%", -1.1, "percent", None, 0.1)),
    ],
)
def test_quantities_keep_unit_currency_and_precision(
    text: str, expected: tuple[object, ...]
) -> None:
    got = _one(text)
    assert got[:4] == expected[:4]
    assert got[4] == pytest.approx(expected[4])


def test_years_dates_and_names_are_not_quantities() -> None:
    found = find_quantities("In 2024, the G20 met; the 18th congress; 2014-15 was busy.")
    assert [(q.text, q.value) for q in found] == [("15", 15.0)]


def test_qualifiers_widen_the_interval() -> None:
    (more, nearly, about) = find_quantities("more than half of it, nearly 2,000 firms, about 5%")
    assert (more.text, more.qualifier, more.interval()) == (
        "more than half",
        Qualifier("more than", "lower", 0.2),
        Interval(50.0, 60.0),
    )
    assert nearly.interval() == Interval(2000 - 0.5 - 200, 2000.5)
    assert about.interval() == Interval(pytest.approx(4.25), pytest.approx(5.75))


def test_half_of_the_year_is_not_a_share() -> None:
    assert find_quantities("in the first half of this year and the second quarter of it") == []
    assert [q.value for q in find_quantities("half of exports; a third of imports")] == [
        50.0,
        pytest.approx(100 / 3),
    ]


def test_chinese_qualifier_keeps_a_year_like_count() -> None:
    (q,) = find_quantities("近2000家企业")
    assert (q.text, q.value, q.qualifier.text if q.qualifier else None) == ("近2000", 2000.0, "近")


def test_home_economy_of_a_currency() -> None:
    assert (home_economy("CNY"), home_economy("EUR"), home_economy("XXX")) == ("CHN", None, None)


def test_quantity_dict_shows_value_and_interval() -> None:
    (q,) = find_quantities("$640 billion")
    assert q.to_dict() == {
        "text": "$640 billion",
        "value": 640e9,
        "unit": "money",
        "currency": "USD",
        "scale": "billion",
        "precision": 1e9,
        "interval": [639.5e9, 640.5e9],
        "qualifier": None,
        "currency_inferred": False,
    }
