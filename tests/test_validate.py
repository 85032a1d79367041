"""The validation rule of lib._validate, and one regression test per silent
wrong answer it fixed (each compares with a value computed by hand or by
another method)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import lib.matching as mt
import lib.policy as pol
import lib.regression as reg
from lib import _validate as v

INT64_MAX = np.iinfo(np.int64).max


# ------------------------------------------------------------ the rule itself


@pytest.mark.parametrize(
    "value", [3, np.int8(3), np.int16(3), np.int32(3), np.int64(3), np.uint8(3),
              np.uint64(3), np.asarray(3)]
)  # fmt: skip
def test_integers_of_every_width_are_accepted(value):
    out = v.as_integer(value, "n")
    assert out == 3 and type(out) is int


@pytest.mark.parametrize(
    "value", [0.5, np.float16(0.5), np.float32(0.5), np.float64(0.5), Fraction(1, 2),
              np.asarray(0.5)]
)  # fmt: skip
def test_reals_of_every_width_are_accepted(value):
    out = v.as_real(value, "x")
    assert out == 0.5 and type(out) is float


@pytest.mark.parametrize(
    "helper, value, error",
    [
        (v.as_integer, True, TypeError),
        (v.as_integer, 3.0, TypeError),
        (v.as_integer, "3", TypeError),
        (v.as_integer, None, TypeError),
        (v.as_integer, 2**63, ValueError),
        (v.as_integer, np.uint64(2**63), ValueError),
        (v.as_integer, -(2**63) - 1, ValueError),
        (v.as_real, True, TypeError),
        (v.as_real, "1", TypeError),
        (v.as_real, 1 + 2j, TypeError),
        (v.as_real, float("nan"), ValueError),
        (v.as_real, np.float32("inf"), ValueError),
        (v.as_real, 10**400, ValueError),
        (v.as_probability, 1.5, ValueError),
        (v.as_probability, -0.0 - 1e-300, ValueError),
        (v.as_bool, 1, TypeError),
        (v.as_bool, "True", TypeError),
    ],
)
def test_wrong_kind_is_a_type_error_wrong_value_a_value_error(helper, value, error):
    with pytest.raises(error, match="arg"):
        helper(value, "arg")


def test_int64_edges_are_accepted_exactly():
    assert v.as_integer(INT64_MAX, "n") == INT64_MAX
    assert v.as_integer(np.iinfo(np.int64).min, "n") == np.iinfo(np.int64).min


def test_choice_and_bool():
    assert v.as_choice(np.str_("lp"), "method", ("lp", "auto")) == "lp"
    with pytest.raises(ValueError, match="'lp', 'auto'"):
        v.as_choice("simplex", "method", ("lp", "auto"))
    with pytest.raises(TypeError, match="method"):
        v.as_choice(None, "method", ("lp", "auto"))
    assert v.as_bool(np.bool_(False), "flag") is False


def test_array_messages_name_the_meaning_of_the_shape():
    with pytest.raises(ValueError, match=r"tasks x skills"):
        v.as_real_matrix([1, 2], "tasks", meaning="tasks x skills")


def test_masked_arrays_are_refused_unless_nothing_is_masked():
    masked = np.ma.masked_array([[1.0, 100.0]], mask=[[False, True]])
    with pytest.raises(ValueError, match="masked"):
        v.as_real_matrix(masked)
    with pytest.raises(ValueError, match="masked"):
        mt.solve_matching(masked)
    unmasked = np.ma.masked_array([[1.0, 100.0]], mask=[[False, False]])
    assert mt.solve_matching(unmasked).objective == 100.0


def test_arrays_are_fresh_copies():
    scores = np.array([[1.0, 2.0]])
    out = v.as_real_matrix(scores)
    assert not np.shares_memory(out, scores)
    cap = np.array([1, 2])
    assert not np.shares_memory(v.as_capacity_vector(cap, 2), cap)


def test_label_rule():
    with pytest.raises(TypeError, match="mixes strings and numbers"):
        v.as_label_sequence([1, "1"], "y_true")
    with pytest.raises(TypeError, match="mixes strings and numbers"):
        v.as_label_sequence(np.array([1, "a"], dtype=object), "y_true")
    with pytest.raises(ValueError, match="NaN"):
        v.as_label_sequence(np.array([1.0, np.nan]), "y_true")
    with pytest.raises(ValueError, match="NaN"):
        v.as_label_sequence(["a", float("nan")], "y_true")
    with pytest.raises(TypeError, match="strings or numbers"):
        v.as_label_sequence(["a", None], "y_true")
    assert v.as_label_sequence([np.int64(1), 2], "y") == [1, 2]


def test_mixed_and_nan_labels_are_refused_by_the_metrics():
    import lib.metrics as met

    with pytest.raises(TypeError):
        met.classification_report([1, "1"], [1, "1"])
    with pytest.raises(TypeError):
        met.classification_report([1, 2], ["1", "2"])
    with pytest.raises(ValueError):
        met.classification_report([1.0, np.nan], [1.0, 1.0])


def test_size_guard_says_what_to_use_instead():
    with pytest.raises(ValueError, match=r"the limit is 10\); use solve_matching"):
        v.check_size(11, 10, "assignments", "use solve_matching")


# ------------------------------------------------------ the examples


def test_capacity_at_int64_max_does_not_wrap():
    # Worker 0 can take both tasks: 5 + 4 = 9 (by hand).
    scores = [[5.0, 1.0], [4.0, 1.0]]
    assert mt.solve_matching(scores, np.array([INT64_MAX, 1])).objective == 9.0
    assert mt.solve_matching(scores, [INT64_MAX, 1]).objective == 9.0
    assert mt.brute_force_matching(scores, [INT64_MAX, 1]).objective == 9.0


@pytest.mark.parametrize("huge", [1e19, 10**20, np.uint64(2**63)])
def test_capacity_beyond_int64_is_refused(huge):
    with pytest.raises(ValueError, match="64-bit"):
        mt.solve_matching([[5.0, 1.0], [4.0, 1.0]], [huge, 1])


def test_ratio_histogram_never_exceeds_one():
    # Ratios of the online chapter's kind of instance with capacities x 4:
    # greedy often finds the optimal assignment, whose ratio must be exactly 1.
    rng = np.random.default_rng(3)
    scores = rng.random((12, 4))
    ratios = mt.random_order_ratios(scores, [12, 12, 12, 12], n_orders=300)
    assert ratios.max() <= 1.0
    assert np.sum(ratios == 1.0) == 300  # every task takes its best worker
    import matplotlib

    matplotlib.use("Agg")
    from lib.plots import draw_ratio_histogram

    ax = draw_ratio_histogram(scores, [12, 12, 12, 12], n_orders=300)
    drawn = sum(p.get_height() for p in ax.patches)
    assert drawn == 300


def test_project_onto_budget_accepts_lists_and_refuses_bad_input():
    # mean(3 + 3) = 6 exceeds 4 by 2: each entry moves down by 1 (by hand).
    E, I = pol.project_onto_budget([3.0], [3.0], 4.0)  # noqa: E741
    assert E.tolist() == [2.0] and I.tolist() == [2.0]
    with pytest.raises(ValueError, match="budget"):
        pol.project_onto_budget([3.0], [3.0], float("nan"))
    with pytest.raises(ValueError, match="same length"):
        pol.project_onto_budget([3.0, 1.0], [3.0], 4.0)
    E0 = np.array([1.0])
    E1, _ = pol.project_onto_budget(E0, np.array([1.0]), 10.0)
    assert not np.shares_memory(E0, E1)  # a fresh result even when feasible


def test_brute_force_tolerance_is_relative():
    # All scores below 1e-9: only the assignment taking the larger score of
    # the single task is optimal.
    res = mt.brute_force_matching([[1e-12, 2e-12]])
    assert res.optimal_pairs == [[(0, 1)]]
    assert res.objective == 2e-12


def test_capacity_slopes_of_tiny_scores_are_not_rounded_away():
    # Scaled copy of the docstring's instance: slopes scale with the scores.
    left, right = mt.capacity_slopes([[3e-12, 1e-12], [2e-12, 1e-12]], [1, 1], worker=0)
    assert left == pytest.approx(3e-12, rel=1e-9)
    assert right == pytest.approx(1e-12, rel=1e-9)


def test_matching_figure_refuses_invalid_pairs():
    import matplotlib

    matplotlib.use("Agg")
    from lib.plots import draw_bipartite_matching

    with pytest.raises(ValueError, match="task -1 does not exist"):
        draw_bipartite_matching([[1.0, 2.0], [3.0, 4.0]], pairs=[(-1, 0)])
    with pytest.raises(ValueError, match="worker 2 does not exist"):
        draw_bipartite_matching([[1.0, 2.0], [3.0, 4.0]], pairs=[(0, 2)])
    with pytest.raises(TypeError):
        draw_bipartite_matching([[1.0, 2.0], [3.0, 4.0]], pairs=[(0.0, 1)])
    ax = draw_bipartite_matching([[1.0, 2.0], [3.0, 4.0]], pairs=[(np.int64(1), 0)])
    assert ax.get_title() == "total score 3"


@pytest.mark.parametrize(
    "kwargs", [{"betas": (2, 0.999)}, {"betas": (0.9, 1.0)}, {"betas": (0.9,)},
               {"eps": float("nan")}, {"eps": 0.0}, {"eps": -1e-8}]
)  # fmt: skip
def test_fit_gradient_descent_refuses_bad_adam_settings(kwargs):
    with pytest.raises((ValueError, TypeError), match="betas|eps"):
        reg.fit_gradient_descent([[0.0], [1.0], [2.0]], [0.0, 1.0, 2.0], epochs=2, **kwargs)


def test_widgets_refuse_instead_of_clamping():
    import matplotlib

    matplotlib.use("Agg")
    from lib import widgets

    with pytest.raises(ValueError, match="max_capacity"):
        widgets.capacity_explorer([[1.0, 2.0]], capacity=[9, 1], max_capacity=4)
    with pytest.raises(ValueError, match="support"):
        widgets.example_explorer(support=5.0)
    with pytest.raises(ValueError, match="alpha"):
        widgets.coordination_explorer(alpha=10.0)


@pytest.mark.parametrize("order", [[0.0, 1.0], [True, False], [0.5, 1]])
def test_online_greedy_refuses_float_or_bool_order(order):
    with pytest.raises(TypeError, match="order"):
        mt.online_greedy([[1.0], [2.0]], order=order)


def test_online_greedy_accepts_integer_arrays_as_order():
    res = mt.online_greedy([[1.0], [2.0]], order=np.array([1, 0], dtype=np.int32))
    assert res.pairs == [(1, 0)] and res.order == [1, 0]


def test_source_lp_at_1e300():
    # Each entry goes to its bound when its score is positive (by hand).
    res = mt.source_lp([[1e300, -1.0]], [1.0, 1.0])
    assert res.x.tolist() == [[1.0, 0.0]] and res.objective == 1e300
    res = mt.source_lp([[2.0, 1.0]], [1e300, 0.0])
    assert res.x[0, 0] == pytest.approx(1e300, rel=1e-12) and res.x[0, 1] == 0.0
    with pytest.raises(ValueError, match="overflows"):
        mt.source_lp([[1e300]], [1e300])


def test_numpy_scalars_are_accepted_as_numbers():
    scores, costs = [[4.0, 3.0], [2.0, 5.0]], [[3.0, 1.0], [1.0, 3.0]]
    assert mt.solve_matching_with_budget(scores, costs, np.int64(4)).objective == 5.0
    assert mt.solve_matching_with_budget(scores, costs, np.float32(4)).objective == 5.0
    g = pol.finite_difference_gradient(lambda x: float(x @ x), [1.0], h=np.float32(1e-3))
    assert g[0] == pytest.approx(2.0, rel=1e-6)
    data = reg.make_quality_data(np.int64(20), seed=np.int32(1), noise_sd=np.float32(0.5))
    assert data.X.shape == (20, 5)
    fit = reg.fit_gradient_descent(data.X, data.y, lr=np.float32(0.01), epochs=np.int64(3))
    assert fit.loss_history.size == 3
    assert mt.screen_scores([[0.5]], np.float32(0.6)).tolist() == [[-1.0]]
    assert mt.random_order_ratios([[1.0]], n_orders=np.int16(3)).size == 3


def test_results_do_not_alias():
    _, (gx, gy, gp) = mt.source_code_loss(np.zeros((1, 1)), np.ones((1, 1)), np.zeros((1, 1)))
    assert not np.shares_memory(gy, gp)
    scores = np.array([[1.0, 2.0]])
    res = mt.solve_matching(scores)
    assert not np.shares_memory(res.scores, scores)
    res = mt.source_lp(scores, [1.0, 1.0])
    assert not np.shares_memory(res.x, scores)


def test_size_guards():
    # A billion values: refused, since a step below 1e-6 of the values cannot
    # be told from a neighbour's (the rule that also keeps lists short).
    with pytest.raises(ValueError, match="cannot tell"):
        pol.expand_printed_sequence((0, 1e-9, "...", 1))
    with pytest.raises(ValueError, match="cannot tell"):
        pol.expand_printed_sequence((0, 1e-300, "...", 1e300))
    with pytest.raises(ValueError, match="too large"):
        pol.expand_printed_sequence((0, 1, "...", 10), "stretched", 10**8)
    with pytest.raises(ValueError, match="solve_matching"):
        mt.brute_force_matching(np.ones((1, 299_999)))
    with pytest.raises(ValueError, match="integral=False"):
        mt.solve_matching_with_budget(np.ones((300, 300)), np.ones((300, 300)), 1.0)
