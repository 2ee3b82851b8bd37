"""The claim checker: finds the numeric claims of release and news texts on trade in services,
recomputes them and says what holds.

>>> from servtrade.stats.claims import Document, check_documents
>>> report = check_documents([Document("release", "...")])

Extraction is deterministic (word tables in ``data/claims`` and binding rules); checks show
their arithmetic and respect the rounding of printed figures; the observatory is consulted only
through the lookups passed in :class:`Sources`.
"""

from servtrade.stats.claims.checker import check_documents, needs
from servtrade.stats.claims.extract import extract
from servtrade.stats.claims.model import Check, Claim, Document, Verdict
from servtrade.stats.claims.report import Report
from servtrade.stats.claims.sources import (
    Observation,
    RateLookup,
    SeriesAnswer,
    SeriesLookup,
    SeriesQuery,
    Sources,
)

__all__ = [
    "Check",
    "Claim",
    "Document",
    "Observation",
    "RateLookup",
    "Report",
    "SeriesAnswer",
    "SeriesLookup",
    "SeriesQuery",
    "Sources",
    "Verdict",
    "check_documents",
    "extract",
    "needs",
]
