"""lib.ner: the generated corpus and the numpy tagger."""

from __future__ import annotations

import pytest

from lib import metrics as met
from lib import ner


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
    ],
)
def test_ner_input_validation(call, error, match):
    with pytest.raises(error, match=match):
        call()
