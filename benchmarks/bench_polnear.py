"""Quote / attribution extraction on PolNeAR (dev split by default), with throughput against bare ``nlp.pipe``.

Usage:  .venv/bin/python benchmarks/bench_polnear.py [--split dev|train] [--limit N]

The full extractor (rules + the learned cue/content tagger of ``storyline.nlp.quotes.attribution``) is scored and timed; the
rules alone are scored too (same parses, untimed) so the learned path's gain is printed next to it.

Data: ``../shared/benchmarks/polnear/polnear_train_dev.tar.gz`` is extracted once into a cache directory
(``$STORYLINE_CACHE`` or ``~/.cache/storyline``), never into the repository.  One annotation file per article: the
first annotator listed in ``metadata_train_dev.tsv``.  Rules were tuned on the train split only.

Scoring rule (stated here because PolNeAR has no official scorer):
* Words are ``\\w+`` runs; a span is the set of word positions it covers (a discontinuous gold content is the union of
  its pieces).  Predicted quotes that share one cue (“A,” he said. “B.”) form one predicted attribution.
* Content match: shared words >= 50% of the *larger* of the two spans (so a match covers at least half of the gold
  content and at least half of the prediction).  Predicted and gold are paired one-to-one, greedily by shared words.
  Content P/R/F1 count those pairs.
* Attribution match: content matched AND the speaker is right.  The speaker is right when the predicted speaker
  mention (``speaker_start:end``, the subject as written: "he", "Mr. Trump", "the statement") overlaps the gold
  source span, or when the gold source's head word (last word) is a word of the predicted speaker's canonical name
  (same entity, mentioned elsewhere).  A gold attribution without a source needs a prediction without a speaker.
* Direct-quote speaker accuracy: among matched pairs whose gold content starts with a quotation mark.
Anchors (other systems, other data; for orientation only): BBC Citron on PARC 3.0 source F1 0.82, content overlap F1
0.83; GenderGapTracker quote F1 0.84.  Targets for this project (issue 19): content F1 >= 0.75, attribution F1 >= 0.70,
direct-quote speaker accuracy >= 0.92.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storyline.config import Settings  # noqa: E402
from storyline.nlp.entities.extract import EntityIndex  # noqa: E402
from storyline.nlp.quotes.extract import extract_quotes  # noqa: E402
from storyline.nlp.runtime.spacy_model import load_nlp  # noqa: E402

DATA = ROOT.parent / "shared" / "benchmarks" / "polnear"
_WORD = re.compile(r"\w+")


@dataclass
class Attribution:
    content: frozenset[int]
    source: tuple[int, int] | None
    source_text: str | None
    speaker: str | None = None
    direct: bool = False


def data_dir() -> Path:
    cache = Path(os.environ.get("STORYLINE_CACHE", Path.home() / ".cache" / "storyline")) / "polnear"
    if not (cache / "data" / "dev").is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(DATA / "polnear_train_dev.tar.gz") as tar:
            tar.extractall(cache, filter="data")
    return cache / "data"


def primary_annotator(split: str) -> dict[str, str]:
    out = {}
    with open(DATA / "metadata_train_dev.tsv", encoding="utf-8") as fh:
        next(fh)
        for line in fh:
            p = line.rstrip("\n").split("\t")
            if p[0] == split:
                out[p[1]] = p[3].split("|")[0]
    return out


def word_positions(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD.finditer(text)]


def words_in(words: list[tuple[int, int]], spans: list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(i for i, (s, e) in enumerate(words) for a, b in spans if s < b and a < e)


def read_gold(path: Path, text: str, words: list[tuple[int, int]]) -> list[Attribution]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offs = parts[1].partition(" ")
            spans[parts[0]] = (label, [tuple(map(int, o.split())) for o in offs.split(";")])  # type: ignore[misc]
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(x.split(":", 1) for x in parts[1].split()))
    out = []
    for ev in events:
        if "Content" not in ev or ev["Content"] not in spans:
            continue
        cs = spans[ev["Content"]][1]
        content = words_in(words, cs)
        if not content:
            continue
        src = spans.get(ev.get("Source", ""), ("", []))[1]
        source = (min(s for s, _ in src), max(e for _, e in src)) if src else None
        first = text[cs[0][0] : cs[0][0] + 1]
        out.append(Attribution(content, source, text[source[0] : source[1]] if source else None,
                               direct=first in "“\"‘«"))
    return out


def predicted(quotes: list, words: list[tuple[int, int]]) -> list[tuple[Attribution, list]]:
    groups: dict[object, list] = {}
    for q in quotes:
        key = (q.cue_start, q.cue_end) if q.cue_start is not None else ("q", q.start)
        groups.setdefault(key, []).append(q)
    out = []
    for qs in groups.values():
        content = words_in(words, [(q.start, q.end) for q in qs])
        q0 = qs[0]
        src = (q0.speaker_start, q0.speaker_end) if q0.speaker_start is not None else None
        out.append((Attribution(content, src, None, q0.speaker), qs))
    return [p for p in out if p[0].content]


def speaker_ok(pred: Attribution, gold: Attribution) -> bool:
    if gold.source is None:
        return pred.speaker is None and pred.source is None
    if pred.source and pred.source[0] < gold.source[1] and gold.source[0] < pred.source[1]:
        return True
    if pred.speaker and gold.source_text:
        head = re.findall(r"\w+", gold.source_text.lower())
        return bool(head) and head[-1] in re.findall(r"\w+", pred.speaker.lower())
    return False


def match(preds: list[Attribution], golds: list[Attribution]) -> list[tuple[int, int]]:
    cands = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            shared = len(p.content & g.content)
            if shared and shared >= 0.5 * max(len(p.content), len(g.content)):
                cands.append((-shared, i, j))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in sorted(cands):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=["dev", "train"])
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles (0 = all)")
    args = ap.parse_args()
    root = data_dir() / args.split
    ann = primary_annotator(args.split)
    names = sorted(n for n in ann if (root / "text" / f"{n}.txt").is_file())
    if args.limit:
        names = names[: args.limit]
    texts = [(root / "text" / f"{n}.txt").read_text(encoding="utf-8") for n in names]
    nlp = load_nlp(Settings())
    list(nlp.pipe(texts[:2]))  # warm-up outside the timings

    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    t_pipe = time.perf_counter() - t0
    t0 = time.perf_counter()
    all_quotes = []
    for name, doc in zip(names, docs, strict=True):
        index = EntityIndex.build(doc, name)
        all_quotes.append(extract_quotes(doc, name, index))
    t_stages = time.perf_counter() - t0
    rules_quotes = [extract_quotes(doc, name, EntityIndex.build(doc, name), learned=False)
                    for name, doc in zip(names, docs, strict=True)]
    print(f"PolNeAR {args.split}: {len(names)} articles")
    print("rule: content match = shared \\w+ words >= 50% of the larger span, one-to-one greedy; attribution = content"
          " match + speaker mention overlaps gold source (or gold source head word in speaker name)")
    for label, quotes_of in (("rules alone", rules_quotes), ("rules + learned (shipped)", all_quotes)):
        report(label, root, ann, names, texts, quotes_of)
    n_words = sum(len(t.split()) for t in texts)
    wps_pipe = n_words / t_pipe
    wps_all = n_words / (t_pipe + t_stages)
    print(f"throughput ({n_words} words, 1 process): bare nlp.pipe {wps_pipe:,.0f} words/s; "
          f"nlp.pipe + entities + quotes {wps_all:,.0f} words/s; ratio {wps_all / wps_pipe:.2f} (target >= 0.7)")


def report(label: str, root: Path, ann: dict[str, str], names: list[str], texts: list[str],
           all_quotes: list[list]) -> None:
    """Print content / attribution P/R/F1 and direct-quote speaker accuracy of one system."""
    n_pred = n_gold = tp_c = tp_a = direct_n = direct_ok = 0
    for name, text, quotes in zip(names, texts, all_quotes, strict=True):
        words = word_positions(text)
        golds = read_gold(root / "attributions" / f"{name}_{ann[name]}.ann", text, words)
        preds = [p for p, _ in predicted(quotes, words)]
        pairs = match(preds, golds)
        n_pred += len(preds)
        n_gold += len(golds)
        tp_c += len(pairs)
        for i, j in pairs:
            ok = speaker_ok(preds[i], golds[j])
            tp_a += ok
            if golds[j].direct:
                direct_n += 1
                direct_ok += ok

    cp, cr, cf = prf(tp_c, n_pred, n_gold)
    ap_, ar, af = prf(tp_a, n_pred, n_gold)
    print(f"== {label}: {n_gold} gold attributions, {n_pred} predicted")
    print(f"{'figure':34}{'P':>7}{'R':>7}{'F1':>8}  anchor / target")
    # F1 to four places: a figure a hair under its target must not print as the target
    print(f"{'content overlap':34}{cp:7.3f}{cr:7.3f}{cf:8.4f}  BBC Citron (PARC 3.0) 0.83; target >= 0.75")
    print(f"{'attribution (content + speaker)':34}{ap_:7.3f}{ar:7.3f}{af:8.4f}  BBC Citron source F1 0.82;"
          f" GenderGapTracker quote F1 0.84; target >= 0.70")
    if direct_n:
        print(f"{'direct quotes: speaker accuracy':34}{direct_ok / direct_n:21.3f}   ({direct_ok}/{direct_n} matched); target >= 0.92")


if __name__ == "__main__":
    main()
