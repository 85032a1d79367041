"""lib.plots' figures can be read without telling colours apart.

For every figure function: any two series in one axes differ in line style
or marker, or one of them carries its name on the plot, and every colour is
from the Okabe-Ito palette. The palette itself stays distinguishable under
simulated deuteranopia and protanopia (Machado, Oliveira and Fernandes 2009,
severity 1.0), a check that matplotlib's default red/green and
orange/green pairs fail.
"""

from __future__ import annotations

import inspect
import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex, to_rgb, to_rgba_array  # noqa: E402

import lib.plots as plots  # noqa: E402
from lib.matching import ARTICLE_SCORES, solve_matching  # noqa: E402
from lib.regression import make_quality_data  # noqa: E402

PALETTE = {c.lower() for c in plots.OKABE_ITO.values()}


def _quality():
    data = make_quality_data(60, seed=0)
    return data.X, data.y


def _residual_inputs():
    X, y = _quality()
    coef, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)
    return y, np.column_stack([np.ones(len(y)), X]) @ coef


# Each figure function with the arguments of one or more drawings.
CASES = {
    "draw_bipartite_matching": [
        lambda: plots.draw_bipartite_matching(ARTICLE_SCORES, solve_matching(ARTICLE_SCORES).pairs),
        lambda: plots.draw_bipartite_matching(ARTICLE_SCORES, solve_matching(ARTICLE_SCORES).pairs,
                                              show_scores=False),  # fmt: skip
    ],
    "draw_optimal_matching": [lambda: plots.draw_optimal_matching([[1, 2, 0], [3, 4, 1]], capacity=[2, 0, 1])],
    "draw_example_sensitivity": [
        lambda: plots.draw_example_sensitivity(),
        lambda: plots.draw_example_sensitivity(current=1.0),
    ],
    "draw_coordination_statics": [lambda: plots.draw_coordination_statics([40.0, 50.0, 60.0, 70.0])],
    "draw_training_curves": [
        lambda: plots.draw_training_curves(*_quality(), epochs=40),
        lambda: plots.draw_training_curves(*_quality(), epochs=40, scale=False, lr=0.1),
    ],
    "draw_residuals": [lambda: plots.draw_residuals(*_residual_inputs())],
    "draw_ratio_histogram": [lambda: plots.draw_ratio_histogram(ARTICLE_SCORES, n_orders=30)],
    "draw_value_of_coordination": [lambda: plots.draw_value_of_coordination()],
}


def test_every_figure_function_is_checked():
    functions = {
        name for name, f in inspect.getmembers(plots, inspect.isfunction)
        if name.startswith("draw_") and f.__module__ == plots.__name__
    }  # fmt: skip
    assert functions == set(CASES)
    assert functions <= set(plots.__all__)


def _series(ax):
    """Lines grouped into series: by gid, else by legend label, else one line each."""
    groups: dict = {}
    for line in ax.lines:
        label = line.get_label()
        key = line.get_gid() or (label if not label.startswith("_") else id(line))
        groups.setdefault(key, []).append(line)
    return groups


def _shape(line):
    style = line.get_linestyle()
    marker = line.get_marker()
    return ("none" if style in ("None", " ", "", "none") else style,
            "none" if marker in (None, "None", " ", "", "none") else marker)  # fmt: skip


def _direct_labels(ax):
    return {t.get_text().strip() for t in ax.texts}


def accessibility_problems(fig) -> list[str]:
    """What makes a figure depend on colour alone (empty if nothing)."""
    problems = []
    for ax in fig.axes:
        named = _direct_labels(ax)
        groups = _series(ax)
        for key, lines in groups.items():
            if len({_shape(line) for line in lines}) > 1:
                problems.append(f"series {key!r} mixes line styles")
            for line in lines:
                colour = to_hex(line.get_color(), keep_alpha=False).lower()
                if colour not in PALETTE:
                    problems.append(f"line {line.get_label()!r} has colour {colour} outside the palette")
        for (ka, a), (kb, b) in itertools.combinations(groups.items(), 2):
            labelled = any(line.get_label().strip() in named for line in a + b)
            if _shape(a[0]) == _shape(b[0]) and not labelled:
                problems.append(f"series {ka!r} and {kb!r} differ by colour only ({_shape(a[0])})")
        for artist in list(ax.patches) + list(ax.collections):
            faces = to_rgba_array(artist.get_facecolor())
            for rgba in faces:
                if rgba[3] > 0 and to_hex(rgba, keep_alpha=False).lower() not in PALETTE:
                    problems.append(f"{type(artist).__name__} filled with {to_hex(rgba)} outside the palette")
    return problems


@pytest.mark.parametrize("name, k", [(n, k) for n, cases in CASES.items() for k in range(len(cases))])
def test_figure_does_not_depend_on_colour_alone(name, k):
    ax = CASES[name][k]()
    try:
        ax.figure.canvas.draw()
        assert len(ax.lines) + len(ax.patches) + len(ax.collections) > 0
        assert accessibility_problems(ax.figure) == []
    finally:
        plt.close(ax.figure)


