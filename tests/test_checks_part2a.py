"""The exercises of Part II, chapters 1 and 2, that teach algorithms and wages.

The generic guarantees (right answers in every numeric type, misconceptions,
independent references) are in tests/test_checks.py; here, the hints a
student of these exercises meets.
"""

from __future__ import annotations

import numpy as np

import part2a_references as ref
from lib.checks import check, expected
from lib.matching import ARTICLE_SCORES


def test_auction_bid_accepts_a_correct_bid_and_names_what_is_wrong():
    assert check("ex-auction-bid", ref.bid_correct).correct
    for wrong in ref.AUCTION_BID_CASES["wrong"]:
        result = check("ex-auction-bid", wrong, seed=1)
        assert result.status == "incorrect" and "instance" in result.message


def test_auction_bid_on_the_chapters_first_bid():
    # Task 0 at zero prices bids for worker 3: 0.9 - 0.8 + 0.01.
    worker, price = ref.bid_correct(ARTICLE_SCORES, np.zeros(4), 0, 0.01)
    assert worker == 3 and abs(price - 0.11) < 1e-12


def test_dual_by_hand_accepts_every_optimal_dual_and_only_those():
    assert expected("ex-dual-by-hand") == ref.hand_dual_optimum_by_enumeration() == 9.0
    cases = ref.hand_dual_grid()
    assert sum(optimal for *_, optimal in cases) >= 5  # several optimal duals, not one vertex
    for u, v, optimal in cases:
        assert check("ex-dual-by-hand", (u, v)).correct is optimal, (u, v)
    # Numpy arrays and lists of numpy floats are read too.
    assert check("ex-dual-by-hand", (np.array([4.5, 2.5]), [np.float64(1.5), 0, 0.5])).correct


def test_dual_by_hand_hints():
    signs = check("ex-dual-by-hand", ([-4, -3], [-2, 0, 0]))
    assert signs.status == "incorrect" and "marginals" in signs.message
    assert "pair" not in check("ex-dual-by-hand", ([-1, 3], [2, 0, 0])).message
    blocked = check("ex-dual-by-hand", ([3, 3], [3, 0, 0]))
    assert "task 0 and worker 1" in blocked.message
    idle = check("ex-dual-by-hand", ([4, 3], [2, 1, 0]))
    assert "idle worker" in idle.message and "marginals" not in idle.message
    for shape_error in ([4, 3], ([4, 3], [2, 0]), "4, 3", ([4, 3], [2, 0, float("nan")])):
        assert "one per column" in check("ex-dual-by-hand", shape_error).message


def test_blocking_pairs_exercise():
    assert check("ex-core-blocking-pairs", ref.blocking_correct).correct
    for wrong in ref.BLOCKING_CASES["wrong"]:
        assert check("ex-core-blocking-pairs", wrong, seed=2).status == "incorrect"


def test_wage_floor_hints():
    assert abs(expected("ex-wage-floor") - 2.4) < 1e-12
    assert "screen" in check("ex-wage-floor", 2.8).message or "forgets" in check("ex-wage-floor", 2.8).message
    assert "surplus above the floor" in check("ex-wage-floor", 1.05).message
    assert check("ex-wage-floor", 2.40).correct
