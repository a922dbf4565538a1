"""The learned attribution path: the shipped model loads, is deterministic, keeps spans inside the text, and finds
reported speech whose cue no rule lists."""

from __future__ import annotations

import pytest

from quote_cases import quotes_of
from storyline.nlp.quotes.attribution import MODEL_PATH, AttributionModel


def test_model_file_is_shipped_small_and_loads() -> None:
    assert MODEL_PATH.is_file()
    assert MODEL_PATH.stat().st_size < 5_000_000
    model = AttributionModel.load()
    assert model is not None
    assert model.cue and model.content
    assert 0.0 < model.cue_threshold < 1.0 and 0.0 < model.content_threshold < 1.0
    assert AttributionModel.load() is model          # cached per process


def test_save_is_byte_deterministic(tmp_path) -> None:
    model = AttributionModel({"b": -1.0, "l=say": 2.5}, {"b": 0.1}, 0.7, 0.5, 1, 0.0, 1.5, {"E:nw=,": -0.25}, 0.5,
                             keep={"b": 0.75, "sk=none": -0.5}, keep_threshold=0.3)
    a, b = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    model.save(a)
    model.save(b)
    assert a.read_bytes() == b.read_bytes()
    again = AttributionModel.load(a)
    assert again == model


def test_missing_model_file_means_rules_only(tmp_path) -> None:
    assert AttributionModel.load(tmp_path / "absent.json.gz") is None


TEXT = ("Bernie Sanders lashed out at the Democratic National Committee over the debate schedule.\n"
        "Jeb Bush is banking on a strong showing in New Hampshire to revive his campaign.\n"
        "Hillary Clinton said the plan would cost billions, and Donald Trump blasted the deal as a disaster.")


@pytest.mark.slow
def test_learned_path_is_deterministic_and_inside_text(nlp) -> None:
    first = quotes_of(nlp, TEXT)
    second = quotes_of(nlp, TEXT)
    assert [(q.id, q.start, q.end, q.speaker) for q in first] == [(q.id, q.start, q.end, q.speaker) for q in second]
    for q in first:
        assert 0 <= q.start < q.end <= len(TEXT)
        assert TEXT[q.start : q.end] == q.text
        if q.cue_start is not None:
            assert TEXT[q.cue_start : q.cue_end] == q.cue


@pytest.mark.slow
def test_learned_path_adds_what_rules_miss_and_keeps_rule_quotes(nlp) -> None:
    rules = quotes_of(nlp, TEXT, learned=False)
    both = quotes_of(nlp, TEXT, learned=True)
    # every rule attribution survives with its cue and speaker (the content model may only move its boundaries)
    assert {(q.cue_start, q.speaker) for q in rules} <= {(q.cue_start, q.speaker) for q in both}
    # "lashed out" is in no cue list: only the learned cue model finds it, and the speaker is still rule-based
    assert not any(q.cue and q.cue.startswith("lashed") for q in rules)
    lashed = [q for q in both if q.cue and q.cue.startswith("lashed")]
    assert lashed, [(q.cue, q.text) for q in both]
    assert "Democratic National Committee" in lashed[0].text
    assert lashed[0].speaker is not None and "Sanders" in lashed[0].speaker


def _contents(doc, model: AttributionModel | bool) -> list[tuple[str | None, str, str | None]]:  # type: ignore[no-untyped-def]
    """(cue, content, speaker) of every attribution ``extract_quotes`` finds in ``doc`` with ``model``."""
    from storyline.nlp.entities.extract import EntityIndex
    from storyline.nlp.quotes.extract import extract_quotes

    return [(q.cue, q.text, q.speaker) for q in extract_quotes(doc, "t", EntityIndex.build(doc, "t"), learned=model)]


def _boundary_model(switch: float) -> AttributionModel:
    """A toy model: no learned cue ever fires; the content is exactly the three tokens right after the cue."""
    near = {f"s|dist=R|{d}": 20.0 for d in (1, 2, 3)}
    return AttributionModel({"b": -10.0}, {"b": -10.0, **near}, 0.9, 0.5, 1, 0.0, switch)


@pytest.mark.slow
def test_switch_margin_moves_rule_content_only_on_a_clear_win(nlp) -> None:
    text = "Clinton said the plan would cost billions of dollars over the next ten years."
    doc = nlp(text)

    def contents(model: AttributionModel | bool) -> list[tuple[str | None, str, str | None]]:
        return _contents(doc, model)

    rules = contents(False)
    assert rules and rules[0][1].startswith("the plan would cost billions")
    assert contents(_boundary_model(0.0)) == rules            # switching off: the rules' boundaries stand
    assert contents(_boundary_model(1e9)) == rules            # the learned span must win by the margin
    moved = contents(_boundary_model(1.0))
    assert [(c, sp) for c, _, sp in moved] == [(c, sp) for c, _, sp in rules]   # same cue, same speaker
    assert moved[0][1] == "the plan would"


def _cut_model(margin: float) -> AttributionModel:
    """A toy span-boundary model: no learned cue fires, and a content prefers to end before "after"."""
    return AttributionModel({"b": -10.0}, {"b": -10.0}, 0.9, 0.5, 1, 0.0, 0.0, {"E:nw=after": 5.0}, margin)


