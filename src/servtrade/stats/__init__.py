"""The observatory engine: a catalog of official datasets, streaming readers, a versioned
Parquet store and indicators that carry their provenance.

Only :mod:`servtrade.stats.store` and :mod:`servtrade.stats.ingest` touch DuckDB or ibis
connections; the indicators build expressions on the table the store hands them.
"""