def test_the_check_fails_on_default_colours():
    """matplotlib's defaults: two solid lines told apart by colour alone."""
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="first")
    ax.plot([0, 1], [1, 0], label="second")
    problems = accessibility_problems(fig)
    plt.close(fig)
    assert any("differ by colour only" in p for p in problems)
    assert any("outside the palette" in p for p in problems)


def test_the_check_accepts_a_direct_label():
    fig, ax = plt.subplots()
    for k, name in enumerate(("first", "second")):
        ax.plot([0, 1], [k, 1 - k], color=plots.SERIES_COLORS[k], label=name)
    ax.text(1, 1, "second")
    problems = accessibility_problems(fig)
    plt.close(fig)
    assert problems == []


def test_course_style_gives_new_axes_the_cycle():
    with plots.course_style():
        fig, ax = plt.subplots()
        lines = [ax.plot([0, 1], [k, k])[0] for k in range(len(plots.SERIES_COLORS))]
    plt.close(fig)
    shapes = [_shape(line) for line in lines]
    assert len(set(shapes)) == len(shapes)  # every series has its own style and marker
    assert [to_hex(line.get_color()).upper() for line in lines] == list(plots.SERIES_COLORS)
    # Outside the block the defaults are back.
    assert plt.rcParams["axes.prop_cycle"] != plots.course_cycler()


def test_series_style_rejects_bad_input():
    with pytest.raises(ValueError, match="k"):
        plots.series_style(-1)
    with pytest.raises(TypeError, match="n_points"):
        plots.series_style(0, n_points="many")


# --- the palette under simulated colour-vision deficiency -------------------

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for
# simulation of color vision deficiency", severity 1.0; applied to linear RGB.
MACHADO_2009 = {
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
}  # fmt: skip
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
# CIE76 colour difference below which two line colours are hard to tell apart
# (about 2.3 is just noticeable side by side; thin lines far apart need much more).
MIN_DELTA_E = 15.0


def _linear(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb):
    xyz = SRGB_TO_XYZ @ linear_rgb / WHITE_D65
    d = 6 / 29
    f = np.where(xyz > d**3, np.cbrt(xyz), xyz / (3 * d**2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(colour_a, colour_b, deficiency=None):
    """CIE76 difference of two colours, as seen with ``deficiency`` (None: normal vision)."""
    m = np.eye(3) if deficiency is None else MACHADO_2009[deficiency]
    a, b = (_lab(np.clip(m @ _linear(to_rgb(c)), 0.0, 1.0)) for c in (colour_a, colour_b))
    return float(np.linalg.norm(a - b))


def test_lab_conversion_matches_published_values():
    # CIELAB of sRGB primaries and white (D65), as tabulated in the sRGB literature.
    assert np.allclose(_lab(_linear([1, 1, 1])), [100, 0, 0], atol=0.05)
    assert np.allclose(_lab(_linear([1, 0, 0])), [53.24, 80.09, 67.20], atol=0.1)
    assert np.allclose(_lab(_linear([0, 0, 1])), [32.30, 79.19, -107.86], atol=0.1)


def test_simulation_keeps_white_and_greys():
    # Each row of Machado's matrices sums to 1: neutral colours are seen unchanged.
    for m in MACHADO_2009.values():
        assert np.allclose(m.sum(axis=1), 1.0, atol=1e-5)
    assert delta_e("#777777", "#777777", "deuteranopia") == 0.0
    assert delta_e("#ffffff", "#ffffff", "protanopia") == 0.0


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_palette_stays_distinguishable(deficiency):
    colours = list(plots.OKABE_ITO.values())
    worst = min(delta_e(a, b, deficiency) for a, b in itertools.combinations(colours, 2))
    assert worst >= MIN_DELTA_E, f"{deficiency}: closest pair only {worst:.1f} apart"


def test_default_red_green_and_orange_green_fail_the_same_threshold():
    """matplotlib's default (tab10) red/green and orange/green pairs: distinct
    to normal vision, too close with a red-green deficiency."""
    red, orange, green = "#d62728", "#ff7f0e", "#2ca02c"
    assert delta_e(red, green) > 5 * MIN_DELTA_E
    assert delta_e(orange, green) > 3 * MIN_DELTA_E
    assert delta_e(red, green, "deuteranopia") < MIN_DELTA_E
    assert delta_e(orange, green, "protanopia") < MIN_DELTA_E


# --- the chapters' own figures -----------------------------------------------


def _chapter_notebooks():
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "chapters"
    for path in sorted(root.rglob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        yield path.relative_to(root).as_posix(), ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("name, code", list(_chapter_notebooks()), ids=lambda v: v if isinstance(v, str) else "")
def test_chapter_figures_use_the_course_style(name, code):
    """A chapter that draws its own figures applies the course's cycle first.

    Its figures then take their colours from the palette and a line style and
    marker per series (checked on lib's figures above), not matplotlib's
    default red/green.
    """
    draws = [k for k, src in enumerate(code) if "plt." in src or ".plot(" in src]
    if not draws:
        return
    styled = [k for k, src in enumerate(code) if "use_course_style()" in src.replace("import use_course_style", "")]
    assert styled, f"{name} draws figures but never calls lib.plots.use_course_style()"
    assert styled[0] <= draws[0], f"{name}: the first figure is drawn before use_course_style()"
