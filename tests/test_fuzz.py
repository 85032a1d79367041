"""Every public function of lib, fuzzed with hypothesis.

Arguments are drawn from a pool of bad and borderline values: random shapes
(0 to 3 dimensions, empty sides), NaN and infinity, integer, boolean, complex
and object dtypes, strings, None, ragged lists, negative and zero
capacities. Each call must either return a correct result (checked against a
reference where one exists) or raise ValueError or TypeError: no other
exception, no hang (the timeout marks), no silent wrong answer.

The number of inputs tried per function is written to
_build/fuzz_counts.txt and shown at the end of the test run.
"""

from __future__ import annotations

import inspect
from collections import Counter

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

# Functions and how many positional arguments they take from the pool.
TARGETS = {
    "matching.solve_matching": (mt.solve_matching, 2),
    "matching.brute_force_matching": (mt.brute_force_matching, 2),
    "matching.assignment_total": (mt.assignment_total, 3),
    "matching.source_lp": (mt.source_lp, 2),
    "matching.source_code_loss": (mt.source_code_loss, 3),
    "matching.matching_constraint_matrix": (mt.matching_constraint_matrix, 2),
    "matching.is_totally_unimodular": (mt.is_totally_unimodular, 1),
    "matching.lp_value": (mt.lp_value, 2),
    "matching.capacity_slopes": (mt.capacity_slopes, 3),
    "matching.solve_matching_with_budget": (mt.solve_matching_with_budget, 3),
    "matching.skill_scores": (mt.skill_scores, 2),
    "matching.screen_scores": (mt.screen_scores, 2),
    "matching.online_greedy": (mt.online_greedy, 3),
    "matching.make_skill_instance": (mt.make_skill_instance, 3),
    "matching.random_order_ratios": (lambda s, c: mt.random_order_ratios(s, c, n_orders=3), 2),
    "matching.matching_lagrangian": (mt.matching_lagrangian, 2),
    "policy.employment_effect": (pol.employment_effect, 4),
    "policy.education_loss": (pol.education_loss, 2),
    "policy.industry_loss": (pol.industry_loss, 2),
    "policy.social_loss": (pol.social_loss, 2),
    "policy.education_gradient": (pol.education_gradient, 2),
    "policy.industry_gradient": (pol.industry_gradient, 2),
    "policy.social_gradient": (pol.social_gradient, 2),
    "policy.finite_difference_gradient": (lambda x: pol.finite_difference_gradient(lambda v: float(np.sum(v**2)), x), 1),
    "policy.expand_printed_sequence": (pol.expand_printed_sequence, 3),
    "policy.example_inputs": (pol.example_inputs, 2),
    "policy.example_J": (pol.example_J, 2),
    "policy.required_constant_support": (pol.required_constant_support, 2),
    "policy.CoordinationProblem.create": (pol.CoordinationProblem.create, 6),
    "policy.gradient_component": (pol.gradient_component, 2),
    # Part I's model: a valid two-position model, junk everywhere else (and junk as the model).
    "coordination.create": (lambda *a: co.PolicyModel.create(a[0], a[1], gamma=a[2], budget=a[3]), 4),
    "coordination.chapter_model": (co.chapter_model, 3),
    "coordination.effects": (lambda x, y: co.effects(_PM, x, y), 2),
    "coordination.employment_gain": (lambda x, y: co.employment_gain(_PM, x, y), 2),
    "coordination.welfare": (lambda x, y: co.welfare(_PM, x, y), 2),
    "coordination.welfare_gradient": (lambda x, y: co.welfare_gradient(_PM, x, y), 2),
    "coordination.gradient_lipschitz": (co.gradient_lipschitz, 1),
    "coordination.solve_planner": (co.solve_planner, 1),
    "coordination.solve_decentralised": (lambda share: co.solve_decentralised(_PM, share), 1),
    "coordination.value_of_coordination": (co.value_of_coordination, 2),
    "coordination.kkt_active_sets": (co.kkt_active_sets, 1),
    "coordination.project_onto_budget_and_bounds": (co.project_onto_budget_and_bounds, 3),
    "coordination.projected_gradient_step": (lambda x, y, s: co.projected_gradient_step(_PM, x, y, s), 3),
    "coordination.projected_gradient_ascent": (lambda s, r: co.projected_gradient_ascent(_PM, s, r), 2),
    "policy_learning.effect_regressors": (lambda x, y: pl.effect_regressors(_PM, x, y), 2),
    "policy_learning.estimate_effects": (lambda *a: pl.estimate_effects(_PM, *a), 4),
    "policy_learning.learning_cycle": (lambda c, n, s: pl.learning_cycle(_PM, c, n, s), 3),
    "listing.article_listing": (lst.article_listing, 2),
    "listing.section_code_blocks": (lst.section_code_blocks, 2),
    "listing.analyse_listing": (lst.analyse_listing, 1),
    "regression.make_quality_data": (reg.make_quality_data, 3),
    "regression.train_test_split": (reg.train_test_split, 4),
    "regression.fit_least_squares": (reg.fit_least_squares, 2),
    "regression.fit_gradient_descent": (lambda X, y: reg.fit_gradient_descent(X, y, epochs=5), 2),
    "regression.mean_squared_error": (reg.mean_squared_error, 2),
    "regression.design_condition_number": (reg.design_condition_number, 2),
    "regression.feature_covariance": (reg.feature_covariance, 1),
    "inference.ols_inference": (inf.ols_inference, 3),
    "inference.simulate_coefficients": (lambda X, c, b, s: inf.simulate_coefficients(X, c, b, s, n_sims=5), 4),
    "inference.r_squared": (inf.r_squared, 2),
    "inference.mse_interval": (inf.mse_interval, 3),
    "inference.omitted_variable_bias": (inf.omitted_variable_bias, 3),
    "inference.population_omitted_bias": (inf.population_omitted_bias, 3),
    "robust.mad_scale": (rob.mad_scale, 1),
    "robust.huber_loss": (rob.huber_loss, 3),
    "robust.fit_huber": (lambda X, y, s: rob.fit_huber(X, y, scale=s, max_iter=50), 3),
    "ridge.ridge_path": (rdg.ridge_path, 3),
    "ridge.fit_ridge": (rdg.fit_ridge, 3),
    "ridge.ridge_cv": (lambda X, y, p: rdg.ridge_cv(X, y, p, n_folds=2), 3),
    "metrics.classification_report": (met.classification_report, 3),
    "metrics.averages_from_rows": (met.averages_from_rows, 1),
    "metrics.micro_average_interval": (met.micro_average_interval, 2),
    "metrics.implied_prediction_count": (met.implied_prediction_count, 2),
    "metrics.f1_interval": (met.f1_interval, 3),
    "metrics.extract_entities": (met.extract_entities, 1),
    "metrics.entity_report": (met.entity_report, 2),
    "metrics.entity_report (strict)": (lambda t, p: met.entity_report(t, p, mode="strict"), 2),
    "metrics.confusion_matrix": (met.confusion_matrix, 3),
    "ner.make_ner_corpus": (ner.make_ner_corpus, 2),
    "ner.make_ner_split": (lambda a, b: ner.make_ner_split(a, b, seed=0), 2),
    "ner.shared_sentences": (ner.shared_sentences, 2),
    "ner.score_tags": (ner.score_tags, 2),
    "ner.train_token_tagger": (lambda s, t: ner.train_token_tagger(s, t, epochs=3), 2),
    "ner.flatten": (ner.flatten, 1),
    "assignment_algorithms.polygon_vertices": (aa.polygon_vertices, 2),
    "assignment_algorithms.best_augmenting_path": (aa.best_augmenting_path, 4),
    "assignment_algorithms.augmenting_path_matching": (aa.augmenting_path_matching, 2),
    "assignment_algorithms.auction_bid": (aa.auction_bid, 4),
    "assignment_algorithms.auction_assignment": (aa.auction_assignment, 2),
    "assignment_algorithms.cs_violation": (aa.cs_violation, 3),
    "assignment_algorithms.interior_point_optimum": (aa.interior_point_optimum, 2),
    "wages.optimal_dual_vertices": (wg.optimal_dual_vertices, 1),
    "wages.extreme_core_point": (wg.extreme_core_point, 2),
    "wages.wage_intervals": (wg.wage_intervals, 1),
    "wages.nearest_core_point": (wg.nearest_core_point, 2),
    "wages.blocking_pairs": (wg.blocking_pairs, 4),
    "wages.deferred_acceptance": (wg.deferred_acceptance, 2),
    "wages.stable_matchings": (wg.stable_matchings, 2),
    "network.clone_workers": (net.clone_workers, 2),
    "network.max_price_duals": (net.max_price_duals, 3),
    "network.flow_network": (net.flow_network, 2),
    "floors.solve_matching_with_floor": (flo.solve_matching_with_floor, 3),
    "floors.floor_cost_curve": (flo.floor_cost_curve, 3),
    "online.greedy_choice": (onl.greedy_choice, 2),
    "online.bid_price_choice": (onl.bid_price_choice, 3),
    "online.run_online": (onl.run_online, 3),
    "online.bid_price_assignment": (onl.bid_price_assignment, 4),
    "online.batched_assignment": (onl.batched_assignment, 4),
    "online.sample_then_match": (onl.sample_then_match, 4),
    "online.compare_policies": (lambda s, c, p, k: onl.compare_policies(s, c, p, k, n_orders=3), 4),
    "online.unweighted_adversary": (onl.unweighted_adversary, 1),
    "online.weighted_adversary": (lambda big: onl.weighted_adversary(onl.greedy_choice, big), 1),
    "online.greedy_guarantee": (onl.greedy_guarantee, 1),
    "online.task_days": (onl.task_days, 4),
    "online.average_prices": (onl.average_prices, 2),
}


