"""The evaluator: acceptance cases, outcome rules, index versus linear scan, context."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from servtrade.errors import ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.loader import default_rulebook
from servtrade.rules.model import Outcome
from servtrade.rules.verdict import ContextNote

AUCTION = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "service": "gbt4754:F5182",
    "mode": 4,
}


def test_acceptance_auctioneer_after_entry_into_force_is_prohibited_citing_item_5() -> None:
    verdict = evaluate(make_case(**AUCTION, on="2024-05-01"))
    assert verdict.outcome is Outcome.prohibited
    assert verdict.measure_ids == ("CN-NAT-2024-005",)
    cited = verdict.applied[0].measure
    assert (cited.list_id, cited.item, cited.reference.url) == (
        "CN-NAT-2024",
        "5",
        "https://www.bjnews.com.cn/detail/1712727264129214.html",
    )
    assert [c.list_id for c in verdict.lists] == ["CN-NAT-2024", None]


def test_acceptance_auctioneer_before_entry_into_force_says_what_applied_instead() -> None:
    verdict = evaluate(make_case(**AUCTION, on="2024-04-01"))
    assert verdict.outcome is Outcome.not_covered
    assert verdict.measure_ids == ()
    negative = verdict.lists[0]
    assert negative.list_id is None
    assert negative.passed_over == (
        "CN-NAT-2024 (Special Administrative Measures for Cross-Border Trade in Services (Negative "
        "List) (2024 Edition)) was not yet in force on 2024-04-01: it enters into force on 2024-04-21.",  # noqa: E501
        "In force elsewhere on that date: CN-HN-2021 (only in the Hainan Free Trade Port).",
    )
    assert "sector laws, regulations and China's GATS schedule" in verdict.reasons[0]


@pytest.mark.parametrize("service", ["gbt4754:F5182", "cpc:932", "ebops:SI", "w120:11.H.d"])
@pytest.mark.parametrize("zone", [None, "ftz", "hainan"])
def test_any_mode_3_case_is_out_of_scope_naming_the_foreign_investment_list(
    service: str, zone: str | None
) -> None:
    verdict = evaluate(
        make_case(**{**AUCTION, "service": service, "mode": 3}, zone=zone, on="2024-05-01")
    )
    assert verdict.outcome is Outcome.out_of_scope
    assert verdict.referral is not None
    assert (
        verdict.referral.instrument_en
        == "Special Administrative Measures for Foreign Investment Access (Negative List)"
    )
    assert verdict.reasons[0] == (
        "Mode 3 is outside the cross-border services lists: it is governed by the Special "
        "Administrative Measures for Foreign Investment Access (Negative List) (外商投资准入特别管理措施（负面清单）)."  # noqa: E501
    )


def test_partial_coverage_never_yields_allowed() -> None:
    book = default_rulebook()
    for service in ("w120:1.A.a", "ebops:SI", "cpc:861", "gbt4754:I65"):
        verdict = evaluate(make_case(**{**AUCTION, "service": service}, on="2024-05-01"), book=book)
        assert verdict.outcome is Outcome.not_covered
        assert verdict.reasons == ("CN-NAT-2024: 5 of 71 measures encoded; none of them applies.",)


def test_a_fully_encoded_list_where_nothing_applies_gives_allowed() -> None:
    book = default_rulebook()
    full = replace(book.lists["CN-NAT-2024"], measures_in_text=5)
    complete = Rulebook(
        book.regimes, {**book.lists, "CN-NAT-2024": full}, book.measures.values(), book.dpa
    )
    verdict = evaluate(
        make_case(**{**AUCTION, "service": "w120:1.A.a"}, on="2024-05-01"), book=complete
    )
    assert verdict.outcome is Outcome.allowed
    assert verdict.reasons == (
        "CN-NAT-2024: 5 of 5 measures encoded (fully encoded); none of them applies.",
    )


def test_measure_dates_limit_a_measure_inside_its_list() -> None:
    case = make_case(
        provider_economy="USA",
        provider_type="entity_abroad",
        buyer_economy="CHN",
        service="ebops:SI",
        mode=1,
        data=["personal"],
        facts={"ciio": False},
    )
    before = evaluate(case, date(2024, 3, 21))
    after = evaluate(case, date(2024, 3, 22))
    assert "CN-PIPL-2021-38" in before.measure_ids
    assert "CN-PIPL-2021-38" not in after.measure_ids
    gone = next(r for r in after.measures if r.measure.id == "CN-PIPL-2021-38")
    assert (gone.applies, gone.predicates[0].reason) == (False, "not in force on 2024-03-22")


def test_a_case_without_date_is_rejected() -> None:
    with pytest.raises(ValidationError) as err:
        evaluate(make_case(**AUCTION))
    assert err.value.errors[0].field == "on"


def test_index_and_linear_scan_agree_on_every_scenario_service() -> None:
    book = default_rulebook()
    services = [
        "gbt4754:F5182",
        "gbt4754:F",
        "gbt4754:L72",
        "w120:4.A",
        "w120:1",
        "w120:1.E.c",
        "cpc:93",
        "cpc:8676",
        "ebops:SJ",
        "ebops:S",
        "ebops:SC",
        "w120:12",
        "gbt4754:A04",
    ]
    for service in services:
        for mode in (1, 2, 4):
            for provider_type in ("individual", "entity_abroad"):
                case = make_case(
                    **{**AUCTION, "service": service, "mode": mode, "provider_type": provider_type},
                    on="2024-05-01",
                    data=["personal", "important"],
                )
                fast, slow = evaluate(case, book=book), evaluate(case, book=book, linear=True)
                assert (fast.outcome, fast.measure_ids) == (slow.outcome, slow.measure_ids), service
                assert [(r.measure.id, r.match) for r in fast.measures] == [
                    (r.measure.id, r.match) for r in slow.measures
                ]


def test_context_can_be_a_mapping_or_a_callable() -> None:
    note = ContextNote("STRI test", 0.25, 2024, "test source")
    case = make_case(**AUCTION, on="2024-05-01")
    assert evaluate(case, context={"CHN": [note]}).context == (note,)
    assert evaluate(case, context=lambda c, s, d: [replace(note, year=d.year)]).context == (note,)
    assert evaluate(case, context={"USA": [note]}).context == ()


def test_buyer_without_regime_is_not_covered() -> None:
    verdict = evaluate(
        make_case(**{**AUCTION, "buyer_economy": "DEU", "provider_economy": "CHN"}, on="2024-05-01")
    )
    assert (verdict.outcome, verdict.reasons) == (
        Outcome.not_covered,
        ("No rules are encoded for buyer economy DEU (encoded: CHN).",),
    )


def test_hainan_notes_items_reported_absent() -> None:
    verdict = evaluate(make_case(**AUCTION, zone="hainan", on="2024-05-01"))
    assert verdict.notes == (
        "CN-NAT-2024 item 5 (CN-NAT-2024-005: Foreign (overseas) individuals may not apply to sit the "  # noqa: E501
        "auctioneer professional qualification examination.) is reported not to be in CN-HN-2021 "
        "[https://www.bjnews.com.cn/detail/1712727264129214.html].",
    )


def test_forgetting_answers_found_on_demand_changes_no_verdict() -> None:
    # gbt4754:F5182 (a GB/T class) is deeper than the classifications list: looked up on demand.
    book = Rulebook(*_parts(default_rulebook()))
    case = make_case(**AUCTION, on="2024-05-01", data=["personal"], facts={"ciio": True})
    warm = evaluate(case, book=book)
    book.forget()
    cold = evaluate(case, book=book)
    assert cold == warm
    assert (cold.outcome, cold.measure_ids) == (
        Outcome.prohibited,
        ("CN-NAT-2024-005", "CN-CBDF-2024-7-1", "CN-PIPL-2021-39", "CN-PIPL-2021-40"),
    )


def _parts(book: Rulebook) -> tuple[object, ...]:
    return (book.regimes, book.lists, book.measures.values(), book.dpa)


def test_a_verdict_is_a_value_explained_on_first_read() -> None:
    case = make_case(**AUCTION, on="2024-05-01")
    first, second = evaluate(case), evaluate(case)
    assert first.measure_ids == ("CN-NAT-2024-005",)  # decided without the explanation
    assert first == second
    assert hash(first) == hash(second)
    assert first != evaluate(case, date(2024, 4, 1))
    assert first != "prohibited"
    assert repr(first) == (
        f"Verdict('prohibited', 2024-05-01, ('CN-NAT-2024-005',), {first.reasons!r})"
    )
    note = ContextNote("STRI test", 0.25, 2024, "test source")
    noted = first.with_context((note,))
    assert (noted.context, noted.measures, first.context) == ((note,), first.measures, ())
