"""Golden outputs: the full JSON report of each text we wrote, compared whole.

After a deliberate change, regenerate with ``UPDATE_GOLDEN=1 pytest tests/stats/claims``
and review the diff of ``golden/*.json``.
"""

from __future__ import annotations

import json
import os

import pytest

from servtrade.stats.claims import check_documents
from servtrade.stats.claims.dates import make_document

from .support import GOLDEN, TEXTS, text

CASES = {path.stem: [path.name] for path in sorted(TEXTS.glob("*.txt"))}
CASES["together_jan_jul"] = ["news_jan_jul.txt", "news_jan_jul_other.txt"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_report_matches_golden(case: str) -> None:
    documents = [make_document(name, text(name)) for name in CASES[case]]
    got = json.loads(json.dumps(check_documents(documents).to_dict()))
    path = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))
