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

import lib.network as net
import lib.online as onl
from conftest import BUILD
from test_differential import EDGE_SCALES, MIN_INPUTS, N_INPUTS

# Function -> its independent reference.
REFERENCES = {
    "lib.online.greedy_choice": "a plain Python scan of the row in index order (first strictly best positive score among workers with room)",
    "lib.online.greedy_guarantee": "exact rational a / (a + b) over the positive entries (fractions.Fraction), rounded once",
    "lib.network.clone_workers": "the documented rule min(c_j, n_tasks, #{i: s_ij > 0}) copies per worker (min(c_j, n_tasks) when the instance is already one-to-one), counted in plain Python, and each column compared with the worker's own",
    "lib.online.bid_price_choice": "a plain Python scan with exact rational surpluses (fractions.Fraction): largest score - price among workers with room and positive score, kept if >= 0, lowest index on ties",
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
