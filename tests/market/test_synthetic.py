"""The synthetic fair: deterministic, at the requested scale, labelled synthetic."""

from __future__ import annotations

import pytest

from servtrade.errors import ValidationError
from servtrade.market.synthetic import generate, tag_of


def test_same_seed_same_fair_and_another_seed_another() -> None:
    first, again, other = generate(50, 10, 4), generate(50, 10, 4), generate(50, 10, 5)
    assert first == again
    assert first.offers != other.offers


def test_scale_economies_and_labels() -> None:
    fair = generate(300, 30, 2)
    exhibitors = [p for p in fair.participants if "exhibitor" in p["roles"]]
    orgs = {o["external_id"]: o for o in fair.organisations}
    economies = {orgs[p["organisation"]]["economy"] for p in exhibitors} - {None}
    kinds = [orgs[p["organisation"]]["kind"] for p in exhibitors]
    assert (len(exhibitors), len(economies)) == (300, 30)
    assert kinds.count("international_organisation") == 3
    assert len(fair.organisations) == 300 * 5
    assert fair.fair["synthetic"] is True and fair.fair["name"].startswith("Synthetic")
    assert all(o["name"].startswith("Synthetic") for o in fair.organisations)
    assert all(o["external_id"].startswith(tag_of(300, 30, 2)) for o in fair.organisations)
    assert all(x["organisation"] in orgs for x in fair.booths + fair.launches + fair.listings)


def test_meetings_never_double_book_a_person_or_a_table() -> None:
    fair = generate(100, 10, 9)
    people, tables = set(), set()
    for meeting in fair.meetings:
        assert (meeting["slot"], meeting["table"]) not in tables
        tables.add((meeting["slot"], meeting["table"]))
        for person, _ in meeting["attendees"]:
            assert (meeting["slot"], person) not in people
            people.add((meeting["slot"], person))
    accepted = sum(1 for r in fair.requests if r["status"] == "accepted")
    assert 0 < len(fair.meetings) <= accepted


def test_impossible_sizes_are_refused_with_what_to_do() -> None:
    with pytest.raises(ValidationError) as err:
        generate(10, 0, 1)
    assert [e.field for e in err.value.errors] == ["economies"]
    with pytest.raises(ValidationError) as err:
        generate(10_000, 1_000, 1)
    assert [e.field for e in err.value.errors] == ["economies"]
