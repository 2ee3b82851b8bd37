"""Classifications as data: EBOPS 2010, economies, GATS modes, W/120 sectors, GB/T 4754.

Each submodule reads its table from ``data/classifications`` once (cached), validates it
(a broken row raises :class:`~servtrade.errors.DataFileError` naming file, line, field and
value) and resolves codes or names, raising :class:`~servtrade.errors.UnknownCodeError` with
suggestions for anything it does not know.
"""
