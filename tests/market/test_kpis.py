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
