"""Speaker accuracy on hand-labelled quotes from the shared T17 dev collections, per kind of speaker mention.

Usage:  .venv/bin/python benchmarks/bench_speakers.py [--db out/all2/storyline.db]

Data: ``benchmarks/data/speakers/speakers.tsv`` (ids, offsets and the right speaker only; the texts are not
redistributed, see GUIDELINES.md there).  The texts come from a store built from ``../shared/benchmarks/t17_dev``
(``benchmarks/t17_corpus.py --out out/t17/all.jsonl`` then ``storyline analyze out/t17/all.jsonl --db
out/all2/storyline.db``), opened read-only.  Each labelled span is matched to the quote of this tree's extractor that
overlaps it most (at least half of the labelled span); the speaker is right when the predicted speaker is one of the
labelled alternatives or contains its last word.  A labelled span no quote covers counts as wrong ("missed").
The quotes stored in the store (from whichever extractor analysed it) are scored the same way, in the same run.
Targets (issue 19): >= 0.85 overall, >= 0.80 on pronouns.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.api import open_store  # noqa: E402
from storyline.config import Settings  # noqa: E402
from storyline.nlp.entities.extract import EntityIndex  # noqa: E402
from storyline.nlp.quotes.extract import extract_quotes  # noqa: E402
from storyline.nlp.runtime.spacy_model import load_nlp  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "speakers" / "speakers.tsv"
CATEGORIES = ("pronoun", "role", "body", "document", "name")
_WORD = re.compile(r"\w+")
# The sets read after the last change to the speaker rules they score, never seen while rules were written; every other
# set was read or scored while they were written (GUIDELINES.md says which session read which).
HELD_OUT = ("test3", "test5")


def read_labels(path: Path) -> list[dict[str, Any]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        n, t17_id, aid, start, end, cat, gold, note, part = (line.split("\t") + [""] * 9)[:9]
        out.append({"n": int(n), "t17_id": t17_id, "article_id": aid, "start": int(start), "end": int(end),
                    "category": cat, "gold": [g for g in gold.split("|") if g], "note": note,
                    "set": part or "dev"})
    return out


def speaker_right(pred: str | None, gold: list[str]) -> bool:
    if not pred:
        return False
    words = [w.lower() for w in _WORD.findall(pred)]
    for alt in gold:
        alt_words = [w.lower() for w in _WORD.findall(alt)]
        if alt_words and (alt_words == words or alt_words[-1] in words):
            return True
    return False


def best_quote(quotes: list[Any], start: int, end: int) -> Any | None:
    def get(q: Any, k: str) -> Any:
        return q[k] if isinstance(q, dict) else getattr(q, k)
    best, best_ov = None, 0
    for q in quotes:
        ov = min(end, get(q, "end")) - max(start, get(q, "start"))
        if ov > best_ov:
            best, best_ov = q, ov
    return best if best is not None and best_ov >= 0.5 * (end - start) else None


def score(labels: list[dict[str, Any]], quotes_of: dict[str, list[Any]]) -> dict[str, list[int]]:
    """Per category: [labelled, covered by a quote, speaker right]."""
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for lab in labels:
        q = best_quote(quotes_of.get(lab["article_id"], []), lab["start"], lab["end"])
        for key in (lab["category"], "all"):
            tally[key][0] += 1
            if q is not None:
                tally[key][1] += 1
                sp = q["speaker"] if isinstance(q, dict) else q.speaker
                tally[key][2] += speaker_right(sp, lab["gold"])
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "out" / "all2" / "storyline.db"))
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--errors", action="store_true", help="print each wrong or missed speaker of the seen sets")
    args = ap.parse_args()
    every = read_labels(Path(args.data))
    labels = [lab for lab in every if lab["category"] != "exclude"]
    store = open_store(args.db)
    nlp = load_nlp(Settings())
    mine: dict[str, list[Any]] = {}
    stored: dict[str, list[Any]] = {}
    for aid in sorted({lab["article_id"] for lab in labels}):
        art = store.article(aid)
        if art is None:
            sys.exit(f"article {aid} is not in {args.db}: build the store as the docstring says")
        doc = nlp(art.text)
        mine[aid] = extract_quotes(doc, aid, EntityIndex.build(doc, aid))
        stored[aid] = (store.facts(aid) or {}).get("quotes", [])
    print(f"hand-labelled speakers: {len(every)} quotes read, {len(labels)} scored, "
          f"{len(every) - len(labels)} set aside (reader comments, not attributions; see GUIDELINES.md); "
          f"{len({lab['article_id'] for lab in labels})} articles, "
          f"{len({lab['t17_id'].rsplit('-', 1)[0] for lab in labels})} collections")
    seen_sets = sorted({x["set"] for x in labels} - set(HELD_OUT))
    print(f"columns: right/scored accuracy; held out = sets {', '.join(HELD_OUT)} (never seen while rules were written);"
          f" seen = sets {', '.join(seen_sets)} (read or scored while rules were written)")
    print("rule: labelled span matched to the quote overlapping it most (>= half of it); speaker right = one of the"
          " labelled names, or contains its last word; a span no quote covers counts as wrong")
    parts = {"all items": labels, "held out": [x for x in labels if x["set"] in HELD_OUT],
             "seen": [x for x in labels if x["set"] not in HELD_OUT]}
    parts.update({f"{name} (held out)": [x for x in labels if x["set"] == name] for name in HELD_OUT})
    for label, quotes_of in (("stored facts (the extractor that built the store)", stored), ("this tree", mine)):
        print(f"== {label}")
        print(f"{'speaker written as':20}" + "".join(f"{p.split(' (')[0]:>22}" for p in parts))
        tallies = [score(items, quotes_of) for items in parts.values()]
        for cat in (*CATEGORIES, "all"):
            cells = []
            for tally in tallies:
                n, _cov, ok = tally.get(cat, [0, 0, 0])
                cells.append(f"{ok:>4}/{n:<4} {ok / n:6.3f}" if n else " " * 16)
            print(f"{cat:20}" + "".join(f"{c:>22}" for c in cells))
    print("targets (issue 19): all >= 0.85, pronoun >= 0.80")
    if args.errors:
        print("errors of the seen sets only: the held-out sets stay unread, so they can still judge the next change")
        for lab in parts["seen"]:
            q = best_quote(mine.get(lab["article_id"], []), lab["start"], lab["end"])
            if q is None or not speaker_right(q.speaker, lab["gold"]):
                print(f"  #{lab['n']} {lab['category']:9} gold={'|'.join(lab['gold'])!r:40} "
                      f"got={(q.speaker if q else 'MISSED')!r}")


if __name__ == "__main__":
    main()
