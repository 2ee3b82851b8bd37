"""Use cases on SQLite and PostgreSQL: generation, KPIs, directory, search, recommendations."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from servtrade.errors import NotFoundError, ValidationError
from servtrade.market import match_inputs, services
from servtrade.market.queries import ExhibitorFilter, ListingFilter

Factory = sessionmaker[Session]


def test_generated_fair_reports_its_size_and_is_synthetic(factory: Factory) -> None:
    fair = services.generate_fair(factory, 30, 6, 11)
    k = services.kpis(factory, fair.id)
    assert (fair.synthetic, k.synthetic) == (True, True)
    assert (k.exhibitors, k.economies, k.international_organisations) == (30, 6, 0)
    assert k.registered_organisations == 30 * 5
    assert (k.buyers, k.computed_from) == (120, f"market database, fair {fair.id} (synthetic data)")
    assert k.top_economies.model_dump() == {
        "available": False,
        "dataset": "wdi",
        "year": None,
        "of": 30,
        "present": None,
        "economies_present": [],
        "note": "not available: load dataset wdi (servtrade stats ingest ...); give --year",
    }
    assert k.meetings_accepted >= k.meetings_held > 0
    assert k.deal_value.keys() == {"USD"}


def test_generating_again_replaces_the_same_fair(factory: Factory) -> None:
    before = len(services.list_fairs(factory))
    services.generate_fair(factory, 20, 5, 12)
    services.generate_fair(factory, 20, 5, 12)
    assert len(services.list_fairs(factory)) == before + 1


def test_too_few_exhibitors_for_the_economies_is_refused(factory: Factory) -> None:
    with pytest.raises(ValidationError) as err:
        services.generate_fair(factory, 5, 8, 1)
    assert err.value.errors[0].field == "exhibitors"
    assert err.value.errors[0].hint == "use --exhibitors 8 or more, or fewer --economies"


def test_demo_fair_is_small_and_synthetic(factory: Factory) -> None:
    fair = services.load_demo(factory)
    k = services.kpis(factory, fair.id)
    assert (k.exhibitors, k.economies, k.synthetic) == (60, 12, True)
    assert services.get_fair(factory, None).id == fair.id


def test_unknown_fair_and_participant_are_not_found(factory: Factory) -> None:
    with pytest.raises(NotFoundError, match="no fair with id 999999"):
        services.kpis(factory, 999_999)
    with pytest.raises(NotFoundError, match="no participant with id 999999"):
        services.recommend(factory, 999_999)


def test_exhibitor_directory_filters_and_pages(factory: Factory, base_fair: int) -> None:
    page = services.exhibitors(factory, base_fair, ExhibitorFilter(), limit=10, offset=0)
    assert (page.total, len(page.items), page.limit, page.offset) == (40, 10, 10, 0)
    everyone = services.exhibitors(factory, base_fair, ExhibitorFilter(), limit=500, offset=0)
    zone = everyone.items[0].zone
    assert zone is not None
    in_zone = services.exhibitors(factory, base_fair, ExhibitorFilter(zone=zone), 500, 0)
    assert {e.zone for e in in_zone.items} == {zone}
    assert in_zone.total == sum(1 for e in everyone.items if e.zone == zone)
    code = everyone.items[0].services[0][:2]
    offering = services.exhibitors(factory, base_fair, ExhibitorFilter(service=code), 500, 0)
    assert all(any(s.startswith(code) for s in e.services) for e in offering.items)
    economy = everyone.items[0].economy
    assert economy is not None
    local = services.exhibitors(factory, base_fair, ExhibitorFilter(economy=economy), 500, 0)
    assert {e.economy for e in local.items} == {economy}


def test_lists_use_a_fixed_number_of_statements(
    factory: Factory, base_fair: int, statements: Any
) -> None:
    def count(call: Any) -> int:
        with statements.counting() as counter:
            call()
        return int(counter.count)

    exhibitors = [
        count(lambda n=n: services.exhibitors(factory, base_fair, ExhibitorFilter(), n, 0))
        for n in (2, 40)
    ]
    people = [
        count(lambda n=n: services.participants(factory, base_fair, None, n, 0)) for n in (2, 100)
    ]
    offers = [count(lambda n=n: services.listings(factory, ListingFilter(), n, 0)) for n in (1, 50)]
    # fair + count + page + one batch query, plus the SAVEPOINT and its release that the
    # test's outer transaction adds; nothing grows with the number of rows
    assert (exhibitors, people, offers) == ([6, 6], [6, 6], [4, 4])


def test_participants_by_role(factory: Factory, base_fair: int) -> None:
    buyers = services.participants(factory, base_fair, "buyer", limit=500, offset=0)
    assert buyers.total == 160
    assert {tuple(p.roles) for p in buyers.items} == {("buyer",)}


def test_marketplace_search_by_words_and_category(factory: Factory, base_fair: int) -> None:
    every = services.listings(factory, ListingFilter(), limit=500, offset=0)
    assert every.total > 0
    first = every.items[0]
    word = first.title.split(":")[-1].strip().split()[0]
    found = services.listings(factory, ListingFilter(text=word, category=first.category), 500, 0)
    assert first.id in {x.id for x in found.items}
    assert all(x.category == first.category for x in found.items)
    assert all(word.lower() in (x.title + x.description).lower() for x in found.items)


def test_page_arguments_are_clamped(factory: Factory, base_fair: int) -> None:
    page = services.participants(factory, base_fair, None, limit=10_000, offset=-5)
    assert (page.limit, page.offset) == (services.MAX_PAGE, 0)


def test_recommendations_explain_themselves(factory: Factory, base_fair: int) -> None:
    buyer = services.participants(factory, base_fair, "buyer", limit=1, offset=0).items[0]
    result = services.recommend(factory, buyer.id)
    assert (result.fair_id, result.synthetic, len(result.recommendations)) == (base_fair, True, 10)
    assert abs(sum(result.weights.values()) - 1.0) < 1e-9
    for rec in result.recommendations:
        assert rec.role == "exhibitor"
        assert abs(sum(f.contribution for f in rec.factors) - rec.score) < 1e-6
        assert [f.name for f in rec.factors] == list(result.weights)
        assert rec.verdict in {"allowed", "conditional", "not_covered", "out_of_scope"}
    scores = [r.score for r in result.recommendations]
    assert scores == sorted(scores, reverse=True)
    again = services.recommend(factory, buyer.id)
    assert again == result


def test_rules_engine_feasibility_cites_the_measure() -> None:
    from datetime import date

    feasibility = match_inputs.rules_feasibility(date(2025, 9, 10))
    verdict = feasibility("USA", "CHN", "w120:1.A.i", 4)
    assert verdict.outcome == "prohibited"
    assert verdict.citations[0].startswith("CN-NAT-2024-060: ")
    assert feasibility(None, "CHN", "ebops:SI2", 1).outcome == "not_covered"
    assert feasibility("USA", "CHN", "ebops:NOPE", 1).outcome == "not_covered"


def _vet_fair(factory: Factory, fair_id: int, tmp_path: Any) -> tuple[int, int]:
    """A US veterinary exhibitor (mode 4 only) and a Chinese buyer who needs one."""
    import csv

    def write(name: str, header: list[str], rows: list[list[str]]) -> Any:
        path = tmp_path / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
        return path

    orgs = [["vet-us", "US Vets", "USA", "small"], ["farm-cn", "CN Farm", "CHN", "small"]]
    services.import_file(
        factory,
        "organisations",
        write("o.csv", ["external_id", "name", "economy", "size"], orgs),
        None,
    )
    people = [["p-vet", "Dr Vet", "vet-us", "exhibitor"], ["p-farm", "Farmer", "farm-cn", "buyer"]]
    header = ["external_id", "person_name", "organisation", "roles"]
    services.import_file(factory, "participants", write("p.csv", header, people), fair_id)
    header = ["external_id", "participant", "ebops", "w120", "modes", "size", "description"]
    offer = [
        ["o-vet", "p-vet", "SJ322", "1.A.i", "4", "small", "veterinary services for livestock"]
    ]
    services.import_file(factory, "offers", write("of.csv", header, offer), fair_id)
    need = [["n-vet", "p-farm", "SJ322", "", "4", "small", "veterinary services for livestock"]]
    services.import_file(factory, "needs", write("ne.csv", header, need), fair_id)
    found = services.participants(factory, fair_id, None, 500, 0).items
    ids = {p.external_id: p.id for p in found}
    return ids["p-vet"], ids["p-farm"]


def test_a_pair_prohibited_by_an_encoded_measure_is_left_out_or_flagged(
    factory: Factory, base_fair: int, tmp_path: Any
) -> None:
    vet, farm = _vet_fair(factory, base_fair, tmp_path)
    excluded = services.recommend(factory, farm, k=200)
    assert vet not in {r.participant_id for r in excluded.recommendations}
    flagged = services.recommend(factory, farm, k=200, exclude_prohibited=False)
    shown = next(r for r in flagged.recommendations if r.participant_id == vet)
    assert (shown.flagged, shown.verdict) == (True, "prohibited")
    assert shown.citations[0].startswith("CN-NAT-2024-060: ")
    rules = next(f for f in shown.factors if f.name == "rules")
    assert (rules.value, rules.evidence.startswith("FLAGGED prohibited: mode 4: prohibited")) == (
        0.0,
        True,
    )
    assert all(not r.flagged or r.verdict for r in flagged.recommendations)


def test_observatory_imports_feed_the_attractiveness_factor(
    factory: Factory, base_fair: int, settings: Any, tmp_path: Any
) -> None:
    from servtrade.stats.ingest import ingest_file
    from servtrade.stats.store import open_store

    path = tmp_path / "imports.csv"
    path.write_text(
        "Country Name,Country Code,Year,Value\nChina,CHN,2019,100\nChina,CHN,2024,150\n"
        "Germany,DEU,2019,80\nGermany,DEU,2024,90\n",
        encoding="utf-8",
    )
    ingest_file(open_store(settings), path, dataset="wdi", series="BM.GSR.NFSV.CD")
    buyers = services.participants(factory, base_fair, "buyer", limit=500, offset=0).items
    chinese = next(b for b in buyers if b.economy == "CHN")
    result = services.recommend(factory, chinese.id, settings=settings)
    assert result.weights["attractiveness"] > 0 and not result.notes
    factor = next(f for f in result.recommendations[0].factors if f.name == "attractiveness")
    assert factor.evidence.startswith("CHN imports of S in 2024: 150 USD")
    assert factor.value == 1.0
