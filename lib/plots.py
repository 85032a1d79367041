"""Figures shared by the chapters (English labels only).

Each function draws on a matplotlib ``Axes`` it is given (or a new one) and
returns that ``Axes``, so a chapter can place several settings side by side
for its static figure and reuse the same function as a widget's callback.

Every figure is readable without telling colours apart: its colours come
from the Okabe-Ito palette (chosen to stay distinct under the common forms
of colour blindness), and any two of its series also differ in line style
or marker, or carry their name on the plot. :func:`series_style` gives the
k-th series' style; :func:`course_style` and :func:`use_course_style` apply
the same cycle to figures a chapter draws itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import Cycler, cycler
from matplotlib.axes import Axes

from lib._validate import as_capacity_vector, as_pair_list, as_real_matrix

__all__ = [
    "OKABE_ITO",
    "SERIES_COLORS",
    "SERIES_LINESTYLES",
    "SERIES_MARKERS",
    "series_style",
    "course_cycler",
    "course_rc",
    "course_style",
    "use_course_style",
    "draw_bipartite_matching",
    "draw_optimal_matching",
    "draw_example_sensitivity",
    "draw_coordination_statics",
    "draw_value_of_coordination",
    "draw_training_curves",
    "draw_residuals",
    "draw_ratio_histogram",
]

# Okabe and Ito's palette ("Color Universal Design", 2008), by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
# The order series are drawn in. Yellow comes last: on white it is the
# palette's weakest line; black is kept for reference lines.
SERIES_COLORS: tuple[str, ...] = tuple(
    OKABE_ITO[name]
    for name in (
        "blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "yellow"
    )  # fmt: skip
)
# One line style and one marker per colour, so series differ in shape too
# (in print, in greyscale, and for readers who cannot tell the colours apart).
SERIES_LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":", "-", "--", "-.")
SERIES_MARKERS: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X")
# The colours of a chosen edge, of tasks and of workers in the matching figures.
_HIGHLIGHT = OKABE_ITO["vermillion"]
_TASK, _WORKER = OKABE_ITO["blue"], OKABE_ITO["orange"]


def series_style(k: int, n_points: int | None = None) -> dict[str, Any]:
    """Colour, line style and marker of the ``k``-th series of a figure.

    Parameters
    ----------
    k : int
        The series' index, from 0 (the cycle repeats after
        ``len(SERIES_COLORS)`` series).
    n_points : int, optional
        How many points the line has; with many points a marker is drawn
        on about ten of them only, so the line stays readable.

    Returns
    -------
    dict
        Keyword arguments for :meth:`matplotlib.axes.Axes.plot`.

    Examples
    --------
    >>> series_style(1)
    {'color': '#E69F00', 'linestyle': '--', 'marker': 's'}
    >>> series_style(0, n_points=1000)["markevery"]
    100
    """
    from lib._validate import as_integer

    k = as_integer(k, "k", minimum=0)
    i = k % len(SERIES_COLORS)
    style: dict[str, Any] = {
        "color": SERIES_COLORS[i],
        "linestyle": SERIES_LINESTYLES[i],
        "marker": SERIES_MARKERS[i],
    }
    if n_points is not None and as_integer(n_points, "n_points", minimum=0) > 12:
        style["markevery"] = max(1, n_points // 10)
    return style


def course_cycler() -> Cycler:
    """The colour, line-style and marker cycle of the course's figures.

    Returns
    -------
    cycler.Cycler
        Colours, line styles and markers, one entry per line.

    Examples
    --------
    >>> [style["linestyle"] for style in course_cycler()][:3]
    ['-', '--', '-.']
    """
    return cycler(
        color=list(SERIES_COLORS),
        linestyle=list(SERIES_LINESTYLES),
        marker=list(SERIES_MARKERS),
    )


def course_rc() -> dict[str, Any]:
    """matplotlib settings that give new axes the course's cycle.

    Returns
    -------
    dict
        The ``rcParams`` entries to set (``"axes.prop_cycle"``).

    Examples
    --------
    >>> course_rc()["axes.prop_cycle"] == course_cycler()
    True
    """
    return {
        "axes.prop_cycle": course_cycler(),
        "lines.markersize": 5.0,
        "patch.facecolor": SERIES_COLORS[0],
    }


def course_style() -> AbstractContextManager:
    """A context in which new axes use the course's colours, line styles and markers.

    Nothing outside the ``with`` block changes (axes created before it keep
    their cycle).

    Returns
    -------
    contextlib.AbstractContextManager
        A context manager applying :func:`course_rc`.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with course_style():
    ...     _, ax = plt.subplots()
    ...     first, second = ax.plot([0, 1]) + ax.plot([1, 0])
    >>> (first.get_linestyle(), second.get_linestyle(), second.get_marker())
    ('-', '--', 's')
    """
    return mpl.rc_context(course_rc())


def use_course_style() -> None:
    """Apply the course's cycle to every figure drawn afterwards in this session.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> with mpl.rc_context():  # here only to leave the session's settings as they were
    ...     use_course_style()
    ...     plt.rcParams["axes.prop_cycle"] == course_cycler()
    True
    """
    mpl.rcParams.update(course_rc())


def draw_bipartite_matching(
    scores: Any,
    pairs: Sequence[tuple[int, int]] = (),
    capacity: Any = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    show_scores: bool = True,
) -> Axes:
    """Draw tasks (left) and workers (right) with the chosen edges in bold.

    Every task-worker edge is drawn faintly, with its score when
    ``show_scores``; the edges of ``pairs`` are drawn thick and labelled.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
    pairs : sequence of (task, worker)
        The chosen assignment.
    capacity : array_like of int, optional
        Shown under each worker's name.
    ax : matplotlib.axes.Axes, optional
    title : str, optional
    show_scores : bool, default True
        Write each edge's score on it.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_bipartite_matching([[1, 2], [3, 4]], pairs=[(0, 1), (1, 0)])
    >>> len(ax.lines)
    4
    """
    scores = as_real_matrix(scores, "scores")
    n_tasks, n_workers = scores.shape
    capacity = as_capacity_vector(capacity, n_workers)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 0.9 * max(n_tasks, n_workers) + 1))
    chosen = set(as_pair_list(pairs, n_tasks, n_workers))
    y_task = np.linspace(1, 0, n_tasks) if n_tasks > 1 else np.array([0.5])
    y_worker = np.linspace(1, 0, n_workers) if n_workers > 1 else np.array([0.5])
    edges: list = []  # chosen edges to label: (start, end, text)
    for i in range(n_tasks):
        for j in range(n_workers):
            is_chosen = (i, j) in chosen
            # Chosen edges: thick, solid, vermillion; the others: thin, dotted,
            # faint black. Width and style tell them apart without colour.
            ax.plot(
                [0, 1],
                [y_task[i], y_worker[j]],
                color=_HIGHLIGHT if is_chosen else OKABE_ITO["black"],
                lw=3.0 if is_chosen else 0.8,
                ls="-" if is_chosen else ":",
                alpha=1.0 if is_chosen else 0.45,
                zorder=2 if is_chosen else 1,
                gid="chosen edge" if is_chosen else "other edge",
            )
            if is_chosen and show_scores:
                edges.append(((0.0, y_task[i]), (1.0, y_worker[j]), f"{scores[i, j]:.3g}"))
    # Tasks and workers are also told apart by shape and by their names.
    ax.scatter(np.zeros(n_tasks), y_task, s=260, color=_TASK, marker="o", zorder=3)
    ax.scatter(np.ones(n_workers), y_worker, s=260, color=_WORKER, marker="s", zorder=3)
    for i in range(n_tasks):
        ax.text(-0.1, y_task[i], f"task {i}", ha="right", va="center", fontsize=9)
    for j in range(n_workers):
        ax.text(1.1, y_worker[j], f"worker {j}\n(cap. {capacity[j]})",
                ha="left", va="center", fontsize=9)  # fmt: skip
    total = float(sum(scores[i, j] for i, j in chosen))
    ax.set_title(
        title if title is not None else f"total score {total:.3g}", fontsize=10
    )
    ax.set_xlim(-0.55, 1.55)
    ax.set_ylim(-0.15, 1.15)
    ax.axis("off")
    _place_edge_labels(ax, edges)
    return ax


def _place_edge_labels(ax: Axes, edges: list) -> None:
    """Label each edge at a point along it where the label overlaps no other
    label and, if possible, covers no other labelled edge.

    Positions are tried from the task end towards the worker end (edges
    leave different tasks at different heights, so labels near the task end
    rarely meet); overlaps are judged on the rendered text boxes, enlarged by
    a margin so that a later change of layout does not make them touch.
    """
    placed: list = []
    candidates = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.12, 0.8)
    for k, (start, end, text) in enumerate(edges):
        label = ax.annotate(
            text, start, fontsize=8, ha="center", va="center", zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )  # fmt: skip
        others = [e for m, e in enumerate(edges) if m != k]
        best, best_cost = None, None
        for t in candidates:
            label.set_position((start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])))
            box = label.get_window_extent().expanded(1.25, 1.4)
            overlaps = sum(box.overlaps(b) for b in placed)
            covers = sum(_segment_hits_box(ax, e[0], e[1], box) for e in others)
            cost = (overlaps, covers)
            if best_cost is None or cost < best_cost:
                best, best_cost = t, cost
            if cost == (0, 0):
                break
        label.set_position((start[0] + best * (end[0] - start[0]), start[1] + best * (end[1] - start[1])))
        placed.append(label.get_window_extent().expanded(1.25, 1.4))


def _segment_hits_box(ax: Axes, start, end, box) -> bool:
    points = ax.transData.transform(np.linspace(start, end, 60))
    return bool(np.any(
        (points[:, 0] >= box.x0) & (points[:, 0] <= box.x1)
        & (points[:, 1] >= box.y0) & (points[:, 1] <= box.y1)
    ))  # fmt: skip


def draw_optimal_matching(
    scores: Any,
    capacity: Any = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Solve the matching with :func:`lib.matching.solve_matching` and draw it.

    This is the callback of the chapter's capacity widget, and the function
    behind its static figure of a few settings.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).
    title : str, optional
        The title (default the total score).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> draw_optimal_matching([[1, 2], [3, 4]], capacity=[2, 0]).get_title()
    'total score 4'
    """
    from lib.matching import solve_matching

    result = solve_matching(scores, capacity)
    return draw_bipartite_matching(
        result.scores, result.pairs, result.capacity, ax=ax, title=title
    )


