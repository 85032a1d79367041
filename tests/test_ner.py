"""lib.ner: the generated corpus and the numpy tagger."""

from __future__ import annotations

import pytest
from seqeval.metrics import f1_score as seqeval_f1
from seqeval.scheme import IOB2
from sklearn.metrics import f1_score as sklearn_f1

from lib import metrics as met
from lib import ner

#: The seeds of the split the chapter scores (its table and its spread over seeds).
CHAPTER_SEEDS = range(8)


def test_corpus_is_seeded_and_well_formed():
    a, b = ner.make_ner_corpus(100, seed=4), ner.make_ner_corpus(100, seed=4)
    assert a == b
    tags = ner.flatten(a.tags)
    assert set(tags) <= set(ner.TAGS)
    assert tags.count("O") / len(tags) > 0.5  # mostly O
    multi = [e for s in a.tags for e in met.extract_entities(s) if e[2] > e[1]]
    assert multi and {e[0] for e in multi} >= {"MACHINE", "PART"}
    for sentence in a.tags:  # generated tags are valid BIO
        for prev, tag in zip(["O", *sentence], sentence):
            if tag.startswith("I-"):
                assert prev[2:] == tag[2:]


def test_tagger_learns_but_makes_real_mistakes():
    train, test = ner.make_ner_corpus(300, seed=0), ner.make_ner_corpus(200, seed=1)
    tagger = ner.train_token_tagger(train.sentences, train.tags)
    pred = ner.predict_tags(tagger, test.sentences)
    token = met.classification_report(ner.flatten(test.tags), ner.flatten(pred), labels=list(ner.TAGS))
    entity = met.entity_report(test.tags, pred)
    assert 0.8 < entity["micro avg"]["f1-score"] < token["micro avg"]["f1-score"] < 1.0
    assert tagger.loss_history[-1] < tagger.loss_history[0] / 5


@pytest.mark.parametrize("seed", CHAPTER_SEEDS)
def test_chapter_split_shares_no_sentence(seed):
    train, test = ner.make_ner_split(300, 200, seed=seed)
    assert len(train.sentences) == 300 and len(test.sentences) == 200
    train_set = {" ".join(s) for s in train.sentences}
    assert not any(" ".join(s) in train_set for s in test.sentences)
    assert ner.shared_sentences(train, test) == 0
    assert ner.make_ner_split(300, 200, seed=seed) == (train, test)  # seeded


def test_independent_draws_do_share_sentences():
    """What the split prevents: two independent corpora overlap."""
    train, test = ner.make_ner_corpus(300, seed=0), ner.make_ner_corpus(200, seed=1)
    train_set = {tuple(s) for s in train.sentences}
    overlap = sum(tuple(s) in train_set for s in test.sentences)
    assert overlap > 0 and ner.shared_sentences(train, test) == overlap


def test_score_tags_equals_sklearn_and_seqeval():
    train, test = ner.make_ner_split(300, 200, seed=0)
    tagger = ner.train_token_tagger(train.sentences, train.tags)
    pred = ner.predict_tags(tagger, test.sentences)
    scores = ner.score_tags(test.tags, pred)
    flat_true, flat_pred = ner.flatten(test.tags), ner.flatten(pred)
    assert scores.token_f1 == pytest.approx(sum(t == p for t, p in zip(flat_true, flat_pred)) / len(flat_true))
    entity_tags = [t for t in ner.TAGS if t != "O"]
    assert scores.token_f1_without_o == pytest.approx(
        sklearn_f1(flat_true, flat_pred, labels=entity_tags, average="micro", zero_division=0))
    assert scores.entity_f1_lenient == pytest.approx(seqeval_f1(test.tags, pred))
    assert scores.entity_f1_strict == pytest.approx(seqeval_f1(test.tags, pred, mode="strict", scheme=IOB2))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: ner.make_ner_corpus(0), ValueError, "n_sentences"),
        (lambda: ner.make_ner_corpus(5, seed="x"), TypeError, "seed"),
        (lambda: ner.train_token_tagger([["a"]], [["B-FOO"]]), ValueError, "unknown tags"),
        (lambda: ner.train_token_tagger([["a", "b"]], [["O"]]), ValueError, "tokens"),
        (lambda: ner.train_token_tagger(["ab"], [["O"]]), TypeError, "sentence 0"),
        (lambda: ner.train_token_tagger([["a"]], [["O"]], epochs=0), ValueError, "epochs"),
        (lambda: ner.predict_tags("model", [["a"]]), TypeError, "TokenTagger"),
        (lambda: ner.make_ner_split(0, 5), ValueError, "n_train"),
        (lambda: ner.make_ner_split(5, 2.0), TypeError, "n_test"),
        (lambda: ner.make_ner_split(60_000, 60_000), ValueError, "at most"),
        (lambda: ner.make_ner_split(5, 5, seed=None), TypeError, "seed"),
        (lambda: ner.shared_sentences([["a"]], ner.make_ner_corpus(2)), TypeError, "Corpus"),
        (lambda: ner.score_tags([["B-PART"]], [["B-PART", "O"]]), ValueError, "sentence 0"),
    ],
)
def test_ner_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
