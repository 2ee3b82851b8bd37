"""Helpers of the claim checker's tests: the texts we wrote in the style of releases and news
reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from servtrade.stats.claims import Document

TEXTS = Path(__file__).parent / "texts"
GOLDEN = Path(__file__).parent / "golden"


def text(name: str) -> str:
    return (TEXTS / name).read_text(encoding="utf-8")


def doc(body: str, when: date | None = date(2025, 9, 30), name: str = "t") -> Document:
    return Document(name, body, when, "given" if when else None)
