"""The policy cycle of seed 000 §3.2 as learning from noisy outcomes.

The planner knows the form of the employment model of :mod:`lib.coordination`,
its requirements, curvatures, costs and budget, but not the three effect
sizes ``theta = (a, b, gamma)``. Each cycle:

1. *analyse needs*: estimate ``theta`` by least squares from every outcome
   observed so far;
2. *set policy*: solve the planner's problem with the estimates plugged in
   (certainty equivalence), optionally mixed with a random feasible policy
   (deliberate experimentation);
3. *implement*: spend accordingly;
4. *evaluate*: observe each position's employment gain plus noise.

The outcome is linear in ``theta`` once the known curvature terms are moved
to the left: ``u_n + kE/2 E_n^2 + kI/2 I_n^2 = a S_n E_n + b P_n I_n + gamma E_n I_n``,
so the regressors are ``S E``, ``P I`` and ``E I``. When the policy stops
funding support (``I = 0`` everywhere), the last two regressors are zero and
the data say nothing more about ``b`` and ``gamma``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lib._validate import as_choice, as_integer, as_real, as_real_matrix, as_real_vector, as_seed
from lib.coordination import PolicyModel, _as_model, effects, solve_planner, welfare

__all__ = [
    "PILOTS",
    "LearningResult",
    "effect_regressors",
    "estimate_effects",
    "learning_cycle",
]

#: The first cycle's policy: "both" is a randomised pilot (the budget split at
#: random over education and support at every position, as an evaluation
#: would design it); "education only" spends it all on education, in
#: proportion to the requirements (a planner that has never funded support).
PILOTS = ("both", "education only")


def effect_regressors(model: PolicyModel, x: Any, y: Any) -> np.ndarray:
    """The three regressors S E, P I, E I of each position (one row per position).

    Parameters
    ----------
    model : PolicyModel
        The coordination model.
    x, y : array_like, shape (N,)
        Spending on skills and on industrial support, per position.

    Returns
    -------
    numpy.ndarray, shape (N, 3)
        The columns ``S E``, ``P I`` and ``E I``.

    Examples
    --------
    >>> from lib.coordination import PolicyModel
    >>> effect_regressors(PolicyModel.create([2.0], [3.0]), [1.0], [1.0])
    array([[2., 3., 1.]])
    """
    model = _as_model(model)
    E, I = effects(model, x, y)
    return np.column_stack([model.S * E, model.P * I, E * I])


def estimate_effects(model: PolicyModel, X: Any, outcome: Any, E: Any, I: Any) -> np.ndarray:
    """Least-squares estimate of (a, b, gamma) from stacked observations.

    ``X`` holds the regressors (:func:`effect_regressors`), ``outcome`` the
    observed gains, ``E`` and ``I`` the effects that produced them (for the
    known curvature terms).

    The three regressors are in different units (``S E`` in requirement times
    skill, ``E I`` in skill times support) and may differ by many orders of
    magnitude. Each column is therefore divided by its norm before the
    least-squares solve, and the numerical rank is decided on these
    standardised columns (numpy's rule: singular values below
    ``max(m, 3) * eps`` times the largest count as zero). On the raw columns
    a regressor 1e16 times smaller than another would count as zero, and
    its effect would be dropped. When the data do not identify every
    effect, the estimate is the minimum-norm solution in the standardised
    columns: unchanged by a change of units, and 0 for an effect whose
    regressor is zero in every observation (support never funded).

    Parameters
    ----------
    model : PolicyModel
        The coordination model (its curvatures are taken as known).
    X : array_like, shape (m, 3)
        The regressors of every observation.
    outcome : array_like, shape (m,)
        The observed gains.
    E, I : array_like, shape (m,)
        Skills and support that produced them.

    Returns
    -------
    numpy.ndarray, shape (3,)
        The estimates of ``(a, b, gamma)``.

    Raises
    ------
    ValueError
        If a shape is wrong, a value is not finite, or the response (the
        outcome plus the curvature terms of ``E`` and ``I``) or the estimates
        are beyond the float range.

    Examples
    --------
    >>> from lib.coordination import PolicyModel, employment_gain, effects
    >>> m = PolicyModel.create([1.0, 2.0, 3.0], [3.0, 1.0, 2.0], a=1.0, b=0.5, gamma=0.2)
    >>> x, y = [1.0, 2.0, 0.5], [0.3, 1.0, 2.0]
    >>> est = estimate_effects(m, effect_regressors(m, x, y), employment_gain(m, x, y), *effects(m, x, y))
    >>> est.round(6)
    array([1. , 0.5, 0.2])
    """
    model = _as_model(model)
    X = as_real_matrix(X, "X", meaning="observations x 3 regressors")
    if X.shape[1] != 3:
        raise ValueError(f"X needs three columns (S E, P I, E I); got {X.shape[1]}.")
    outcome = as_real_vector(outcome, "outcome", X.shape[0])
    E, I = as_real_vector(E, "E", X.shape[0]), as_real_vector(I, "I", X.shape[0])
    with np.errstate(over="ignore", invalid="ignore"):
        response = outcome + model.kE / 2 * E**2 + model.kI / 2 * I**2
    if not np.all(np.isfinite(response)):
        raise ValueError(
            "outcome + kE/2 E^2 + kI/2 I^2 is beyond the float range (about 1.8e308): "
            "E and I are too large for the model's curvatures; rescale them."
        )
    return _standardised_lstsq(X, response)


def _column_norms(X: np.ndarray) -> np.ndarray:
    """Euclidean norm of each column, scaled so that squares cannot overflow or underflow."""
    top = np.max(np.abs(X), axis=0)
    safe = np.where(top > 0, top, 1.0)
    return top * np.sqrt(np.sum((X / safe) ** 2, axis=0))


def _standardised_lstsq(X: np.ndarray, response: np.ndarray) -> np.ndarray:
    """Minimum-norm least squares on unit-norm columns, mapped back to X's units."""
    norms = _column_norms(X)
    used = norms > 0
    theta = np.zeros(X.shape[1])
    if used.any():
        z, *_ = np.linalg.lstsq(X[:, used] / norms[used], response, rcond=None)
        with np.errstate(over="ignore"):
            theta[used] = z / norms[used]
    if not np.all(np.isfinite(theta)):
        raise ValueError(
            "the estimates are beyond the float range (about 1.8e308): the regressors X "
            "are too small for the outcome; rescale them."
        )
    return theta


