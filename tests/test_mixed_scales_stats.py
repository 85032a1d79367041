"""Mixed scales in the statistics modules (lib.regression, lib.inference,
lib.ridge, lib.robust).

Each case draws tiny data sets (at most 9 records and 3 features, so that
exact rational arithmetic stays cheap) whose roles have their own
magnitudes: features measured in units from 1e-8 to 1e8 side by side, a
target in its own unit, coefficients against features, penalties against
the spread of the data, a Huber scale against the residuals, variances of
1e16 beside 1e-16. Entries of one role may also differ by sixteen decades,
sit on an offset far above their spread (1e8 + a few units of 1e-8), repeat
another column up to a power of two or a power of ten, or be constant. The
references are independent of lib: least squares by the exact rational
normal equations, the rank and condition of the standardised design from
the exact covariance in 60-digit arithmetic (mpmath), ridge and gradient
descent recomputed in mpmath, medians, losses and R^2 in exact rationals.

Where lib refuses by a documented rule (the rank of the standardised design,
a covariance that is not symmetric or not positive semi-definite, a result
beyond the float range), the check asserts the refusal happens exactly when
the rule says, up to a stated band around the rule's threshold where
rounding may decide either way.

The explicit tests at the end pin each defect these generators found.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, is_dataclass
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import strategies as st

import lib.inference as inf
import lib.regression as reg
import lib.ridge as rdg
import lib.robust as rob
from mixed_scales import MixedCases, mixed_entries, role_scale
from test_differential_stats import (
    NORMAL_FACTOR,
    _adam_step_bound,
    _t_ok,
    exact_lstsq,
    exact_median,
    solve_exact,
)

MIXED = MixedCases("stats")

EPS = float(np.finfo(float).eps)
DPS = 60  # digits of the mpmath references


def F(x) -> Fraction:
    return x if isinstance(x, Fraction) else Fraction(x) if isinstance(x, int) else Fraction(float(x))


def mp(x) -> mpmath.mpf:
    x = F(x)
    return mpmath.mpf(x.numerator) / x.denominator


def within(value, ref, tol) -> bool:
    """|value - ref| <= tol in exact rationals (plus the float's underflow floor)."""
    return abs(F(value) - F(ref)) <= F(tol) + F(1e-300)


# ============================================================ strategies


def column_size(X: np.ndarray) -> np.ndarray:
    """The largest |entry| of each column (1 for a zero or empty column): the
    unit a coefficient of that feature is measured against."""
    size = np.max(np.abs(X), axis=0, initial=0.0)
    return np.where(size > 0, size, 1.0)

#: A real number in [-1, 1] at least 1e-6 in size (the role's unit sets the
#: magnitude; "spread" columns span the decades, "integers" columns hold 0).
UNIFORM = st.one_of(st.floats(1e-6, 1.0), st.floats(-1.0, -1e-6))

COLUMN_KINDS = [
    "uniform", "uniform", "uniform", "uniform", "integers", "integers", "integers",
    "spread", "spread", "spread", "spread", "offset", "offset",
    "rare", "constant", "power_of_two_copy", "power_of_ten_copy", "combination",
]  # fmt: skip


@st.composite
def feature_column(draw, n: int, previous: list, kinds=COLUMN_KINDS) -> np.ndarray:
    """One feature of ``n`` records in its own unit (1e-8 ... 1e8), of one kind:
    uniform draws; small integers (ties); entries spanning sixteen decades; a
    large offset with a small spread (1e8 + a few units); a constant (0.1 times
    the unit: its mean is not a float); an exact copy of an earlier column up to
    a power of two; a copy up to a power of ten (collinear up to rounding); a
    combination of two earlier columns."""
    unit = draw(role_scale)
    kind = draw(st.sampled_from(kinds))
    if n == 0:
        return np.zeros(0)
    if kind in ("power_of_two_copy", "power_of_ten_copy") and not previous:
        kind = "uniform"
    if kind == "combination" and len(previous) < 2:
        kind = "integers"
    if kind == "uniform":
        return np.array([draw(UNIFORM) for _ in range(n)]) * unit
    if kind == "integers":
        return np.array([draw(st.integers(-3, 3)) for _ in range(n)], dtype=float) * unit
    if kind == "spread":
        return draw(mixed_entries(n, low=-3, high=3, scale=unit, spread=16))
    if kind == "offset":
        offset = unit * 10.0 ** draw(st.integers(2, 16))
        return offset + np.array([draw(st.integers(-3, 3)) for _ in range(n)], dtype=float) * unit
    if kind == "constant":
        return np.full(n, draw(st.sampled_from([0.1, 3.0, -7.0, 0.0])) * unit)
    if kind == "rare":
        column = np.full(n, draw(st.sampled_from([0.1, 0.0, 1.0])) * unit)
        column[draw(st.integers(0, n - 1))] = draw(st.sampled_from([1.0, -2.0])) * draw(role_scale)
        return column
    if kind == "power_of_two_copy":
        return draw(st.sampled_from(previous)) * 2.0 ** draw(st.integers(-30, 30))
    if kind == "power_of_ten_copy":
        return draw(st.sampled_from(previous)) * 10.0 ** draw(st.integers(-8, 8))
    a, b = draw(st.sampled_from(previous)), draw(st.sampled_from(previous))
    return a * draw(st.sampled_from([1.0, -2.0, 1e8])) + b * draw(st.sampled_from([1.0, 0.5, 1e-8]))


@st.composite
def mixed_design(draw, n=(2, 6), p=(1, 3), kinds=COLUMN_KINDS) -> np.ndarray:
    rows, cols = draw(st.integers(*n)), draw(st.integers(*p))
    columns: list = []
    for _ in range(cols):
        columns.append(draw(feature_column(rows, columns, kinds)))
    return np.column_stack(columns)


@st.composite
def mixed_target(draw, X: np.ndarray) -> np.ndarray:
    """A target in its own unit: entries of their own magnitudes, or spread
    around one; an offset far above its spread; a constant; or an (up to
    rounding) exact linear function of the features."""
    n = X.shape[0]
    kind = draw(st.sampled_from(["own", "spread", "spread", "offset", "constant", "linear"]))
    scale = draw(role_scale)
    if kind == "own":
        return draw(mixed_entries(n, low=-4, high=4))
    if kind == "spread":
        return draw(mixed_entries(n, low=-4, high=4, scale=scale, spread=draw(st.integers(0, 16))))
    if kind == "offset":
        return scale * 10.0 ** draw(st.integers(2, 16)) + np.array([draw(st.integers(-3, 3)) for _ in range(n)]) * scale
    if kind == "constant":
        return np.full(n, draw(st.integers(-3, 3)) * scale)
    size = column_size(X)
    coef = np.array([draw(st.integers(-3, 3)) for _ in range(X.shape[1])]) * scale / size
    return draw(st.integers(-3, 3)) * scale + X @ coef


@st.composite
def design_and_target(draw, n=(2, 6), p=(1, 3), kinds=COLUMN_KINDS):
    X = draw(mixed_design(n, p, kinds))
    return X, draw(mixed_target(X))


# ============================================================ exact moments and the rank rule


def exact_moments(X: np.ndarray) -> tuple[list[Fraction], list[list[Fraction]]]:
    """Exact column means and population covariance matrix."""
    n, p = X.shape
    cols = [[F(v) for v in X[:, j]] for j in range(p)]
    mean = [sum(c) / n for c in cols]
    dev = [[v - m for v in c] for c, m in zip(cols, mean)]
    cov = [[sum(a * b for a, b in zip(dev[j], dev[k])) / n for k in range(p)] for j in range(p)]
    return mean, cov


def correlation_eigenvalues(cov: list[list[Fraction]], idx=None) -> list[mpmath.mpf]:
    """Eigenvalues (ascending) of the correlation matrix of the columns
    ``idx`` (all variances positive), in 60 digits."""
    idx = list(range(len(cov))) if idx is None else list(idx)
    with mpmath.workdps(DPS):
        d = [mpmath.sqrt(mp(cov[j][j])) for j in idx]
        R = mpmath.matrix(len(idx), len(idx))
        for a, j in enumerate(idx):
            for b, k in enumerate(idx):
                R[a, b] = mp(cov[j][k]) / (d[a] * d[b])
        return sorted(mpmath.eigsy(R, eigvals_only=True))


@dataclass
class Verdict:
    """What lib's rank rule must say about ``[1, X]``: "refuse", "accept"
    or "either" (the standardised singular-value ratio within a factor 4 of
    the threshold max(n, p + 1) eps); with the exact moments and the
    standardised condition number when the variances are positive."""

    decision: str
    mean: list
    cov: list
    kappa: float = math.inf
    lam_max: float = 0.0


def rank_verdict(X: np.ndarray) -> Verdict:
    n, p = X.shape
    mean, cov = exact_moments(X)
    if any(cov[j][j] == 0 for j in range(p)) or n < p + 1:
        return Verdict("refuse", mean, cov)
    eig = correlation_eigenvalues(cov)
    lo, hi = max(eig[0], mpmath.mpf(0)), eig[-1]
    ratio = float(mpmath.sqrt(lo / hi))
    kappa = math.inf if ratio == 0 else 1 / ratio
    threshold = max(n, p + 1) * EPS
    decision = "accept" if ratio > 4 * threshold else "refuse" if ratio < threshold / 4 else "either"
    if decision != "refuse" and exact_lstsq(X, [np.zeros(n)]) is None:
        decision = "refuse"  # exactly rank-deficient (its ratio is 0 up to the 60 digits)
    return Verdict(decision, mean, cov, kappa, float(hi))


def ls_tolerances(X: np.ndarray, y: np.ndarray, ref: list[Fraction], v: Verdict) -> tuple[np.ndarray, float]:
    """How far a backward-stable solve on the standardised design may be from
    the exact coefficients: in standardised units 1e-12 cond(Z)^2 ||y_c|| /
    s_max (||w|| <= cond(Z) ||y_c|| / s_max, and the residual's share grows
    with cond(Z)^2), divided by sd_j for coefficient j; the intercept adds
    the rounding of mean(y) - coef @ mean."""
    n, p = X.shape
    y_mean = sum(F(v) for v in y) / n
    yc = math.sqrt(float(sum((F(v) - y_mean) ** 2 for v in y)))
    s_max = math.sqrt(n * v.lam_max)
    tol_w = 1e-12 * v.kappa**2 * yc / s_max
    sd = np.array([math.sqrt(float(v.cov[j][j])) for j in range(p)])
    tol_coef = tol_w / sd
    terms = abs(float(y_mean)) + sum(abs(float(ref[1 + j] * v.mean[j])) for j in range(p))
    tol_b = 8 * (p + 2) * EPS * terms + float(np.sum(tol_coef * np.abs([float(m) for m in v.mean]))) + tol_w
    return tol_coef, tol_b


def assert_refused_by_rank(call) -> None:
    with pytest.raises(ValueError, match="rank .*standardised columns"):
        call()


def ls_outcome(call, v: Verdict):
    """Call ``call``; return its result, or None when lib refused by the rank
    rule where the verdict allows it. Asserts the refusal when the verdict
    says refuse."""
    if v.decision == "refuse":
        assert_refused_by_rank(call)
        return None
    try:
        return call()
    except ValueError as exc:
        assert v.decision == "either" and "standardised columns" in str(exc), str(exc)
        return None


def assert_fit_matches(coef, intercept, X, y, v: Verdict, ref=None) -> None:
    ref = exact_lstsq(X, [y])[0] if ref is None else ref
    tol_coef, tol_b = ls_tolerances(X, y, ref, v)
    for j, (c, r) in enumerate(zip(coef, ref[1:])):
        assert within(c, r, tol_coef[j]), (j, c, float(r), tol_coef[j])
    assert within(intercept, ref[0], tol_b), (intercept, float(ref[0]), tol_b)


# ============================================================ lib.regression: least squares


@MIXED.case("lib.regression.fit_least_squares", design_and_target(n=(3, 7)),
            roles="features in units 1e-8 ... 1e8 (column against column, offsets against spreads); the target",
            agrees="rank refused exactly when the standardised singular-value ratio is below "
            "max(n, p + 1) eps (either within a factor 4); otherwise coefficients within "
            "1e-12 cond(Z)^2 ||y_c|| / (s_max sd_j) of the exact rational normal equations, the "
            "intercept within its rounding plus those")  # fmt: skip
def check_fit_least_squares(X, y):
    v = rank_verdict(X)
    fit = ls_outcome(lambda: reg.fit_least_squares(X, y), v)
    if fit is not None:
        assert_fit_matches(fit.coef, fit.intercept, X, y, v)


@MIXED.case("lib.regression.design_condition_number", st.tuples(mixed_design(), st.booleans()),
            roles="features in units 1e-8 ... 1e8, column against column",
            agrees="scale=True: within 1e-12 cond^2 relative of max(1, sqrt(l_max)) / min(1, sqrt(l_min)), "
            "l the eigenvalues of the exact correlation matrix in 60 digits (the singular values of "
            "[1, Z] are sqrt(n) and those of Z); ValueError naming the feature exactly when one is "
            "constant. scale=False: within 1e-12 cond^2 relative of the 60-digit SVD of [1, X]. "
            "Both above 1e11 when the reference is above 1e12, and inf when there are fewer "
            "records than columns")  # fmt: skip
def check_design_condition_number(X, scale):
    n, p = X.shape
    mean, cov = exact_moments(X)
    if scale:
        constant = [j for j in range(p) if cov[j][j] == 0]
        if constant:
            with pytest.raises(ValueError, match=f"feature {constant[0]} of X is constant"):
                reg.design_condition_number(X, scale=True)
            return
        eig = correlation_eigenvalues(cov)
        lo = float(mpmath.sqrt(max(eig[0], mpmath.mpf(0)))) if n > p else 0.0
        ref = max(1.0, float(mpmath.sqrt(eig[-1]))) / lo if lo > 0 else math.inf
    elif n < p + 1:
        ref = math.inf  # p + 1 columns in n < p + 1 dimensions: a zero singular value
    else:
        with mpmath.workdps(DPS):
            A = mpmath.matrix([[1] + [mp(x) for x in row] for row in X])
            s = mpmath.svd_r(A, compute_uv=False)
            ref = float(s[0] / s[s.rows - 1]) if s[s.rows - 1] > 0 else math.inf
    out = reg.design_condition_number(X, scale=scale)
    if n < p + 1:
        assert out == math.inf
    elif ref > 1e12:
        assert out > 1e11
    else:
        assert abs(out - ref) <= 1e-12 * ref**3, (out, ref)


# ============================================================ lib.inference


def T_QUANTILE(level: float, df: int) -> float:
    """The t quantile of the interval, checked against the t CDF (scipy.special.stdtr)."""
    from scipy import stats

    t = float(stats.t.ppf(0.5 + level / 2, df))
    assert _t_ok(t, df, level)
    return t


@st.composite
def inference_cases(draw):
    X, y = draw(design_and_target(n=(3, 7), p=(1, 2)))
    return X, y, draw(st.sampled_from([0.5, 0.9, 0.95, 0.999]))


@MIXED.case("lib.inference.ols_inference", inference_cases(),
            roles="features in units 1e-8 ... 1e8; the target in its own unit (noise at any scale)",
            agrees="refusals as fit_least_squares (and df < 1); estimates as fit_least_squares; "
            "se_j^2 within 1e-9 cond^2 of the exact s^2 [(A^T A)^-1]_jj plus the residual's "
            "rounding floor (1e-12 cond ||y_c||)^2 [(A^T A)^-1]_jj / df; the half-width / se "
            "is the t quantile (stdtr); R^2 within 1e-9 cond^2 (1 + RSS/SST) of the exact "
            "1 - RSS / SST (NaN for a constant y)")  # fmt: skip
def check_ols_inference(X, y, level):
    n, p = X.shape
    if n - p - 1 < 1:
        with pytest.raises(ValueError, match="degree of freedom"):
            inf.ols_inference(X, y, level)
        return
    v = rank_verdict(X)
    out = ls_outcome(lambda: inf.ols_inference(X, y, level), v)
    if out is None:
        return
    ref = exact_lstsq(X, [y])[0]
    assert_fit_matches(out.estimate[1:], out.estimate[0], X, y, v, ref)
    A = [[Fraction(1)] + [F(x) for x in row] for row in X]
    ata = [[sum(r[i] * r[j] for r in A) for j in range(p + 1)] for i in range(p + 1)]
    ginv = solve_exact(ata, [[Fraction(int(i == j)) for j in range(p + 1)] for i in range(p + 1)])
    rss = sum((F(yv) - sum(a * b for a, b in zip(r, ref))) ** 2 for r, yv in zip(A, y))
    df = n - p - 1
    s2 = rss / df
    y_mean = sum(map(F, y)) / n
    sst = sum((F(yv) - y_mean) ** 2 for yv in y)
    floor = (1e-12 * v.kappa * math.sqrt(float(sst))) ** 2 / df
    assert within(out.residual_variance, s2, 1e-9 * v.kappa**2 * float(s2) + floor)
    for j in range(p + 1):
        ref_se2 = s2 * ginv[j][j]
        assert within(out.std_error[j] ** 2, ref_se2, 1e-9 * v.kappa**2 * float(ref_se2) + floor * float(ginv[j][j]))
        if out.std_error[j] > 0:
            # upper - estimate loses eps |estimate| to cancellation.
            t = (out.upper[j] - out.estimate[j]) / out.std_error[j]
            slack = 4 * EPS * (abs(out.estimate[j]) + abs(out.upper[j])) / out.std_error[j]
            assert abs(t - T_QUANTILE(level, df)) <= 1e-12 * T_QUANTILE(level, df) + slack
    assert out.df_resid == df
    if sst == 0:
        assert math.isnan(out.r_squared)
    else:
        ref_r2 = 1 - rss / sst
        assert within(out.r_squared, ref_r2, 1e-9 * v.kappa**2 * (1 + float(rss / sst)) + floor * df / float(sst))


@st.composite
def simulation_cases(draw):
    X = draw(mixed_design(n=(2, 6), p=(1, 2)))
    y_unit = draw(role_scale)
    size = column_size(X)
    coef = np.array([draw(st.integers(-3, 3)) * draw(role_scale) for _ in range(X.shape[1])]) * y_unit / size
    intercept = draw(st.integers(-3, 3)) * draw(role_scale)
    noise_sd = draw(st.sampled_from([0.0, 1.0])) * draw(role_scale)
    return X, coef, intercept, noise_sd, draw(st.integers(1, 3)), draw(st.integers(0, 2**32))


@MIXED.case("lib.inference.simulate_coefficients", simulation_cases(),
            roles="features in units 1e-8 ... 1e8; true coefficients in units of target / feature; "
            "the intercept and the noise sd in their own units",
            agrees="refusals as fit_least_squares; each row within the least-squares tolerance of "
            "the exact rational fit of intercept + X coef + noise_sd N(0, 1) (the documented "
            "stream default_rng(seed).standard_normal((n, n_sims)), the target formed exactly), "
            "plus 1e-15 cond(Z) of the target's terms for the rounding of the target")  # fmt: skip
def check_simulate_coefficients(X, coef, intercept, noise_sd, n_sims, seed):
    v = rank_verdict(X)
    out = ls_outcome(lambda: inf.simulate_coefficients(X, coef, intercept, noise_sd, n_sims, seed), v)
    if out is None:
        return
    assert out.shape == (n_sims, X.shape[1] + 1)
    noise = np.random.default_rng(seed).standard_normal((X.shape[0], n_sims))
    for k in range(n_sims):
        exact = [F(intercept) + sum(F(x) * F(c) for x, c in zip(row, coef)) + F(noise_sd) * F(z)
                 for row, z in zip(X, noise[:, k])]  # fmt: skip
        ref = exact_lstsq(X, [exact])[0]
        target = np.array([float(e) for e in exact])
        tol_coef, tol_b = ls_tolerances(X, target, ref, v)
        # The float target is rounded once per term: a perturbation of up to
        # 4 eps (|b| + sum |x c| + |noise|) per record, moving w by cond(Z) times that.
        terms = np.abs(intercept) + np.abs(X) @ np.abs(coef) + noise_sd * np.abs(noise[:, k])
        sd = np.array([math.sqrt(float(v.cov[j][j])) for j in range(X.shape[1])])
        shift = 8 * EPS * v.kappa * float(np.linalg.norm(terms)) / math.sqrt(X.shape[0] * v.lam_max)
        tol_coef = tol_coef + shift / sd
        tol_b = tol_b + shift * (1 + float(np.sum(np.abs([float(m) for m in v.mean]) / sd))) + 8 * EPS * float(np.max(terms))
        row = out[k]
        assert within(row[0], ref[0], tol_b), (row[0], float(ref[0]), tol_b)
        assert all(within(c, r, t) for c, r, t in zip(row[1:], ref[1:], tol_coef))


@st.composite
def omission_cases(draw):
    X, y = draw(design_and_target(n=(4, 7), p=(2, 3)))
    p = X.shape[1]
    omit = draw(st.lists(st.integers(0, p - 1), min_size=1, max_size=p - 1, unique=True))
    return X, y, omit


@MIXED.case("lib.inference.omitted_variable_bias", omission_cases(),
            roles="features in units 1e-8 ... 1e8 (kept against omitted); the target",
            agrees="refusals as fit_least_squares on the long model; long, short and auxiliary "
            "coefficients each within the least-squares tolerance of their exact rational "
            "regressions; bias = short - long within the sum of the two tolerances")  # fmt: skip
def check_omitted_variable_bias(X, y, omit):
    v = rank_verdict(X)
    out = ls_outcome(lambda: inf.omitted_variable_bias(X, y, omit), v)
    if out is None:
        return
    kept = [j for j in range(X.shape[1]) if j not in omit]
    assert out.kept == tuple(kept)
    long = exact_lstsq(X, [y])[0]
    tol_long, _ = ls_tolerances(X, y, long, v)
    vk = rank_verdict(X[:, kept])
    short = exact_lstsq(X[:, kept], [y])[0]
    tol_short, _ = ls_tolerances(X[:, kept], y, short, vk)
    for k, j in enumerate(kept):
        assert within(out.long_coef[k], long[1 + j], tol_long[j])
        assert within(out.short_coef[k], short[1 + k], tol_short[k])
        assert within(out.bias[k], short[1 + k] - long[1 + j], tol_long[j] + tol_short[k])
    for row, j in zip(out.auxiliary, sorted(omit)):
        aux = exact_lstsq(X[:, kept], [X[:, j]])[0]
        tol_aux, _ = ls_tolerances(X[:, kept], X[:, j], aux, vk)
        assert all(within(c, r, t) for c, r, t in zip(row, aux[1:], tol_aux))


@st.composite
def error_pairs(draw, n=(1, 6)):
    """Observed values and predictions, each role at its own magnitude, with
    offsets (1e8 + a few units), exact hits and entries spanning decades."""
    k = draw(st.integers(*n))
    kind = draw(st.sampled_from(["own", "spread", "offset", "hits"]))
    a_scale, b_scale = draw(role_scale), draw(role_scale)
    if kind == "own":
        return draw(mixed_entries(k, low=-4, high=4)), draw(mixed_entries(k, low=-4, high=4))
    if kind == "spread":
        return (draw(mixed_entries(k, low=-4, high=4, scale=a_scale, spread=draw(st.integers(0, 16)))),
                draw(mixed_entries(k, low=-4, high=4, scale=b_scale, spread=draw(st.integers(0, 16)))))  # fmt: skip
    offset = a_scale * 10.0 ** draw(st.integers(2, 16))
    a = offset + np.array([draw(st.integers(-3, 3)) for _ in range(k)]) * a_scale
    if kind == "hits":
        b = a.copy()
        b[draw(st.integers(0, k - 1))] += draw(st.integers(-3, 3)) * b_scale
        return a, b
    return a, offset + np.array([draw(st.integers(-3, 3)) for _ in range(k)]) * b_scale


@MIXED.case("lib.inference.r_squared", error_pairs(n=(2, 7)),
            roles="observed values (an offset far above their spread, or entries spanning decades) "
            "against predictions at their own magnitude",
            agrees="within 1e-12 (1 + SSE/SST) + 8 n eps^2 max|y|^2 / SST of the exact rational "
            "1 - SSE / SST (the second term: y_true's mean is a float); ValueError exactly when "
            "y_true is constant")  # fmt: skip
def check_r_squared(a, b):
    mean = sum(map(F, a)) / len(a)
    sst = sum((F(v) - mean) ** 2 for v in a)
    if sst == 0:
        with pytest.raises(ValueError, match="y_true is constant"):
            inf.r_squared(a, b)
        return
    sse = sum((F(u) - F(w)) ** 2 for u, w in zip(a, b))
    ref = 1 - sse / sst
    out = inf.r_squared(a, b)
    tol = 1e-12 * (1 + float(sse / sst)) + 8 * len(a) * EPS**2 * float(F(np.max(np.abs(a))) ** 2 / sst)
    assert within(out, ref, tol), (out, float(ref), tol)


@MIXED.case("lib.inference.mse_interval", st.tuples(error_pairs(n=(1, 7)) | error_pairs(n=(2, 7)), st.sampled_from([0.5, 0.95, 0.999])),
            roles="observed values against predictions, each at its own magnitude",
            agrees="estimate within 1e-13 relative of the exact rational mean of squared errors; "
            "the half-width within 1e-9 relative (+ 1e-13 of the estimate) of t sd / sqrt(m) "
            "with the exact sample variance of the squares and t checked by stdtr; ValueError "
            "for one record")  # fmt: skip
def check_mse_interval(ab, level):
    a, b = ab
    if len(a) < 2:
        with pytest.raises(ValueError, match="at least 2"):
            inf.mse_interval(a, b, level)
        return
    out = inf.mse_interval(a, b, level)
    sq = [(F(u) - F(w)) ** 2 for u, w in zip(a, b)]
    m = len(sq)
    mean = sum(sq) / m
    assert within(out.estimate, mean, 1e-13 * float(mean))
    var = sum((s - mean) ** 2 for s in sq) / (m - 1)
    top = max(sq) or Fraction(1)
    sd = math.sqrt(float(var / top**2)) * float(top)
    half = T_QUANTILE(level, m - 1) * sd / math.sqrt(m)
    for end, sign in ((out.upper, 1), (out.lower, -1)):
        assert within(end, mean + sign * F(half), 1e-9 * half + 1e-13 * float(mean))


@st.composite
def covariance_cases(draw):
    """cov = D M D with D the features' own units (1e-8 ... 1e8, so variances
    span 1e-16 ... 1e16) and M an integer matrix: L L^T (positive definite or,
    with a zero row of L, singular), L L^T minus a multiple of I (possibly
    indefinite), a zero-variance feature, or one entry made asymmetric by a
    relative 1e-6 or 1e-13."""
    p = draw(st.integers(2, 3))
    L = np.array([[draw(st.integers(-2, 2)) if j < i else (draw(st.integers(0, 3)) if i == j else 0)
                   for j in range(p)] for i in range(p)], dtype=float)  # fmt: skip
    M = L @ L.T
    kind = draw(st.sampled_from(["psd", "psd", "psd", "shifted", "zero_variance", "asymmetric"]))
    if kind == "shifted":
        M = M - draw(st.integers(1, 3)) * np.eye(p)
    if kind == "zero_variance":
        j = draw(st.integers(0, p - 1))
        M[j, :] = M[:, j] = 0.0
    d = np.array([draw(role_scale) * draw(st.sampled_from([1.0, 3.0])) for _ in range(p)])
    cov = (d[:, None] * d[None, :]) * M
    if kind == "asymmetric":
        i, j = draw(st.sampled_from([(a, b) for a in range(p) for b in range(p) if a != b]))
        cov[i, j] += draw(st.sampled_from([1e-6, 1e-13])) * d[i] * d[j] * max(1.0, abs(M[i, j]))
    coef = np.array([draw(st.integers(-3, 3)) * draw(role_scale) for _ in range(p)])
    omit = draw(st.lists(st.integers(0, p - 1), min_size=1, max_size=p - 1, unique=True))
    return cov, coef, omit


@MIXED.case("lib.inference.population_omitted_bias", covariance_cases(),
            roles="variances of the features (1e-16 ... 1e16) against covariances; coefficients "
            "in each feature's units",
            agrees="refused when the asymmetry exceeds 1e-10 max(|c_ij|, |c_ji|, d_i d_j) (accepted "
            "below 1e-11); refused when the exact correlation matrix has an eigenvalue below "
            "-1e-10 times its largest (accepted above -1e-11), or a zero variance has a non-zero "
            "covariance; refused as singular when the kept correlation matrix's smallest "
            "eigenvalue is below |kept| eps / 4 of its largest (accepted above 4 |kept| eps); "
            "otherwise the bias within 1e-11 cond(R_kk) (max|b d| + max|R_ko D beta_o|) / d_i of "
            "the exact rational solution of S_kk b = S_ko beta_o")  # fmt: skip
def check_population_omitted_bias(cov, coef, omit):
    p = cov.shape[0]
    C = [[F(x) for x in row] for row in cov]
    if any(C[j][j] < 0 for j in range(p)):
        with pytest.raises(ValueError, match="is negative"):
            inf.population_omitted_bias(cov, coef, omit)
        return
    d = [math.sqrt(float(C[j][j])) for j in range(p)]
    scale = [[max(abs(C[i][j]), abs(C[j][i]), F(d[i]) * F(d[j])) for j in range(p)] for i in range(p)]
    asym = max(abs(C[i][j] - C[j][i]) / scale[i][j] if scale[i][j] else 0 for i in range(p) for j in range(p))
    call = lambda: inf.population_omitted_bias(cov, coef, omit)  # noqa: E731
    if asym > 1e-10:
        with pytest.raises(ValueError, match="cov must be symmetric"):
            call()
        return
    if asym > 1e-11:
        return  # within a factor 10 of the tolerance: either
    sym = [[(C[i][j] + C[j][i]) / 2 for j in range(p)] for i in range(p)]
    live = [j for j in range(p) if sym[j][j] > 0]
    if any(sym[j][k] != 0 for j in range(p) if j not in live for k in range(p)):
        with pytest.raises(ValueError, match="not positive semi-definite"):
            call()
        return
    eig = correlation_eigenvalues(sym, live) if live else []
    if eig and eig[0] < -1e-10 * eig[-1]:
        with pytest.raises(ValueError, match="not positive semi-definite"):
            call()
        return
    if eig and eig[0] < -1e-11 * eig[-1]:
        return
    kept = [j for j in range(p) if j not in omit]
    singular = any(j not in live for j in kept)
    if not singular:
        ek = correlation_eigenvalues(sym, kept)
        ratio = ek[0] / ek[-1]
        if ratio <= 4 * len(kept) * EPS and ratio >= len(kept) * EPS / 4:
            return  # at the rank rule's threshold: either
        singular = ratio < len(kept) * EPS / 4 or solve_exact(
            [[sym[i][j] for j in kept] for i in kept], [[Fraction(0)] for _ in kept]) is None  # fmt: skip
    if singular:
        with pytest.raises(ValueError, match="singular"):
            call()
        return
    out = call()
    om = sorted(omit)
    rhs = [[sum(sym[i][j] * F(coef[j]) for j in om)] for i in kept]
    ref = [r[0] for r in solve_exact([[sym[i][j] for j in kept] for i in kept], rhs)]
    kappa = float(ek[-1] / ek[0])
    dk = np.array([d[i] for i in kept])
    moved = max(abs(float(r[0])) / di for r, di in zip(rhs, dk))
    size = max(abs(float(r)) * di for r, di in zip(ref, dk)) + moved
    for value, r, di in zip(out, ref, dk):
        assert within(value, r, 1e-11 * kappa * size / di), (value, float(r))


# ============================================================ lib.regression: the rest


@st.composite
def prediction_cases(draw):
    X = draw(mixed_design(n=(0, 5), p=(1, 3)))
    y_unit = draw(role_scale)
    size = column_size(X)
    coef = np.array([draw(st.integers(-3, 3)) * draw(role_scale) for _ in range(X.shape[1])]) * y_unit / size
    intercept = float(draw(st.integers(-3, 3)) * draw(role_scale))
    kind = draw(st.sampled_from(["linear", "gradient", "huber"]))
    if kind == "linear":
        fit = reg.LinearFit(coef, intercept)
    elif kind == "gradient":
        fit = reg.GradientFit(coef, intercept, np.zeros(1), "gd")
    else:
        fit = rob.HuberFit(coef, intercept, 1.0, np.ones(X.shape[0]), 1)
    return fit, X


@MIXED.case("lib.regression.predict", prediction_cases(),
            roles="features in units 1e-8 ... 1e8; coefficients in units of target / feature; "
            "the intercept in its own unit",
            agrees="each prediction within 4 (p + 1) eps (|b| + sum |x_j c_j|) of the exact "
            "rational b + x @ c (LinearFit, GradientFit and HuberFit alike); no record, no "
            "prediction")  # fmt: skip
def check_predict(fit, X):
    out = reg.predict(fit, X)
    assert out.shape == (X.shape[0],)
    for row, value in zip(X, out):
        ref = F(fit.intercept) + sum(F(x) * F(c) for x, c in zip(row, fit.coef))
        size = abs(fit.intercept) + float(np.abs(row) @ np.abs(fit.coef))
        assert within(value, ref, 4 * (len(row) + 1) * EPS * size)


@MIXED.case("lib.regression.mean_squared_error", error_pairs(),
            roles="observed values against predictions, each at its own magnitude",
            agrees="within 1e-13 relative of the exact rational mean of squared errors (0 exactly "
            "when every prediction hits)")  # fmt: skip
def check_mean_squared_error(a, b):
    ref = sum((F(u) - F(w)) ** 2 for u, w in zip(a, b)) / len(a)
    assert within(reg.mean_squared_error(a, b), ref, 1e-13 * float(ref))


@st.composite
def split_cases(draw):
    X, y = draw(design_and_target(n=(3, 9), p=(1, 3)))
    f = draw(st.sampled_from([0.01, 0.2, 0.3, 0.5, 0.8, 0.99]))
    seed = draw(st.integers(0, 2**32))
    return X, y, f, seed, draw(st.booleans())


@MIXED.case("lib.regression.train_test_split", split_cases(),
            roles="features in units 1e-8 ... 1e8 beside a target in its own unit (moved, never mixed)",
            agrees="the parts are exactly (bitwise) the rows of default_rng(seed).permutation(n), "
            "test first round(f n) of them, each row with its own target; a Generator seed "
            "continues its stream; ValueError naming test_fraction when a part would be empty")  # fmt: skip
def check_train_test_split(X, y, f, seed, as_generator):
    n = len(y)
    k = int(round(f * n))
    given = np.random.default_rng(seed) if as_generator else seed
    if not 1 <= k < n:
        with pytest.raises(ValueError, match="test_fraction"):
            reg.train_test_split(X, y, f, given)
        return
    X_tr, X_te, y_tr, y_te = reg.train_test_split(X, y, f, given)
    order = np.random.default_rng(seed).permutation(n)
    assert np.array_equal(X_te, X[order[:k]]) and np.array_equal(X_tr, X[order[k:]])
    assert np.array_equal(y_te, y[order[:k]]) and np.array_equal(y_tr, y[order[k:]])


@st.composite
def quality_cases(draw):
    n, seed = draw(st.integers(1, 6)), draw(st.integers(0, 2**32))
    noise = draw(st.sampled_from([0, 1, 3])) * draw(role_scale)
    curvature = draw(st.sampled_from([0, 1, -2])) * draw(role_scale)
    sensor = draw(st.sampled_from([None, 1.0, 5.0]))
    sensor = None if sensor is None else sensor * draw(role_scale)
    rho = draw(st.sampled_from([0.6, -1.0, 1.0, 0.0, 1e-8, -0.99999999]))
    return n, seed, noise, curvature, sensor, rho


@MIXED.case("lib.regression.make_quality_data", quality_cases(),
            roles="the noise sd, the curvature and the sensor noise, each at its own magnitude "
            "(1e-8 ... 1e8), against the fixed units of the process variables",
            agrees="X within 4 eps (|mean| + |sd z|) of the documented construction redrawn from "
            "default_rng(seed) (z, humidity rho z0 + sqrt(1 - rho^2) z1); y within 8 eps of the "
            "size of its terms of the exact rational 20 + X coef + noise_sd e - c (T - 210)^2 with "
            "e the next n normal draws; the sensor column T + s e' with the next n draws")  # fmt: skip
def check_make_quality_data(n, seed, noise, curvature, sensor, rho):
    d = reg.make_quality_data(n, seed, noise, temperature_curvature=curvature,
                              second_sensor_sd=sensor, humidity_correlation=rho)  # fmt: skip
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 5))
    z1 = rho * z[:, 0] + math.sqrt(1 - rho * rho) * z[:, 1]
    e = rng.standard_normal(n)
    means = [f[2] for f in reg.FEATURES]
    sds = [f[3] for f in reg.FEATURES]
    for i in range(n):
        for j in range(5):
            zz = z1[i] if j == 1 else z[i, j]
            ref = F(means[j]) + F(sds[j]) * F(zz)
            assert within(d.X[i, j], ref, 4 * EPS * (abs(means[j]) + abs(sds[j] * zz)) + 8 * EPS * abs(sds[j]))
        terms = [F(reg.TRUE_INTERCEPT)] + [F(c) * F(x) for c, x in zip(reg.TRUE_COEF, d.X[i, :5])]
        terms += [F(noise) * F(e[i]), -F(curvature) * (F(d.X[i, 0]) - F(means[0])) ** 2]
        assert within(d.y[i], sum(terms), 8 * EPS * float(sum(abs(t) for t in terms)))
    if sensor is not None:
        e2 = rng.standard_normal(n)
        for i in range(n):
            ref = F(d.X[i, 0]) + F(sensor) * F(e2[i])
            assert within(d.X[i, 5], ref, 4 * EPS * (abs(d.X[i, 0]) + abs(sensor * e2[i])))
    else:
        assert d.X.shape == (n, 5)


