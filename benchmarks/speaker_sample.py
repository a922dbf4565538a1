"""Draw new quotes to hand-label for ``bench_speakers.py``, shown WITHOUT the system's speaker.

Usage:  .venv/bin/python benchmarks/speaker_sample.py --seed 21 --count 100 --first-n 224 \
            [--db out/all2/storyline.db] [--jsonl out/t17/all.jsonl] --out /tmp/me/batch

Writes ``BATCH.txt`` (each quote's passage: the paragraphs before it and its own sentence, the quote's span in
[[ ]], the cue in << >>) and ``BATCH.tsv`` (one row per item with ``t17_id``, ``article_id``, offsets, and empty
category/speaker columns to fill in).  The annotator reads the passage and writes the speaker before running the
benchmark, so the labels do not lean on the extractor's answer (see ``benchmarks/data/speakers/GUIDELINES.md``).

Sampling: the stored quotes of articles not yet in ``speakers.tsv`` and not reader-comment pages, at most two per
article; stratified by the word in front of the cue (a pronoun, a role or body noun, or anything else) so pronouns,
the hardest kind, are not starved.  Only the stratum looks at the stored quote's speaker span, never its resolved
name.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.api import open_store  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "speakers" / "speakers.tsv"
# Signatures of comment systems: pages of reader comments are set aside by the guidelines, so drawing from them only
# wastes reading time.
_COMMENT_PAGE = re.compile(r"may edit your comments|add a comment|house rules|have your say", re.I)
_PRONOUN = re.compile(r"^(he|she|they|we|i|it|who)$", re.I)


def stratum(span: str) -> str:
    words = span.split()
    if len(words) == 1 and _PRONOUN.match(words[0]):
        return "pronoun"
    if words and words[0].lower() in ("the", "a", "an"):
        return "noun"
    return "other"


def passage(text: str, q: dict[str, Any]) -> str:
    lo = min(q["start"], q.get("cue_start") or q["start"])
    hi = max(q["end"], q.get("cue_end") or q["end"])
    # Three paragraphs (or ~1,200 characters) before, and the rest of the sentence after.
    back = lo
    for _ in range(4):
        back = text.rfind("\n\n", 0, max(back - 1, 0))
        if back < 0 or lo - back > 1200:
            break
    back = max(0, back if back >= 0 else 0, lo - 1200)
    stop = text.find("\n\n", hi)
    stop = len(text) if stop < 0 else min(stop, hi + 400)
    marks = sorted([(q["start"], "[["), (q["end"], "]]")]
                   + ([(q["cue_start"], "<<"), (q["cue_end"], ">>")] if q.get("cue_start") is not None else []),
                   key=lambda m: (m[0], m[1] in ("]]", ">>")))
    out, pos = [], back
    for off, mark in marks:
        if off < back or off > stop:
            continue
        out.append(text[pos:off])
        out.append(mark)
        pos = off
    out.append(text[pos:stop])
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default=str(ROOT / "out" / "all2" / "storyline.db"))
    ap.add_argument("--jsonl", default=str(ROOT / "out" / "t17" / "all.jsonl"))
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--first-n", type=int, required=True, help="number given to the first new item")
    ap.add_argument("--exclude", action="append", default=[str(DATA)],
                    help="a TSV whose article ids are not drawn again (repeatable)")
    ap.add_argument("--out", required=True, help="path prefix for BATCH.txt and BATCH.tsv")
    args = ap.parse_args()
    used = set()
    for path in args.exclude:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                used.add(line.split("\t")[2])
    ids = [json.loads(line)["id"] for line in Path(args.jsonl).read_text(encoding="utf-8").splitlines()]
    store = open_store(args.db)
    pool: dict[str, list[tuple[Any, dict[str, Any]]]] = {"pronoun": [], "noun": [], "other": []}
    for art in store.articles():
        if art.id in used or _COMMENT_PAGE.search(art.text):
            continue
        for q in (store.facts(art.id) or {}).get("quotes", []):
            span = art.text[q["speaker_start"]:q["speaker_end"]] if q.get("speaker_start") is not None else ""
            pool[stratum(span)].append((art, q))
    rng = random.Random(args.seed)
    share = {"pronoun": 0.4, "noun": 0.3, "other": 0.3}
    picked: list[tuple[Any, dict[str, Any]]] = []
    per_article: dict[str, int] = {}
    for name, items in pool.items():
        rng.shuffle(items)
        want = round(args.count * share[name])
        for art, q in items:
            if want == 0:
                break
            if per_article.get(art.id, 0) >= 2:
                continue
            per_article[art.id] = per_article.get(art.id, 0) + 1
            picked.append((art, q))
            want -= 1
    rng.shuffle(picked)
    txt, tsv = [], []
    for i, (art, q) in enumerate(picked):
        n = args.first_n + i
        line_no = int(art.source.rsplit("#", 1)[1])
        t17_id = ids[line_no - 1]
        txt.append(f"=== #{n} {t17_id} {art.id} {q['start']}-{q['end']}\n{passage(art.text, q)}\n")
        tsv.append(f"{n}\t{t17_id}\t{art.id}\t{q['start']}\t{q['end']}\t\t\t\t")
    Path(args.out + ".txt").write_text("\n".join(txt), encoding="utf-8")
    Path(args.out + ".tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")
    print(f"{len(picked)} items -> {args.out}.txt / .tsv")


if __name__ == "__main__":
    main()
