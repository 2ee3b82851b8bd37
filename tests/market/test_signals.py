"""Market attractiveness from the observatory: size and growth of imports, as matching values."""

from __future__ import annotations

from pathlib import Path

from servtrade.config import Settings
from servtrade.market.signals import market_lookup
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import open_store


def _imports(settings: Settings, tmp_path: Path) -> None:
    rows = [
        "Country Name,Country Code,Year,Value",
        "China,CHN,2018,100",
        "China,CHN,2023,200",
        "Germany,DEU,2018,300",
        "Germany,DEU,2023,330",
        "Kenya,KEN,2018,10",
        "Kenya,KEN,2023,40",
    ]
    path = tmp_path / "services_imports.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ingest_file(open_store(settings), path, dataset="wdi", series="BM.GSR.NFSV.CD")


def test_size_and_growth_percentiles_with_their_source(settings: Settings, tmp_path: Path) -> None:
    _imports(settings, tmp_path)
    lookup = market_lookup(settings, ["CHN", "DEU", "KEN"], ["SI2", "SC3"], 2023)
    assert lookup is not None
    china = lookup("CHN", "SI2")
    assert china is not None
    # size: CHN 2nd of 3 (2/3); growth: CHN +14.9%/yr is 2nd of 3 (KEN +32%, DEU +1.9%)
    assert china.value == round(0.5 * 2 / 3 + 0.5 * 2 / 3, 6)
    assert china.evidence.startswith(
        "CHN imports of S in 2023: 200 USD (size percentile 0.67), +14.9%/yr (wdi, vintage "
    )
    kenya, germany = lookup("KEN", "SC3"), lookup("DEU", "SC3")
    assert kenya is not None and germany is not None
    assert (kenya.value, germany.value) == (round(0.5 / 3 + 0.5, 6), round(0.5 + 0.5 / 3, 6))
    assert lookup("USA", "SI2") is None


def test_nothing_loaded_gives_no_lookup(settings: Settings) -> None:
    assert market_lookup(settings, ["CHN"], ["SI2"], 2024) is None
    assert market_lookup(None, ["CHN"], ["SI2"], 2024) is None
    assert market_lookup(settings, [], ["SI2"], 2024) is None