def draw_example_sensitivity(
    supports: Any = None,
    *,
    current: float | None = None,
    target: float = 5.6,
    ax: Axes | None = None,
) -> Axes:
    """J of the seed 000 §4.3 example against the assumed industry support p,
    one line per reading of the printed lists, with the article's J = 5.6.

    Parameters
    ----------
    supports : array_like, optional
        The supports p on the horizontal axis (default 61 from -1 to 2).
    current : float, optional
        A support to mark with a point on each line.
    target : float, default 5.6
        The J the article reports, drawn as a horizontal line.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> len(draw_example_sensitivity([0.0, 1.0, 2.0]).lines)
    3
    """
    from lib._validate import as_real_vector
    from lib.policy import READINGS, example_J

    supports = (
        np.linspace(-1.0, 2.0, 61)
        if supports is None
        else as_real_vector(supports, "supports")
    )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for k, reading in enumerate(READINGS):
        ax.plot(
            supports,
            [example_J(reading, p) for p in supports],
            label=f"reading: {reading}",
            gid=f"reading: {reading}",
            **series_style(k, supports.size),
        )
    ax.axhline(target, color=OKABE_ITO["black"], ls=":", lw=1, label=f"article's J = {target}")
    if current is not None:
        # Large black-edged dots on each reading's line, in that line's colour.
        for k, reading in enumerate(READINGS):
            ax.plot(
                [current], [example_J(reading, current)], ls="none", marker="o", ms=9,
                color=series_style(k)["color"], mec=OKABE_ITO["black"], zorder=3, gid="current p",
            )  # fmt: skip
    ax.set_xlabel("assumed industry support p (the same at every position)")
    ax.set_ylabel("J = mean(P*E + Ps*I)")
    ax.legend(fontsize=8)
    return ax