def mp_descent(X, y, method, lr, epochs, scale, center, b1=0.9, b2=0.999, eps=1e-8):
    """The documented updates in 40-digit arithmetic, with the exact
    standardisation: the reference of fit_gradient_descent."""
    n, p = X.shape
    with mpmath.workdps(40):
        cols = [[mp(v) for v in X[:, j]] for j in range(p)]
        mu = [sum(c) / n if scale else mpmath.mpf(0) for c in cols]
        sd = [mpmath.sqrt(sum((v - m) ** 2 for v in c) / n) if scale else mpmath.mpf(1) for c, m in zip(cols, mu)]
        z = [[mpmath.mpf(1)] + [(cols[j][i] - mu[j]) / sd[j] for j in range(p)] for i in range(n)]
        ys = [mp(v) for v in y]
        ym = sum(ys) / n if center else mpmath.mpf(0)
        t_ = [v - ym for v in ys]
        th, m, v = [mpmath.mpf(0)] * (p + 1), [mpmath.mpf(0)] * (p + 1), [mpmath.mpf(0)] * (p + 1)
        lr, b1, b2, eps = mp(lr), mp(b1), mp(b2), mp(eps)
        hist = []
        for t in range(1, epochs + 1):
            r = [sum(a * b for a, b in zip(zr, th)) - tv for zr, tv in zip(z, t_)]
            hist.append(float(sum(e * e for e in r) / n))
            g = [2 * sum(r[i] * z[i][k] for i in range(n)) / n for k in range(p + 1)]
            for k in range(p + 1):
                if method == "gd":
                    th[k] -= lr * g[k]
                else:
                    m[k] = b1 * m[k] + (1 - b1) * g[k]
                    v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
                    th[k] -= lr / (1 - b1**t) * m[k] / (mpmath.sqrt(v[k] / (1 - b2**t)) + eps)
        coef = [th[k + 1] / sd[k] for k in range(p)]
        b = ym + th[0] - sum(c * mm for c, mm in zip(coef, mu))
        return [float(c) for c in coef], float(b), hist, [float(s) for s in sd], [float(u) for u in mu]


