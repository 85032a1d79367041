"""solve_matching against what a user would pick instead.

* one-to-one instances: networkx's max_weight_matching (blossom, pure Python),
  a dense-matrix LP (the same LP with its constraint matrix stored densely),
  and scipy's bare linear_sum_assignment (the overhead of solve_matching's
  exact fast path, duals on demand);
* capacitated instances solved as sparse LPs, up to about a million variables.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment, linprog

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import best_time, machine, save, table  # noqa: E402

from lib.matching import matching_constraint_matrix, solve_matching  # noqa: E402


def dense_lp(scores: np.ndarray) -> float:
    n, m = scores.shape
    a = matching_constraint_matrix(n, m).toarray()
    res = linprog(-scores.ravel(), A_ub=a, b_ub=np.ones(n + m), bounds=(0, None), method="highs")
    return -res.fun


def networkx_matching(scores: np.ndarray) -> float:
    import networkx as nx

    n, m = scores.shape
    g = nx.Graph()
    for i in range(n):
        for j in range(m):
            g.add_edge(("t", i), ("w", j), weight=scores[i, j])
    matching = nx.max_weight_matching(g)
    return sum(g.edges[u, v]["weight"] for u, v in matching)


def main(quick: bool = False) -> dict:
    rng = np.random.default_rng(0)
    one_to_one = []
    sizes = [10, 30, 100, 300, 1000] if not quick else [10, 30, 100]
    for n in sizes:
        scores = rng.random((n, n))
        row = {"n": n}
        row["solve_matching_s"] = best_time(lambda: solve_matching(scores), repeat=3)
        row["lsa_s"] = best_time(lambda: linear_sum_assignment(scores, maximize=True), repeat=3)
        row["overhead_vs_lsa"] = row["solve_matching_s"] / row["lsa_s"]
        row["sparse_lp_s"] = best_time(lambda: solve_matching(scores, method="lp"), repeat=1, min_time=0)
        if n <= 200 or (n <= 300 and not quick):
            if n <= 200:
                start = time.perf_counter()
                value = dense_lp(scores)
                row["dense_lp_s"] = time.perf_counter() - start
                row["dense_matrix_mb"] = (2 * n) * n * n * 8 / 1e6
                assert np.isclose(value, solve_matching(scores).objective)
            start = time.perf_counter()
            value = networkx_matching(scores)
            row["networkx_s"] = time.perf_counter() - start
            row["networkx_vs_ours"] = row["networkx_s"] / row["solve_matching_s"]
            assert np.isclose(value, solve_matching(scores).objective)
        one_to_one.append(row)
    # dense LP at 200 (its matrix grows like n^3 in memory)
    if not quick:
        scores = rng.random((200, 200))
        start = time.perf_counter()
        dense_lp(scores)
        one_to_one.append({"n": 200, "dense_lp_s": time.perf_counter() - start,
                           "dense_matrix_mb": 400 * 200 * 200 * 8 / 1e6,
                           "solve_matching_s": best_time(lambda: solve_matching(scores), repeat=3)})  # fmt: skip
        one_to_one.sort(key=lambda r: r["n"])

    capacitated = []
    shapes = [(100, 25), (400, 100), (1000, 250), (2000, 500)] if not quick else [(100, 25), (400, 100)]
    for n_tasks, n_workers in shapes:
        scores = rng.random((n_tasks, n_workers))
        capacity = rng.integers(1, 9, size=n_workers)
        start = time.perf_counter()
        res = solve_matching(scores, capacity)
        seconds = time.perf_counter() - start
        capacitated.append({"tasks": n_tasks, "workers": n_workers, "variables": n_tasks * n_workers,
                            "seconds": seconds, "objective": res.objective})  # fmt: skip

    print("one-to-one instances (seconds; ratios side by side in this run)")
    print(table(one_to_one, ["n", "solve_matching_s", "lsa_s", "overhead_vs_lsa", "sparse_lp_s",
                             "dense_lp_s", "dense_matrix_mb", "networkx_s", "networkx_vs_ours"]))  # fmt: skip
    print("\ncapacitated instances (sparse LP, HiGHS)")
    print(table(capacitated, ["tasks", "workers", "variables", "seconds"]))
    payload = {"one_to_one": one_to_one, "capacitated": capacitated}
    if not quick:
        save("matching", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(quick="--quick" in sys.argv)
