"""Figures shared by the chapters (English labels only).

Each function draws on a matplotlib ``Axes`` it is given (or a new one) and
returns that ``Axes``, so a chapter can place several settings side by side
for its static figure and reuse the same function as a widget's callback.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from lib._validate import as_capacity_vector, as_pair_list, as_real_matrix

__all__ = [
    "draw_bipartite_matching",
    "draw_optimal_matching",
    "draw_example_sensitivity",
    "draw_coordination_statics",
    "draw_value_of_coordination",
]


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
            ax.plot(
                [0, 1],
                [y_task[i], y_worker[j]],
                color="#d1495b" if is_chosen else "#b0b7c3",
                lw=3.0 if is_chosen else 0.7,
                alpha=1.0 if is_chosen else 0.6,
                zorder=2 if is_chosen else 1,
            )
            if is_chosen and show_scores:
                edges.append(((0.0, y_task[i]), (1.0, y_worker[j]), f"{scores[i, j]:.3g}"))
    ax.scatter(np.zeros(n_tasks), y_task, s=260, color="#00798c", zorder=3)
    ax.scatter(np.ones(n_workers), y_worker, s=260, color="#edae49", zorder=3)
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
    for reading in READINGS:
        ax.plot(
            supports,
            [example_J(reading, p) for p in supports],
            label=f"reading: {reading}",
        )
    ax.axhline(target, color="k", ls="--", lw=1, label=f"article's J = {target}")
    if current is not None:
        for reading in READINGS:
            ax.plot(
                [current], [example_J(reading, current)], "o", color="#d1495b", zorder=3
            )
    ax.set_xlabel("assumed industry support p (the same at every position)")
    ax.set_ylabel("J = mean(P*E + Ps*I)")
    ax.legend(fontsize=8)
    return ax


def draw_coordination_statics(
    budgets: Any, alpha: float = 1.0, beta: float = 1.0, *, ax: Axes | None = None
) -> Axes:
    """Mean optimal efforts and the budget's multiplier as the budget varies,
    for the coordination problem on the §4.3 data (support p = 1).

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
    ax.plot(budgets, [o.E.mean() for o in optima], label="mean education effort E")
    ax.plot(budgets, [o.I.mean() for o in optima], label="mean industry effort I")
    ax.plot(budgets, [o.multiplier for o in optima], label="budget multiplier lambda")
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
    for method in ("adam", "gd"):
        fit = fit_gradient_descent(X, y, method=method, lr=lr, epochs=epochs, scale=scale)
        # Excess loss over the optimum, floored so a converged run stays on a log axis.
        # Diverged runs are clipped just above the top of the axis.
        excess = np.maximum(fit.loss_history - best, 1e-16)
        excess = np.minimum(np.where(np.isfinite(excess), excess, 1e13), 1e13)
        ax.semilogy(np.arange(1, epochs + 1), excess, label=f"{method}, lr={lr:g}")
    ax.axhline(1e-16, color="k", lw=0.5, label="floor (converged)")
    ax.set_ylim(1e-17, 1e12)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training MSE minus least-squares MSE")
    ax.set_title(f"features {'standardised' if scale else 'raw'}", fontsize=10)
    ax.legend(fontsize=8)
    return ax


def draw_residuals(y_true: Any, y_pred: Any, *, ax: Axes | None = None, title: str = "") -> Axes:
    """Residuals against predictions, with a zero line.

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
    ax.scatter(y_pred, y_true - y_pred, s=12, alpha=0.7)
    ax.axhline(0.0, color="k", lw=1)
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
    ax.hist(ratios, bins=np.linspace(min(0.5, ratios.min()), 1.0, 26), color="#00798c")
    ax.axvline(ratios.mean(), color="#d1495b", lw=2, label=f"mean {ratios.mean():.3f}")
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
    ax.plot(gammas, [v.total for v in values], "k", lw=2, label="total gain of the planner")
    ax.plot(gammas, [v.reallocation for v in values], label="budget reallocation")
    ax.plot(gammas, [v.cross_effect for v in values], label="cross-effect")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(1.0, color="grey", ls=":", lw=1, label="chapter's gamma = 1")
    ax.set_xlabel("cross-effect gamma (< 0 substitutes, > 0 complements)")
    ax.set_ylabel("gain in W over the benchmark")
    ax.set_title(f"education share {share:g}, budget {budget:g}", fontsize=10)
    ax.legend(fontsize=8)
    return ax