@st.composite
def descent_cases(draw):
    X, y = draw(design_and_target(n=(2, 6), p=(1, 3), kinds=["uniform", "integers", "spread", "spread"]))
    method = draw(st.sampled_from(["gd", "adam"]))
    scale = draw(st.booleans()) and bool(np.all(np.ptp(X, axis=0) > 0))
    if method == "gd":
        A = np.column_stack([np.ones(len(X)), (X - X.mean(axis=0)) / X.std(axis=0) if scale else X])
        top = float(np.linalg.eigvalsh(2 * A.T @ A / len(X))[-1])
        lr = draw(st.sampled_from([0.01, 0.1, 0.5, 0.9])) / top  # inside the stable range
    else:
        lr = draw(st.sampled_from([1e-3, 0.01, 0.1]))
    return X, y, method, lr, draw(st.integers(1, 8)), scale, draw(st.sampled_from([None, True, False]))


@MIXED.case("lib.regression.fit_gradient_descent", descent_cases(),
            roles="features in units 1e-8 ... 1e8; the target in its own unit; the learning rate "
            "against the curvature of the loss",
            agrees="coefficient j within 1e-9 (|c_j| + P / x_j) (P the size of a prediction, x_j "
            "the feature's sd, or its size unscaled) and every loss within 1e-9 of the largest "
            "of the 40-digit run of the documented updates on the exact standardisation; Adam "
            "adds its rounding-noise allowance (the most Adam moves a parameter in the run)")  # fmt: skip