def _is_acceptable(exc: BaseException) -> bool:
    return isinstance(exc, (ValueError, TypeError))


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
    func, n_args = TARGETS[name]

    @settings(max_examples=EXAMPLES, deadline=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.tuples(*[arg] * n_args))
    def run(args):
        COUNTS[name] += 1
        try:
            with np.errstate(all="ignore"):
                result = func(*args)
        except Exception as exc:  # noqa: BLE001 - the point is to classify it
            assert _is_acceptable(exc), f"{name}{args!r} raised {type(exc).__name__}: {exc}"
            assert str(exc), f"{name} raised {type(exc).__name__} without a message"
            return
        _check_result(name, args, result)

    run()


def test_every_public_function_is_fuzzed():
    """A new public function of lib must be added to TARGETS."""
    exempt = {  # symbolic builders without arguments, display, plots and widgets are covered elsewhere
        "policy_symbols", "welfare_expr", "education_loss_expr", "industry_loss_expr", "social_loss_as_written_expr",
        "social_loss_corrected_expr", "employment_effect_expr", "article_education_gradient_expr",
        "coordinated_optimum_symbolic", "to_elementwise", "coordinated_optimum", "coordination_objective",
        "coordination_gradient", "project_onto_budget", "policy_cycle", "predict", "predict_tags", "f1_from",
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
