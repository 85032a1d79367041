"""Instances that put several scales side by side, and the registry of their cases.

The differential files draw each instance at one scale (every entry a small
integer times one power from 1e-300 to 1e300). Real instances mix scales:
costs against a budget, floors against scores, wages against scores, a full
worker beside free ones, features measured in units 1e8 and 1e-8. A
tolerance taken from the largest entry, or a fixed number of decimals, is
right at one scale and wrong when two meet. The ``test_mixed_scales_*.py``
files therefore draw, for every function whose inputs play more than one
role, instances in which each role has its own magnitude and the entries of
one role may differ by up to sixteen decades (1e-8 ... 1e8), and compare the
result with an independent reference (exact rationals, brute force, another
library) as the differential files do.

A file declares its cases with a :class:`MixedCases` registry::

    MIXED = MixedCases("lp")

    @MIXED.case("lib.floors.solve_matching_with_floor", floor_instances(),
                roles="scores; floors", agrees="...")
    def check_floor(scores, floor, capacity): ...

    test_mixed_scales = MIXED.test()

Each case runs ``MIXED_INPUTS`` inputs (at least ``MIN_MIXED``), counts the
inputs it compared and writes the counts to ``_build/mixed_counts_<file>.txt``.
``tests/test_mixed_scales_coverage.py`` checks that every public function is
either in a registry or listed with the reason its inputs play one role only,
and that the registries plan at least ``MIN_MIXED_TOTAL`` inputs in all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUILD

MIN_MIXED = 200
MIN_MIXED_TOTAL = 20_000
# Inputs drawn per case; the profile's own count when it asks for more.
MIXED_INPUTS = max(MIN_MIXED + 20, settings.default.max_examples)

#: Powers of ten from 1e-8 to 1e8: the magnitudes one instance may mix.
EXPONENTS = tuple(range(-8, 9))
SCALES = tuple(10.0**k for k in EXPONENTS)

#: One magnitude for one role of an instance (scores, costs, a budget...).
role_scale = st.sampled_from(SCALES)


@st.composite
def mixed_entries(draw, size: int, *, low: int = 0, high: int = 5,
                  scale: float | None = None, spread: int = 16) -> np.ndarray:  # fmt: skip
    """``size`` entries: small integers (so that ties occur) times magnitudes.

    With ``scale`` given, each entry is an integer times ``scale`` times a
    power of ten within ``spread`` decades of it, clipped to 1e-8 ... 1e8;
    without, each entry draws its own magnitude from 1e-8 ... 1e8.
    """
    values = []
    for _ in range(size):
        k = draw(st.integers(low, high))
        if scale is None:
            magnitude = draw(role_scale)
        else:
            base = int(round(np.log10(scale)))
            shift = draw(st.integers(-spread, spread))
            magnitude = 10.0 ** min(max(base + shift, EXPONENTS[0]), EXPONENTS[-1])
        values.append(k * magnitude)
    return np.array(values, dtype=float)


@st.composite
def mixed_matrix(draw, shape: tuple[int, int], **kw) -> np.ndarray:
    """A matrix of :func:`mixed_entries` of the given shape."""
    n, m = shape
    return draw(mixed_entries(n * m, **kw)).reshape(n, m)


@st.composite
def column_scaled_matrix(draw, shape: tuple[int, int], *, low: float = -1.0,
                         high: float = 1.0) -> np.ndarray:  # fmt: skip
    """A matrix whose columns are in different units: column j is a uniform
    draw times its own power of ten from 1e-8 to 1e8 (features measured in
    grams and in tonnes)."""
    n, m = shape
    columns = []
    for _ in range(m):
        unit = draw(role_scale)
        col = [draw(st.floats(low, high, allow_nan=False, allow_subnormal=False)) for _ in range(n)]
        columns.append(np.array(col) * unit)
    return np.column_stack(columns) if columns else np.zeros((n, 0))


@dataclass
class MixedCases:
    """The mixed-scale cases of one test file, and the test that runs them."""

    label: str
    cases: dict[str, tuple[Any, Callable[..., None], str, str]] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)

    def case(self, name: str, strategy: Any, *, roles: str, agrees: str) -> Callable:
        """Register ``check(*args)`` for the public function ``name``
        (``lib.module.function``); ``roles`` names the scales the instance
        mixes, ``agrees`` says when the result agrees with the reference."""

        def register(check: Callable[..., None]) -> Callable[..., None]:
            assert name not in self.cases, f"{name} registered twice"
            self.cases[name] = (strategy, check, roles, agrees)
            return check

        return register

    def planned(self) -> int:
        return MIXED_INPUTS * len(self.cases)

    def test(self) -> Callable:
        """The parametrized test that runs every case of this registry."""
        registry = self

        @pytest.mark.timeout(600)
        @pytest.mark.parametrize("name", sorted(registry.cases))
        def test_mixed_scales(name):
            strategy, check, roles, agrees = registry.cases[name]
            assert roles and agrees

            @settings(max_examples=MIXED_INPUTS, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(strategy)
            def run(args):
                with np.errstate(all="ignore"):
                    check(*args)
                registry.counts[name] += 1

            run()
            assert registry.counts[name] >= MIN_MIXED, (
                f"{name}: only {registry.counts[name]} mixed-scale inputs compared"
            )
            registry.write_counts()

        return test_mixed_scales

    def write_counts(self) -> None:
        BUILD.mkdir(exist_ok=True)
        lines = [f"{n.removeprefix('lib.'):50s} {self.counts[n]:6d}" for n in sorted(self.cases)]
        lines.append(f"{'total':50s} {sum(self.counts.values()):6d}")
        path = BUILD / f"mixed_counts_{self.label}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
