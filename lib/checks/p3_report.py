"""Exercises of the chapter "Reading a classification report"."""

from __future__ import annotations

import functools

import numpy as np

from lib.checks._core import (
    Implementation,
    Precision,
    register_function,
    register_number,
)

CHAPTER = "chapters/part3_quality/02_classification_report.ipynb"


def _column(name: str, drop_o: bool) -> tuple[np.ndarray, np.ndarray]:
    """A column of the article's per-class rows, and the supports."""
    from lib.metrics import ARTICLE_NER_REPORT

    rows = {k: v for k, v in ARTICLE_NER_REPORT.items() if not (drop_o and k == "O")}
    index = {"precision": 0, "recall": 1, "f1-score": 2}[name]
    return np.array([v[index] for v in rows.values()]), np.array([v[3] for v in rows.values()])


def _average(name: str, how: str, drop_o: bool) -> float:
    from lib.metrics import ARTICLE_NER_REPORT, averages_from_rows

    rows = {k: v for k, v in ARTICLE_NER_REPORT.items() if not (drop_o and k == "O")}
    return averages_from_rows(rows)[f"{how} avg"][name]


register_number(
    "ex-report-macro-no-o", CHAPTER,
    expected=lambda: _average("f1-score", "macro", drop_o=True),
    precision=Precision.sig(3),
    misconceptions={
        "O row kept": (lambda: _average("f1-score", "macro", drop_o=False),
                       "That average still includes the O row: drop it first."),
        "weighted instead of macro": (lambda: _average("f1-score", "weighted", drop_o=True),
                                      ("That is the support-weighted mean; the macro average "
                                      "weighs every class equally.")),
    },
    reread="the section 'Precision, recall, F1 and their averages'",
)  # fmt: skip

register_number(
    "ex-report-weighted-recall", CHAPTER,
    expected=lambda: _average("recall", "weighted", drop_o=False),
    precision=Precision.sig(4),
    misconceptions={
        "macro instead of weighted": (lambda: _average("recall", "macro", drop_o=False),
                                      ("That is the plain (macro) mean; weight each class's "
                                      "recall by its support.")),
        "O row dropped": (lambda: _average("recall", "weighted", drop_o=True),
                          "That leaves out the O row; the exercise uses all nine rows."),
    },
    reread="the section 'Precision, recall, F1 and their averages'",
)  # fmt: skip


#: The chapter's split: 300 training and 200 test sentences, none shared (seed 0).
SPLIT = {"n_train": 300, "n_test": 200, "seed": 0}


@functools.cache
def chapter_predictions() -> tuple:
    """The chapter's test tags and the tagger's predictions on them."""
    from lib.ner import make_ner_split, predict_tags, train_token_tagger

    train, test = make_ner_split(**SPLIT)
    return test.tags, predict_tags(train_token_tagger(train.sentences, train.tags), test.sentences)


@functools.cache
def _leaky_entity_f1() -> float:
    """Entity F1 on two independently drawn corpora, which share sentences."""
    from lib.metrics import entity_report
    from lib.ner import make_ner_corpus, predict_tags, train_token_tagger

    train, test = make_ner_corpus(300, seed=0), make_ner_corpus(200, seed=1)
    pred = predict_tags(train_token_tagger(train.sentences, train.tags), test.sentences)
    return entity_report(test.tags, pred)["micro avg"]["f1-score"]


def _tagger_scores() -> dict:
    from lib.ner import score_tags

    scores = score_tags(*chapter_predictions())
    return {"entity micro": scores.entity_f1_lenient, "entity strict": scores.entity_f1_strict,
            "token micro": scores.token_f1}  # fmt: skip


register_number(
    "ex-report-entity-f1", CHAPTER,
    expected=lambda: _tagger_scores()["entity micro"],
    precision=Precision.sig(3),
    misconceptions={
        "token level": (lambda: _tagger_scores()["token micro"],
                        "That is a token-level score; score whole entities."),
        "strict mode": (lambda: _tagger_scores()["entity strict"],
                        ("That reads entities by the strict IOB2 rules; the exercise asks for "
                        "the CoNLL script's (lenient) rules, seqeval's default.")),
        "leaky split": (_leaky_entity_f1,
                        ("That is the score on two independently drawn corpora, which share "
                        "sentences; use the split without shared sentences.")),
    },
    reread="the section 'Scoring the tagger honestly'",
)  # fmt: skip


