"""Stance model behaviour and the streaming CSV labeller."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storyline.errors import UsageError
from storyline.verify.stance import LABELS, StanceModel, is_short, split_sentences, words
from storyline.verify.stance_csv import stance_csv
from storyline.verify.stance_frame import frame_text, frame_tokens, stem

CLAIM = "The United States plans to withdraw all its troops from Iraq"
BODY_AGREE = (
    "Washington has decided to bring all of its soldiers home from Iraq. The Pentagon confirmed on Monday that "
    "the United States will withdraw all its troops from Iraq by the end of next year. Officials said the "
    "withdrawal of the roughly 2,500 troops would begin within weeks. The decision was announced after talks "
    "with the Iraqi government in Baghdad.")
BODY_DISAGREE = (
    "Reports that the United States plans to withdraw all its troops from Iraq are false, the Pentagon said on "
    "Monday. A spokesman denied the claim outright and called the story fake. 'There are no plans to withdraw "
    "troops from Iraq,' he said, dismissing the rumour as baseless. About 2,500 US troops remain in the country.")
BODY_UNRELATED = (
    "The central bank raised interest rates by a quarter point on Wednesday, citing stubborn inflation. Markets "
    "fell after the announcement and the currency rose against the euro. Economists expect one more increase "
    "before the summer. Mortgage lenders said they would pass the rise on to borrowers.")


# ---------------------------------------------------------------- fast, no model
def test_split_sentences_and_words() -> None:
    s = split_sentences("U.S. officials spoke. The army left! Did it? \"Yes,\" he said.")
    assert s[0].startswith("U.S. officials") and len(s) >= 3
    assert words("It isn't TRUE, 2,500 troops") == ["it", "isn't", "true", "2", "500", "troops"]
    assert split_sentences("") == [" "]


def test_is_short() -> None:
    assert is_short("US troops will stay in Iraq.")
    assert not is_short(BODY_AGREE)


def test_frame_text_masks_claim_and_tags_cues() -> None:
    t = frame_text("Senator: US reportedly withdrawing troops from Iraq, officials say", CLAIM)
    toks = t.split()
    assert toks[0] == "F_OPENCOLON"                  # "Speaker: ..." attribution opening
    assert "iraq" not in toks and "troop" not in toks and toks.count("CLAIMW") >= 3  # topic words masked
    assert "withdraw" not in toks                    # inflection of a claim word ("withdrawing") is masked too
    assert toks[toks.index("K_HEDGE") + 1] == "reportedly"
    assert "K_SPEECH" in toks and "senator" in toks  # non-claim words stay (suffix-stripped)
    assert frame_text("", CLAIM) == "EMPTY"


def test_frame_tokens_and_stem() -> None:
    assert frame_tokens("Did the US pull its troops out of Iraq?") == ["F_QAUX"]
    assert "F_CLOSEDASH" in frame_tokens("US to pull all troops out of Iraq - CNN")
    assert "F_CLOSECOLON" in frame_tokens("US to pull all troops out of Iraq by May: analyst")
    assert frame_tokens("The Long Return of the Mac: a story about a computer") == []  # 5+ words before colon
    assert frame_tokens("US pulls troops out of Iraq") == []
    assert stem("accuses") == stem("accused") == "accus" and stem("is") == "is"


def test_missing_column_is_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "pairs.csv"
    src.write_text("claim,passage\nA,B\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        stance_csv(src, tmp_path / "out.csv", progress=False)
    msg = str(err.value)
    assert "pairs.csv" in msg and "text" in msg and "'passage'" in msg
    assert not (tmp_path / "out.csv").exists()


def test_missing_file_is_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        stance_csv(tmp_path / "nope.csv", tmp_path / "out.csv", progress=False)


class _FakeModel:
    """Stands in for the trained model so the CSV plumbing is tested without loading it."""

    def predict(self, pairs: list[tuple[str, str]]) -> list[tuple[str, float]]:
        return [("agree" if c and c.lower() in t.lower() else "unrelated", 0.5) for c, t in pairs]


def test_csv_streams_batches_and_copies_columns(tmp_path: Path) -> None:
    src, dst = tmp_path / "in.csv", tmp_path / "sub" / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "Claim", "text", "note"])
        for i in range(1300):  # more than two batches
            w.writerow([i, "troops", f"row {i} about troops\nwith a newline" if i % 2 else "weather", f"n{i}"])
    n = stance_csv(src, dst, progress=False, model=_FakeModel())  # type: ignore[arg-type]
    assert n == 1300
    with open(dst, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["id", "Claim", "text", "note", "stance", "score"]
    assert [r["id"] for r in rows] == [str(i) for i in range(1300)]
    assert rows[1]["stance"] == "agree" and rows[0]["stance"] == "unrelated"
    assert rows[1]["text"].endswith("with a newline") and rows[7]["note"] == "n7"


# ---------------------------------------------------------------- the trained model
@pytest.fixture(scope="module")
def model() -> StanceModel:
    return StanceModel.load()


@pytest.mark.slow
def test_obvious_pairs(model: StanceModel) -> None:
    got = model.predict([(CLAIM, BODY_AGREE), (CLAIM, BODY_DISAGREE), (CLAIM, BODY_UNRELATED)])
    assert got[0][0] == "agree" and got[2][0] == "unrelated"
    assert got[1][0] in ("disagree", "discuss")  # known weakness: short refuting bodies often read as discuss
    assert all(0.0 < g[1] <= 1.0 for g in got)
    p = model.predict_proba([(CLAIM, BODY_AGREE), (CLAIM, BODY_DISAGREE)])
    dis, agr = LABELS.index("disagree"), LABELS.index("agree")
    assert p[1, dis] > 3 * p[0, dis]   # the refuting body is far more "disagree" than the confirming one
    assert p[0, agr] > p[1, agr]


@pytest.mark.slow
def test_short_texts(model: StanceModel) -> None:
    got = model.predict_short(CLAIM, [
        "US to pull all troops out of Iraq, Pentagon confirms",
        "Pentagon denies report that US will withdraw troops from Iraq, calls it false",
        "Central bank raises interest rates as inflation persists",
    ])
    assert [g[0] for g in got] == ["agree", "disagree", "unrelated"]


@pytest.mark.slow
def test_short_head_reads_hedges_and_attribution(model: StanceModel) -> None:
    """A headline that only reports or hedges the claim observes it; the same words asserted agree."""
    p = model.predict_proba([(CLAIM, "US will withdraw all troops from Iraq"),
                             (CLAIM, "US may withdraw all troops from Iraq, sources claim")], head="short")
    agr, dis = LABELS.index("agree"), LABELS.index("discuss")
    assert p[0, agr] > p[0, dis]
    assert p[1, dis] / p[1, agr] > p[0, dis] / p[0, agr]


@pytest.mark.slow
def test_probabilities_and_determinism(model: StanceModel) -> None:
    pairs = [(CLAIM, BODY_AGREE), (CLAIM, "US troops to leave Iraq?"), ("", ""), (CLAIM, BODY_UNRELATED)]
    p1 = model.predict_proba(pairs)
    assert p1.shape == (4, len(LABELS))
    assert abs(p1.sum(axis=1) - 1).max() < 1e-6
    assert model.predict(pairs) == model.predict(pairs)
    # batching must not change a pair's result
    assert model.predict(pairs[:1]) == model.predict(pairs)[:1]


@pytest.mark.slow
def test_csv_round_trip_with_model(tmp_path: Path) -> None:
    src, dst = tmp_path / "pairs.csv", tmp_path / "out.csv"
    with open(src, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["claim", "text", "source"])
        w.writerow([CLAIM, "Pentagon denies report that US will withdraw troops from Iraq, calls it false", "a"])
        w.writerow([CLAIM, BODY_UNRELATED, "b"])
    assert stance_csv(src, dst, progress=False) == 2
    with open(dst, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["source"] for r in rows] == ["a", "b"]
    assert [r["stance"] for r in rows] == ["disagree", "unrelated"]
    assert all(0 < float(r["score"]) <= 1 for r in rows)
