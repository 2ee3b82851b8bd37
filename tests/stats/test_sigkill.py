"""A SIGKILL during an ingest (a separate process killed while it writes aside) leaves the
previous vintage intact and queryable, and the leftovers are removed when a store next opens."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from servtrade.stats.indicators import value
from servtrade.stats.ingest import ingest_file
from servtrade.stats.results import Query
from servtrade.stats.store import Store

HEADER = ["Reporter", "type_Reporter", "Partner", "type_Partner", "Flow", "Item_code"]
HEADER += ["type_Item", "Year", "Reported_value", "Estimated_value", "Balanced_value"]
REPORTERS = ["CHN", "USA", "DEU", "FRA", "JPN", "IND", "GBR", "KOR", "BRA", "ITA"]
ITEMS = ["S", "SC", "SD", "SH", "SI", "SJ"]
CHILD = """
import sys
from pathlib import Path
from servtrade.stats.ingest import ingest_file
from servtrade.stats.store import Store
ingest_file(Store(Path(sys.argv[1])), Path(sys.argv[2]), vintage="v2")
"""


def big_batis(path: Path, years: int) -> Path:
    """Made-up BaTIS rows: 10 x 10 economies x 6 items x 2 flows per year."""
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for year in range(2000, 2000 + years):
            for n, (reporter, partner) in enumerate(
                (r, p) for r in REPORTERS for p in REPORTERS if r != p
            ):
                for item in ITEMS:
                    for flow in ("X", "M"):
                        out.writerow([reporter, "c", partner, "c", flow, item, "i", year, n, n, n])
    return path


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in (root / ".staging").iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("extra_wait", [0.0, 0.4, 1.2])
def test_sigkill_mid_ingest_keeps_previous_vintage(
    store: Store, fixtures: Path, tmp_path: Path, extra_wait: float
) -> None:
    first = ingest_file(store, fixtures / "batis_structure.csv", vintage="v1")
    before = value(store, Query("CHN", period="2023"))
    path = big_batis(tmp_path / "big.csv", years=120)  # about 130,000 rows
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store.root), str(path)], env=env)
    staging = store.root / ".staging"
    for _ in range(6000):  # until the child writes aside (or finishes first)
        if (
            any(p.name.startswith("batis.v2-") for p in staging.iterdir())
            or child.poll() is not None
        ):
            break
        time.sleep(0.01)
    time.sleep(extra_wait)
    child.send_signal(signal.SIGKILL)
    child.wait()
    killed = child.returncode == -signal.SIGKILL
    stale = leftovers(store.root)
    reopened = Store(store.root)  # the next start: leftovers of the dead process go
    assert leftovers(store.root) == []
    published = [v.vintage for v in reopened.vintages("batis")]
    if killed and published == ["v1"]:
        assert any(name.startswith("batis.v2-") for name in stale)  # it was writing aside
        assert value(reopened, Query("CHN", period="2023")) == before
        assert reopened.get_vintage("batis").rows_stored == first.rows_stored
    else:  # the child renamed its vintage into place before the signal: all of it, or none
        assert published == ["v1", "v2"]
        assert reopened.get_vintage("batis", "v2").rows_stored == 120 * 90 * 12
    kept = reopened.data_file("batis", "v1")  # its files per year, whole
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{kept}')").fetchall() == [
        (first.rows_stored,)
    ]
