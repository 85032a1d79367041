"""The matching figure: no two edge labels overlap once the figure is drawn.

Judged on the rendered text boxes (matplotlib's window extents after a full
draw), on the chapter's own figures and on random matchings.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from lib.matching import ARTICLE_SCORES, brute_force_matching, solve_matching  # noqa: E402
from lib.plots import draw_bipartite_matching  # noqa: E402


def _label_boxes(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [
        (t.get_text(), t.get_bbox_patch().get_window_extent(renderer))
        for ax in fig.axes
        for t in ax.texts
        if isinstance(t, Annotation)
    ]


def _assert_no_overlap(fig):
    boxes = _label_boxes(fig)
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), f"labels {a!r} and {b!r} overlap"
    return boxes


def test_the_chapters_figures_have_no_overlapping_labels():
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, pairs in zip(axes, brute_force_matching(ARTICLE_SCORES).optimal_pairs):
        draw_bipartite_matching(ARTICLE_SCORES, pairs, ax=ax)
    fig.suptitle("The two optimal matchings")
    assert len(_assert_no_overlap(fig)) == 8
    plt.close(fig)
    settings = [[1, 1, 1, 1], [2, 1, 1, 1], [0, 2, 2, 0], [4, 0, 0, 0]]
    fig, axes = plt.subplots(1, len(settings), figsize=(15, 3.8))
    for ax, cap in zip(axes, settings):
        draw_bipartite_matching(ARTICLE_SCORES, solve_matching(ARTICLE_SCORES, cap).pairs, cap, ax=ax)
    assert len(_assert_no_overlap(fig)) == 16
    plt.close(fig)


def test_the_old_placement_did_overlap():
    """The defect the placement fixes: labels a third along each edge collide
    (task 2 - worker 2 and task 3 - worker 0 in the second optimal matching)."""
    fig, ax = plt.subplots(figsize=(5, 4))
    ys = np.linspace(1, 0, 4)
    texts = []
    for i, j in [(0, 3), (1, 1), (2, 2), (3, 0)]:
        texts.append(ax.annotate("0.6", (1 / 3, ys[i] + (ys[j] - ys[i]) / 3), fontsize=8,
                                 ha="center", va="center", bbox={"boxstyle": "round,pad=0.15"}))  # fmt: skip
    ax.set_xlim(-0.55, 1.55)
    ax.set_ylim(-0.15, 1.15)
    fig.canvas.draw()
    boxes = [t.get_bbox_patch().get_window_extent() for t in texts]
    assert any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    plt.close(fig)


@pytest.mark.parametrize("seed", range(12))
def test_random_matchings_have_no_overlapping_labels(seed):
    rng = np.random.default_rng(seed)
    n_tasks, n_workers = rng.integers(2, 7, size=2)
    scores = rng.integers(1, 10, size=(n_tasks, n_workers)) / 10
    capacity = rng.integers(1, 3, size=n_workers)
    fig, ax = plt.subplots(figsize=(4.5, 0.9 * max(n_tasks, n_workers) + 1))
    draw_bipartite_matching(scores, solve_matching(scores, capacity).pairs, capacity, ax=ax)
    _assert_no_overlap(fig)
    plt.close(fig)
