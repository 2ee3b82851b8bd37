"""The shipped tables are exactly what the committed build scripts make from ../shared."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from servtrade.vocab.datafile import classification_path

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shipped(name: str) -> list[dict[str, str]]:
    with classification_path(name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.shared
def test_ebops_table_is_reproducible(shared_dir: Path) -> None:
    assert _script("build_ebops").build(shared_dir) == _shipped("ebops2010.csv")


@pytest.mark.shared
def test_wb_groups_table_is_reproducible(shared_dir: Path) -> None:
    assert _script("build_wb_groups").build(shared_dir) == _shipped("wb_groups.csv")


@pytest.mark.shared
def test_every_comtrade_code_but_one_has_a_letter_code(shared_dir: Path) -> None:
    with (shared_dir / "data/ebops-comtrade/cmd_eb10.derived.csv").open(encoding="utf-8") as fh:
        comtrade = {row["id"] for row in csv.DictReader(fh)}
    shipped = {row["comtrade_code"] for row in _shipped("ebops2010.csv")}
    # 3a.31 (postal and courier within "other" transport by type) has no SDMX letter code
    assert comtrade - shipped == {"3a.31"}
    assert shipped <= comtrade


def test_clean_labels() -> None:
    clean = _script("build_ebops").clean
    assert clean("10.1.1.2.1 Patents") == ("Patents", False)
    assert clean("C.1.1  Of which: C.1.1 Licences to use audio-visual products") == (
        "Licences to use audio-visual products",
        True,
    )
    assert clean("\tPatents\t\t\t") == ("Patents", False)
    assert clean("4.1.1 by border, seasonal, and other shortterm workers")[0].endswith(
        "short-term workers"
    )