def check_fit_gradient_descent(X, y, method, lr, epochs, scale, center):
    fit = reg.fit_gradient_descent(X, y, method=method, lr=lr, epochs=epochs, scale=scale, center_y=center)
    c = scale if center is None else center
    coef, b, hist, sd, mu = mp_descent(X, y, method, lr, epochs, scale, c)
    size_x = np.array(sd) if scale else column_size(X)
    P = float(np.max(np.abs(y))) + float(np.abs(coef) @ np.max(np.abs(X), axis=0)) + abs(b) + 1e-300
    noise = lr * sum(map(_adam_step_bound, range(1, epochs + 1))) if method == "adam" else 0.0
    # Adam's noise moves the parameter of the feature as used: standardised
    # (coefficient = parameter / sd) or raw (coefficient = parameter).
    moved = noise / (np.array(sd) if scale else np.ones(X.shape[1]))
    for j in range(X.shape[1]):
        assert abs(fit.coef[j] - coef[j]) <= 1e-9 * (abs(coef[j]) + P / size_x[j]) + moved[j], j
    assert abs(fit.intercept - b) <= 1e-9 * P + noise * (1 + float(np.sum(np.abs(mu) / np.array(sd))))
    # Adam's drift D in prediction units changes a loss by at most 2 sqrt(loss) D + D^2.
    drift = noise * (1 + float(np.sum(np.abs(mu) / np.array(sd)))) + float(moved @ np.max(np.abs(X), axis=0))
    top = max(hist) + 1e-300
    assert all(abs(u - w) <= 1e-9 * top + 2 * math.sqrt(top) * drift + drift**2 for u, w in zip(fit.loss_history, hist))


