"""Least squares: the closed form against the article's Adam recipe and plain
gradient descent, time and error at equal accuracy, from 200 to 10 million rows.

"Equal accuracy" means: each iterative method runs until its training loss is
within 1e-8 (relative) of the closed form's, or a cap of epochs; the table
reports its time, the epochs it needed, and whether it got there.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import best_time, machine, save, table  # noqa: E402

from lib.regression import fit_gradient_descent, fit_least_squares, make_quality_data, mean_squared_error, predict  # noqa: E402


def epochs_to_reach(history: np.ndarray, target: float, rtol: float = 1e-8) -> int | None:
    hit = np.flatnonzero(history <= target * (1 + rtol))
    return int(hit[0]) + 1 if hit.size else None


def main(quick: bool = False) -> dict:
    rows = []
    sizes = [200, 10_000, 1_000_000, 10_000_000] if not quick else [200, 10_000]
    for n in sizes:
        data = make_quality_data(n, seed=0)
        exact = fit_least_squares(data.X, data.y)
        X, y = data.X, data.y
        ls_seconds = best_time(lambda: fit_least_squares(X, y), repeat=3, min_time=0.1)
        best = mean_squared_error(data.y, predict(exact, data.X))
        row = {"rows": n, "closed_form_s": ls_seconds}
        for label, kwargs in {"adam": dict(method="adam", lr=0.01), "gd": dict(method="gd", lr=0.1)}.items():
            epochs = 1000 if n <= 1_000_000 else 300
            start = time.perf_counter()
            fit = fit_gradient_descent(data.X, data.y, epochs=epochs, **kwargs)
            seconds = time.perf_counter() - start
            needed = epochs_to_reach(fit.loss_history, best)
            row[f"{label}_s"] = seconds
            row[f"{label}_epochs_to_1e-8"] = needed if needed is not None else f">{epochs}"
            row[f"{label}_s_to_1e-8"] = seconds * needed / epochs if needed else None
            row[f"{label}_vs_closed_form"] = (seconds * needed / epochs) / ls_seconds if needed else None
            row[f"{label}_max_rel_coef_error"] = float(np.max(np.abs(fit.coef - exact.coef) / np.abs(exact.coef)))
        rows.append(row)
        del data, X, y
    print(table(rows, ["rows", "closed_form_s", "adam_epochs_to_1e-8", "adam_s_to_1e-8", "adam_vs_closed_form",
                       "gd_epochs_to_1e-8", "gd_s_to_1e-8", "gd_vs_closed_form"]))  # fmt: skip
    payload = {"rows": rows}
    if not quick:
        save("regression", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(quick="--quick" in sys.argv)