@pytest.mark.slow
def test_boundary_model_cuts_a_trailing_adjunct_only_past_its_margin(nlp) -> None:
    text = "Clinton said the tax plan would cost billions of dollars after meeting with union leaders in Ohio."
    doc = nlp(text)

    def contents(model: AttributionModel | bool) -> list[tuple[str | None, str, str | None]]:
        return _contents(doc, model)

    rules = contents(False)
    assert rules and rules[0][1].endswith("after meeting with union leaders in Ohio")
    assert contents(_cut_model(1e9)) == rules                 # the best cut must beat the current one by the margin
    cut = contents(_cut_model(1.0))
    assert [(c, sp) for c, _, sp in cut] == [(c, sp) for c, _, sp in rules]     # same cue, same speaker
    assert cut[0][1] == "the tax plan would cost billions of dollars"


@pytest.mark.slow
def test_boundary_candidates_stay_on_the_content_side_of_the_cue(nlp) -> None:
    from storyline.nlp.quotes.attribution_spans import candidates, limits, start_candidates

    doc = nlp("The plan would cost billions of dollars, Clinton said at a rally in Ohio.")
    cue = next(t for t in doc if t.lower_ == "said")
    comma = next(t for t in doc if t.text == ",")
    para = (0, len(doc.text))
    lim = limits(cue, 0, comma.i, para)
    assert lim is not None and lim[1] <= cue.i                # a content before the cue ends before it
    got = candidates(cue, 0, comma.i, para)
    assert got is not None
    ends, sv, lo = got
    assert comma.i in [e for e, _ in ends] and all(0 < e <= lim[1] for e, _ in ends)
    assert all(lo <= s < comma.i for s, _ in start_candidates(cue, sv, 0, comma.i, lo))
    assert candidates(cue, 0, len(doc), para) is None       # a span across the cue is never re-cut
    current = next(f for e, f in ends if e == comma.i)
    assert "E:m:cur" in current and all(f.startswith("E:") for f in current)


def test_content_ends_where_a_second_cue_starts_its_own_attribution(nlp) -> None:
    # PolNeAR gives each word one attribution: "said A and accused B" is two, both the speaker's
    text = ("Foreign Minister Ali Hassan said the talks had failed and accused the rebels of lying.\n\n"
            "Senator Jane Doe said she has released ten years of tax returns and called on her rivals to do the same.")
    learned = {(q.text, q.cue, q.speaker) for q in quotes_of(nlp, text)}
    assert {("the talks had failed", "said", "Ali Hassan"), ("the rebels of lying", "accused", "Ali Hassan"),
            ("she has released ten years of tax returns", "said", "Jane Doe"),
            ("her rivals to do the same", "called", "Jane Doe")} <= learned
    rules = {(q.text, q.cue) for q in quotes_of(nlp, text, learned=False)}
    assert ("the talks had failed and accused the rebels of lying", "said") in rules     # the rules alone run on


def test_a_clause_that_is_part_of_what_is_reported_stays_whole(nlp) -> None:
    # no comma and no cue word: "showing" describes the video, it does not start a second attribution
    text = "Rebels say they have confiscated phones that contain video showing loyalists attacking civilians."
    qs = quotes_of(nlp, text)
    assert [(q.text, q.cue) for q in qs] == [
        ("they have confiscated phones that contain video showing loyalists attacking civilians", "say")]


def test_keep_model_drops_an_attribution_whose_content_is_a_scene_not_a_statement(nlp) -> None:
    """The keep model (``attribution_keep``) judges the finished attribution: "reports from a hospital in Haiti" and
    "shrugged off the pandemic" say where or what, not what anyone said; "said the talks had failed" stays."""
    from dataclasses import replace

    model = AttributionModel.load()
    assert model is not None and model.keep and 0.0 < model.keep_threshold < 1.0
    without = replace(model, keep_threshold=0.0)
    text = ("Our correspondent Matthew Price reports from a hospital in Haiti.\n"
            "World markets shrugged off the pandemic, as investors focused on possible global economic recovery.\n"
            "The ministry said the talks had failed. Aid workers warned that supplies were running out.")
    before = {q.text for q in quotes_of(nlp, text, learned=without)}
    after = {q.text for q in quotes_of(nlp, text, learned=model)}
    assert {"from a hospital in Haiti", "pandemic"} <= before
    assert not {"from a hospital in Haiti", "pandemic"} & after
    assert {"the talks had failed", "that supplies were running out"} <= after


def test_keep_model_leaves_quotations_and_shared_cues_alone(nlp) -> None:
    from storyline.nlp.quotes.attribution_keep import judged
    from storyline.nlp.quotes.context import Attr

    inside = bytearray(40)
    inside[20:30] = b"\x01" * 10
    direct = Attr(0, 5, (6, 9), None, direct=True)
    quoted = Attr(18, 25, (10, 14), None)               # touches a quotation in marks
    shared = [Attr(0, 4, (35, 38), None), Attr(31, 34, (35, 38), None)]
    alone = Attr(0, 8, (9, 12), None)
    assert judged([direct, quoted, *shared, alone], inside) == [alone]