# ============================================================ lib.ridge


def penalty_list(draw, zero: bool = True) -> list:
    pens = [draw(st.sampled_from([1, 3])) * draw(role_scale) for _ in range(draw(st.integers(1, 3)))]
    if zero and draw(st.booleans()):
        pens.insert(draw(st.integers(0, len(pens))), 0.0)
    return pens


@st.composite
def ridge_cases(draw, n=(2, 7), zero=True):
    X, y = draw(design_and_target(n=n, p=(1, 3)))
    return X, y, penalty_list(draw, zero)


def mp_ridge(X, y, lam, keep=None):
    """Ridge on the exactly standardised columns ``keep`` (the others get 0), in
    60 digits: (Z^T Z + lambda I) w = Z^T y_c. Returns w, coef, intercept (floats)
    and the standardised spectrum (s_min^2, s_max^2)."""
    n, p = X.shape
    keep = list(range(p)) if keep is None else list(keep)
    with mpmath.workdps(DPS):
        mean = [sum(mp(v) for v in X[:, j]) / n for j in range(p)]
        sd = [mpmath.sqrt(sum((mp(v) - mean[j]) ** 2 for v in X[:, j]) / n) for j in range(p)]
        ys = [mp(v) for v in y]
        ym = sum(ys) / n
        w = [mpmath.mpf(0)] * p
        spectrum = (mpmath.mpf(0), mpmath.mpf(0))
        if keep:
            Z = mpmath.matrix([[(mp(X[i, j]) - mean[j]) / sd[j] for j in keep] for i in range(n)])
            G = Z.T * Z
            ev = mpmath.eigsy(G, eigvals_only=True)
            spectrum = (max(min(ev), mpmath.mpf(0)), max(ev))
            rhs = Z.T * mpmath.matrix([v - ym for v in ys])
            sol = mpmath.lu_solve(G + mp(lam) * mpmath.eye(len(keep)), rhs)
            for a, j in enumerate(keep):
                w[j] = sol[a]
        coef = [w[j] / sd[j] if j in keep else mpmath.mpf(0) for j in range(p)]
        b = ym - sum(c * m for c, m in zip(coef, mean))
        return ([float(v) for v in w], [float(c) for c in coef], float(b), [float(m) for m in mean],
                [float(s) for s in sd], (float(spectrum[0]), float(spectrum[1])))  # fmt: skip


def ridge_tolerances(y, lam, w, coef, mean, sd, spectrum):
    """1e-12 cond(Z^T Z + lambda I) (||w|| + ||y_c|| max s / (s^2 + lambda)) in
    standardised units; divided by sd_j for coefficient j; the intercept adds
    the rounding of mean(y) - coef @ mean."""
    lo, hi = spectrum
    kappa = (hi + lam) / (lo + lam) if lo + lam > 0 else math.inf
    s_lo, s_hi = math.sqrt(lo), math.sqrt(hi)
    gains = [s / (s * s + lam) for s in (s_lo, s_hi, math.sqrt(lam)) if s_lo <= s <= s_hi and s * s + lam > 0]
    y_c = float(np.linalg.norm(y - np.mean(y)))
    tol_w = 1e-12 * kappa * (float(np.linalg.norm(w)) + y_c * max(gains, default=0.0)) + 1e-300
    sd = np.array(sd)
    tol_coef = np.where(sd > 0, tol_w / np.where(sd > 0, sd, 1.0), 0.0)
    terms = abs(float(np.mean(y))) + float(np.abs(coef) @ np.abs(mean))
    tol_b = 8 * (len(sd) + 2) * EPS * terms + float(tol_coef @ np.abs(mean)) + tol_w
    return tol_w, tol_coef, tol_b


def ridge_refusal(X, pens) -> str | None:
    """"constant", "rank", "either" or None: what ridge_path must do."""
    v = rank_verdict(X)
    if any(v.cov[j][j] == 0 for j in range(X.shape[1])):
        return "constant"
    if 0.0 in [float(p) for p in pens] and v.decision != "accept":
        return "rank" if v.decision == "refuse" else "either"
    return None


@MIXED.case("lib.ridge.ridge_path", ridge_cases(),
            roles="features in units 1e-8 ... 1e8; the target; penalties from 1e-8 to 3e8 against "
            "the standardised columns (||Z_j||^2 = n)",
            agrees="ValueError naming the constant feature exactly when one is constant; for "
            "penalty 0 the rank refusal of fit_least_squares (band included); otherwise every "
            "standardised coefficient within 1e-12 cond(Z^T Z + lambda I) (||w|| + ||y_c|| "
            "max s / (s^2 + lambda)) of the 60-digit solution of the normal equations on the "
            "exact standardisation, the original-scale coefficients within that / sd_j, the "
            "intercept within its rounding plus those")  # fmt: skip
def check_ridge_path(X, y, pens):
    refusal = ridge_refusal(X, pens)
    if refusal == "constant":
        with pytest.raises(ValueError, match="of X is constant"):
            rdg.ridge_path(X, y, pens)
        return
    if refusal == "rank":
        with pytest.raises(ValueError, match="penalty 0 is least squares.*standardised columns"):
            rdg.ridge_path(X, y, pens)
        return
    try:
        path = rdg.ridge_path(X, y, pens)
    except ValueError as exc:
        assert refusal == "either" and "penalty 0" in str(exc)
        return
    for k, lam in enumerate(pens):
        w, coef, b, mean, sd, spectrum = mp_ridge(X, y, float(lam))
        tol_w, tol_coef, tol_b = ridge_tolerances(y, float(lam), w, coef, mean, sd, spectrum)
        assert all(within(u, r, tol_w) for u, r in zip(path.standardised_coef[k], w)), (k, lam)
        assert all(within(u, r, t) for u, r, t in zip(path.coef[k], coef, tol_coef)), (k, lam)
        assert within(path.intercept[k], b, tol_b)


@MIXED.case("lib.ridge.fit_ridge", ridge_cases(zero=False),
            roles="features in units 1e-8 ... 1e8; the target; one penalty from 1e-8 to 3e8",
            agrees="as ridge_path for its first (positive) penalty: ValueError exactly when a "
            "feature is constant; coefficients within 1e-12 cond(Z^T Z + lambda I) (...) / sd_j "
            "of the 60-digit solution")  # fmt: skip
def check_fit_ridge(X, y, pens):
    lam = float(pens[0])
    if ridge_refusal(X, [lam]) == "constant":
        with pytest.raises(ValueError, match="of X is constant"):
            rdg.fit_ridge(X, y, lam)
        return
    fit = rdg.fit_ridge(X, y, lam)
    w, coef, b, mean, sd, spectrum = mp_ridge(X, y, lam)
    _, tol_coef, tol_b = ridge_tolerances(y, lam, w, coef, mean, sd, spectrum)
    assert all(within(u, r, t) for u, r, t in zip(fit.coef, coef, tol_coef))
    assert within(fit.intercept, b, tol_b)


