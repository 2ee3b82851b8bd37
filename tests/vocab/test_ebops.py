"""EBOPS 2010 tree: golden values, tree invariants and the no-double-counting breakdowns."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servtrade.errors import UnknownCodeError
from servtrade.vocab.ebops import (
    Aggregate,
    EbopsItem,
    aggregates,
    ebops_tree,
    resolve_aggregate,
    resolve_ebops,
)

MAIN = ["SA", "SB", "SC", "SD", "SE", "SF", "SG", "SH", "SI", "SJ", "SK", "SL"]


def test_resolve_comtrade_code_gives_full_item() -> None:
    assert resolve_ebops("8") == EbopsItem(
        code="SH",
        label="Charges for the use of intellectual property n.i.e.",
        parent="S",
        level=1,
        comtrade_code="8",
        breakdown="standard",
        partition="main",
        note=None,
        name_zh="知识产权使用费",
    )


@pytest.mark.parametrize(
    ("text", "code"),
    [("sh", "SH"), (" SI2 ", "SI2"), (8, "SH"), ("200", "S"), ("3a.1", "SCA"), ("c.1", "S1")],
)
def test_resolve_any_case_and_comtrade_alias(text: str | int, code: str) -> None:
    assert resolve_ebops(text).code == code


def test_full_labels_replace_truncated_ones() -> None:
    tree = ebops_tree()
    assert tree.resolve("SI").label == "Telecommunications, computer, and information services"
    assert tree.resolve("SJ1121").label == "Patents"  # the source pads this one with tabs
    assert tree.resolve("SJ35z").label == (
        "Employment services, i.e., search, placement and supply services of personnel"
    )


def test_size_and_labels() -> None:
    items = ebops_tree().items()
    assert len(items) == len(ebops_tree()) == 152
    assert [i.code for i in items if not i.label.strip() or "\t" in i.label] == []


def test_every_non_root_has_an_existing_parent_and_no_cycles() -> None:
    tree = ebops_tree()
    for item in tree.items():
        chain = [a.code for a in tree.ancestors(item.code)]
        assert len(chain) == item.level
        assert chain[-1:] == ([] if item.code == "S" else ["S"])
        assert len(set(chain)) == len(chain)


def test_parents_and_children() -> None:
    tree = ebops_tree()
    assert tree.resolve("SC11").parent == "SC1"
    assert tree.resolve("SC3B").parent == "SC3"  # curated: rail is an "other mode"
    assert [c.code for c in tree.children("SC1")] == ["SC11", "SC12", "SC13"]
    assert [a.code for a in tree.ancestors("SJ1121")] == ["SJ112", "SJ11", "SJ1", "SJ", "S"]


def test_standard_components_of_total_are_sa_to_sl() -> None:
    assert [c.code for c in ebops_tree().standard_children("S")] == MAIN


@pytest.mark.parametrize(
    ("code", "standard", "alternatives"),
    [
        ("SC", ["SC1", "SC2", "SC3", "SC4"], {"by_type": ["SCA", "SCB", "SCC"]}),
        ("SC3", ["SC31", "SC32", "SC33"], {"by_mode": [f"SC3{x}" for x in "ABCDEFG"]}),
        ("SD", ["SDA", "SDB"], {"by_product": ["SD1", "SD2", "SD3", "SD4", "SD5"]}),
        ("SCC", [], {}),  # SCC1 is only part of SCC (postal and courier lack a code)
        ("SI21", [], {}),  # only an "of which" child
    ],
)
def test_alternative_breakdowns_are_kept_apart(
    code: str, standard: list[str], alternatives: dict[str, list[str]]
) -> None:
    tree = ebops_tree()
    assert [c.code for c in tree.standard_children(code)] == standard
    found = tree.alternative_children(code)
    assert {k: [c.code for c in v] for k, v in found.items()} == alternatives


def test_standard_leaves_partition_total_without_overlap() -> None:
    tree = ebops_tree()
    leaves = tree.standard_leaves()
    codes = [leaf.code for leaf in leaves]
    assert len(codes) == len(set(codes))
    assert {leaf.breakdown for leaf in leaves} == {"standard"}
    for leaf in leaves:  # no leaf lies inside another
        assert not {a.code for a in tree.ancestors(leaf.code)} & set(codes)
    # every standard item is a leaf or an ancestor of one
    covered = set(codes) | {a.code for c in codes for a in tree.ancestors(c)}
    assert {i.code for i in tree.items() if i.breakdown == "standard"} == covered


def test_roles_of_supplementary_items() -> None:
    tree = ebops_tree()
    roles = {i.code: (i.breakdown, i.partition) for i in tree.items()}
    assert roles["S1"] == ("supplementary", "memo")
    assert roles["SDz"] == ("supplementary", "memo")
    assert roles["SC11z"] == ("supplementary", "of_which")
    assert roles["SF11y"] == ("supplementary", "memo")
    assert roles["SC3B1"] == ("alternative", "main")


def test_descendants_and_distance() -> None:
    tree = ebops_tree()
    assert [d.code for d in tree.descendants("SF4")] == ["SF41", "SF42"]
    assert len(tree.descendants("S")) == 151
    assert tree.distance("SC11", "SC11") == 0
    assert tree.distance("SC11", "SC1") == 1
    assert tree.distance("SC11", "SC12") == 2
    assert tree.distance("SC11", "SI2") == 5


def test_search_and_membership() -> None:
    tree = ebops_tree()
    assert [i.code for i in tree.search("patents")] == ["SJ1121"]
    assert [i.code for i in tree.search("9.2")] == ["SI2"]
    assert "sh" in tree
    assert "nonsense" not in tree
    assert 8 in tree
    assert None not in tree


def test_unknown_code_suggests_close_codes() -> None:
    with pytest.raises(UnknownCodeError) as caught:
        resolve_ebops("SHH")
    assert str(caught.value).startswith("unknown EBOPS code 'SHH' (did you mean: SH Charges")
    assert caught.value.errors[0].value == "SHH"


@given(st.text(max_size=30))
def test_resolve_raises_only_unknown_code_error(text: str) -> None:
    try:
        item = resolve_ebops(text)
    except UnknownCodeError:
        return
    assert item.code.casefold() == text.strip().casefold() or item.comtrade_code == text.strip()


def test_aggregates_golden() -> None:
    found = aggregates()
    assert list(found) == ["knowledge_intensive", "digitally_deliverable"]
    ki = found["knowledge_intensive"]
    assert isinstance(ki, Aggregate)
    assert ki.items == ("SF", "SG", "SH", "SI", "SJ", "SK")
    assert ki.name_zh == "知识密集型服务"
    assert found["digitally_deliverable"].items == ("SF", "SG", "SH", "SI", "SJ", "SK1")
    assert all(a.source and a.notes for a in found.values())


def test_aggregate_alias_and_unknown() -> None:
    assert resolve_aggregate("Knowledge-Intensive").id == "knowledge_intensive"
    with pytest.raises(UnknownCodeError, match="did you mean: knowledge_intensive"):
        resolve_aggregate("knowledge_intensiv")