@dataclass(frozen=True)
class LearningResult:
    """History of the learning cycle, one entry per cycle.

    ``distance[t]``: root-mean-square gap per position between the policy the
    planner recommends after cycle t (its plug-in optimum) and the true
    optimum; ``regret[t]``: true optimal W minus the W of the policy
    implemented in cycle t; ``estimates[t]``: (a, b, gamma) after cycle t;
    ``support_share[t]``: share of the implemented spending that went to
    industrial support.

    Attributes
    ----------
    distance : numpy.ndarray, shape (cycles,)
        Distance of the recommended policy to the true optimum.
    regret : numpy.ndarray, shape (cycles,)
        True optimal W minus the W of the implemented policy.
    estimates : numpy.ndarray, shape (cycles, 3)
        The estimates of (a, b, gamma).
    support_share : numpy.ndarray, shape (cycles,)
        Share of the implemented spending that went to industrial support.

    Examples
    --------
    >>> from lib.coordination import chapter_model
    >>> run = learning_cycle(chapter_model(N=20), cycles=5, noise=10.0, seed=1)
    >>> run.estimates.shape, run.regret.shape
    ((5, 3), (5,))
    """

    distance: np.ndarray
    regret: np.ndarray
    estimates: np.ndarray
    support_share: np.ndarray