@st.composite
def ridge_cv_cases(draw):
    X, y, pens = draw(ridge_cases(n=(4, 8)))
    return X, y, pens, draw(st.integers(2, 3)), draw(st.integers(0, 2**32))


@MIXED.case("lib.ridge.ridge_cv", ridge_cv_cases(),
            roles="features in units 1e-8 ... 1e8 (a rare value makes a feature constant on one "
            "fold's training records); the target; penalties against the standardised columns",
            agrees="folds: default_rng(seed).permutation dealt round-robin; ValueError exactly when "
            "a feature is constant in the data, and for penalty 0 when a fold's training design "
            "is rank-deficient by the rule (the error names the first such fold); otherwise each "
            "penalty's CV MSE within the propagated coefficient tolerance of an explicit fold loop "
            "of 60-digit ridge fits in which a feature constant on the training records gets "
            "coefficient 0; the best penalty the reference's when it wins by more than that")  # fmt: skip
def check_ridge_cv(X, y, pens, n_folds, seed):
    n, p = X.shape
    if any(np.ptp(X, axis=0) == 0):
        with pytest.raises(ValueError, match="of X is constant"):
            rdg.ridge_cv(X, y, pens, n_folds, seed)
        return
    fold = np.empty(n, dtype=int)
    fold[np.random.default_rng(seed).permutation(n)] = np.arange(n) % n_folds
    if 0.0 in pens:
        for k in range(n_folds):
            decision = rank_verdict(X[fold != k]).decision
            if decision == "either":
                return  # at the rank rule's threshold on this fold: either
            if decision == "refuse":
                with pytest.raises(ValueError, match=f"penalty 0 is least squares.* fold {k} "):
                    rdg.ridge_cv(X, y, pens, n_folds, seed)
                return
    out = rdg.ridge_cv(X, y, pens, n_folds, seed)
    assert np.array_equal(out.fold, fold)
    ref, tol = np.zeros((n_folds, len(pens))), np.zeros((n_folds, len(pens)))
    for k in range(n_folds):
        tr, va = fold != k, fold == k
        keep = [j for j in range(p) if np.ptp(X[tr, j]) > 0]
        for a, lam in enumerate(pens):
            w, coef, b, mean, sd, spectrum = mp_ridge(X[tr], y[tr], float(lam), keep)
            _, tol_coef, tol_b = ridge_tolerances(y[tr], float(lam), w, coef, mean, sd, spectrum)
            errs = [F(yv) - F(b) - sum(F(c) * F(x) for c, x in zip(coef, row)) for row, yv in zip(X[va], y[va])]
            # A prediction moves by sum_j tol_j |x_j - mean_j| + the rounding of
            # intercept + x @ coef in original units.
            moves = [float(tol_coef @ np.abs(row - np.array(mean))) + tol_b
                     + 8 * (p + 1) * EPS * (abs(b) + float(np.abs(coef) @ np.abs(row))) for row in X[va]]  # fmt: skip
            ref[k, a] = float(sum(e * e for e in errs) / len(errs))
            tol[k, a] = float(np.mean([2 * abs(float(e)) * d + d * d for e, d in zip(errs, moves)])) + 1e-13 * ref[k, a]
    cv, cv_tol = ref.mean(axis=0), tol.mean(axis=0)
    assert np.all(np.abs(out.cv_mse - cv) <= cv_tol + 1e-13 * cv), (out.cv_mse, cv, cv_tol)
    best = int(np.argmin(cv))
    if all(cv[i] - cv_tol[i] > cv[best] + cv_tol[best] for i in range(len(pens)) if i != best):
        assert out.best_penalty == pens[best]


# ============================================================ lib.robust


@st.composite
def residual_vectors(draw, n=(1, 7)):
    """Residuals spanning sixteen decades, or on an offset far above their spread."""
    k = draw(st.integers(*n))
    kind = draw(st.sampled_from(["own", "spread", "offset", "ties"]))
    scale = draw(role_scale)
    if kind == "own":
        return draw(mixed_entries(k, low=-4, high=4))
    if kind == "spread":
        return draw(mixed_entries(k, low=-4, high=4, scale=scale, spread=16))
    ints = np.array([draw(st.integers(-3, 3)) for _ in range(k)], dtype=float)
    if kind == "ties":
        return ints * scale
    return scale * 10.0 ** draw(st.integers(2, 16)) + ints * draw(role_scale)


@MIXED.case("lib.robust.mad_scale", st.tuples(residual_vectors()),
            roles="residuals of one fit spanning sixteen decades, or far above their spread "
            "(one role, drawn at mixed scales because its median and deviations mix magnitudes)",
            agrees="within 1e-14 relative of the exact rational median of |r - median(r)| times "
            "1 / NormalDist().inv_cdf(0.75)")  # fmt: skip
def check_mad_scale(r):
    vals = [F(v) for v in r]
    med = exact_median(vals)
    ref = exact_median([abs(v - med) for v in vals]) * F(NORMAL_FACTOR)
    assert within(rob.mad_scale(r), ref, 1e-14 * float(ref))


@MIXED.case("lib.robust.huber_loss",
            st.tuples(residual_vectors(), role_scale, st.sampled_from([1e-8, 1.345, 1.0, 1e8])),
            roles="residuals against the scale (1e-8 ... 1e8) and epsilon (1e-8 ... 1e8)",
            agrees="within 1e-12 relative of the exact rational sum of 0.5 r^2 (|r| <= eps s) and "
            "eps s (|r| - eps s / 2) beyond")  # fmt: skip
def check_huber_loss(r, scale, eps):
    k = F(eps) * F(scale)
    ref = sum((F(v) ** 2 / 2 if abs(F(v)) <= k else k * (abs(F(v)) - k / 2)) for v in r)
    assert within(rob.huber_loss(r, scale, eps), ref, 1e-12 * float(ref))


@st.composite
def huber_cases(draw):
    X = draw(mixed_design(n=(3, 7), p=(1, 2)))
    n = X.shape[0]
    y_unit = draw(role_scale)
    size = column_size(X)
    coef = np.array([draw(st.integers(-3, 3)) for _ in range(X.shape[1])]) * y_unit / size
    noise = draw(mixed_entries(n, low=-3, high=3, scale=y_unit * draw(st.sampled_from([1e-4, 1e-2, 1.0])), spread=2))
    y = draw(st.integers(-3, 3)) * y_unit + X @ coef + noise
    for i in draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True)):
        y[i] += draw(st.sampled_from([-1.0, 1.0])) * draw(role_scale)  # wild records at their own magnitude
    scale = draw(st.sampled_from(["mad", "mad", "fixed"]))
    if scale == "fixed":
        scale = draw(role_scale)
    return X, y, draw(st.sampled_from([1.345, 0.5, 3.0])), scale


@MIXED.case("lib.robust.fit_huber", huber_cases(),
            roles="features in units 1e-8 ... 1e8; the target with wild records at their own "
            "magnitude; the Huber scale (fixed, 1e-8 ... 1e8, or the MAD)",
            agrees="the rank refusal of fit_least_squares (band included); ValueError otherwise only "
            "for a zero or collapsing MAD or no convergence; else the optimality certificate in "
            "rationals, column by column in the feature's own units: |sum_i psi(r_i)| and "
            "|sum_i psi(r_i) (x_ij - mean_j)| within 1e-6 of sum |psi| |.| plus 1e-9 of sum "
            "(max|y| + |y_i| + |b| + sum_k |c_k x_ik|) |.| (the IRLS stopping rule and the "
            "rounding of a model in original units), psi the residual clipped to +-eps s; the "
            "weights min(1, eps s / |r|) within 1e-6 unless s is below 1e-9 of those sizes")  # fmt: skip
def check_fit_huber(X, y, eps, scale):
    v = rank_verdict(X)
    call = lambda: rob.fit_huber(X, y, epsilon=eps, scale=scale)  # noqa: E731
    if v.decision == "refuse":
        assert_refused_by_rank(call)
        return
    try:
        fit = call()
    except ValueError as exc:
        text = str(exc)
        assert "MAD" in text or "converge" in text or (v.decision == "either" and "standardised" in text), text
        return
    n, p = X.shape
    beta = [F(fit.intercept)] + [F(c) for c in fit.coef]
    k = F(eps) * F(fit.scale)
    res = [F(yv) - beta[0] - sum(F(x) * b for x, b in zip(row, beta[1:])) for row, yv in zip(X, y)]
    psi = [max(-k, min(k, r)) for r in res]
    # The size of record i's terms (the rounding of a model in original units)
    # plus max|y| (the unit of IRLS's stopping rule).
    top = F(float(np.max(np.abs(y))))
    sizes = [top + abs(F(yv)) + abs(beta[0]) + sum(abs(F(x) * b) for x, b in zip(row, beta[1:]))
             for row, yv in zip(X, y)]  # fmt: skip
    columns = [[Fraction(1)] * n] + [[F(x) - v.mean[j] for x in X[:, j]] for j in range(p)]
    for col in columns:
        g = sum(q * a for q, a in zip(psi, col))
        bound = F(1e-6) * sum(abs(q) * abs(a) for q, a in zip(psi, col))
        bound += F(1e-9) * sum(m * abs(a) for m, a in zip(sizes, col))
        assert abs(g) <= bound, (float(g), float(bound))
    if fit.scale < 1e-9 * float(max(sizes)):
        return  # the residuals are at the model's rounding floor: the weights are rounding noise
    w = [1.0 if abs(r) <= k else float(k / abs(r)) for r in res]
    assert np.all(np.abs(fit.weights - w) <= 1e-6 * (1 + np.array(w)))


test_mixed_scales = MIXED.test()


# ============================================================ regression tests of the defects found


def exact_fit(X, y) -> list[float]:
    return [float(v) for v in exact_lstsq(np.asarray(X, dtype=float), [y])[0]]


