"""An upper bound on the objective from the LP relaxation (scipy's HiGHS).

Same variables and constraints as the CP-SAT model but continuous in [0, 1], objective = the
values of scheduled requests only. Penalties are never negative, so dropping them keeps the
bound valid; it is what large instances are compared against when CP-SAT cannot close.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from servtrade.market.scheduling_compile import Problem


class _Rows:
    """Assigns a row number to each (kind, key) constraint on first use."""

    def __init__(self) -> None:
        self.index: dict[tuple[object, ...], int] = {}
        self.rhs: list[float] = []

    def row(self, key: tuple[object, ...], rhs: float) -> int:
        got = self.index.get(key)
        if got is None:
            got = self.index[key] = len(self.rhs)
            self.rhs.append(rhs)
        return got


def lp_bound(prob: Problem) -> float:
    """Optimal value of the LP relaxation (an upper bound on every schedule's objective)."""
    rows, data_r, data_c, cost = _Rows(), [], [], []
    col = 0
    for r, opts in enumerate(prob.options):
        for opt in opts:
            hit = [rows.row(("request", r), 1.0)]
            for j in (prob.a[r], prob.b[r]):
                hit.append(rows.row(("cap", j), float(prob.cap[j])))
                hit.extend(rows.row(("busy", j, t), 1.0) for t in prob.covers(r, opt))
            pool = opt[1]
            hit.extend(rows.row(("pool", pool, t), float(prob.pool_cap[pool][t]))
                       for t in prob.covers(r, opt))  # fmt: skip
            data_r.extend(hit)
            data_c.extend([col] * len(hit))
            cost.append(-float(prob.value[r]))
            col += 1
    if col == 0:
        return 0.0
    matrix = csr_matrix(
        (np.ones(len(data_r)), (np.array(data_r), np.array(data_c))), shape=(len(rows.rhs), col)
    )
    result = linprog(np.array(cost), A_ub=matrix, b_ub=np.array(rows.rhs), bounds=(0, 1),
                     method="highs")  # fmt: skip
    if result.status != 0:  # pragma: no cover - HiGHS solves every bounded LP of this shape
        return float(sum(prob.value))
    return float(-result.fun)
