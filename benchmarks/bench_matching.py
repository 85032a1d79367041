"""solve_matching against what a user would pick instead.

* one-to-one instances: networkx's max_weight_matching (blossom, pure Python),
  a dense-matrix LP (the same LP with its constraint matrix stored densely),
  and scipy's bare linear_sum_assignment (the overhead of solve_matching's
  exact fast path, duals on demand);
* capacitated instances: solve_matching (workers cloned into
  linear_sum_assignment) against the bare cloned call and the sparse LP;
* the duals on demand (task_values, worker_prices, computed without an LP)
  against the solve itself.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment, linprog

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import best_time, machine, save, table

from lib.matching import matching_constraint_matrix, solve_matching


def dense_lp(scores: np.ndarray) -> float:
    n, m = scores.shape
    a = matching_constraint_matrix(n, m).toarray()
    res = linprog(-scores.ravel(), A_ub=a, b_ub=np.ones(n + m), bounds=(0, None), method="highs")
    return -res.fun


def paired_best(f, g, repeat: int = 9, min_time: float = 0.1) -> tuple[float, float]:
    """Best times of f and g, measured in alternation, so that a change in the
    machine's load during the run affects both sides of a ratio alike."""
    best_f = best_g = float("inf")
    for _ in range(repeat):
        best_f = min(best_f, best_time(f, repeat=1, min_time=min_time))
        best_g = min(best_g, best_time(g, repeat=1, min_time=min_time))
    return best_f, best_g


def cloned_lsa(scores: np.ndarray, capacity: np.ndarray) -> float:
    """What a user would write: repeat worker j's column c_j times."""
    cloned = np.repeat(scores, capacity, axis=1)
    rows, cols = linear_sum_assignment(cloned, maximize=True)
    return cloned[rows, cols].sum()


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
        row["solve_matching_s"], row["lsa_s"] = paired_best(
            lambda s=scores: solve_matching(s), lambda s=scores: linear_sum_assignment(s, maximize=True))
        row["overhead_vs_lsa"] = row["solve_matching_s"] / row["lsa_s"]
        row["sparse_lp_s"] = best_time(lambda s=scores: solve_matching(s, method="lp"), repeat=1, min_time=0)
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
                           "solve_matching_s": best_time(lambda s=scores: solve_matching(s), repeat=3)})  # fmt: skip
        one_to_one.sort(key=lambda r: r["n"])

    capacitated = []
    shapes = [(100, 25), (400, 100), (1000, 250), (2000, 500)] if not quick else [(100, 25), (400, 100)]
    for n_tasks, n_workers in shapes:
        scores = rng.random((n_tasks, n_workers))
        capacity = rng.integers(1, 5, size=n_workers)  # capacities 1-4
        row = {"tasks": n_tasks, "workers": n_workers, "variables": n_tasks * n_workers}
        row["solve_matching_s"], row["cloned_lsa_s"] = paired_best(
            lambda s=scores, c=capacity: solve_matching(s, c), lambda s=scores, c=capacity: cloned_lsa(s, c))
        row["overhead_vs_cloned_lsa"] = row["solve_matching_s"] / row["cloned_lsa_s"]
        res = solve_matching(scores, capacity)
        assert np.isclose(res.objective, cloned_lsa(scores, capacity))
        if n_tasks * n_workers <= 250_000:
            start = time.perf_counter()
            lp = solve_matching(scores, capacity, method="lp")
            row["lp_s"] = time.perf_counter() - start
            row["lp_vs_ours"] = row["lp_s"] / row["solve_matching_s"]
            assert np.isclose(lp.objective, res.objective)
        row["objective"] = res.objective
        capacitated.append(row)

    duals = []
    for n in ([300, 1000] if not quick else [100]):
        scores = rng.random((n, n))
        row = {"n": n}
        row["solve_s"], row["solve_and_duals_s"] = paired_best(
            lambda s=scores: solve_matching(s), lambda s=scores: solve_matching(s).worker_prices)
        row["duals_s"] = row["solve_and_duals_s"] - row["solve_s"]
        row["duals_vs_solve"] = row["duals_s"] / row["solve_s"]
        res = solve_matching(scores)
        gap = res.task_values.sum() + res.worker_prices.sum() - res.objective
        assert abs(gap) < 1e-8 * n
        duals.append(row)

    print("one-to-one instances (seconds; ratios side by side in this run)")
    print(table(one_to_one, ["n", "solve_matching_s", "lsa_s", "overhead_vs_lsa", "sparse_lp_s",
                             "dense_lp_s", "dense_matrix_mb", "networkx_s", "networkx_vs_ours"]))  # fmt: skip
    print("\ncapacitated instances, capacities 1-4 (solve_matching, bare cloned linear_sum_assignment, sparse LP)")
    print(table(capacitated, ["tasks", "workers", "variables", "solve_matching_s", "cloned_lsa_s",
                              "overhead_vs_cloned_lsa", "lp_s", "lp_vs_ours"]))  # fmt: skip
    print("\nduals on demand (n x n, unit capacities)")
    print(table(duals, ["n", "solve_s", "duals_s", "duals_vs_solve"]))
    payload = {"one_to_one": one_to_one, "capacitated": capacitated, "duals": duals}
    if not quick:
        save("matching", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(quick="--quick" in sys.argv)
