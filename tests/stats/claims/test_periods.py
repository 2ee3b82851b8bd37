from __future__ import annotations

from datetime import date

import pytest

from servtrade.stats.claims.dates import dateline, find_dateline, make_document
from servtrade.stats.claims.periods import Period, find_periods

SEPT_30 = date(2025, 9, 30)


@pytest.mark.parametrize(
    ("text", "keys", "label"),
    [
        ("From January to August", ("2025-01..2025-08",), "January–August 2025"),
        ("in the first half of this year", ("2025H1", "2025-01..2025-06"), "January–June 2025"),
        ("the first three quarters", ("2024-01..2024-09",), "January–September 2024"),
        ("from 2014 to 2024", ("2014..2024",), "2014 to 2024"),
        ("since 2012", ("2012..2024",), "2012 to 2024"),
        ("in 2024", ("2024",), "2024"),
        ("last year", ("2024",), "2024"),
        ("Jan-Aug 2025", ("2025-01..2025-08",), "January–August 2025"),
        ("the first eight months of 2024", ("2024-01..2024-08",), "January–August 2024"),
        ("H1 2025", ("2025H1", "2025-01..2025-06"), "January–June 2025"),
        ("Q1 2025", ("2025Q1", "2025-01..2025-03"), "January–March 2025"),
        ("in August", ("2025-08",), "August 2025"),
        ("2025年1-8月", ("2025-01..2025-08",), "January–August 2025"),
        ("上半年", ("2025H1", "2025-01..2025-06"), "January–June 2025"),
        ("前三季度", ("2024-01..2024-09",), "January–September 2024"),
        ("2014-2024", ("2014..2024",), "2014 to 2024"),
    ],
)
def test_periods_resolve_against_the_document_date(
    text: str, keys: tuple[str, ...], label: str
) -> None:
    (found,) = find_periods(text, SEPT_30)
    assert (found.period.keys(), found.period.label) == (keys, label)


def test_unnamed_year_months_before_the_date_belong_to_the_last_year() -> None:
    (found,) = find_periods("from January to October", SEPT_30)
    assert found.period == Period((2024, 1), (2024, 10))


def test_relative_periods_need_a_date() -> None:
    assert find_periods("from January to August, since 2012, this year", None) == []


def test_since_notes_its_end() -> None:
    (found,) = find_periods("since 2012", SEPT_30)
    assert found.note == "end: the last full year before the document date"


def test_period_helpers() -> None:
    h1 = Period((2025, 1), (2025, 6))
    assert (
        h1.shifted(-1).key,
        h1.is_year,
        Period.year(2024).is_year,
        Period.years(2014, 2024).length,
    ) == ("2024H1", False, True, 10)
    assert Period((2025, 7), (2025, 12)).keys() == ("2025H2", "2025-07..2025-12")
    assert h1.to_dict() == {
        "key": "2025H1",
        "label": "January–June 2025",
        "first": "2025-01",
        "last": "2025-06",
    }


@pytest.mark.parametrize(
    "text",
    [
        "BEIJING, Sept. 30, 2025 (Xinhua) -- x",
        "2025-09-30 | release",
        "Published 30 September 2025",
        "商务部 2025年9月30日 发布",
    ],
)
def test_datelines(text: str) -> None:
    assert dateline(text) == SEPT_30


def test_no_dateline_and_invalid_dates() -> None:
    assert (dateline("no date 2024"), dateline("February 30, 2025"), find_dateline("")) == (
        None,
        None,
        None,
    )


def test_make_document_prefers_the_given_date() -> None:
    assert make_document("a", "2025-09-30 text", date(2024, 1, 2)).date == date(2024, 1, 2)
    assert make_document("a", "2025-09-30 text").date_source == "dateline"
    assert make_document("a", "text").date is None
