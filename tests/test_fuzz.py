"""Every public function of lib, fuzzed with hypothesis.

Arguments are drawn from a pool of bad and borderline values: random shapes
(0 to 3 dimensions, empty sides), NaN and infinity, integer, boolean, complex
and object dtypes, strings, None, ragged lists, negative and zero
capacities. Each call must either return a correct result (checked against a
reference where one exists) or raise by the rule of ``lib/_validate.py``: a
``TypeError`` when a value is of the wrong kind for its parameter (None where
an array is meant, a string, complex numbers, a float where an integer is
meant), a ``ValueError`` when a value of the right kind is wrong (NaN, out of
range, wrong shape), the message naming the parameter. Each target declares
the kind of value each drawn parameter expects (``Target.params``); where a
value could be read either way (a bool where an array is meant, a ragged
list) either exception is accepted. No other exception, no hang (the timeout
marks), no silent wrong answer.

The number of inputs tried per function is written to
_build/fuzz_counts.txt and shown at the end of the test run.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

import lib.assignment_algorithms as aa
import lib.coordination as co
import lib.floors as flo
import lib.inference as inf
import lib.listing as lst
import lib.matching as mt
import lib.metrics as met
import lib.ner as ner
import lib.network as net
import lib.online as onl
import lib.policy as pol
import lib.policy_learning as pl
import lib.regression as reg
import lib.ridge as rdg
import lib.robust as rob
import lib.wages as wg
from conftest import BUILD

COUNTS: Counter = Counter()
_PM = co.PolicyModel.create([20.0, 60.0], [5.0, 30.0], gamma=0.5, cost_I=2.0, budget=30.0)
EXAMPLES = 150

float_values = st.floats(allow_nan=True, allow_infinity=True, width=64)
numeric_arrays = st.one_of(
    arrays(np.float64, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4), elements=float_values),
    arrays(np.int64, array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4), elements=st.integers(-3, 5)),
    arrays(np.bool_, array_shapes(min_dims=1, max_dims=2, min_side=0, max_side=4)),
    arrays(np.complex128, array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=3)),
)
junk = st.one_of(
    st.none(),
    st.text(max_size=4),
    st.booleans(),
    st.integers(-5, 5),
    float_values,
    numeric_arrays,
    st.lists(st.one_of(st.integers(-2, 4), st.floats(-5, 5), st.text(max_size=2)), max_size=4),
    st.lists(st.lists(st.floats(-5, 5), max_size=3), max_size=3),  # possibly ragged
    st.lists(st.lists(st.sampled_from(["O", "B-PER", "I-PER", "X-Y", ""]), max_size=3), max_size=3),
)
# Plausible inputs, so that fuzzing also reaches past the validation.
small_matrix = arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 4)),
                      elements=st.floats(-3, 5, allow_nan=False, allow_infinity=False))  # fmt: skip
capacity_like = st.one_of(st.none(), st.integers(-1, 3), st.lists(st.integers(-1, 3), min_size=1, max_size=4),
                          st.lists(st.floats(-1, 3), min_size=1, max_size=4))  # fmt: skip
arg = st.one_of(junk, small_matrix, capacity_like)

# ------------------------------------------------------------ the targets
#
# Each target names the real function, the parameters whose values are drawn
# from the pool with the KIND of value each expects, and the arguments held
# fixed at valid values. The kind decides which exception a bad value must
# raise: a value of the wrong kind (None where an array is meant, a string, a
# bool, complex numbers, an array where a number is meant) a TypeError; a
# value of the right kind that is wrong (NaN, out of range, wrong shape) a
# ValueError. Either way the message names the parameter.


@dataclass(frozen=True)
class Target:
    func: Callable[..., Any]
    params: dict[str, str]  # drawn parameter -> kind of value it expects
    fixed: dict[str, Any] = field(default_factory=dict)

    def call(self, values: tuple) -> Any:
        return self.func(**self.fixed, **dict(zip(self.params, values)))


T = Target
A, CAP, NUM, INT, IDX = "array", "capacity", "number", "int", "index_array"
TARGETS: dict[str, Target] = {
    "matching.solve_matching": T(mt.solve_matching, {"scores": A, "capacity": CAP}),
    "matching.brute_force_matching": T(mt.brute_force_matching, {"scores": A, "capacity": CAP}),
    "matching.assignment_total": T(mt.assignment_total, {"scores": A, "pairs": "pairs", "capacity": CAP}),
    "matching.source_lp": T(mt.source_lp, {"scores": A, "capacity": CAP}),
    "matching.source_code_loss": T(mt.source_code_loss, {"x": A, "y": A, "p": A}),
    "matching.matching_constraint_matrix": T(mt.matching_constraint_matrix, {"n_tasks": INT, "n_workers": INT}),
    "matching.is_totally_unimodular": T(mt.is_totally_unimodular, {"matrix": A}),
    "matching.lp_value": T(mt.lp_value, {"scores": A, "capacity": CAP}),
    "matching.capacity_slopes": T(mt.capacity_slopes, {"scores": A, "capacity": CAP, "worker": INT}),
    "matching.solve_matching_with_budget": T(mt.solve_matching_with_budget, {"scores": A, "costs": A, "budget": NUM}),
    "matching.skill_scores": T(mt.skill_scores, {"tasks": A, "workers": A}),
    "matching.screen_scores": T(mt.screen_scores, {"scores": A, "threshold": NUM}),
    "matching.online_greedy": T(mt.online_greedy, {"scores": A, "capacity": CAP, "order": IDX}),
    "matching.make_skill_instance": T(mt.make_skill_instance, {"n_tasks": INT, "n_workers": INT, "n_skills": INT, "seed": "seed"}),
    "matching.random_order_ratios": T(mt.random_order_ratios, {"scores": A, "capacity": CAP, "seed": "seed"}, {"n_orders": 3}),
    "matching.matching_lagrangian": T(mt.matching_lagrangian, {"n_tasks": INT, "n_workers": INT}),
    "policy.employment_effect": T(pol.employment_effect, {"P": A, "E": A, "Ps": A, "I": A}),
    "policy.education_loss": T(pol.education_loss, {"S": A, "E": A}),
    "policy.industry_loss": T(pol.industry_loss, {"P": A, "I": A}),
    "policy.social_loss": T(pol.social_loss, {"Ps": A, "A": A}),
    "policy.education_gradient": T(pol.education_gradient, {"S": A, "E": A}),
    "policy.industry_gradient": T(pol.industry_gradient, {"P": A, "I": A}),
    "policy.social_gradient": T(pol.social_gradient, {"Ps": A, "A": A}),
    "policy.finite_difference_gradient": T(pol.finite_difference_gradient, {"x": A, "h": NUM}, {"f": lambda v: float(np.sum(v**2))}),
    "policy.expand_printed_sequence": T(pol.expand_printed_sequence, {"printed": "any", "reading": "str", "N": INT}),
    "policy.example_inputs": T(pol.example_inputs, {"reading": "str", "support": NUM}),
    "policy.example_J": T(pol.example_J, {"reading": "str", "support": NUM}),
    "policy.required_constant_support": T(pol.required_constant_support, {"reading": "str", "target": NUM}),
    "policy.CoordinationProblem.create": T(pol.CoordinationProblem.create, {"S": A, "P": A, "Ps": A, "alpha": NUM, "beta": NUM, "budget": NUM}),
    "policy.gradient_component": T(pol.gradient_component, {"expr": "any", "var": "any"}),
    # Part I's model: a valid two-position model, junk everywhere else (and junk as the model).
    "coordination.create": T(co.PolicyModel.create, {"S": A, "P": A, "gamma": NUM, "budget": NUM}),
    "coordination.chapter_model": T(co.chapter_model, {"gamma": NUM, "budget": NUM, "N": INT}),
    "coordination.effects": T(co.effects, {"x": A, "y": A}, {"model": _PM}),
    "coordination.employment_gain": T(co.employment_gain, {"x": A, "y": A}, {"model": _PM}),
    "coordination.welfare": T(co.welfare, {"x": A, "y": A}, {"model": _PM}),
    "coordination.welfare_gradient": T(co.welfare_gradient, {"x": A, "y": A}, {"model": _PM}),
    "coordination.gradient_lipschitz": T(co.gradient_lipschitz, {"model": "any"}),
    "coordination.solve_planner": T(co.solve_planner, {"model": "any"}),
    "coordination.solve_decentralised": T(co.solve_decentralised, {"share": NUM}, {"model": _PM}),
    "coordination.value_of_coordination": T(co.value_of_coordination, {"model": "any", "share": NUM}),
    "coordination.kkt_active_sets": T(co.kkt_active_sets, {"model": "any"}),
    "coordination.project_onto_budget_and_bounds": T(co.project_onto_budget_and_bounds, {"x": A, "y": A, "budget": NUM}),
    "coordination.projected_gradient_step": T(co.projected_gradient_step, {"x": A, "y": A, "step": NUM}, {"model": _PM}),
    "coordination.projected_gradient_ascent": T(co.projected_gradient_ascent, {"step": NUM, "rounds": INT}, {"model": _PM}),
    "policy_learning.effect_regressors": T(pl.effect_regressors, {"x": A, "y": A}, {"model": _PM}),
    "policy_learning.estimate_effects": T(pl.estimate_effects, {"X": A, "outcome": A, "E": A, "I": A}, {"model": _PM}),
    "policy_learning.learning_cycle": T(pl.learning_cycle, {"cycles": INT, "noise": NUM, "seed": "seed"}, {"model": _PM}),
    "listing.article_listing": T(lst.article_listing, {"seed": "str", "section": "str"}),
    "listing.section_code_blocks": T(lst.section_code_blocks, {"text": "str", "section": "str"}),
    "listing.analyse_listing": T(lst.analyse_listing, {"code": "str"}),
    "regression.make_quality_data": T(reg.make_quality_data, {"n": INT, "seed": "seed", "noise_sd": NUM}),
    "regression.train_test_split": T(reg.train_test_split, {"X": A, "y": A, "test_fraction": NUM, "seed": "seed"}),
    "regression.fit_least_squares": T(reg.fit_least_squares, {"X": A, "y": A}),
    "regression.fit_gradient_descent": T(reg.fit_gradient_descent, {"X": A, "y": A}, {"epochs": 5}),
    "regression.mean_squared_error": T(reg.mean_squared_error, {"y_true": A, "y_pred": A}),
    "regression.design_condition_number": T(reg.design_condition_number, {"X": A, "scale": "bool"}),
    "regression.feature_covariance": T(reg.feature_covariance, {"humidity_correlation": NUM}),
    "inference.ols_inference": T(inf.ols_inference, {"X": A, "y": A, "level": NUM}),
    "inference.simulate_coefficients": T(inf.simulate_coefficients, {"X": A, "coef": A, "intercept": NUM, "noise_sd": NUM, "seed": "seed"}, {"n_sims": 5}),
    "inference.r_squared": T(inf.r_squared, {"y_true": A, "y_pred": A}),
    "inference.mse_interval": T(inf.mse_interval, {"y_true": A, "y_pred": A, "level": NUM}),
    "inference.omitted_variable_bias": T(inf.omitted_variable_bias, {"X": A, "y": A, "omit": IDX}),
    "inference.population_omitted_bias": T(inf.population_omitted_bias, {"cov": A, "coef": A, "omit": IDX}),
    "robust.mad_scale": T(rob.mad_scale, {"residuals": A}),
    "robust.huber_loss": T(rob.huber_loss, {"residuals": A, "scale": NUM, "epsilon": NUM}),
    "robust.fit_huber": T(rob.fit_huber, {"X": A, "y": A, "scale": "any"}, {"max_iter": 50}),
    "ridge.ridge_path": T(rdg.ridge_path, {"X": A, "y": A, "penalties": A}),
    "ridge.fit_ridge": T(rdg.fit_ridge, {"X": A, "y": A, "penalty": NUM}),
    "ridge.ridge_cv": T(rdg.ridge_cv, {"X": A, "y": A, "penalties": A, "seed": "seed"}, {"n_folds": 2}),
    "metrics.classification_report": T(met.classification_report, {"y_true": "labels", "y_pred": "labels", "labels": "labels"}),
    "metrics.averages_from_rows": T(met.averages_from_rows, {"rows": "any"}),
    "metrics.micro_average_interval": T(met.micro_average_interval, {"rows": "any", "decimals": INT}),
    "metrics.implied_prediction_count": T(met.implied_prediction_count, {"rows": "any", "decimals": INT}),
    "metrics.f1_from": T(met.f1_from, {"precision": NUM, "recall": NUM}),
    "metrics.f1_interval": T(met.f1_interval, {"precision": NUM, "recall": NUM, "decimals": INT}),
    "metrics.extract_entities": T(met.extract_entities, {"tags": "tag_list"}),
    "metrics.entity_report": T(met.entity_report, {"true_tags": "tags", "pred_tags": "tags"}),
    "metrics.entity_report (strict)": T(met.entity_report, {"true_tags": "tags", "pred_tags": "tags"}, {"mode": "strict"}),
    "metrics.confusion_matrix": T(met.confusion_matrix, {"y_true": "labels", "y_pred": "labels", "labels": "labels"}),
    "ner.make_ner_corpus": T(ner.make_ner_corpus, {"n_sentences": INT, "seed": "seed"}),
    "ner.make_ner_split": T(ner.make_ner_split, {"n_train": INT, "n_test": INT, "seed": "seed"}),
    "ner.shared_sentences": T(ner.shared_sentences, {"train": "any", "test": "any"}),
    "ner.score_tags": T(ner.score_tags, {"true_tags": "tags", "pred_tags": "tags"}),
    "ner.train_token_tagger": T(ner.train_token_tagger, {"sentences": "tags", "tags": "tags"}, {"epochs": 3}),
    "ner.flatten": T(ner.flatten, {"nested": "any"}),
    "assignment_algorithms.polygon_vertices": T(aa.polygon_vertices, {"a_ub": A, "b_ub": A}),
    "assignment_algorithms.best_augmenting_path": T(aa.best_augmenting_path, {"scores": A, "pairs": "pairs", "task": INT, "capacity": CAP}),
    "assignment_algorithms.augmenting_path_matching": T(aa.augmenting_path_matching, {"scores": A, "capacity": CAP}),
    "assignment_algorithms.auction_bid": T(aa.auction_bid, {"scores": A, "prices": A, "task": INT, "epsilon": NUM}),
    "assignment_algorithms.auction_assignment": T(aa.auction_assignment, {"scores": A, "epsilon": NUM}),
    "assignment_algorithms.cs_violation": T(aa.cs_violation, {"scores": A, "pairs": "pairs", "prices": A}),
    "assignment_algorithms.interior_point_optimum": T(aa.interior_point_optimum, {"scores": A, "capacity": CAP}),
    "wages.optimal_dual_vertices": T(wg.optimal_dual_vertices, {"scores": A}),
    "wages.extreme_core_point": T(wg.extreme_core_point, {"scores": A, "side": "str"}),
    "wages.wage_intervals": T(wg.wage_intervals, {"scores": A}),
    "wages.nearest_core_point": T(wg.nearest_core_point, {"scores": A, "wages": A}),
    "wages.blocking_pairs": T(wg.blocking_pairs, {"scores": A, "task_values": A, "wages": A, "tol": NUM}),
    "wages.deferred_acceptance": T(wg.deferred_acceptance, {"proposer_prefs": "prefs", "receiver_prefs": "prefs"}),
    "wages.stable_matchings": T(wg.stable_matchings, {"proposer_prefs": "prefs", "receiver_prefs": "prefs"}),
    "network.clone_workers": T(net.clone_workers, {"scores": A, "capacity": CAP}),
    "network.max_price_duals": T(net.max_price_duals, {"scores": A, "capacity": CAP, "x": A}),
    "network.flow_network": T(net.flow_network, {"scores": A, "capacity": CAP}),
    "floors.solve_matching_with_floor": T(flo.solve_matching_with_floor, {"scores": A, "floor": A, "capacity": CAP}),
    "floors.floor_cost_curve": T(flo.floor_cost_curve, {"scores": A, "floors": A, "capacity": CAP}),
    "online.greedy_choice": T(onl.greedy_choice, {"scores_of_task": A, "capacity_left": CAP}),
    "online.bid_price_choice": T(onl.bid_price_choice, {"scores_of_task": A, "capacity_left": CAP, "prices": A}),
    "online.run_online": T(onl.run_online, {"scores": A, "capacity": CAP, "order": IDX}),
    "online.bid_price_assignment": T(onl.bid_price_assignment, {"scores": A, "prices": A, "capacity": CAP, "order": IDX}),
    "online.batched_assignment": T(onl.batched_assignment, {"scores": A, "capacity": CAP, "order": IDX, "batch_size": INT}),
    "online.sample_then_match": T(onl.sample_then_match, {"scores": A, "capacity": CAP, "order": IDX, "sample_share": NUM}),
    "online.compare_policies": T(onl.compare_policies, {"scores": A, "capacity": CAP, "prices": A, "batch_sizes": "any", "seed": "seed"}, {"n_orders": 3}),
    "online.unweighted_adversary": T(onl.unweighted_adversary, {"choose": "any"}),
    "online.weighted_adversary": T(onl.weighted_adversary, {"big": NUM}, {"choose": onl.greedy_choice}),
    "online.greedy_guarantee": T(onl.greedy_guarantee, {"scores": A}),
    "online.task_days": T(onl.task_days, {"workers": A, "n_tasks": INT, "n_days": INT, "seed": "seed"}),
    "online.average_prices": T(onl.average_prices, {"days": "any", "capacity": CAP}),
}  # fmt: skip

# Parameters for which None is a valid value (a default meaning "none" or "all").
NONE_ALLOWED = {"capacity", "labels", "prices", "capacity_left"}


# ------------------------------------------- which exception a value calls for


def _flat(value: Any) -> list | None:
    """The leaves of a nested list or tuple, or None when it is ragged."""
    try:
        array = np.asarray(value, dtype=object)
    except ValueError:
        return None
    if array.dtype == object and any(isinstance(v, (list, tuple)) for v in array.ravel()):
        return None  # ragged: numpy kept the inner lists as objects
    return list(array.ravel())


def _array_kind(value: Any) -> str:
    """'kind', 'value' or 'either' for a value passed where an array of real
    numbers is expected."""
    if isinstance(value, (str, bytes, complex, np.complexfloating)):
        return "kind"
    if isinstance(value, (bool, np.bool_)):
        return "either"  # a bool reads as a 0-d array: both are defensible
    if isinstance(value, (int, float, np.integer, np.floating)):
        return "value"  # a number where an array is meant: the wrong shape
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iuf":
            return "value"
        return "either" if value.dtype.kind == "b" else "kind"
    if isinstance(value, (list, tuple)):
        leaves = _flat(value)
        if leaves is None:
            return "either"  # ragged: unreadable before its entries are looked at
        if any(isinstance(v, (bool, np.bool_)) for v in leaves):
            return "either"
        if all(isinstance(v, (int, float, np.integer, np.floating)) for v in leaves):
            return "value"
        return "kind"
    return "kind"


def _number_kind(value: Any, integer: bool) -> str:
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)):
        return "kind"
    if isinstance(value, (int, np.integer)):
        return "value"
    if isinstance(value, (float, np.floating)):
        return "kind" if integer else "value"
    return "kind"


def _labels_kind(value: Any) -> str:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return "kind"
    if isinstance(value, np.ndarray):
        if value.ndim != 1 or value.dtype.kind in "cOV":
            return "kind"
        return "value"
    items = list(value)
    if any(isinstance(v, (list, tuple, np.ndarray)) for v in items):
        return "kind"
    if not all(isinstance(v, (str, int, float, np.integer, np.floating, bool, np.bool_)) for v in items):
        return "kind"
    strings = [isinstance(v, str) for v in items]
    return "kind" if any(strings) and not all(strings) else "value"


def _tags_kind(value: Any, nested: bool) -> str:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return "kind"
    if isinstance(value, np.ndarray):
        return "either"
    for item in value:
        if nested:
            if _tags_kind(item, nested=False) == "kind":
                return "kind"
        elif not isinstance(item, str):
            return "kind"
    return "value"


def _pairs_kind(value: Any) -> str:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        return "kind"
    if isinstance(value, np.ndarray):
        return "value" if value.dtype.kind in "iu" else "either"
    for pair in value:
        if isinstance(pair, (str, bytes)) or not hasattr(pair, "__len__") or len(pair) != 2:
            return "kind"
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pair):
            return "kind"
    return "value"


def expected_error(kind: str, value: Any, name: str) -> str:
    """'kind' (TypeError), 'value' (ValueError) or 'either' for one drawn value."""
    if value is None:
        return "either" if name in NONE_ALLOWED else "kind"
    if kind in ("array", "capacity"):
        return _array_kind(value)
    if kind == "index_array":
        found = _array_kind(value)
        floats = isinstance(value, np.ndarray) and value.dtype.kind == "f" or (
            isinstance(value, (list, tuple)) and any(isinstance(v, float) for v in (_flat(value) or []))
        )
        return "either" if found == "value" and floats else found
    if kind in ("number", "int"):
        return _number_kind(value, integer=kind == "int")
    if kind == "seed":
        return "value" if isinstance(value, np.random.Generator) else _number_kind(value, integer=True)
    if kind == "bool":
        return "value" if isinstance(value, (bool, np.bool_)) else "kind"
    if kind == "str":
        return "value" if isinstance(value, (str, np.str_)) else "kind"
    if kind == "labels":
        return _labels_kind(value)
    if kind == "tags":
        return _tags_kind(value, nested=True)
    if kind == "tag_list":
        return _tags_kind(value, nested=False)
    if kind == "pairs":
        return _pairs_kind(value)
    if kind == "prefs":  # lists of indices of different lengths: no array kind to compare with
        return "kind" if isinstance(value, (str, bytes)) else "either"
    return "either"


def _names(message: str, params: dict[str, str]) -> list[str]:
    return [p for p in params if re.search(rf"(?<![A-Za-z0-9_]){re.escape(p)}(?![A-Za-z0-9_])", message)]


def check_error(target: Target, values: tuple, exc: BaseException) -> None:
    """The rule of lib/_validate.py: a TypeError for a value of the wrong kind
    and a ValueError for a wrong value of the right kind, the message naming
    the argument."""
    assert isinstance(exc, (ValueError, TypeError)), f"{type(exc).__name__}: {exc}"
    message = str(exc)
    assert message, f"{type(exc).__name__} without a message"
    named = _names(message, target.params)
    assert named, f"{type(exc).__name__}({message!r}) names none of {list(target.params)}"
    wanted = "kind" if isinstance(exc, TypeError) else "value"
    drawn = dict(zip(target.params, values))
    verdicts = {p: expected_error(target.params[p], drawn[p], p) for p in named}
    assert any(v in (wanted, "either") for v in verdicts.values()), (
        f"{type(exc).__name__}({message!r}) names {named}, whose values call for "
        f"{ {p: ('TypeError' if v == 'kind' else 'ValueError') for p, v in verdicts.items()} }"
    )


def _check_result(name: str, args: tuple, result) -> None:
    """Where a reference exists, a returned result must agree with it."""
    if name == "matching.solve_matching":
        scores, capacity = args
        if np.size(scores) <= 12:
            brute = mt.brute_force_matching(scores, capacity)
            assert abs(result.objective - brute.objective) <= 1e-9 * max(1.0, np.abs(result.scores).sum())
        assert set(np.unique(result.x)) <= {0, 1}
    elif name in ("assignment_algorithms.augmenting_path_matching", "assignment_algorithms.auction_assignment"):
        brute = mt.brute_force_matching(args[0], args[1] if name.endswith("path_matching") else None)
        slack = 0.0 if name.endswith("path_matching") else result.epsilon * np.shape(args[0])[0]
        assert brute.objective - slack - 1e-9 <= result.objective <= brute.objective + 1e-9
    elif name == "matching.online_greedy":
        scores, capacity, _ = args
        assert result.objective <= mt.solve_matching(scores, capacity).objective + 1e-9
    elif name == "regression.fit_least_squares":
        X, y = (np.asarray(a, dtype=float) for a in args)
        ref = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]
        assert np.allclose(np.r_[result.intercept, result.coef], ref, rtol=1e-6, atol=1e-6)
    elif name in ("policy.education_loss", "policy.industry_loss", "policy.social_loss"):
        a, b = (np.asarray(x, dtype=float) for x in args)
        assert np.isclose(result, np.mean((a - b) ** 2))
    elif name == "policy.employment_effect":
        P, E, Ps, I = (np.asarray(x, dtype=float) for x in args)  # noqa: E741
        assert np.isclose(result, np.mean(P * E + Ps * I))
    elif name == "ridge.fit_ridge" and np.ndim(args[2]) == 0 and float(args[2]) == 0:
        X, y = (np.asarray(a, dtype=float) for a in args[:2])
        ref = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]
        assert np.allclose(np.r_[result.intercept, result.coef], ref, rtol=1e-6, atol=1e-6)
    elif name == "coordination.project_onto_budget_and_bounds":
        px, py = result
        assert min(px.min(initial=0), py.min(initial=0)) >= 0 and np.sum(px + py) <= args[2] * px.size + 1e-9
    elif name == "regression.mean_squared_error":
        a, b = (np.asarray(x, dtype=float) for x in args)
        assert np.isclose(result, np.mean((a - b) ** 2))
    if isinstance(result, float):
        assert not np.isnan(result), f"{name} returned NaN silently"


@pytest.mark.timeout(300)
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz(name):
    target = TARGETS[name]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.tuples(*[arg] * len(target.params)))
    def run(values):
        COUNTS[name] += 1
        try:
            with np.errstate(all="ignore"):
                result = target.call(values)
        except Exception as exc:  # noqa: BLE001 - the point is to classify it
            try:
                check_error(target, values, exc)
            except AssertionError as failure:
                raise AssertionError(f"{name}{values!r}: {failure}") from exc
            return
        _check_result(name, values, result)

    run()


def test_targets_name_real_parameters():
    for target in TARGETS.values():
        inspect.signature(target.func).bind_partial(**target.fixed, **dict.fromkeys(target.params))


def test_every_public_function_is_fuzzed():
    """A new public function of lib must be added to TARGETS."""
    exempt = {  # symbolic builders without arguments, display, plots and widgets are covered elsewhere
        "policy_symbols", "welfare_expr", "education_loss_expr", "industry_loss_expr", "social_loss_as_written_expr",
        "social_loss_corrected_expr", "employment_effect_expr", "article_education_gradient_expr",
        "coordinated_optimum_symbolic", "to_elementwise", "coordinated_optimum", "coordination_objective",
        "coordination_gradient", "project_onto_budget", "policy_cycle", "predict", "predict_tags",
    }  # fmt: skip
    fuzzed = {name.split(".")[-1] for name in TARGETS} | {"create"}
    for module in (mt, pol, reg, met, ner, inf, rob, rdg, aa, wg, net, flo, onl, co, pl, lst):
        for name, obj in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(obj) or obj.__module__ != module.__name__:
                continue
            assert name in fuzzed or name in exempt, f"{module.__name__}.{name} is not fuzzed"


@pytest.mark.timeout(120)
@settings(max_examples=EXAMPLES, deadline=None)
@given(st.data())
def test_fuzz_coordination_and_cycle(data):
    """Functions that take a CoordinationProblem: a valid problem, junk elsewhere."""
    n = data.draw(st.integers(1, 4))
    vec = st.lists(st.floats(-5, 5), min_size=n, max_size=n)
    problem = pol.CoordinationProblem.create(data.draw(vec), data.draw(vec), data.draw(vec),
                                             data.draw(st.floats(0.1, 3)), data.draw(st.floats(0.1, 3)),
                                             data.draw(st.one_of(st.just(np.inf), st.floats(-10, 10))))  # fmt: skip
    COUNTS["policy.coordination (problem functions)"] += 1
    opt = pol.coordinated_optimum(problem)
    g_e, g_i = pol.coordination_gradient(problem, opt.E, opt.I)
    assert np.allclose(g_e, opt.multiplier) and np.allclose(g_i, opt.multiplier)
    for junk_args in [(data.draw(arg),), (data.draw(arg), data.draw(arg))]:
        for func in (pol.policy_cycle, pol.coordination_objective, pol.coordination_gradient):
            COUNTS["policy.coordination (problem functions)"] += 1
            try:
                func(problem, *junk_args)
            except (ValueError, TypeError):
                pass


def test_size_caps_are_refused_clearly(monkeypatch):
    with pytest.raises(ValueError, match="at most"):
        mt.solve_matching(np.zeros((1, mt.MAX_LP_VARIABLES + 1)))
    with pytest.raises(ValueError, match="enumerates at most"):
        mt.brute_force_matching(np.ones((9, 4)))
    monkeypatch.setattr(reg, "MAX_ROWS", 10)
    with pytest.raises(ValueError, match="at most 10"):
        reg.fit_least_squares(np.ones((11, 1)), np.ones(11))


def test_infeasible_and_degenerate_problems():
    # Nothing can be assigned: every capacity is zero.
    assert mt.solve_matching([[1.0, 2.0]], capacity=[0, 0]).pairs == []
    # An offline optimum of zero leaves the online ratio undefined: refused, not NaN.
    with pytest.raises(ValueError, match="undefined"):
        mt.random_order_ratios([[0.0, -1.0]])
    # A budget too small for any pair gives the empty assignment.
    assert mt.solve_matching_with_budget([[5.0]], [[2.0]], 1.0).objective == 0.0


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    BUILD.mkdir(exist_ok=True)
    lines = [f"{count:6d}  {name}" for name, count in sorted(COUNTS.items())]
    lines.append(f"{sum(COUNTS.values()):6d}  inputs in all, {len(COUNTS)} targets")
    (BUILD / "fuzz_counts.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
