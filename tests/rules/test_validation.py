"""Bad input to cases, list headers and records: every problem is named precisely."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from servtrade.errors import DataFileError, UnknownCodeError, ValidationError
from servtrade.rules.book import Rulebook
from servtrade.rules.cases import make_case
from servtrade.rules.evaluate import evaluate
from servtrade.rules.fields import Record
from servtrade.rules.loader import default_rulebook, load_rulebook
from servtrade.rules.model import Case, ProviderType

BASE = {
    "provider_economy": "USA",
    "provider_type": "individual",
    "buyer_economy": "CHN",
    "service": "cpc:932",
    "mode": 4,
    "on": "2024-05-01",
}


def test_all_problems_of_a_case_are_reported_together() -> None:
    with pytest.raises(ValidationError) as err:
        make_case(**{**BASE, "provider_type": "robot", "service": "cpc:0", "on": "soon"})
    assert [(d.field, d.value) for d in err.value.errors] == [
        ("provider_type", "robot"),
        ("service", "0"),
        ("on", "soon"),
    ]
    with pytest.raises(UnknownCodeError) as unknown:
        make_case(**{**BASE, "provider_economy": "Atlantis", "service": "cpc:0"})
    assert unknown.value.message == "2 unknown codes in the case"


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"zone": "moon"}, "zone", "moon"),
        ({"data": ["secrets"]}, "data", "secrets"),
        ({"facts": {"mood": "good"}}, "facts", "mood"),
        ({"facts": {"ciio": "perhaps"}}, "facts.ciio", "perhaps"),
        ({"facts": {"transfer_purpose": "fun"}}, "facts.transfer_purpose", "fun"),
    ],
)
def test_case_fields_are_checked(changes: dict[str, object], field: str, value: str) -> None:
    with pytest.raises(ValidationError) as err:
        make_case(**{**BASE, **changes})  # type: ignore[arg-type]
    assert (err.value.errors[0].field, err.value.errors[0].value) == (field, value)


def test_case_values_are_normalised() -> None:
    case = make_case(
        **{
            **BASE,
            "zone": "nationwide",
            "provider_type": "natural person",
            "facts": {"ciio": "yes", "personal_info_subjects": "12"},
            "data": ["Sensitive-Personal"],
        }
    )
    assert (case.zone, case.provider_type, case.facts, [d.value for d in case.data or ()]) == (
        None,
        ProviderType.individual,
        (("ciio", True), ("personal_info_subjects", 12)),
        ["sensitive_personal"],
    )
    assert make_case(**{**BASE, "buyer_economy": "FRA", "facts": {"anything": 1.5}}).facts == (
        ("anything", "1.5"),
    )


def test_unknown_zone_in_a_hand_built_case() -> None:
    case = Case(
        "USA", ProviderType.individual, "CHN", "cpc:932", 4, zone="moon", on=date(2024, 5, 1)
    )
    with pytest.raises(ValidationError) as err:
        evaluate(case)
    assert err.value.errors[0].hint == "zones of CHN: ftz, hainan; leave it out for nationwide"


def test_a_list_that_ended_is_passed_over() -> None:
    book = default_rulebook()
    ended = replace(book.lists["CN-NAT-2024"], in_force_to=date(2024, 12, 31))
    changed = Rulebook(
        book.regimes, {**book.lists, "CN-NAT-2024": ended}, book.measures.values(), book.dpa
    )
    verdict = evaluate(make_case(**{**BASE, "on": "2025-02-01"}), book=changed)
    assert (
        verdict.lists[0].passed_over[0]
        == "CN-NAT-2024 was no longer in force on 2025-02-01 (in force until 2024-12-31)."
    )
    assert verdict.outcome.value == "not_covered"


def test_record_accessors_reject_bad_values() -> None:
    rec = Record(
        {
            "t": ["x"],
            "d": "2024-13-01",
            "n": "x",
            "neg": -1,
            "f": "maybe",
            "s": [{"a": 1}],
            "m": "flat",
            "b": True,
        },
        "f.yaml",
        3,
        "measure X",
    )
    for call, field in [
        (lambda: rec.text("t"), "t"),
        (lambda: rec.day("d"), "d"),
        (lambda: rec.day("zz"), "zz"),
        (lambda: rec.whole("n"), "n"),
        (lambda: rec.whole("neg"), "neg"),
        (lambda: rec.whole("zz"), "zz"),
        (lambda: rec.flag("f", False), "f"),
        (lambda: rec.strings("s"), "s"),
        (lambda: rec.strings("zz"), "zz"),
        (lambda: rec.nested("m"), "m"),
        (lambda: rec.nested("zz"), "zz"),
        (lambda: rec.modes("t"), "t"),
    ]:
        with pytest.raises(DataFileError) as err:
            call()
        assert (err.value.errors[0].field, err.value.errors[0].file, err.value.errors[0].line) == (
            field,
            "f.yaml",
            3,
        )
    assert (
        rec.flag("b", False),
        rec.flag("zz", True),
        rec.day("zz", required=False),
        rec.whole("zz", required=False),
        rec.nested("zz", required=False),
        rec.strings("zz", required=False),
    ) == (True, True, None, None, None, ())


HEADER = """\
list:
  id: CN-TEST-1
  layer: negative_list
  economy: CHN
  territory: nationwide
  title_zh: 测试
  title_en: Test
  issuer: x
  instrument: x
  published: 2030-01-01
  in_force_from: 2030-02-01
  modes_covered: [1, 2, 4]
  measures_in_text: 1
  verification: unverified
