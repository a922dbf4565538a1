"""The learned attribution reads the parse from per-doc columns (issue 17's speed work): every column must say what
spaCy's ``Token`` says, so the features, and with them the quotes, stay exactly what the model was trained on."""

from __future__ import annotations

import pytest

from repo_paths import ROOT


@pytest.mark.slow
def test_columns_match_tokens() -> None:
    from storyline.nlp.quotes.attribution_features import doc_columns, path_first
    from storyline.nlp.runtime.spacy_model import load_nlp

    nlp = load_nlp()
    text = (ROOT / "examples" / "iraq-troops" / "001_78d3394bab3e3c7a.txt").read_text(encoding="utf-8")
    doc = nlp(text + " “We will not go,” said Ms. O'Neill of the U.N. in Geneva, who blasted the plan.")
    cols = doc_columns(doc)
    assert doc_columns(doc) is cols     # built once per doc
    assert cols.lemma == [t.lemma_.lower() for t in doc]
    assert cols.pos == [t.pos_ for t in doc] and cols.tag == [t.tag_ for t in doc]
    assert cols.dep == [t.dep_ for t in doc] and cols.lower == [t.lower_ for t in doc]
    assert cols.text == [t.text for t in doc] and cols.ent_type == [t.ent_type_ for t in doc]
    assert cols.punct == [t.is_punct for t in doc]
    assert cols.head == [t.head.i for t in doc]
    assert cols.kids == [[c.i for c in t.children] for t in doc]
    assert any(h < i for i, h in enumerate(cols.head)) and any(h > i for i, h in enumerate(cols.head))
    assert any(cols.ent_type) and any(cols.punct)
    # the path walk over the columns agrees with a walk over Token objects
    for sent in doc.sents:
        for cue in sent:
            for tok in sent:
                node, depth = tok, 0
                while node.i != cue.i and node.head.i != node.i and depth < 40:
                    node, depth = node.head, depth + 1
                kind, _ = path_first(cue, tok)
                assert (kind == "self") == (tok.i == cue.i)
                assert kind.startswith("dn:") == (tok.i != cue.i and node.i == cue.i), (cue, tok, kind)
