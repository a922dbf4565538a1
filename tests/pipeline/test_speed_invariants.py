"""Speed changes that must not change a result (issue 17): each fast path is checked against the slow one it
replaced. No timings here; the benchmarks measure speed."""

from __future__ import annotations

import random


def test_timex_span_check_agrees_with_a_scan_of_every_taken_span() -> None:
    """The time-expression recogniser keeps its taken spans sorted and looks only at the last one starting before a
    new span's end (``timex.span_free``); it must accept and refuse exactly what the scan of every taken span it
    replaced did, empty and touching spans included."""
    from storyline.nlp.numbers.timex import span_free, take_span

    rng = random.Random(17)
    for _ in range(300):
        scan: list[tuple[int, int]] = []
        fast: list[tuple[int, int]] = []
        for _ in range(60):
            a = rng.randrange(0, 200)
            b = a + rng.choice([0, 1, 2, 3, 5, 8, 13, 30])
            got = span_free(fast, a, b)
            assert got == all(b <= s or a >= e for s, e in scan), (a, b, scan)
            if got:
                scan.append((a, b))
                take_span(fast, a, b)


def test_timex_direction_memo_gives_the_answer_computed_afresh() -> None:
    """``resolve_times`` keeps ``_direction``'s answer per clause verb (a page of dates in one clause walked the verb's
    children once per date); with the memo every position gets the answer it gets without one."""
    from storyline.nlp.numbers.timex import _direction
    from storyline.nlp.runtime.spacy_model import load_nlp

    text = ("The ministry said on Tuesday that the troops had left in March. They will return next week, officials "
            "said. 12 January 2021, 2021-01-13, Jan. 14, 2021, last Tuesday, 12 January 2021, Jan. 15, 2021, "
            "the talks had been due to end Friday, and the vote is planned for Thursday.")
    doc = load_nlp()(text)
    memo: dict[int, int] = {}
    for tok in doc:
        assert _direction(doc, tok.idx, memo) == _direction(doc, tok.idx), tok.text
    assert memo and len(memo) < len(doc)


def test_parse_guarded_tokenizes_once_and_parses_as_plain_spacy() -> None:
    """``parse_guarded`` hands the density check's tokens to the parser instead of tokenizing each text again: every
    doc must be the one plain ``nlp.pipe`` gives on the same (guarded, density-cut) text, token by token."""
    from storyline.nlp.pipeline import parse_guarded
    from storyline.nlp.runtime.spacy_model import load_nlp

    nlp = load_nlp()
    texts = ["Pentagon Says Not Planning Troops Withdrawal From Iraq\n\nThe United States said on Tuesday it was not "
             "planning to withdraw its 2,500 troops from Iraq.", "a b " * 400, "Short.", "(" * 300 + " ok"]
    docs, _, parsed, _ = parse_guarded(nlp, texts)
    attrs = ["ORTH", "IDX", "TAG", "DEP", "HEAD", "LEMMA", "ENT_IOB", "ENT_TYPE", "SENT_START"]
    assert parsed[1] < len(texts[1])            # the token flood was cut for the parse
    for doc, plain in zip(docs, nlp.pipe([d.text for d in docs]), strict=True):
        assert (doc.to_array(attrs) == plain.to_array(attrs)).all()


def test_embedding_a_text_does_not_depend_on_its_neighbours_or_threads() -> None:
    """Each text runs through MiniLM alone (the int8 graph quantises activations per tensor, so even an unpadded
    batch of equal-length texts changes every vector); a list, one text at a time, and two threads agree exactly."""
    import numpy as np

    from storyline.nlp.runtime.embed import Embedder

    texts = ["The United States will keep troops in Iraq.", "Pentagon says it is not planning a withdrawal.",
             "Officials said the talks had stalled again today.", "US agrees to withdraw remaining combat troops"]
    together = Embedder().encode(texts)
    alone = np.vstack([Embedder().encode([t]) for t in texts])
    threads = Embedder().encode(list(reversed(texts)), parallel=2)[::-1]
    assert np.array_equal(together, alone) and np.array_equal(together, threads)
