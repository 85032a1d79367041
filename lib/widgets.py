"""Interactive controls for the chapters.

A widget only wires controls to a plain, tested function of :mod:`lib`
(for example :func:`lib.plots.draw_optimal_matching`); every chapter pairs it
with a static figure of a few settings, because the HTML book has no kernel.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt

from lib._validate import as_capacity_vector, as_real_matrix

__all__ = ["capacity_explorer"]


def capacity_explorer(scores: Any, capacity: Any = None, max_capacity: int = 4) -> widgets.VBox:
    """Sliders for each worker's capacity, redrawing the optimal matching.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> box = capacity_explorer([[1, 2], [3, 4]])
    >>> [s.description for s in box.children[0].children]
    ['worker 0', 'worker 1']
    """
    from lib.plots import draw_optimal_matching

    scores = as_real_matrix(scores, "scores")
    capacity = as_capacity_vector(capacity, scores.shape[1])
    if isinstance(max_capacity, bool) or not isinstance(max_capacity, int) or max_capacity < 1:
        raise ValueError(f"max_capacity must be a positive integer; got {max_capacity!r}.")
    sliders = [
        widgets.IntSlider(value=int(c), min=0, max=max_capacity, description=f"worker {j}")
        for j, c in enumerate(capacity)
    ]
    output = widgets.Output()

    def redraw(change: Any = None) -> None:
        with output:
            if change is not None:  # the first drawing has nothing to clear
                output.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(5, 4))
            draw_optimal_matching(scores, [s.value for s in sliders], ax=ax)
            plt.show()
            plt.close(fig)

    for slider in sliders:
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(sliders, layout={"flex_flow": "row wrap"}), output])