def draw_coordination_statics(
    budgets: Any, alpha: float = 1.0, beta: float = 1.0, *, ax: Axes | None = None
) -> Axes:
    """Mean optimal efforts and the budget's multiplier as the budget varies,
    for the coordination problem on the §4.3 data (support p = 1).

    Parameters
    ----------
    budgets : array_like
        The budgets on the horizontal axis.
    alpha, beta : float, default 1.0
        The weights of the education and industry losses.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> len(draw_coordination_statics([40.0, 50.0, 70.0]).lines)
    3
    """
    from lib._validate import as_real_vector
    from lib.policy import CoordinationProblem, coordinated_optimum, example_inputs

    budgets = as_real_vector(budgets, "budgets")
    d = example_inputs("stretched", support=1.0)
    optima = [
        coordinated_optimum(
            CoordinationProblem.create(d["S"], d["P"], d["Ps"], alpha, beta, b)
        )
        for b in budgets
    ]
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    series = [
        ("mean education effort E", [o.E.mean() for o in optima]),
        ("mean industry effort I", [o.I.mean() for o in optima]),
        ("budget multiplier lambda", [o.multiplier for o in optima]),
    ]
    for k, (label, values) in enumerate(series):
        ax.plot(budgets, values, label=label, **series_style(k, budgets.size))
    ax.set_xlabel("budget B (mean of E + I)")
    ax.set_title(f"alpha = {alpha:g}, beta = {beta:g}", fontsize=10)
    ax.legend(fontsize=8)
    return ax