def _plug_in(model: PolicyModel, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Effects cannot be negative, and the estimated model must stay concave.
    limit = 0.95 * np.sqrt(model.kE * model.kI)
    a, b = max(0.0, float(theta[0])), max(0.0, float(theta[1]))
    gamma = float(np.clip(theta[2], -limit, limit))
    plan = solve_planner(model.with_(a=a, b=b, gamma=gamma))
    return plan.x, plan.y


def _random_policy(model: PolicyModel, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    # The whole budget split at random over the 2N uses (a feasible policy).
    share = rng.dirichlet(np.ones(2 * model.N)) * model.budget * model.N
    return share[: model.N], share[model.N:]


def _pilot(model: PolicyModel, pilot: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if pilot == "both":
        return _random_policy(model, rng)
    # Spending in proportion to the requirements, the budget in all (nothing
    # when every requirement is 0; a floor on the mean would misspend when the
    # requirements are tiny).
    mean = float(np.mean(model.S))
    x = model.budget * model.S / mean if mean > 0 else np.zeros(model.N)
    return x, np.zeros(model.N)


def learning_cycle(model: PolicyModel, cycles: int = 30, noise: float = 1.0,
                   seed: int | np.random.Generator = 0, *,
                   explore: float = 0.0, pilot: str = "both") -> LearningResult:  # fmt: skip
    """Run the learning policy cycle against the true ``model``.

    Parameters
    ----------
    model : PolicyModel
        The truth; the planner knows everything except (a, b, gamma).
    cycles : int
        Number of cycles after the pilot.
    noise : float
        Standard deviation of each position's observed outcome.
    seed : int or numpy.random.Generator, default 0
        Seed of the generator (an integer >= 0, as ``np.random.default_rng``),
        or a generator to draw from.
    explore : float
        Deliberate experimentation: in cycle t the implemented policy is
        (1 - e_t) * plug-in + e_t * a random feasible policy, with
        e_t = explore / sqrt(t). 0 is pure certainty equivalence.
    pilot : str
        One of :data:`PILOTS`.

    Returns
    -------
    LearningResult

    Examples
    --------
    >>> from lib.coordination import chapter_model
    >>> run = learning_cycle(chapter_model(N=20), cycles=5, noise=10.0, seed=1)
    >>> run.distance.shape, bool(run.distance[-1] < run.distance[0])
    ((5,), True)
    """
    model = _as_model(model)
    cycles = as_integer(cycles, "cycles", minimum=1, maximum=10_000)
    noise = as_real(noise, "noise", minimum=0.0)
    explore = as_real(explore, "explore", minimum=0.0, maximum=1.0)
    pilot = as_choice(pilot, "pilot", PILOTS)
    rng = as_seed(seed)
    best = solve_planner(model)
    x, y = _pilot(model, pilot, rng)
    rows, outcomes, Es, Is = [], [], [], []
    distance, regret = np.empty(int(cycles)), np.empty(int(cycles))
    estimates, support = np.empty((int(cycles), 3)), np.empty(int(cycles))

    def observe(x: np.ndarray, y: np.ndarray) -> None:  # evaluate
        E, I = effects(model, x, y)
        gain = (model.a * model.S * E - model.kE / 2 * E**2 + model.b * model.P * I
                - model.kI / 2 * I**2 + model.gamma * E * I)  # fmt: skip
        rows.append(effect_regressors(model, x, y))
        outcomes.append(gain + noise * rng.standard_normal(model.N))
        Es.append(E)
        Is.append(I)

    observe(x, y)
    for t in range(int(cycles)):
        theta = estimate_effects(model, np.vstack(rows), np.concatenate(outcomes),
                                 np.concatenate(Es), np.concatenate(Is))  # analyse  # fmt: skip
        rec_x, rec_y = _plug_in(model, theta)  # set policy
        weight = explore / np.sqrt(t + 1)
        trial_x, trial_y = _random_policy(model, rng)
        # A mix of two feasible policies is feasible.
        x = (1 - weight) * rec_x + weight * trial_x  # implement
        y = (1 - weight) * rec_y + weight * trial_y
        observe(x, y)
        distance[t] = float(np.sqrt(np.mean((rec_x - best.x) ** 2 + (rec_y - best.y) ** 2)))
        regret[t] = best.welfare - welfare(model, x, y)
        estimates[t] = theta
        spent = float(np.sum(x + y))
        support[t] = float(np.sum(y)) / spent if spent > 0 else 0.0
    return LearningResult(distance, regret, estimates, support)
