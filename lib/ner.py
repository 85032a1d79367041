"""A small labelled corpus and a token tagger, in numpy (seed 002 §5.2–§5.4).

The article fine-tunes BERT for named-entity recognition, which needs
pretrained weights from a model hub. The course does not download them;
instead it generates a corpus of short maintenance-log sentences from a
production line, tagged in BIO form with four entity types, and trains a
softmax-regression token tagger on it. The tagger makes real mistakes
(ambiguous words, unseen model numbers, invalid tag sequences), so reports
computed from its predictions are real, and token-level and entity-level
scores visibly differ.

Entity types: ``MACHINE`` (e.g. "hydraulic press"), ``PART`` ("spindle
motor"), ``DEFECT`` ("oil leak"), ``STATION`` ("line 3").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from lib._validate import as_integer, as_real, as_seed
from lib.metrics import classification_report, entity_report

__all__ = [
    "ENTITY_TYPES",
    "TAGS",
    "Corpus",
    "TaggerScores",
    "TokenTagger",
    "flatten",
    "make_ner_corpus",
    "make_ner_split",
    "predict_tags",
    "score_tags",
    "shared_sentences",
    "train_token_tagger",
]  # fmt: skip

ENTITY_TYPES = ("MACHINE", "PART", "DEFECT", "STATION")
TAGS = ("O",) + tuple(f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I"))

# Phrases of each type. Several words are shared between types or with plain
# text ("motor", "press", "line", "belt", "crack"), which makes the task ambiguous.
_PHRASES = {
    "MACHINE": ["hydraulic press", "CNC lathe", "paint robot", "press", "welding robot",
                "conveyor", "motor winder", "injection moulder", "laser cutter", "drill press",
                "robot {model}", "press {model}", "belt grinder", "coil winder", "stamping line"],
    "PART": ["bearing", "spindle motor", "drive belt", "motor", "belt", "gearbox",
             "hydraulic pump", "nozzle", "servo valve", "cutting head", "press plate",
             "line filter", "robot arm", "weld tip", "crack sensor"],
    "DEFECT": ["oil leak", "surface crack", "misalignment", "crack", "overheating",
               "belt wear", "vibration", "short circuit", "pressure drop", "burr",
               "line stoppage", "motor stall", "press marks", "weld spatter", "wear"],
    "STATION": ["line {n}", "station {c}", "cell {n}", "bay {n}", "line {n} station {c}",
                "press shop", "paint shop", "assembly line", "dock {n}", "cell {c}{n}"],
}  # fmt: skip
# Phrases are drawn with Zipf-like weights, so the last ones of each list are
# rare: some appear in a test set but seldom or never in a training set.
_ZIPF_EXPONENT = 1.3

_TEMPLATES = [
    "the {MACHINE} on {STATION} shows {DEFECT} near the {PART} .",
    "operator reported {DEFECT} at {STATION} after {k} hours .",
    "replace the {PART} of the {MACHINE} before the next shift .",
    "{DEFECT} detected in {PART} , {MACHINE} stopped on {STATION} .",
    "press the reset button on the {MACHINE} and check the {PART} .",
    "the line stopped for {k} minutes because of {DEFECT} .",
    "model {model} {MACHINE} at {STATION} needs a new {PART} .",
    "no {DEFECT} found on {STATION} ; belt speed {k} m/min .",
    "inspect the {PART} for {DEFECT} every {k} hours .",
    "{MACHINE} {model} moved from {STATION} to {STATION} .",
]


@dataclass(frozen=True)
class Corpus:
    """Sentences (lists of tokens) and their BIO tags.

    Attributes
    ----------
    sentences : list of list of str
        The tokens of each sentence.
    tags : list of list of str
        The BIO tag of each token.

    Examples
    --------
    >>> corpus = make_ner_corpus(3, seed=0)
    >>> corpus.sentences[0][:3], corpus.tags[0][:3]
    (['inspect', 'the', 'bearing'], ['O', 'O', 'B-PART'])
    """

    sentences: list[list[str]]
    tags: list[list[str]]


def _model_number(rng: np.random.Generator) -> str:
    letters = "XKRT"
    return f"{letters[rng.integers(4)]}{letters[rng.integers(4)]}-{rng.integers(100, 999)}"


def _fill(template: str, rng: np.random.Generator) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    tags: list[str] = []
    for piece in template.split():
        if piece.startswith("{") and piece.endswith("}") and piece[1:-1] in _PHRASES:
            kind = piece[1:-1]
            options = _PHRASES[kind]
            weights = 1.0 / np.arange(1, len(options) + 1) ** _ZIPF_EXPONENT
            phrase = options[rng.choice(len(options), p=weights / weights.sum())]
            phrase = phrase.format(n=rng.integers(1, 13), c="ABCDEFGH"[rng.integers(8)],
                                   model=_model_number(rng))  # fmt: skip
            words = phrase.split()
            tokens += words
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(words) - 1)
        elif piece == "{k}":
            tokens.append(str(rng.integers(1, 60)))
            tags.append("O")
        elif piece == "{model}":
            tokens.append(_model_number(rng))
            tags.append("O")
        else:
            tokens.append(piece)
            tags.append("O")
    return tokens, tags


def make_ner_corpus(n_sentences: int = 400, seed: int | np.random.Generator = 0) -> Corpus:
    """Generate ``n_sentences`` tagged sentences (seeded).

    Parameters
    ----------
    n_sentences : int, default 400
        Number of sentences (1 to 1,000,000).
    seed : int or numpy.random.Generator, default 0
        Seed of the generator (an integer >= 0), or a generator to draw from.

    Returns
    -------
    Corpus
        The sentences and their BIO tags.

    Examples
    --------
    >>> corpus = make_ner_corpus(3, seed=1)
    >>> len(corpus.sentences), all(len(s) == len(t) for s, t in zip(corpus.sentences, corpus.tags))
    (3, True)
    """
    n_sentences = as_integer(n_sentences, "n_sentences", minimum=1, maximum=1_000_000)
    rng = as_seed(seed)
    sentences, tags = [], []
    for _ in range(n_sentences):
        s, t = _fill(_TEMPLATES[rng.integers(len(_TEMPLATES))], rng)
        sentences.append(s)
        tags.append(t)
    return Corpus(sentences, tags)


#: Largest training plus test set make_ner_split draws.
MAX_SPLIT_SENTENCES = 100_000


def make_ner_split(n_train: int = 300, n_test: int = 200,
                   seed: int | np.random.Generator = 0) -> tuple[Corpus, Corpus]:
    """A training and a test corpus that share no sentence (seeded).

    Short templated sentences repeat: drawn independently, a test set of 200
    shares a tenth of its sentences verbatim with a training set of 300, and
    a tagger is then scored partly on sentences it was trained on. Here
    sentences are drawn until ``n_train + n_test`` *distinct* ones are found;
    the first ``n_train`` train, the rest test. (Sentences from the same
    template still share their structure: the test measures how well the
    tagger handles new phrases in familiar frames, not new kinds of text.)

    Parameters
    ----------
    n_train, n_test : int
        Sizes of the two corpora (at least 1 each, at most 100,000 together).
    seed : int or numpy.random.Generator, default 0
        Seed of the generator (an integer >= 0), or a generator to draw from.

    Returns
    -------
    (Corpus, Corpus)
        Training and test corpora.

    Examples
    --------
    >>> train, test = make_ner_split(300, 200, seed=0)
    >>> len(train.sentences), len(test.sentences), shared_sentences(train, test)
    (300, 200, 0)
    """
    n_train = as_integer(n_train, "n_train", minimum=1, maximum=MAX_SPLIT_SENTENCES)
    n_test = as_integer(n_test, "n_test", minimum=1, maximum=MAX_SPLIT_SENTENCES)
    if n_train + n_test > MAX_SPLIT_SENTENCES:
        raise ValueError(
            f"n_train + n_test must be at most {MAX_SPLIT_SENTENCES:,}; got {n_train + n_test:,}."
        )
    rng = as_seed(seed)
    wanted, seen = n_train + n_test, set()
    sentences, tags = [], []
    for _ in range(50 * wanted):  # far more draws than the generator ever needs
        s, t = _fill(_TEMPLATES[rng.integers(len(_TEMPLATES))], rng)
        if tuple(s) in seen:
            continue
        seen.add(tuple(s))
        sentences.append(s)
        tags.append(t)
        if len(sentences) == wanted:
            return (Corpus(sentences[:n_train], tags[:n_train]),
                    Corpus(sentences[n_train:], tags[n_train:]))  # fmt: skip
    raise ValueError(f"the generator did not produce {wanted:,} distinct sentences; ask for fewer.")


def shared_sentences(train: Corpus, test: Corpus) -> int:
    """Number of test sentences that appear, token for token, in the training corpus.

    Parameters
    ----------
    train, test : Corpus
        The training and test corpora.

    Returns
    -------
    int
        How many test sentences are also training sentences.

    Examples
    --------
    >>> corpus = make_ner_corpus(5, seed=0)
    >>> shared_sentences(corpus, corpus)
    5
    """
    for name, corpus in (("train", train), ("test", test)):
        if not isinstance(corpus, Corpus):
            raise TypeError(f"{name} must be a Corpus (from make_ner_corpus or make_ner_split).")
    seen = {tuple(s) for s in train.sentences}
    return sum(tuple(s) in seen for s in test.sentences)


def _token_features(sentence: Sequence[str], i: int) -> list[str]:
    word = sentence[i]
    lower = word.lower()
    prev = sentence[i - 1].lower() if i > 0 else "<s>"
    nxt = sentence[i + 1].lower() if i + 1 < len(sentence) else "</s>"
    shape = "digit" if word.isdigit() else ("upper" if word[:1].isupper() else "lower")
    return [f"w={lower}", f"p={prev}", f"n={nxt}", f"suf={lower[-3:]}", f"shape={shape}",
            f"p+w={prev}|{lower}", "bias"]  # fmt: skip


@dataclass(frozen=True)
class TokenTagger:
    """A softmax-regression tagger: one weight row per feature, one column per tag.

    Attributes
    ----------
    weights : numpy.ndarray, shape (n_features, n_tags)
        The softmax regression's weights.
    feature_index : dict of str to int
        The row of each feature kept.
    tags : tuple of str
        The tags, in the order of the columns.
    loss_history : numpy.ndarray, shape (epochs,)
        The mean cross-entropy at each epoch.

    Examples
    --------
    >>> corpus = make_ner_corpus(50, seed=0)
    >>> tagger = train_token_tagger(corpus.sentences, corpus.tags, epochs=20)
    >>> tagger.weights.shape == (len(tagger.feature_index), len(tagger.tags)), tagger.loss_history.shape
    (True, (20,))
    """

    weights: np.ndarray
    feature_index: dict[str, int]
    tags: tuple[str, ...]
    loss_history: np.ndarray


def _encode(sentences: Sequence[Sequence[str]], index: dict[str, int]) -> sp.csr_matrix:
    """Binary token-by-feature matrix (features unknown to ``index`` are dropped)."""
    rows, cols = [], []
    token = 0
    for sentence in sentences:
        for i in range(len(sentence)):
            for f in _token_features(sentence, i):
                if f in index:
                    rows.append(token)
                    cols.append(index[f])
            token += 1
    data = np.ones(len(rows))
    return sp.csr_matrix((data, (rows, cols)), shape=(token, len(index)))


def flatten(nested: Sequence[Sequence[Any]]) -> list[Any]:
    """Concatenate sentences into one list (for token-level scoring).

    Parameters
    ----------
    nested : sequence of sequence
        One inner sequence per sentence.

    Returns
    -------
    list
        The items of every sentence, in order.

    Raises
    ------
    TypeError
        If ``nested`` or one of its sentences is not a sequence (a string is
        not taken for a sentence).

    Examples
    --------
    >>> flatten([["a", "b"], ["c"]])
    ['a', 'b', 'c']
    """
    if isinstance(nested, (str, bytes)) or not _iterable(nested):
        raise TypeError(f"nested must be a list of sentences; got {type(nested).__name__}.")
    out: list[Any] = []
    for k, part in enumerate(nested):
        if isinstance(part, (str, bytes)) or not _iterable(part):
            raise TypeError(
                f"nested[{k}] must be a sentence (a list of tokens or tags); got "
                f"{type(part).__name__}."
            )
        out.extend(part)
    return out


def _iterable(value: Any) -> bool:
    """Iterable, and not a 0-d array (which has __iter__ but cannot be iterated)."""
    if isinstance(value, np.ndarray):
        return value.ndim > 0
    try:
        iter(value)
    except TypeError:
        return False
    return True


def _check_corpus(sentences: Any, tags: Any | None = None) -> None:
    # Kinds first (a TypeError names the argument), then values.
    if isinstance(sentences, (str, bytes)) or not hasattr(sentences, "__len__") or not _iterable(sentences):
        raise TypeError("sentences must be a list of sentences, each a list of tokens.")
    for k, s in enumerate(sentences):
        if isinstance(s, (str, bytes)) or not hasattr(s, "__len__") or not _iterable(s):
            raise TypeError(f"sentences: sentence {k} must be a list of tokens (strings).")
        if not all(isinstance(w, str) for w in s):
            raise TypeError(f"sentences: sentence {k} must be a list of tokens (strings).")
        if not all(s):
            raise ValueError(f"sentences: sentence {k} holds an empty token; tokens are non-empty strings.")
    if tags is not None and (
        isinstance(tags, (str, bytes)) or not hasattr(tags, "__len__") or not _iterable(tags)
    ):
        raise TypeError("tags must be a list of tag sequences, one per sentence.")
    if len(sentences) == 0 or all(len(s) == 0 for s in sentences):
        raise ValueError("sentences is empty: there is no token to tag.")
    if tags is not None:
        if len(tags) != len(sentences):
            raise ValueError(f"{len(sentences)} sentences but {len(tags)} tag sequences.")
        for k, (s, t) in enumerate(zip(sentences, tags)):
            if isinstance(t, (str, bytes)) or not hasattr(t, "__len__") or not _iterable(t):
                raise TypeError(f"the tags of sentence {k} must be a list of tags.")
            if not all(isinstance(tag, str) for tag in t):
                raise TypeError(f"the tags of sentence {k} must be strings such as 'B-PART'.")
            if len(s) != len(t):
                raise ValueError(f"sentence {k} has {len(s)} tokens but {len(t)} tags.")
            unknown = set(t) - set(TAGS)
            if unknown:
                raise ValueError(f"sentence {k} has unknown tags {sorted(unknown)}; expected {TAGS}.")


def train_token_tagger(
    sentences: Sequence[Sequence[str]],
    tags: Sequence[Sequence[str]],
    *,
    epochs: int = 400,
    lr: float = 1.0,
    l2: float = 1e-3,
    min_count: int = 2,
) -> TokenTagger:
    """Train the tagger by full-batch gradient descent on the mean cross-entropy.

    Features seen fewer than ``min_count`` times are dropped, so rare words
    (model numbers, for instance) are unknown at prediction time, as they
    would be in new text. Weights start at zero: training is deterministic.

    Each step is ``W -= lr * (gradient + l2 * W)``: the penalty alone
    multiplies the weights by ``1 - lr * l2``, so ``lr * l2 >= 2`` is refused
    (the weights would grow without bound whatever the data). A run whose
    weights or loss still leave the float range (a huge ``lr``) is refused
    too, rather than returning NaN weights. The loss is computed by
    log-sum-exp, exact however confident the tagger is (a probability that
    underflows to 0 does not cap the loss).

    Parameters
    ----------
    sentences : sequence of sequence of str
        Tokenised sentences.
    tags : sequence of sequence of str
        The BIO tag of each token.
    epochs : int, default 400
        Number of gradient steps.
    lr : float, default 1.0
        Learning rate.
    l2 : float, default 1e-3
        Weight of the L2 penalty (its gradient ``l2 * W`` is added to each step).
    min_count : int, default 2
        Fewest occurrences a feature needs to be kept.

    Returns
    -------
    TokenTagger
        The weights, the feature index, the tags and the loss after each epoch.

    Raises
    ------
    ValueError
        If the corpus is malformed, a parameter is out of range, ``lr * l2 >=
        2``, or the weights or the loss leave the float range.

    Examples
    --------
    >>> corpus = make_ner_corpus(50, seed=0)
    >>> tagger = train_token_tagger(corpus.sentences, corpus.tags, epochs=20)
    >>> bool(tagger.loss_history[-1] < tagger.loss_history[0])
    True
    """
    if tags is None:
        raise TypeError("tags must be a list of tag sequences, one per sentence; got None.")
    _check_corpus(sentences, tags)
    epochs = as_integer(epochs, "epochs", minimum=1, maximum=100_000)
    lr = as_real(lr, "lr", minimum=0.0)
    l2 = as_real(l2, "l2", minimum=0.0)
    min_count = as_integer(min_count, "min_count", minimum=0)
    if lr * l2 >= 2:
        raise ValueError(
            f"lr * l2 must be below 2; got lr = {lr:g} and l2 = {l2:g} (product {lr * l2:g}). "
            "Each step multiplies the weights by 1 - lr * l2: from 2 on, the penalty alone "
            "makes them grow without bound."
        )
    counts: dict[str, int] = {}
    for sentence in sentences:
        for i in range(len(sentence)):
            for f in _token_features(sentence, i):
                counts[f] = counts.get(f, 0) + 1
    index = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    X = _encode(sentences, index)
    y = np.array([TAGS.index(t) for t in flatten(tags)])
    n_tokens, n_tags = y.size, len(TAGS)
    W = np.zeros((len(index), n_tags))
    onehot = np.eye(n_tags)[y]
    history = np.empty(epochs)
    for epoch in range(epochs):
        with np.errstate(over="ignore", invalid="ignore"):
            logits = X @ W
            logits -= logits.max(axis=1, keepdims=True)
            prob = np.exp(logits)
            total = prob.sum(axis=1, keepdims=True)
            # Cross-entropy log(sum exp) - logit of the true tag: never log(0).
            history[epoch] = np.mean(np.log(total[:, 0]) - logits[np.arange(n_tokens), y])
            prob /= total
            W -= lr * (X.T @ ((prob - onehot) / n_tokens) + l2 * W)
        if not (np.isfinite(history[epoch]) and np.all(np.isfinite(W))):
            raise ValueError(
                f"training diverged at epoch {epoch + 1}: the weights left the float range "
                f"with lr = {lr:g}; take a smaller lr."
            )
    return TokenTagger(W, index, TAGS, history)


def predict_tags(tagger: TokenTagger, sentences: Sequence[Sequence[str]]) -> list[list[str]]:
    """The most probable tag of every token, chosen token by token.

    Each token is tagged independently, so nothing forbids an ``I-`` tag
    after ``O``: such invalid sequences are one way token-level and
    entity-level scores come apart.

    Parameters
    ----------
    tagger : TokenTagger
        A trained tagger.
    sentences : sequence of sequence of str
        Tokenised sentences.

    Returns
    -------
    list of list of str
        One tag per token.

    Examples
    --------
    >>> corpus = make_ner_corpus(50, seed=0)
    >>> tagger = train_token_tagger(corpus.sentences, corpus.tags, epochs=20)
    >>> len(predict_tags(tagger, corpus.sentences[:2])[1]) == len(corpus.sentences[1])
    True
    """
    if not isinstance(tagger, TokenTagger):
        raise TypeError("tagger must be a TokenTagger from train_token_tagger.")
    _check_corpus(sentences)
    logits = _encode(sentences, tagger.feature_index) @ tagger.weights
    best = logits.argmax(axis=1)
    out, start = [], 0
    for sentence in sentences:
        out.append([tagger.tags[k] for k in best[start:start + len(sentence)]])
        start += len(sentence)
    return out


@dataclass(frozen=True)
class TaggerScores:
    """The four summary scores of a tagger's predictions (micro-averaged F1).

    * ``token_f1``: over every token, ``O`` included (this is token accuracy);
    * ``token_f1_without_o``: over the eight entity tags only, so that
      tokens outside every entity count for nothing;
    * ``entity_f1_lenient``: entities read by the CoNLL script's rules
      (seqeval's default mode);
    * ``entity_f1_strict``: entities read by strict IOB2 rules (seqeval's
      ``mode="strict", scheme=IOB2``).

    Attributes
    ----------
    token_f1, token_f1_without_o : float
        Token-level micro F1, with and without ``O``.
    entity_f1_lenient, entity_f1_strict : float
        Entity-level micro F1, lenient and strict.

    Examples
    --------
    >>> score_tags([["B-PART", "I-PART", "O"]], [["B-PART", "I-PART", "O"]])
    TaggerScores(token_f1=1.0, token_f1_without_o=1.0, entity_f1_lenient=1.0, entity_f1_strict=1.0)
    """

    token_f1: float
    token_f1_without_o: float
    entity_f1_lenient: float
    entity_f1_strict: float


def score_tags(true_tags: Sequence[Sequence[str]], pred_tags: Sequence[Sequence[str]]) -> TaggerScores:
    """Token-level (with and without ``O``) and entity-level (lenient and strict) micro F1.

    Parameters
    ----------
    true_tags, pred_tags : sequence of sequence of str
        True and predicted BIO tags, sentence by sentence.

    Returns
    -------
    TaggerScores
        The four micro-averaged F1 scores.

    Raises
    ------
    TypeError
        If the tags are not lists of strings, sentence by sentence.
    ValueError
        If the sentences do not pair up, or hold no tag at all.

    Examples
    --------
    >>> s = score_tags([["B-PART", "I-PART", "O"]], [["I-PART", "I-PART", "O"]])
    >>> round(s.token_f1, 3), s.token_f1_without_o, s.entity_f1_lenient, s.entity_f1_strict
    (0.667, 0.5, 1.0, 0.0)
    """
    lenient = entity_report(true_tags, pred_tags)["micro avg"]["f1-score"]  # validates the sentences
    strict = entity_report(true_tags, pred_tags, mode="strict")["micro avg"]["f1-score"]
    true_flat, pred_flat = flatten(true_tags), flatten(pred_tags)
    if not true_flat:
        raise ValueError("true_tags holds no tag (every sentence is empty); there is nothing to score.")
    without_o = classification_report(true_flat, pred_flat, labels=list(TAGS[1:]))["micro avg"]["f1-score"]
    return TaggerScores(
        token_f1=classification_report(true_flat, pred_flat, labels=list(TAGS))["micro avg"]["f1-score"],
        token_f1_without_o=without_o,
        entity_f1_lenient=lenient,
        entity_f1_strict=strict,
    )
