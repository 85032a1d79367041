"""Interactive controls for the chapters.

A widget only wires controls to a plain, tested function of :mod:`lib`
(for example :func:`lib.plots.draw_optimal_matching`); every chapter pairs it
with a static figure of a few settings, because the HTML book has no kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from lib._validate import as_capacity_vector, as_integer, as_real, as_real_matrix


def _show_figure(fig: Any, alt: str, output: widgets.Output) -> None:
    """Show a figure in a widget's output as an image with alt text, then close it.

    ``plt.show()`` inside a widget's output would save an image without alt
    text in the book's HTML; an explicit ``<img alt=...>`` keeps it accessible.
    """
    import base64
    import io
    from html import escape

    from IPython.display import HTML

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    # Replace the output's content directly: nothing is printed outside a kernel.
    output.outputs = ()
    output.append_display_data(
        HTML(f'<img alt="{escape(alt)}" src="data:image/png;base64,{data}"/>')
    )


__all__ = [
    "capacity_explorer",
    "example_explorer",
    "coordination_explorer",
    "coordination_value_explorer",
    "training_explorer",
    "online_explorer",
]


def _slider_value(value: Any, name: str, low: float, high: float) -> float:
    """A slider's starting value, refused when out of its range: a slider
    would silently clamp it to the nearest end."""
    value = as_real(value, name)
    if not low <= value <= high:
        raise ValueError(
            f"{name} must lie in [{low:g}, {high:g}], the slider's range; got {value:g}."
        )
    return value


def _explorer(
    controls: list[Any],
    draw: Callable[[Axes], str],
    figsize: tuple[float, float],
    header: Any = None,
) -> widgets.VBox:
    """Wire ``controls`` to ``draw``: redraw the figure whenever one changes.

    ``draw(ax)`` draws on a fresh Axes, reading the controls' values, and
    returns the figure's alt text. The result is a VBox of ``header`` (by
    default the controls in a row) and the output showing the figure.
    """
    output = widgets.Output()

    def redraw(_change: Any = None) -> None:
        fig, ax = plt.subplots(figsize=figsize)
        _show_figure(fig, draw(ax), output)

    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox(
        [header if header is not None else widgets.HBox(controls), output]
    )


def capacity_explorer(
    scores: Any, capacity: Any = None, max_capacity: int = 4
) -> widgets.VBox:
    """Sliders for each worker's capacity, redrawing the optimal matching.

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int, optional
        The sliders' starting capacities (default 1 each).
    max_capacity : int, default 4
        The sliders' maximum.

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> box = capacity_explorer([[1, 2], [3, 4]])
    >>> [s.description for s in box.children[0].children]
    ['worker 0', 'worker 1']
    >>> 'alt="Optimal matching' in box.children[1].outputs[0]["data"]["text/html"]
    True
    """
    from lib.plots import draw_optimal_matching

    scores = as_real_matrix(scores, "scores")
    capacity = as_capacity_vector(capacity, scores.shape[1])
    max_capacity = as_integer(max_capacity, "max_capacity", minimum=1)
    # A slider would silently clamp a larger starting value to its maximum.
    if capacity.max() > max_capacity:
        raise ValueError(
            f"capacity {int(capacity.max())} exceeds max_capacity {max_capacity}; "
            "raise max_capacity."
        )
    sliders = [
        widgets.IntSlider(
            value=int(c), min=0, max=max_capacity, description=f"worker {j}"
        )
        for j, c in enumerate(capacity)
    ]

    def draw(ax: Axes) -> str:
        values = [s.value for s in sliders]
        draw_optimal_matching(scores, values, ax=ax)
        return "Optimal matching for capacities " + ", ".join(map(str, values)) + "."

    row = widgets.HBox(sliders, layout={"flex_flow": "row wrap"})
    return _explorer(sliders, draw, (5, 4), header=row)


def example_explorer(support: float = 1.0) -> widgets.VBox:
    """A slider for the assumed industry support p of the seed 000 §4.3 example.

    Parameters
    ----------
    support : float, default 1.0
        The slider's starting value, in [-1, 2].

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> example_explorer().children[0].description
    'support p'
    """
    from lib.plots import draw_example_sensitivity

    support = _slider_value(support, "support", -1.0, 2.0)
    slider = widgets.FloatSlider(
        value=support, min=-1.0, max=2.0, step=0.05, description="support p"
    )

    def draw(ax: Axes) -> str:
        draw_example_sensitivity(current=slider.value, ax=ax)
        return f"J against the assumed support, marked at p = {slider.value:g}."

    return _explorer([slider], draw, (6, 4), header=slider)


def coordination_explorer(alpha: float = 1.0, beta: float = 1.0) -> widgets.VBox:
    """Sliders for the loss weights alpha and beta of the coordination problem.

    Parameters
    ----------
    alpha, beta : float, default 1.0
        The sliders' starting values, in [0.2, 5].

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> [s.description for s in coordination_explorer().children[0].children]
    ['alpha', 'beta']
    """
    import numpy as np

    from lib.plots import draw_coordination_statics

    a, b = (
        widgets.FloatSlider(
            value=_slider_value(v, name, 0.2, 5.0), min=0.2, max=5.0, step=0.1,
            description=name,
        )
        for name, v in (("alpha", alpha), ("beta", beta))
    )

    def draw(ax: Axes) -> str:
        draw_coordination_statics(np.linspace(30, 80, 51), a.value, b.value, ax=ax)
        return (
            "Optimal efforts and multiplier against the budget, "
            f"alpha = {a.value:g}, beta = {b.value:g}."
        )

    return _explorer([a, b], draw, (6, 4))


def training_explorer(X: Any, y: Any, epochs: int = 1000) -> widgets.VBox:
    """A learning-rate slider (log scale) and a scaling checkbox for the
    training curves of :func:`lib.plots.draw_training_curves`.

    Parameters
    ----------
    X : array_like, shape (n, p)
        Features, one row per record.
    y : array_like, shape (n,)
        Target.
    epochs : int, default 1000
        Epochs of each training run.

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from lib.regression import make_quality_data
    >>> data = make_quality_data(30, seed=0)
    >>> [c.description for c in training_explorer(data.X, data.y, epochs=10).children[0].children]
    ['learning rate', 'standardise']
    """
    from lib.plots import draw_training_curves

    epochs = as_integer(epochs, "epochs", minimum=1)
    lr = widgets.FloatLogSlider(
        value=0.01, base=10, min=-4, max=0, step=0.25, description="learning rate"
    )
    scale = widgets.Checkbox(value=True, description="standardise")

    def draw(ax: Axes) -> str:
        draw_training_curves(X, y, lr=lr.value, scale=scale.value, epochs=epochs, ax=ax)
        features = "standardised" if scale.value else "raw"
        return f"Training curves at learning rate {lr.value:g}, features {features}."

    return _explorer([lr, scale], draw, (6, 4))


def online_explorer(scores: Any, capacity: Any) -> widgets.VBox:
    """Sliders for the capacity scale and the screening threshold of the
    greedy-versus-offline histogram (:func:`lib.plots.draw_ratio_histogram`).

    Parameters
    ----------
    scores : array_like, shape (n_tasks, n_workers)
        What each task is worth with each worker.
    capacity : int or array_like of int
        The capacities the capacity slider multiplies.

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> box = online_explorer([[1.0, 1.0], [1.0, 0.0]], [1, 1])
    >>> [c.description for c in box.children[0].children]
    ['capacity x', 'threshold']
    """
    import numpy as np

    from lib.plots import draw_ratio_histogram

    scores = as_real_matrix(scores, "scores")
    capacity = as_capacity_vector(capacity, scores.shape[1])
    scale = widgets.IntSlider(value=1, min=1, max=4, description="capacity x")
    threshold = widgets.FloatSlider(
        value=0.0, min=0.0, max=1.0, step=0.1, description="threshold"
    )

    def draw(ax: Axes) -> str:
        draw_ratio_histogram(scores, np.asarray(capacity) * scale.value,
                             threshold=threshold.value, n_orders=100, ax=ax)  # fmt: skip
        return (
            f"Greedy over offline ratios, capacity x{scale.value}, "
            f"threshold {threshold.value:g}."
        )

    return _explorer([scale, threshold], draw, (6, 3.8))


def coordination_value_explorer(share: float = 0.5, budget: float = 50.0) -> widgets.VBox:
    """Sliders for the ministries' budget shares and the budget, redrawing the
    value of coordination against the cross-effect (Part I).

    Parameters
    ----------
    share : float, default 0.5
        The education ministry's starting budget share, in [0, 1].
    budget : float, default 50.0
        The starting budget, in [10, 100].

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, which redraws when a control changes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> [s.description for s in coordination_value_explorer().children[0].children]
    ['education share', 'budget']
    """
    from lib.plots import draw_value_of_coordination

    share_slider = widgets.FloatSlider(value=_slider_value(share, "share", 0.0, 1.0), min=0.0, max=1.0,
                                       step=0.05, description="education share")  # fmt: skip
    budget_slider = widgets.FloatSlider(value=_slider_value(budget, "budget", 10.0, 100.0), min=10.0,
                                        max=100.0, step=5.0, description="budget")  # fmt: skip

    def draw(ax: Axes) -> str:
        draw_value_of_coordination(share=share_slider.value, budget=budget_slider.value, ax=ax)
        return ("Value of coordination and its two parts against the cross-effect gamma, "
                f"education share {share_slider.value:g}, budget {budget_slider.value:g}.")  # fmt: skip

    return _explorer([share_slider, budget_slider], draw, (7, 4))