measures: []
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("economy: CHN", "economy: ATL", "economy"),
        ("layer: negative_list", "layer: other", "layer"),
        ("territory: nationwide", "territory: moon", "territory"),
        (
            "  verification: unverified\n",
            "  verification: unverified\n  in_force_to: 2020-01-01\n",
            "in_force_to",
        ),
        (
            "  verification: unverified\n",
            "  verification: unverified\n  reported_absent: [x]\n",
            "reported_absent",
        ),
        (
            "  verification: unverified\n",
            "  verification: unverified\n  reported_absent: {a: 1}\n",
            "reported_absent",
        ),
        ("measures_in_text: 1", "measures_in_text: 0", "measures_in_text"),
    ],
)
def test_list_header_errors(tmp_path: Path, old: str, new: str, field: str) -> None:
    folder = tmp_path / "cn"
    folder.mkdir()
    (folder / "t.yaml").write_text(HEADER.replace(old, new), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_rulebook([tmp_path])
    assert err.value.errors[0].field == field


MEASURE = """\
list_id: CN-NAT-2024
measures:
  - id: CN-NAT-2024-999
    item: 99
    sector: {whole: ["w120:1.A.a"], activity: x}
    modes: [1]
    kind: prohibition
    binds: [individual]
    effect: prohibited
    reference: {document: d, item: "99"}
    summary_en: s
    verification: unverified
"""


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("id: CN-NAT-2024-999", "id: 'bad id!'", "id"),
        (
            "verification: unverified",
            "verification: unverified\n    summary_en_is_paraphrase: false",
            "summary_en_is_paraphrase",
        ),
        (
            "verification: unverified",
            "verification: unverified\n    in_force_from: 2025-01-01\n    in_force_to: 2024-01-01",
            "in_force_to",
        ),
        ("kind: prohibition", "kind: prohibition\n    data_kind: local_storage", "data_kind"),
        ("kind: prohibition", "kind: data_localisation", "data_kind"),
        (
            "verification: unverified",
            "verification: unverified\n    dpa_intervention_type: 2",
            "dpa_intervention_type",
        ),
        (
            "verification: unverified",
            "verification: unverified\n    text_zh: 中文",
            "text_zh_source",
        ),
        ('{document: d, item: "99"}', '{document: d, item: "99", url: "ftp://x"}', "reference.url"),
        (
            '{whole: ["w120:1.A.a"], activity: x}',
            "{all: true, whole: ['w120:1'], activity: x}",
            "sector.all",
        ),
        ('{whole: ["w120:1.A.a"], activity: x}', "{activity: x}", "sector.whole"),
        (
            "verification: unverified",
            "verification: unverified\n    conditions: '[{'",
            "conditions",
        ),
        (
            "verification: unverified",
            "verification: unverified\n    conditions: {a: 1}",
            "conditions",
        ),
    ],
)
def test_measure_errors(tmp_path: Path, old: str, new: str, field: str) -> None:
    folder = tmp_path / "cn"
    folder.mkdir()
    (folder / "m.yaml").write_text(MEASURE.replace(old, new), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_rulebook([tmp_path])
    assert err.value.errors[0].field == field


def test_top_level_shape_errors(tmp_path: Path) -> None:
    folder = tmp_path / "cn"
    folder.mkdir()
    for text, field in (
        ("- a\n", None),
        ("list_id: CN-NAT-2024\nmeasures: {a: 1}\n", "measures"),
        ("list_id: CN-NAT-2024\nmeasures: [1]\n", "measures[0]"),
    ):
        (folder / "m.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(DataFileError) as err:
            load_rulebook([tmp_path])
        assert err.value.errors[0].field == field
