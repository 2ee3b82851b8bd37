"""The word tables: a malformed table is a clear DataFileError naming file, field and value."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from servtrade.errors import DataFileError
from servtrade.stats.claims import tables
from servtrade.stats.claims.tables import alternation, entries, load_table, string_list, words


@pytest.fixture
def table_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "claims").mkdir()
    monkeypatch.setattr(tables, "bundled_data_dir", lambda: tmp_path)
    load_table.cache_clear()
    yield tmp_path / "claims"
    load_table.cache_clear()


def _error(call: object) -> str:
    with pytest.raises(DataFileError) as info:
        call()  # type: ignore[operator]
    return info.value.render()


def test_missing_invalid_and_non_mapping_tables(table_dir: Path) -> None:
    assert "cannot be read" in _error(lambda: load_table("absent.yaml"))
    (table_dir / "bad.yaml").write_text("a: [1, 2\n", encoding="utf-8")
    assert "is not valid YAML" in _error(lambda: load_table("bad.yaml"))
    (table_dir / "list.yaml").write_text("- 1\n", encoding="utf-8")
    assert "must be a mapping of named lists" in _error(lambda: load_table("list.yaml"))


def test_entries_and_words_are_validated(table_dir: Path) -> None:
    (table_dir / "t.yaml").write_text(
        "items: 3\nwords: [a, '']\ngood: [{words: [x]}]\n", encoding="utf-8"
    )
    message = _error(lambda: entries("t.yaml", "items"))
    assert message.startswith("bad claim-checker table t.yaml:") and "field 'items'" in message
    assert "must be a non-empty list of words" in _error(lambda: string_list("t.yaml", "words"))
    assert words("t.yaml", entries("t.yaml", "good")[0]) == ["x"]


def test_alternation_respects_word_boundaries() -> None:
    pattern = re.compile(alternation(["over", "bn", "万亿", "more than"]), re.IGNORECASE)
    assert [m.group(0) for m in pattern.finditer("overall, 219.1bn, 4万亿, more  than, over")] == [
        "bn",
        "万亿",
        "more  than",
        "over",
    ]
