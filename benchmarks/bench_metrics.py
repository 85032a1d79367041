"""lib.metrics against scikit-learn and seqeval, side by side in one run.

* ``classification_report`` at 10**4 samples with 10**3 distinct classes
  (and smaller and larger sizes), against scikit-learn's;
* ``entity_report`` at 10**4 sentences with 10**3 entity types, against
  seqeval's default (conlleval) mode, and in strict IOB2 mode against
  seqeval's ``mode="strict", scheme=IOB2``.

The ratio is lib's time over the reference's; the goal is at most 3 at the
10**4 x 10**3 size. Both references are test-only dependencies of the course.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import best_time, machine, save, table

from lib.metrics import classification_report, entity_report


def labelled_sample(n_samples: int, n_classes: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """String labels, 80% predicted right, the rest uniformly wrong."""
    rng = np.random.default_rng(seed)
    names = np.array([f"class_{k:05d}" for k in range(n_classes)])
    truth = rng.integers(n_classes, size=n_samples)
    guess = np.where(rng.random(n_samples) < 0.8, truth, rng.integers(n_classes, size=n_samples))
    return names[truth].tolist(), names[guess].tolist()


def tagged_sentences(n_sentences: int, n_types: int, length: int = 14, seed: int = 0):
    """BIO sentences with entities of ``n_types`` types, and a noisy copy as predictions."""
    rng = np.random.default_rng(seed)
    types = [f"T{k:04d}" for k in range(n_types)]
    truth, guess = [], []
    for _ in range(n_sentences):
        tags, i = [], 0
        while i < length:
            if rng.random() < 0.3:
                span = int(min(rng.integers(1, 4), length - i))
                ty = types[rng.integers(n_types)]
                tags += [f"B-{ty}"] + [f"I-{ty}"] * (span - 1)
                i += span
            else:
                tags.append("O")
                i += 1
        noisy = [t if rng.random() < 0.9 else ("O" if t != "O" else f"I-{types[rng.integers(n_types)]}")
                 for t in tags]  # fmt: skip
        truth.append(tags)
        guess.append(noisy)
    return truth, guess


def main(quick: bool = False) -> dict:
    from seqeval.metrics import classification_report as seqeval_report
    from seqeval.scheme import IOB2
    from sklearn.metrics import classification_report as sklearn_report

    warnings.filterwarnings("ignore")  # the references warn about empty classes
    repeat, min_time = (1, 0.05) if quick else (3, 0.2)

    token_rows = []
    for n_samples, n_classes in [(10**4, 10), (10**4, 10**3), (10**5, 10**3), (10**4, 3 * 10**3)][: 2 if quick else 4]:
        y_true, y_pred = labelled_sample(n_samples, n_classes)
        ours = best_time(lambda t=y_true, p=y_pred: classification_report(t, p), repeat, min_time)
        ref = best_time(lambda t=y_true, p=y_pred: sklearn_report(t, p, output_dict=True, zero_division=0), repeat,
                        min_time)
        token_rows.append({"samples": n_samples, "classes": n_classes, "lib_s": ours, "sklearn_s": ref,
                           "ratio": ours / ref})  # fmt: skip
    print(table(token_rows, ["samples", "classes", "lib_s", "sklearn_s", "ratio"]))

    entity_rows = []
    for n_sentences, n_types in [(10**4, 4), (10**4, 10**3), (10**3, 10**3)][: 2 if quick else 3]:
        truth, guess = tagged_sentences(n_sentences, n_types)
        ours = best_time(lambda t=truth, p=guess: entity_report(t, p), repeat, min_time)
        ref = best_time(lambda t=truth, p=guess: seqeval_report(t, p, output_dict=True, zero_division=0), repeat,
                        min_time)
        row = {"sentences": n_sentences, "types": n_types, "lib_s": ours, "seqeval_s": ref, "ratio": ours / ref}
        if n_sentences * n_types <= 10**6:  # seqeval's strict mode scans every entity once per type
            ours_strict = best_time(lambda t=truth, p=guess: entity_report(t, p, mode="strict"), 1, min_time)
            ref_strict = best_time(lambda t=truth, p=guess: seqeval_report(t, p, output_dict=True, zero_division=0,
                                                          mode="strict", scheme=IOB2), 1, min_time)  # fmt: skip
            row.update(lib_strict_s=ours_strict, seqeval_strict_s=ref_strict, strict_ratio=ours_strict / ref_strict)
        entity_rows.append(row)
    print(table(entity_rows, ["sentences", "types", "lib_s", "seqeval_s", "ratio",
                              "lib_strict_s", "seqeval_strict_s", "strict_ratio"]))  # fmt: skip

    payload = {"classification_report": token_rows, "entity_report": entity_rows}
    if not quick:
        save("metrics", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(quick="--quick" in sys.argv)