#: Features in units 1e8 and 1e-8 whose standardised design is well
#: conditioned (cond([1, Z]) about 1.6): the rank is 3, whatever the units.
UNITS_X = np.array([[1e8, 3e-8], [2e8, 1e-8], [4e8, 2e-8], [3e8, 5e-8], [5e8, 4e-8]])
UNITS_Y = np.array([1.0, -2.0, 0.5, 4.0, 3.0])


def test_rank_is_decided_on_standardised_columns():
    # [1, X] with columns 1e8 and 1e-8 was "rank 2 ... a constant or repeated
    # feature" (the rank of the unstandardised design, whose singular values
    # span 1e16); its standardised condition number is 1.6.
    assert reg.design_condition_number(UNITS_X, scale=True) < 2
    ref = exact_fit(UNITS_X, UNITS_Y)
    fit = reg.fit_least_squares(UNITS_X, UNITS_Y)
    assert np.allclose([fit.intercept, *fit.coef], ref, rtol=1e-12, atol=0)
    # Every function built on least squares agrees.
    out = inf.ols_inference(UNITS_X, UNITS_Y)
    assert np.allclose(out.estimate, ref, rtol=1e-12, atol=0)
    ovb = inf.omitted_variable_bias(UNITS_X, UNITS_Y, omit=1)
    assert math.isclose(ovb.long_coef[0], ref[1], rel_tol=1e-12)
    assert math.isclose(ovb.short_coef[0], exact_fit(UNITS_X[:, :1], UNITS_Y)[1], rel_tol=1e-12)
    sims = inf.simulate_coefficients(UNITS_X, ref[1:], ref[0], 0.0, n_sims=2)
    assert np.allclose(sims, [ref, ref], rtol=1e-9, atol=0)
    path = rdg.ridge_path(UNITS_X, UNITS_Y, [0.0])
    assert np.allclose(path.coef[0], ref[1:], rtol=1e-12, atol=0)
    huber = rob.fit_huber(UNITS_X, UNITS_Y, epsilon=1e6)  # epsilon beyond every residual: least squares
    assert np.allclose(huber.coef, ref[1:], rtol=1e-9, atol=0)


def test_the_standard_errors_do_not_depend_on_the_units():
    # Var(beta) = s^2 (A^T A)^-1 in exact rationals; the SVD of the raw [1, X]
    # (singular values 1e8 ... 1e-8) cannot resolve (A^T A)^-1 at all.
    X, y = UNITS_X, UNITS_Y
    out = inf.ols_inference(X, y)
    A = [[Fraction(1)] + [F(v) for v in row] for row in X]
    ata = [[sum(r[i] * r[j] for r in A) for j in range(3)] for i in range(3)]
    ginv = solve_exact(ata, [[Fraction(int(i == j)) for j in range(3)] for i in range(3)])
    beta = exact_lstsq(X, [y])[0]
    s2 = sum((F(v) - sum(a * b for a, b in zip(r, beta))) ** 2 for r, v in zip(A, y)) / 2
    assert np.allclose(out.std_error, [math.sqrt(float(s2 * ginv[j][j])) for j in range(3)], rtol=1e-10, atol=0)


def test_the_rank_error_says_standardised():
    # A constant feature (0.1 three times: its mean is not a float, and
    # np.std gave 1.4e-17, not 0) and an exact copy up to a power of ten.
    with pytest.raises(ValueError, match=r"rank 2 but 3 columns \(rank decided on standardised columns.*feature 0 of X is constant"):
        reg.fit_least_squares([[0.1, 1.0], [0.1, 2.0], [0.1, 4.0]], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="standardised columns.*linear combination"):
        reg.fit_least_squares([[1e8, 1.0], [2e8, 2.0], [4e8, 4.0], [3e8, 3.0]], [1.0, 2.0, 3.0, 5.0])


def test_a_constant_feature_is_not_standardised():
    # sd == 0 missed a constant 0.1 (np.std gave 1.4e-17): the standardised
    # condition number was 6e31 and gradient descent divided by 1.4e-17.
    X = [[0.1, 1.0], [0.1, 2.0], [0.1, 3.5]]
    with pytest.raises(ValueError, match="feature 0 of X is constant"):
        reg.design_condition_number(X, scale=True)
    with pytest.raises(ValueError, match="feature 0 of X is constant"):
        reg.fit_gradient_descent(X, [1.0, 2.0, 3.0], epochs=2)
    with pytest.raises(ValueError, match="feature 0 of X is constant"):
        rdg.ridge_path(X, [1.0, 2.0, 3.0], [1.0])


def test_condition_number_of_a_wide_design_is_infinite():
    # Two records, three columns of [1, X]: np.linalg.cond reported 1.41 (the
    # ratio of the two singular values a 2 x 3 matrix has).
    assert reg.design_condition_number([[0.0, 0.0], [1e-8, 1e-8]], scale=True) == math.inf
    assert reg.design_condition_number([[0.0, 1.0], [1.0, 3.0]]) == math.inf


def test_penalty_zero_follows_the_least_squares_rank_rule():
    # ridge_path refused penalty 0 below a standardised ratio of 1e-12, where
    # fit_least_squares (then on the raw design) gave an answer: one rule now.
    t = np.arange(6.0)
    X = np.column_stack([t, t + 1e-13 * np.array([1.0, -1.0, 0.0, 2.0, -2.0, 0.0])]) * 1e8
    y = np.array([1.0, 2.0, 2.0, 5.0, 3.0, 7.0])
    s = np.linalg.svd((X - X.mean(axis=0)) / X.std(axis=0), compute_uv=False)
    assert 1e-15 < s[-1] / s[0] < 1e-12
    fit = reg.fit_least_squares(X, y)
    path = rdg.ridge_path(X, y, [0.0])
    assert np.allclose(path.coef[0], fit.coef, rtol=1e-6) and math.isclose(path.intercept[0], fit.intercept, rel_tol=1e-9)


def test_ridge_cv_handles_a_feature_constant_on_one_training_fold():
    # Feature 1 is 0 except on record 5: when record 5 is in the validation
    # fold, the feature is constant on the training records. ridge_cv said
    # "a feature is constant; it cannot be standardised" of data in which it
    # is not. Now that fold's model gives it coefficient 0 (as scikit-learn's
    # StandardScaler + Ridge, which scales a zero-variance feature by 1).
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = np.array([[1e8, 0.0], [2e8, 0.0], [4e8, 0.0], [3e8, 0.0], [5e8, 0.0], [6e8, 1e-8], [2.5e8, 0.0], [7e8, 0.0]])
    y = np.array([1.0, 2.5, 4.0, 2.0, 5.5, 9.0, 3.0, 7.5])
    penalties = [0.1, 10.0]
    cv = rdg.ridge_cv(X, y, penalties, n_folds=4, seed=3)
    k = int(cv.fold[5])
    assert np.ptp(X[cv.fold != k, 1]) == 0  # constant on that fold's training records
    ref = np.zeros((4, 2))
    for f in range(4):
        tr, va = cv.fold != f, cv.fold == f
        for j, lam in enumerate(penalties):
            model = make_pipeline(StandardScaler(), Ridge(alpha=lam)).fit(X[tr] / [1e8, 1e-8], y[tr])
            ref[f, j] = np.mean((model.predict(X[va] / [1e8, 1e-8]) - y[va]) ** 2)
    assert np.allclose(cv.cv_mse, ref.mean(axis=0), rtol=1e-10, atol=0)
    # Penalty 0 is least squares, not unique on that fold: the error names it.
    with pytest.raises(ValueError, match=f"penalty 0 is least squares.*fold {k} .*feature 1 is constant"):
        rdg.ridge_cv(X, y, [0.0, 1.0], n_folds=4, seed=3)
    # A feature constant in the data is still refused as such.
    with pytest.raises(ValueError, match="feature 1 of X is constant"):
        rdg.ridge_cv(np.column_stack([X[:, 0], np.full(8, 0.1)]), y, [1.0])


def test_population_bias_checks_symmetry_relatively():
    # np.allclose's absolute tolerance (1e-8) called every covariance of
    # features in units of 1e-10 symmetric: an asymmetry of 40% passed.
    cov = np.array([[1.0, 0.5], [0.3, 1.0]]) * 1e-20
    with pytest.raises(ValueError, match=r"cov must be symmetric: cov\[0, 1\]"):
        inf.population_omitted_bias(cov, [1.0, 1.0], 1)
    # Rounding noise of a computed covariance is accepted.
    cov = np.array([[4.0, 1.0], [1.0 + 1e-14, 9.0]])
    assert math.isclose(inf.population_omitted_bias(cov, [1.0, 2.0], 1)[0], 2.0 / 4.0, rel_tol=1e-12)


def test_population_bias_refuses_a_matrix_that_is_not_a_covariance():
    # [[1, 2], [2, 1]] (correlation 2) gave a bias of 2.
    with pytest.raises(ValueError, match="cov is not positive semi-definite.*eigenvalue -1"):
        inf.population_omitted_bias([[1.0, 2.0], [2.0, 1.0]], [1.0, 1.0], 1)
    # Units 1e8 and 1e-8: the eigenvalues of cov itself (1e16 and about -1e-16)
    # hide the violation, which the correlation matrix shows.
    d = np.array([1e8, 1e-8, 1e-8])
    bad = d[:, None] * d[None, :] * np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 2.0], [0.0, 2.0, 1.0]])
    with pytest.raises(ValueError, match="not positive semi-definite"):
        inf.population_omitted_bias(bad, [1.0, 1.0, 1.0], 0)
    with pytest.raises(ValueError, match=r"variance cov\[1, 1\] = -1 is negative"):
        inf.population_omitted_bias([[1.0, 0.0], [0.0, -1.0]], [1.0, 1.0], 0)
    with pytest.raises(ValueError, match="feature 1 has variance 0 but covariance"):
        inf.population_omitted_bias([[1.0, 0.5], [0.5, 0.0]], [1.0, 1.0], 0)