def draw_training_curves(
    X: Any,
    y: Any,
    *,
    lr: float = 0.01,
    scale: bool = True,
    epochs: int = 1000,
    ax: Axes | None = None,
) -> Axes:
    """Training loss of Adam and plain gradient descent against the least-squares
    optimum, for one learning rate and one choice of feature scaling.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    lr : float, default 0.01
        Learning rate of both methods.
    scale : bool, default True
        Standardise the features.
    epochs : int, default 1000
        Epochs of each run.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(50, seed=0)
    >>> len(draw_training_curves(data.X, data.y, epochs=20).lines)
    3
    """
    from lib.regression import (
        fit_gradient_descent,
        fit_least_squares,
        mean_squared_error,
        predict,
    )

    best = mean_squared_error(y, predict(fit_least_squares(X, y), X))
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    for k, method in enumerate(("adam", "gd")):
        fit = fit_gradient_descent(X, y, method=method, lr=lr, epochs=epochs, scale=scale)
        # Excess loss over the optimum, floored so a converged run stays on a log axis.
        # Diverged runs are clipped just above the top of the axis.
        excess = np.maximum(fit.loss_history - best, 1e-16)
        excess = np.minimum(np.where(np.isfinite(excess), excess, 1e13), 1e13)
        ax.semilogy(np.arange(1, epochs + 1), excess, label=f"{method}, lr={lr:g}",
                    **series_style(k, epochs))  # fmt: skip
    ax.axhline(1e-16, color=OKABE_ITO["black"], ls=":", lw=0.8, label="floor (converged)")
    ax.set_ylim(1e-17, 1e12)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training MSE minus least-squares MSE")
    ax.set_title(f"features {'standardised' if scale else 'raw'}", fontsize=10)
    ax.legend(fontsize=8)
    return ax


def draw_residuals(y_true: Any, y_pred: Any, *, ax: Axes | None = None, title: str = "") -> Axes:
    """Residuals against predictions, with a zero line.

    Parameters
    ----------
    y_true, y_pred : array_like, shape (n,)
        Observed and predicted values.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).
    title : str, default ""
        The title.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> draw_residuals([1.0, 2.0], [1.1, 1.9]).get_xlabel()
    'predicted quality index'
    """
    from lib._validate import as_real_vector

    y_true = as_real_vector(y_true, "y_true")
    y_pred = as_real_vector(y_pred, "y_pred", length=y_true.size)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.scatter(y_pred, y_true - y_pred, s=12, alpha=0.7, color=SERIES_COLORS[0])
    ax.axhline(0.0, color=OKABE_ITO["black"], lw=1)
    ax.set_xlabel("predicted quality index")
    ax.set_ylabel("residual (actual - predicted)")
    ax.set_title(title, fontsize=10)
    return ax


