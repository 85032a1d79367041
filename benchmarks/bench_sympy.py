"""sympy: the IndexedBase derivation against one symbol per position as N
grows, and the lambdified gradient against hand-written numpy at N = 10^6."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import best_time, machine, save, table  # noqa: E402

from lib.policy import _lambdified_gradient, education_gradient, education_loss_expr, gradient_component, policy_symbols  # noqa: E402


def per_symbol_gradient(n: int) -> list:
    S, E = sp.symbols(f"S1:{n + 1}"), sp.symbols(f"E1:{n + 1}")
    loss = sum((s - e) ** 2 for s, e in zip(S, E)) / n
    return [sp.diff(loss, e) for e in E]


def indexed_gradient() -> sp.Expr:
    return gradient_component(education_loss_expr(), policy_symbols().E)


def main(quick: bool = False) -> dict:
    derivation = []
    indexed_gradient()  # import-time and first-call costs are not the derivation's
    for n in ([10, 30, 100, 300, 1000] if not quick else [10, 30, 100]):
        sp.core.cache.clear_cache()  # no reuse of earlier results
        start = time.perf_counter()
        per_symbol_gradient(n)
        per_symbol = time.perf_counter() - start
        sp.core.cache.clear_cache()
        start = time.perf_counter()
        indexed_gradient()
        indexed = time.perf_counter() - start
        derivation.append({"N": n, "per_symbol_s": per_symbol, "indexed_s": indexed,
                           "per_symbol_vs_indexed": per_symbol / indexed})  # fmt: skip
    print(table(derivation, ["N", "per_symbol_s", "indexed_s", "per_symbol_vs_indexed"]))

    n = 10**6
    rng = np.random.default_rng(0)
    S, E = rng.normal(size=n), rng.normal(size=n)
    kernel = _lambdified_gradient("education")
    hand = best_time(lambda: -2 * (S - E) / S.size, repeat=7)
    lambdified = best_time(lambda: kernel(S, E), repeat=7)
    public = best_time(lambda: education_gradient(S, E), repeat=7)
    numeric = {"N": n, "hand_numpy_s": hand, "lambdified_s": lambdified, "lambdified_vs_hand": lambdified / hand,
               "lib_with_validation_s": public, "lib_vs_hand": public / hand}  # fmt: skip
    print()
    print(table([numeric], list(numeric)))
    payload = {"derivation": derivation, "numeric": numeric}
    if not quick:
        save("sympy", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(quick="--quick" in sys.argv)