# ---------------------------------------------------------------- token F1 (implement)


def _token_instance(rng: np.random.Generator, size: int) -> dict:
    """Flat tags drawn from the chapter's tag set, and the labels to score."""
    from lib.ner import TAGS

    y_true = [TAGS[k] for k in rng.integers(len(TAGS), size=size)]
    y_pred = [t if rng.random() < 0.6 else TAGS[rng.integers(len(TAGS))] for t in y_true]
    labels = list(TAGS) if rng.random() < 0.5 else list(TAGS[1:])
    return {"y_true": y_true, "y_pred": y_pred, "labels": labels}


def _lib_token_f1(y_true: list, y_pred: list, labels: list) -> float:
    from lib.metrics import classification_report

    return classification_report(y_true, y_pred, labels=labels)["micro avg"]["f1-score"]


def _same_score(student, reference) -> bool:
    try:
        return bool(np.isclose(float(student), reference, rtol=1e-9, atol=1e-12))
    except (TypeError, ValueError):
        return False


register_function(
    "ex-report-token-f1-code", CHAPTER,
    implementation=Implementation(
        reference=_lib_token_f1,
        instances=_token_instance,
        sizes=(1, 2, 3, 5, 8, 20, 60),
        per_size=4,
        compare=_same_score,
        hide=("lib.metrics.classification_report", "lib.metrics.confusion_matrix",
              "lib.ner.score_tags"),
        returns="the micro-averaged F1 over the listed labels, a float",
    ),
    reread="the section 'Precision, recall, F1 and their averages'",
)  # fmt: skip


# ---------------------------------------------------------------- micro average from counts (derive)


def _b_rows() -> dict:
    from lib.metrics import ARTICLE_NER_REPORT

    return {k: v for k, v in ARTICLE_NER_REPORT.items() if k.startswith("B-")}


def _b_precision(how: str) -> float:
    from lib.metrics import averages_from_rows

    return averages_from_rows(_b_rows())[f"{how} avg"]["precision"]


register_number(
    "ex-report-micro-from-counts", CHAPTER, kind="derive",
    expected=lambda: _b_precision("micro"),
    precision=Precision.sig(4),
    misconceptions={
        "macro instead of micro": (lambda: _b_precision("macro"),
                                   ("That is the plain mean of the four precisions; the micro "
                                   "average pools the counts first.")),
        "support-weighted": (lambda: _b_precision("weighted"),
                             ("That weighs each precision by its support; pooled counts weigh "
                             "it by its predictions, true positives / precision.")),
    },
    reread="the section 'An entity-level proxy from the B- rows'",
)  # fmt: skip


# ---------------------------------------------------------------- dropping O (model)


def _all_o_scores() -> dict:
    """Token-level scores of a tagger that predicts O for every token of the
    article's test set (its supports)."""
    from lib.metrics import ARTICLE_NER_REPORT, classification_report

    truth = [label for label, row in ARTICLE_NER_REPORT.items() for _ in range(int(row[3]))]
    report = classification_report(truth, ["O"] * len(truth), labels=list(ARTICLE_NER_REPORT))
    return {"micro": report["micro avg"]["f1-score"], "macro": report["macro avg"]["f1-score"],
            "O row": report["O"]["f1-score"]}  # fmt: skip


register_number(
    "ex-report-all-o", CHAPTER, kind="model",
    expected=lambda: _all_o_scores()["micro"],
    precision=Precision.sig(3),
    misconceptions={
        "the O row's F1": (lambda: _all_o_scores()["O row"],
                           ("That is the F1 of the O row alone; the micro average pools all "
                           "nine rows.")),
        "macro": (lambda: _all_o_scores()["macro"],
                  ("That is the macro average (eight rows score 0); the exercise asks for the "
                  "micro average.")),
    },
    reread="the section 'What \"97.3% F1\" does and does not mean'",
)  # fmt: skip