def draw_ratio_histogram(
    scores: Any,
    capacity: Any = None,
    *,
    threshold: float = 0.0,
    n_orders: int = 300,
    seed: int = 1,
    ax: Axes | None = None,
) -> Axes:
    """Histogram of online greedy's total over the offline optimum for random
    arrival orders, after screening pairs below ``threshold``.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        Tasks each worker may take (default 1 each).
    threshold : float, default 0.0
        Pairs scoring below it are screened out (:func:`lib.matching.screen_scores`).
    n_orders : int, default 300
        Number of random arrival orders.
    seed : int, default 1
        Seed of the orders.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_ratio_histogram([[1.0, 1.0], [1.0, 0.0]], n_orders=20)
    >>> ax.get_xlabel()
    'greedy total / offline optimum'
    """
    from lib.matching import random_order_ratios, screen_scores

    screened = screen_scores(scores, threshold)
    ratios = random_order_ratios(screened, capacity, n_orders=n_orders, seed=seed)
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3.5))
    ax.hist(ratios, bins=np.linspace(min(0.5, ratios.min()), 1.0, 26), color=SERIES_COLORS[0])
    ax.axvline(ratios.mean(), color=_HIGHLIGHT, ls="--", lw=2, label=f"mean {ratios.mean():.3f}")
    cap = np.asarray(capacity) if capacity is not None else None
    total_cap = "1 each" if cap is None else str(int(cap.sum()))
    ax.set_title(f"threshold {threshold:g}, total capacity {total_cap}", fontsize=10)
    ax.set_xlabel("greedy total / offline optimum")
    ax.set_ylabel("arrival orders")
    ax.legend(fontsize=8)
    return ax


def draw_value_of_coordination(
    gammas: Any = None, *, share: float = 0.5, budget: float = 50.0, ax: Axes | None = None
) -> Axes:
    """The planner's gain over the fixed-share ministries against the cross-effect,
    with its two parts (budget reallocation, cross-effect), for the chapter's
    model of Part I (:func:`lib.coordination.chapter_model`).

    Parameters
    ----------
    gammas : array_like, optional
        The cross-effects on the horizontal axis (default 20 from -1.9 to 1.9).
    share : float, default 0.5
        The education ministry's budget share in the benchmark.
    budget : float, default 50.0
        Upper bound on mean spending per position.
    ax : matplotlib.axes.Axes, optional
        Where to draw (default a new figure's axes).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> len(draw_value_of_coordination([-1.0, 0.0, 1.0]).lines)
    5
    """
    from lib._validate import as_real, as_real_vector
    from lib.coordination import chapter_model, value_of_coordination

    gammas = np.linspace(-1.9, 1.9, 20) if gammas is None else as_real_vector(gammas, "gammas")
    share = as_real(share, "share", minimum=0.0, maximum=1.0)
    values = [value_of_coordination(chapter_model(gamma=g, budget=budget), share) for g in gammas]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    n = gammas.size
    ax.plot(gammas, [v.total for v in values], lw=2, label="total gain of the planner",
            **{**series_style(0, n), "color": OKABE_ITO["black"]})  # fmt: skip
    ax.plot(gammas, [v.reallocation for v in values], label="budget reallocation",
            **series_style(1, n))  # fmt: skip
    ax.plot(gammas, [v.cross_effect for v in values], label="cross-effect", **series_style(2, n))
    ax.axhline(0, color=OKABE_ITO["black"], lw=0.6, alpha=0.6)
    # The chapter's value is marked by a dotted line that carries its name.
    label = "chapter's gamma = 1"
    ax.axvline(1.0, color=OKABE_ITO["black"], ls=":", lw=1, label=label)
    ax.text(1.0, 0.98, f"{label} ", transform=ax.get_xaxis_transform(), rotation=90,
            ha="left", va="top", fontsize=7)  # fmt: skip
    ax.set_xlabel("cross-effect gamma (< 0 substitutes, > 0 complements)")
    ax.set_ylabel("gain in W over the benchmark")
    ax.set_title(f"education share {share:g}, budget {budget:g}", fontsize=10)
    ax.legend(fontsize=8)
    return ax