def test_population_bias_with_kept_features_in_different_units():
    # Kept variances 1e16 and 1e-16: np.linalg.matrix_rank of S_kk said 1
    # ("the covariance of the kept columns is singular").
    d = np.array([1e8, 1e-8, 1.0])
    R = np.array([[1.0, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 1.0]])
    cov = d[:, None] * d[None, :] * R
    coef = [1e-8, 1e8, 3.0]
    C = [[F(v) for v in row] for row in cov]
    ref = solve_exact([[C[0][0], C[0][1]], [C[1][0], C[1][1]]], [[C[0][2] * 3], [C[1][2] * 3]])
    out = inf.population_omitted_bias(cov, coef, 2)
    # Compared unit-free (b_i d_i): b_0 is 0 up to the rounding of cov's entries.
    unit_free = np.array([float(ref[0][0]), float(ref[1][0])]) * d[:2]
    assert np.allclose(out * d[:2], unit_free, rtol=1e-12, atol=1e-12 * np.max(np.abs(unit_free)))
    assert math.isclose(out[1], 1.5e8, rel_tol=1e-12)
    with pytest.raises(ValueError, match="kept columns is singular"):
        inf.population_omitted_bias(d[:, None] * d[None, :] * np.ones((3, 3)), coef, 2)


def test_r_squared_of_values_far_above_their_spread():
    # y_true = 1e8 + (0, 1, 2, 3) 2^-26: the rounded mean shifted every
    # deviation by half a unit; R^2 was 0.8333 where it is exactly 0.8.
    u = 2.0**-26
    y_true = 1e8 + np.array([0.0, 1.0, 2.0, 3.0]) * u
    y_pred = 1e8 + np.array([0.0, 1.0, 2.0, 2.0]) * u
    assert inf.r_squared(y_true, y_pred) == 0.8
    out = inf.ols_inference((y_true - 1e8)[:, None], y_true)  # the same values as the target of a fit
    assert math.isclose(out.r_squared, 1.0, rel_tol=1e-12)


def test_mad_scale_of_residuals_far_above_their_spread():
    # The median (a + b) / 2 was rounded before the deviations were taken: on
    # 1e8 + (0, 1, 2, 4) ulp the median 1e8 + 1.5 ulp became 1e8 + 2 ulp and the
    # MAD 1.5 ulp instead of 1 ulp (50% off).
    u = float(np.spacing(1e8))
    r = 1e8 + np.array([0.0, 1.0, 2.0, 4.0]) * u
    assert math.isclose(rob.mad_scale(r), u * NORMAL_FACTOR, rel_tol=1e-15)
    r = np.array([1.0, 0.999997, 0.999999, 0.999999, 1.000001, 1.000002])  # 5.5e-11 off
    vals = [F(v) for v in r]
    ref = exact_median([abs(v - exact_median(vals)) for v in vals]) * F(NORMAL_FACTOR)
    assert math.isclose(rob.mad_scale(r), float(ref), rel_tol=1e-14)
    # Middle values near the float limit: np.median added them first (inf).
    assert math.isclose(rob.mad_scale([1.6e308, 1.7e308]), float((F(1.7e308) - F(1.6e308)) / 2 * F(NORMAL_FACTOR)),
                        rel_tol=1e-15)  # fmt: skip
    with pytest.raises(ValueError, match="MAD scale of residuals exceeds the float range"):
        rob.mad_scale([-1.7e308, 1.7e308])  # 1.7e308 / 0.674


def test_gradient_descent_centres_a_target_far_above_its_spread():
    # y = 1e4 + 1e-8 k: y - mean(y) carried the mean's rounding (1e-12), the
    # first loss (of predicting the mean) was off by 5e-4 relative.
    X = np.array([[0.0], [1.0], [2.0], [3.0], [5.0]])
    y = 1e4 + np.array([0.0, 1.0, 0.0, 2.0, 4.0]) * 1e-8
    fit = reg.fit_gradient_descent(X, y, method="gd", lr=0.1, epochs=1)
    vals = [F(v) for v in y]
    mean = sum(vals) / len(vals)
    assert math.isclose(fit.loss_history[0], float(sum((v - mean) ** 2 for v in vals) / len(vals)), rel_tol=1e-12)


def test_sums_beyond_the_float_range_are_refused_or_scaled():
    # Squares of 1.5e154 overflowed although the Huber loss is 1.125e308.
    assert math.isclose(rob.huber_loss([1.5e154], scale=1e160), 1.125e308, rel_tol=1e-15)
    with pytest.raises(ValueError, match="Huber loss of residuals exceeds the float range"):
        rob.huber_loss([1e300], scale=1e12)  # was inf
    with pytest.raises(ValueError, match="mean squared error of y_true and y_pred exceeds the float range"):
        reg.mean_squared_error([0.0, 0.0], [1e200, 0.0])  # was inf
    with pytest.raises(ValueError, match="R\\^2 is below the float range"):
        inf.r_squared([0.0, 0.0, 1e-300], [0.0, 0.0, 1.0])  # was -inf
    # Errors of 1e100: the squares are fine, their spread (fourth powers) overflowed (inf ends).
    iv = inf.mse_interval([0.0, 0.0, 0.0], [1e100, 2e100, 3e100])
    sq = [F(1e100) ** 2, F(2e100) ** 2, F(3e100) ** 2]
    mean = sum(sq) / 3
    sd = math.sqrt(float(sum((s - mean) ** 2 for s in sq) / 2 / F(1e200) ** 2)) * 1e200
    assert math.isclose(iv.estimate, float(mean), rel_tol=1e-15)
    assert math.isclose(iv.upper - iv.estimate, T_QUANTILE(0.95, 2) * sd / math.sqrt(3), rel_tol=1e-12)
    # An intermediate product beyond 1.8e308 whose sum is not (nan before).
    pred = reg.predict(reg.LinearFit(np.array([1e300, -1e300]), 0.0), [[1e9, 1e9 - 1.0]])
    assert math.isclose(pred[0], 1e300, rel_tol=1e-6)
    with pytest.raises(ValueError, match="prediction for record 0 of X exceeds the float range"):
        reg.predict(reg.LinearFit(np.array([1e300]), 0.0), [[1e9]])
    with pytest.raises(ValueError, match="temperature_curvature too large"):
        reg.make_quality_data(10, seed=0, temperature_curvature=1e308)  # was inf in y


def test_predict_refuses_non_finite_inputs():
    # NaN features (and a diverged gradient fit) gave NaN predictions silently.
    with pytest.raises(ValueError, match="X contains NaN"):
        reg.predict(reg.LinearFit(np.array([1.0]), 0.0), [[np.nan]])
    with pytest.raises(ValueError, match="fit.coef contains NaN or infinity"):
        reg.predict(reg.GradientFit(np.array([np.inf]), 0.0, np.zeros(1), "gd"), [[1.0]])
    with pytest.raises(TypeError, match="fit must be a fitted linear model"):
        reg.predict([1.0], [[1.0]])


def parts(result) -> list:
    """The arrays of a result (a tuple, a dataclass or one array)."""
    if isinstance(result, tuple):
        return list(result)
    return [getattr(result, f.name) for f in fields(result)] if is_dataclass(result) else [result]


@pytest.mark.parametrize(
    "call",
    [
        lambda seed: reg.make_quality_data(5, seed=seed),
        lambda seed: reg.train_test_split(np.arange(10.0)[:, None], np.arange(10.0), seed=seed),
        lambda seed: inf.simulate_coefficients(np.arange(5.0)[:, None], [1.0], 0.0, 1.0, n_sims=2, seed=seed),
        lambda seed: rdg.ridge_cv(np.arange(10.0)[:, None], np.arange(10.0) ** 2, [1.0], seed=seed),
    ],
    ids=["make_quality_data", "train_test_split", "simulate_coefficients", "ridge_cv"],
)
def test_seeds_go_through_as_seed(call):
    # None, floats and bools are refused (TypeError), negative seeds too
    # (ValueError), each naming seed; a Generator is used as it is and gives
    # what its integer seed gives.
    for bad in (None, 1.5, True, "1"):
        with pytest.raises(TypeError, match="seed must be an integer >= 0 or a numpy.random.Generator"):
            call(bad)
    with pytest.raises(ValueError, match="seed must be at least 0"):
        call(-1)
    a, b = call(7), call(np.random.default_rng(7))
    assert all(np.array_equal(u, v) for u, v in zip(parts(a), parts(b)))


def test_integer_seeds_give_the_documented_streams():
    # as_seed(k) is default_rng(k): the book's numbers do not move.
    rng = np.random.default_rng(5)
    z = rng.standard_normal((4, 5))
    data = reg.make_quality_data(4, seed=5)
    assert np.allclose(data.X[:, 0], 210.0 + 6.0 * z[:, 0], rtol=1e-15, atol=0)
    order = np.random.default_rng(42).permutation(10)
    X_tr, X_te, _, _ = reg.train_test_split(np.arange(10.0)[:, None], np.arange(10.0))
    assert np.array_equal(X_te[:, 0], order[:2]) and np.array_equal(X_tr[:, 0], order[2:])


def test_make_quality_data_refuses_a_wrong_kind_of_n():
    # n = "a" raised ValueError from a hand-rolled check: a wrong kind is a TypeError.
    with pytest.raises(TypeError, match="n must be an integer"):
        reg.make_quality_data(n="a")
    with pytest.raises(TypeError, match="n must be an integer"):
        reg.make_quality_data(n=5.0)
    with pytest.raises(ValueError, match="n must be at least 1"):
        reg.make_quality_data(n=0)


#: The public functions of lib.regression, lib.inference, lib.ridge and
#: lib.robust that are not drawn at mixed scales, and why.
ONE_SCALE: dict[str, str] = {
    "lib.regression.feature_covariance": "one correlation in [-1, 1]; the standard deviations are "
    "the module's fixed constants, so no second quantity of its own scale",
}


def test_population_bias_does_not_overflow_on_the_way():
    # Exactly cov01 / cov00 * beta_1 = 1e300 / 1e300 * 1e300 (a float).
    bias = inf.population_omitted_bias([[1e300, 1e300], [1e300, 4e300]], [1.0, 1e300], 1)
    assert bias[0] == pytest.approx(1e300, rel=1e-12)
