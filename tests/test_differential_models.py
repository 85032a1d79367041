"""Differential test of the public functions of lib's model modules (online,
network, floors, coordination, policy learning, listing, validation, checks).

Same pattern as ``test_differential.py``: each case draws VALID inputs at the
edges, compares with a reference computed another way, states what "agrees"
means, counts its inputs (at least ``MIN_INPUTS``) and writes the counts to
``_build/differential_counts_models.txt`` (summed over all differential
files at the end of the run).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lib.assignment_algorithms as alg
import lib.network as net
import lib.online as onl
import lib.wages as wg
from conftest import BUILD
from test_differential import EDGE_SCALES, MIN_INPUTS, N_INPUTS

# Function -> its independent reference.
REFERENCES = {
    "lib.online.greedy_choice": "a plain Python scan of the row in index order (first strictly best positive score among workers with room)",
    "lib.online.greedy_guarantee": "exact rational a / (a + b) over the positive entries (fractions.Fraction), rounded once",
    "lib.network.clone_workers": "the documented rule min(c_j, n_tasks, #{i: s_ij > 0}) copies per worker (min(c_j, n_tasks) when the instance is already one-to-one), counted in plain Python, and each column compared with the worker's own",
    "lib.online.bid_price_choice": "a plain Python scan with exact rational surpluses (fractions.Fraction): largest score - price among workers with room and positive score, kept if >= 0, lowest index on ties",
    "lib.wages.blocking_pairs": "a direct double loop over (task, worker) with exact rational arithmetic (fractions.Fraction): s_ij - u_i - v_j > tol * (|s_ij| + |u_i| + |v_j|)",
    "lib.wages.deferred_acceptance": "brute-force enumeration of every matching of mutually acceptable pairs, a stability check written here (no blocking pair), and the stable matching that gives every proposer its best stable partner (proposer-optimal)",
    "lib.assignment_algorithms.cs_violation": "a direct loop with exact rational arithmetic (fractions.Fraction): max over tasks of max(0, max_j (s_ij - p_j)) minus the held net value",
}
# Function -> why it has no reference.
NO_REFERENCE: dict[str, str] = {}

COUNTS: Counter = Counter()
CASES: dict[str, tuple[Any, Callable[..., None], str]] = {}


def case(name: str, strategy: Any, agrees: str) -> Callable:
    def register(check: Callable[..., None]) -> Callable[..., None]:
        CASES[name] = (strategy, check, agrees)
        return check

    return register


@st.composite
def rows_with_room(draw):
    n = draw(st.integers(1, 6))
    scale = draw(st.sampled_from(EDGE_SCALES))
    # Small integers times one scale: ties, zeros and negative scores are common.
    row = np.array([draw(st.integers(-2, 3)) * scale for _ in range(n)])
    left = np.array([draw(st.sampled_from([0, 1, 2, 2**62])) for _ in range(n)])
    return row, left


@case("lib.online.greedy_choice", rows_with_room(), "identical index (or both None)")
def check_greedy_choice(row, left):
    best, ref = 0.0, None
    for j, (s, c) in enumerate(zip(row.tolist(), left.tolist())):
        if c > 0 and s > best:
            best, ref = s, j
    assert onl.greedy_choice(row, left) == ref


@st.composite
def priced_rows(draw):
    row, left = draw(rows_with_room())
    scale = float(np.max(np.abs(row))) or 1.0
    # Prices on the scores' grid: the exact surpluses have exact ties and zeros.
    prices = np.array([draw(st.integers(0, 3)) * scale for _ in range(row.size)])
    return row, left, prices


@case("lib.online.bid_price_choice", priced_rows(), "identical index (or both None)")
def check_bid_price_choice(row, left, prices):
    best, ref = None, None
    for j in range(row.size):
        if left[j] > 0 and row[j] > 0:
            surplus = Fraction(float(row[j])) - Fraction(float(prices[j]))
            if surplus >= 0 and (best is None or surplus > best):
                best, ref = surplus, j
    assert onl.bid_price_choice(row, left, prices) == ref


@st.composite
def positive_matrices(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from(EDGE_SCALES))
    cells = [draw(st.integers(-1, 5)) * scale for _ in range(n * m)]
    cells[draw(st.integers(0, n * m - 1))] = draw(st.integers(1, 5)) * scale  # one positive entry
    return (np.array(cells).reshape(n, m),)


@case("lib.online.greedy_guarantee", positive_matrices(),
      "within relative 1e-15 of the exact a / (a + b)")  # fmt: skip
def check_greedy_guarantee(scores):
    pos = [Fraction(x) for x in scores.ravel().tolist() if x > 0]
    ref = min(pos) / (min(pos) + max(pos))
    got = onl.greedy_guarantee(scores)
    assert abs(Fraction(got) - ref) <= ref * Fraction(1, 10**15)


@st.composite
def capacitated(draw):
    n, m = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from(EDGE_SCALES))
    scores = np.array([[draw(st.integers(-1, 3)) * scale for _ in range(m)] for _ in range(n)])
    cap = [draw(st.sampled_from([0, 1, 2, 7, 2**62])) for _ in range(m)]
    return scores, cap


@case("lib.network.clone_workers", capacitated(),
      "identical owner vector; every cloned column bitwise equal to its owner's column")  # fmt: skip
def check_clone_workers(scores, cap):
    n = scores.shape[0]
    one_to_one = all(min(c, n) <= 1 for c in cap)  # documented: then nothing is dropped
    want = []
    for j, c in enumerate(cap):
        positive = sum(1 for i in range(n) if scores[i, j] > 0)
        want += [j] * (min(c, n) if one_to_one else min(c, n, positive))
    cloned, owner = net.clone_workers(scores, cap)
    assert owner.tolist() == want, (owner.tolist(), want)
    assert cloned.shape == (n, len(want))
    for k, j in enumerate(want):
        assert np.array_equal(cloned[:, k], scores[:, j])


# Power-of-two scales and small integers: every float operation below is exact,
# so the exact rational reference has no rounding boundary to disagree on.
EXACT_SCALES = [2.0**-20, 1.0, 2.0**20]


@st.composite
def split_instances(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from(EXACT_SCALES))
    s = np.array([[draw(st.integers(-2, 4)) * scale for _ in range(m)] for _ in range(n)])
    u = np.array([draw(st.integers(0, 4)) * scale for _ in range(n)])
    v = np.array([draw(st.integers(0, 4)) * scale for _ in range(m)])
    # tol is a share of the quantities compared (|s_ij| + |u_i| + |v_j|).
    tol = draw(st.sampled_from([0.0, 1e-9, 0.125, 0.5, 1.0]))
    return s, u, v, tol


@case("lib.wages.blocking_pairs", split_instances(), "identical list of pairs, in row-major order")
def check_blocking_pairs(s, u, v, tol):
    n, m = s.shape
    ref = []
    for i in range(n):
        for j in range(m):
            a, b, c = Fraction(s[i, j]), Fraction(u[i]), Fraction(v[j])
            if a - b - c > Fraction(tol) * (abs(a) + abs(b) + abs(c)):
                ref.append((i, j))
    assert wg.blocking_pairs(s, u, v, tol=tol) == ref


@st.composite
def priced_matchings(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from(EXACT_SCALES))
    s = np.array([[draw(st.integers(-2, 4)) * scale for _ in range(m)] for _ in range(n)])
    p = np.array([draw(st.integers(0, 4)) * scale for _ in range(m)])
    # A one-to-one (possibly partial, possibly empty) matching.
    workers = draw(st.permutations(list(range(m))))
    tasks = draw(st.permutations(list(range(n))))
    k = draw(st.integers(0, min(n, m)))
    pairs = [(tasks[t], workers[t]) for t in range(k)]
    return s, pairs, p


@case("lib.assignment_algorithms.cs_violation", priced_matchings(),
      "exactly the correctly rounded exact value")  # fmt: skip
def check_cs_violation(s, pairs, p):
    n, m = s.shape
    held = {i: j for i, j in pairs}
    ref = None
    for i in range(n):
        best = max([Fraction(0)] + [Fraction(s[i, j]) - Fraction(p[j]) for j in range(m)])
        mine = Fraction(s[i, held[i]]) - Fraction(p[held[i]]) if i in held else Fraction(0)
        ref = best - mine if ref is None else max(ref, best - mine)
    got = alg.cs_violation(s, pairs, p)
    assert got == float(ref), (got, ref)


@st.composite
def preference_profiles(draw):
    n_p, n_r = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    # Random partial rankings: unacceptable partners, empty lists, ties of length.
    prop = [draw(st.permutations(list(range(n_r))))[: draw(st.integers(0, n_r))] for _ in range(n_p)]
    recv = [draw(st.permutations(list(range(n_p))))[: draw(st.integers(0, n_p))] for _ in range(n_r)]
    return [list(x) for x in prop], [list(x) for x in recv]


def _all_matchings(edges, used_a=frozenset(), used_b=frozenset(), start=0):
    yield {}
    for k in range(start, len(edges)):
        a, b = edges[k]
        if a not in used_a and b not in used_b:
            for rest in _all_matchings(edges, used_a | {a}, used_b | {b}, k + 1):
                yield {a: b, **rest}


@case("lib.wages.deferred_acceptance", preference_profiles(),
      "identical pairs: the proposer-optimal stable matching found by brute force")  # fmt: skip
def check_deferred_acceptance(prop, recv):
    def rank(lst, x):
        return lst.index(x) if x in lst else None

    edges = [(a, b) for a in range(len(prop)) for b in prop[a] if a in recv[b]]

    def stable(m):
        owner = {b: a for a, b in m.items()}
        for a, b in edges:
            a_better = a not in m or rank(prop[a], b) < rank(prop[a], m[a])
            b_better = b not in owner or rank(recv[b], a) < rank(recv[b], owner[b])
            if a_better and b_better:
                return False
        return True

    stables = [m for m in _all_matchings(edges) if stable(m)]
    assert stables  # Gale and Shapley: one always exists

    def best_for(a):
        ranks = [rank(prop[a], m[a]) if a in m else len(prop[a]) for m in stables]
        return min(ranks)

    optimal = [m for m in stables
               if all((rank(prop[a], m[a]) if a in m else len(prop[a])) == best_for(a)
                      for a in range(len(prop)))]  # fmt: skip
    assert len(optimal) == 1
    ref = sorted(optimal[0].items())
    assert wg.deferred_acceptance(prop, recv).pairs == ref


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{name.removeprefix('lib.'):50s} {COUNTS[name]:6d}" for name in sorted(CASES)]
    lines.append(f"{'total':50s} {sum(COUNTS.values()):6d}")
    (BUILD / "differential_counts_models.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\ndifferential test (models): valid inputs compared per function\n" + "\n".join(lines))


def test_tables_match_cases():
    assert set(CASES) == set(REFERENCES)
    assert not set(REFERENCES) & set(NO_REFERENCE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_agrees_with_reference(name):
    strategy, check, agrees = CASES[name]
    assert agrees

    @settings(max_examples=N_INPUTS, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(strategy)
    def run(args):
        check(*args)
        COUNTS[name] += 1

    run()
    assert COUNTS[name] >= MIN_INPUTS, f"{name}: only {COUNTS[name]} inputs compared"
