"""The period forms as SQL, shared by the reference SQL (pipeline.py) and the lookup tables of
the parallel path (mapping.py), so both judge a period by the same expressions."""

from __future__ import annotations

from servtrade.stats.periods import SQL_PATTERN

# years are the common case: no regular expression for them
PERIOD_NORM_SQL = (
    "CASE WHEN length({raw}) = 4 THEN {raw}"
    " ELSE regexp_replace(regexp_replace(trim({raw}), '^(\\d{{4}})-?Q([1-4])$', '\\1Q\\2'),"
    " '^(\\d{{4}})-?S([12])$', '\\1H\\2') END"
)
PERIOD_OK_SQL = (
    "CASE WHEN length({norm}) = 4 THEN TRY_CAST({norm} AS INTEGER) IS NOT NULL"
    " ELSE coalesce(regexp_full_match({norm}, '{pattern}'), false) END"
)
# a span (2012..2021) counts in its last year, like parse_period
YEAR_SQL = (
    "CAST(CASE WHEN period_norm LIKE '____..____' THEN right(period_norm, 4)"
    " ELSE substr(period_norm, 1, 4) END AS INTEGER)"
)


def period_norm_sql(raw: str) -> str:
    return PERIOD_NORM_SQL.format(raw=raw)


def period_ok_sql(norm: str) -> str:
    return PERIOD_OK_SQL.format(norm=norm, pattern=SQL_PATTERN)


PERIOD_TYPE = """CASE
  WHEN regexp_full_match(period_norm, '\\d{4}') THEN 'year'
  WHEN period_norm LIKE '%H_' THEN 'half'
  WHEN period_norm LIKE '%Q_' THEN 'quarter'
  WHEN period_norm LIKE '%-__..%' THEN 'ytd'
  WHEN period_norm LIKE '%..%' THEN 'span'
  ELSE 'month' END"""
