"""The top-30 KPI names its ranking, or says it is not available."""

from __future__ import annotations

from servtrade.market.kpis import Ranking, RankingWanted, top_present
from servtrade.market.services import ranking


def test_top_economies_present_names_dataset_and_year() -> None:
    found = top_present(
        ["CHN", "DEU", "KEN"],
        Ranking("wdi", 2023, ("USA", "GBR", "DEU", "CHN")),
        RankingWanted("wdi", 2023, top=3),
    )
    assert found.model_dump() == {
        "available": True,
        "dataset": "wdi",
        "year": 2023,
        "of": 3,
        "present": 1,
        "economies_present": ["DEU"],
        "note": "top 3 by services trade in wdi, 2023",
    }


def test_ranking_not_loaded_says_which_dataset_to_load(settings) -> None:  # type: ignore[no-untyped-def]
    found, wanted = ranking(settings, "wdi", 2023)
    assert found is None
    assert wanted.missing.startswith("not available: ")
    assert "wdi" in wanted.missing
    assert ranking(None, "batis", None)[1].missing == (
        "not available: load dataset batis (servtrade stats ingest ...); give --year"
    )


def test_top_economies_from_the_observatory(factory, settings, tmp_path, base_fair) -> None:  # type: ignore[no-untyped-def]
    from servtrade.market import services
    from servtrade.stats.ingest import ingest_file
    from servtrade.stats.store import open_store

    exports = tmp_path / "services_exports.csv"
    exports.write_text(
        "Country Name,Country Code,Year,Value\nUnited States,USA,2023,1000\n"
        "China,CHN,2023,400\nGermany,DEU,2023,450\nWorld,WLD,2023,7000\n",
        encoding="utf-8",
    )
    ingest_file(open_store(settings), exports, dataset="wdi", series="BX.GSR.NFSV.CD")
    top = services.kpis(factory, base_fair, settings, "wdi", 2023).top_economies
    assert (top.available, top.dataset, top.year, top.of) == (True, "wdi", 2023, 3)
    assert top.present == len(top.economies_present) and "CHN" in top.economies_present
    assert top.note == "top 3 by services trade in wdi, 2023"
    other_year = services.kpis(factory, base_fair, settings, "wdi", 2019).top_economies
    assert other_year.note == (
        "not available: dataset wdi holds no total services exports (EBOPS S) for 2019; "
        "load them (e.g. WDI BX.GSR.NFSV.CD)"
    )
