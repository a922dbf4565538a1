"""Scaling of the cross-document stages (``xdoc.corpus.run_all``) on 1k, 5k and 20k articles.

Articles are real news bodies from FNC-1 ``train_bodies.csv`` (1,683 bodies): the first pass uses them as they are,
later passes splice the first half of one body onto the second half of another, so every article is a distinct real
text; 10 % are planted near-duplicates (a copy of an earlier article with a changed first sentence and a
re-publication footer) that the syndication stage must group. Facts come from a cheap deterministic pass (regex
names, sentence claims with a verb from a small list, "N things in Place" quantities, years), so the benchmark
measures the corpus stages, not spaCy. Each size runs in a fresh process on a store built beforehand (cached under
/tmp); the figure is the wall time and peak RSS of ``run_all`` (loading the view, all stages, writing the documents).

Leads and claims are embedded by a deterministic hashing stand-in unless ``--minilm`` is given: MiniLM costs a
fixed time per text (linear by construction) and would dominate the figure on 2 shared cores.

Target (issue 4): 20x the articles in at most 30x the time.
Measured 2026-11-22 (2 cores shared, load ~5): 1k 9.6 s / 467 MB, 5k 43.1 s / 793 MB, 20k 187.3 s / 1904 MB:
20x articles -> 19.6x time, 4.1x peak memory. With --minilm, 1k took 145 s, 87 s of it embedding the leads.

Against an earlier commit (issue 14: corpus stages on 1,500 articles at most 1.20x the time of 2083f12), measured
in the same run, rounds alternating, best of each printed beside the other in wall and CPU time (CPU time is what a
machine shared with other work distorts least):
      OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_xdoc_scaling.py --sizes 1500 --against 2083f12 --rounds 3
The earlier tree is checked out as a git worktree under /tmp and builds its own store (its own store schema).

Run:  OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_xdoc_scaling.py            (~6 min first run)
      OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/bench_xdoc_scaling.py --sizes 1000 5000 --minilm
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zlib
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# A child measuring an earlier commit imports that tree's code (``--against``), and keeps its stores apart.
SRC = Path(os.environ.get("STORYLINE_BENCH_SRC") or REPO / "src")
sys.path.insert(0, str(SRC))

import numpy as np  # noqa: E402

from storyline.model import Article, Claim, Entity, Quantity, TimeRef, content_id  # noqa: E402

BODIES = Path("/work/shared/benchmarks/fnc1/train_bodies.csv")
CACHE = Path(os.environ.get("STORYLINE_BENCH_CACHE") or "/tmp/storyline_xdoc_scaling")
OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
_NAME = re.compile(r"\b([A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\b")
_QTY = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+([a-z]+s)\b(?:[^.]*?\bin\s+([A-Z][a-z]+))?")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")
_VERBS = ("withdraw leave stay remain keep increase rise fall cut support oppose reject deny confirm agree refuse "
          "ban allow launch end win lose kill die attack claim announce report find show warn arrest release "
          "say said says told").split()
_VERB_RE = re.compile(r"\b(" + "|".join(sorted(_VERBS, key=len, reverse=True)) + r")(?:s|ed|ing)?\b")
_STOP_NAMES = {"The", "A", "An", "In", "On", "At", "It", "He", "She", "They", "We", "This", "That", "But", "And", "If",
               "As", "For", "After", "When", "While", "His", "Her", "Their", "There", "According", "However", "I"}


def read_bodies() -> list[str]:
    with BODIES.open(encoding="utf-8") as fh:
        return [row["articleBody"].strip() for row in csv.DictReader(fh) if len(row["articleBody"]) > 400]


def make_texts(n: int) -> list[tuple[str, str | None]]:
    """(text, key of the article it copies or None) for n articles: real bodies, splices, planted copies."""
    bodies = read_bodies()
    out: list[tuple[str, str | None]] = []
    j = 0
    while len(out) < n:
        if len(out) >= 10 and len(out) % 10 == 0:
            src = (len(out) * 7919) % len(out)
            text, _ = out[src]
            first, _, rest = text.partition(". ")
            out.append((f"Updated: {first.upper()}. {rest}\n\nThis article was republished from a partner.", str(src)))
            continue
        rnd, i = divmod(j, len(bodies))
        j += 1
        if rnd == 0:
            out.append((bodies[i], None))
        else:
            other = bodies[(i * 31 + rnd * 17) % len(bodies)]
            a, b = bodies[i], other
            out.append((a[: len(a) // 2].rsplit(". ", 1)[0] + ". " + b[len(b) // 2:].split(". ", 1)[-1], None))
    return out


def cheap_facts(aid: str, text: str, published: date) -> dict[str, object]:
    """Deterministic facts in the shapes of model.py, from regular expressions only."""
    ents: dict[str, Entity] = {}
    sentences, claims, quantities, times = [], [], [], []
    pos = 0
    for sent in _SENT.split(text):
        start = text.find(sent, pos)
        end = start + len(sent)
        pos = end
        sentences.append({"start": start, "end": end})
        names = [m for m in _NAME.finditer(sent) if m.group(1) not in _STOP_NAMES]
        for m in names:
            name = m.group(1)
            etype = "person" if " " in name else ("place" if hash_int(name) % 2 else "org")
            e = ents.setdefault(name, Entity(content_id("ent", aid, name), name, etype, [], [aid]))
            e.mentions.append((start + m.start(), start + m.end()))
        for y in _YEAR.finditer(sent):
            times.append(asdict(TimeRef(start + y.start(), start + y.end(), y.group(1), y.group(1), "year", "absolute")))
        v = _VERB_RE.search(sent)
        if v and len(claims) < 15:
            before = [m.group(1) for m in names if m.start() < v.start()]
            after = [m.group(1) for m in names if m.start() > v.end()]
            neg = bool(re.search(r"\b(not|no|never)\b|n't", sent[: v.end() + 20]))
            modality = "predicted" if " will " in sent else "planned" if " plan" in sent else "asserted"
            year = _YEAR.search(sent)
            claims.append(asdict(Claim(content_id("clm", aid, start), aid, start, end, sent, before[-1] if before else None,
                                       v.group(1), after[0] if after else None, not neg, modality,
                                       before[0] if "said" in sent and before else None,
                                       year.group(1) if year else None, "year" if year else None)))
        for q in _QTY.finditer(sent):
            val = float(q.group(1).replace(",", ""))
            quantities.append(asdict(Quantity(content_id("qty", aid, start + q.start()), aid, start + q.start(),
                                              start + q.end(), q.group(0), val, None, None, False, None, q.group(2),
                                              q.group(3), published.isoformat())))
    return {"entities": [asdict(e) for e in ents.values()], "claims": claims, "quantities": quantities,
            "times": times, "quotes": [], "sentences": sentences}


def hash_int(s: str) -> int:
    return int(content_id("h", s)[2:10], 16)


def build_store(n: int) -> Path:
    from storyline.ingest.dedup import NearDuplicateIndex, signature, to_bytes
    from storyline.store import Store

    path = CACHE / f"scaling_{n}.db"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    for p in tmp.parent.glob(tmp.name + "*"):
        p.unlink()
    index = NearDuplicateIndex(0.9)
    with Store(str(tmp)) as store:
        for k, (text, _copy) in enumerate(make_texts(n)):
            aid = content_id("art", k, text)
            published = date(2014, 6, 1) + timedelta(days=(k * 37) % 400)
            mh = signature(text)
            near = index.find(mh)
            if near is None:
                index.add(aid, mh)
            title = text.split(". ", 1)[0][:120]
            art = Article(id=aid, source=f"fnc1-{k}", text=text, title=title, outlet=OUTLETS[hash_int(text) % 40],
                          published=published, genre="opinion" if k % 10 == 3 else "news",
                          duplicate_of=near[0] if near else None)
            store.add_article(art, to_bytes(mh))
            store.put_facts(aid, "cheap", cheap_facts(aid, text, published))
            if k % 500 == 0:
                store.commit()
        store.commit()
    tmp.rename(path)
    return path


def hashing_embed(texts: list[str]) -> np.ndarray:
    """Deterministic stand-in for MiniLM: signed hashed word unigrams and bigrams, L2-normalised, 384 dims."""
    out = np.zeros((len(texts), 384), dtype=np.float32)
    for i, t in enumerate(texts):
        words = re.findall(r"\w+", t.lower())
        for w in words + [a + " " + b for a, b in zip(words, words[1:], strict=False)]:
            h = zlib.crc32(w.encode())
            out[i, h % 384] += 1.0 if (h >> 9) & 1 else -1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.clip(norms, 1e-9, None)


def run_one(n: int, minilm: bool) -> dict[str, object]:
    """Child process: run the corpus stages once on the store for n articles and report time and peak memory."""
    from storyline.config import Settings
    from storyline.store import Store
    from storyline.xdoc import corpus

    path = build_store(n)
    work = CACHE / f"run_{n}.db"
    for p in CACHE.glob(f"run_{n}.db*"):
        p.unlink()
    shutil.copyfile(path, work)         # streamed: reading the store into memory would count in the peak RSS
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    stage_rss: dict[int, float] = {}

    def progress(stage: str, done: int, total: int | None) -> None:   # peak RSS so far, after each corpus stage
        stage_rss[done] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

    with Store(str(work)) as store:
        if not minilm:
            orig = corpus.analyse
            corpus.analyse = lambda view, settings=None, **kw: orig(view, settings, embed=hashing_embed, **kw)  # type: ignore[assignment]
        t0, c0 = time.perf_counter(), time.process_time()
        report = corpus.run_all(store, Settings(db=str(work)), progress)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        dups = store.conn.execute("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"n": n, "seconds": secs, "cpu_seconds": cpu, "peak_rss_mb": rss / 1024, "rss_before_mb": rss0 / 1024, "duplicates": dups,
            **{k: report[k] for k in ("stories", "events", "entities", "propositions", "relations", "timeline")},
            "stages": report["seconds"], "peak_rss_after_stage_mb": stage_rss}


def against_tree(ref: str) -> tuple[Path, Path]:
    """(src, cache) of a worktree of an earlier commit, made once under /tmp."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", ref], check=True, capture_output=True,
                         text=True).stdout.strip()
    tree = Path(f"/tmp/storyline_xdoc_against_{sha}")
    if not (tree / "src").is_dir():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), sha], check=True,
                       capture_output=True)
    return tree / "src", Path(f"/tmp/storyline_xdoc_scaling_{sha}")


def run_child(n: int, minilm: bool, src: Path | None = None, cache: Path | None = None) -> dict[str, object]:
    env = dict(os.environ)
    if src is not None and cache is not None:
        env.update(STORYLINE_BENCH_SRC=str(src), STORYLINE_BENCH_CACHE=str(cache))
    cmd = [sys.executable, __file__, "--child", str(n)] + (["--minilm"] if minilm else [])
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def compare(n: int, ref: str, rounds: int, minilm: bool) -> None:
    """This tree against ``ref`` on n articles, rounds alternating; best of each, in wall and CPU seconds."""
    src, cache = against_tree(ref)
    runs: dict[str, list[dict[str, object]]] = {"this tree": [], ref: []}
    for r in range(rounds):
        order = [("this tree", None, None), (ref, src, cache)]
        for name, s, c in order if r % 2 == 0 else order[::-1]:
            res = run_child(n, minilm, s, c)
            runs[name].append(res)
            print(f"  round {r + 1} {name:>10}: wall {res['seconds']:6.1f}s  cpu {res['cpu_seconds']:6.1f}s  relations "
                  f"{res['relations']}  stages " + " ".join(f"{k}={v:.1f}" for k, v in res["stages"].items()),
                  flush=True)
    best = {name: (min(float(x["seconds"]) for x in rs), min(float(x["cpu_seconds"]) for x in rs))
            for name, rs in runs.items()}
    (w1, c1), (w0, c0) = best["this tree"], best[ref]
    print(f"{n} articles, best of {rounds}: this tree wall {w1:.1f}s cpu {c1:.1f}s | {ref} wall {w0:.1f}s cpu "
          f"{c0:.1f}s | ratio wall {w1 / w0:.2f}x, cpu {c1 / c0:.2f}x   | target (issue 14): <= 1.20x")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--minilm", action="store_true", help="embed with the shipped MiniLM instead of the stand-in")
    ap.add_argument("--against", metavar="COMMIT", help="also time this earlier commit's corpus stages, alternating")
    ap.add_argument("--rounds", type=int, default=3, help="alternating rounds with --against (best of each)")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args.child, args.minilm)))
        return
    if args.against:
        for n in args.sizes:
            compare(n, args.against, args.rounds, args.minilm)
        return
    rows = []
    for n in args.sizes:
        t0 = time.perf_counter()
        build_store(n)
        built = time.perf_counter() - t0
        res = run_child(n, args.minilm)
        rows.append(res)
        stages = " ".join(f"{k}={v:.1f}s" for k, v in res["stages"].items())
        print(f"{n:>6} articles: run_all {res['seconds']:7.1f}s (cpu {res['cpu_seconds']:.1f}s)  peak RSS "
              f"{res['peak_rss_mb']:6.0f} MB  "
              f"(store build {built:.0f}s) | copies {res['duplicates']}, stories {res['stories']}, events "
              f"{res['events']}, propositions {res['propositions']}, relations {res['relations']}, timeline "
              f"{res['timeline']}\n        stages: {stages}\n        peak RSS (MB) before / after stage 1..7: "
              f"{res['rss_before_mb']:.0f} / {' '.join(str(v) for v in res['peak_rss_after_stage_mb'].values())}",
              flush=True)
    base = rows[0]
    for r in rows[1:]:
        k = r["n"] / base["n"]
        t = r["seconds"] / base["seconds"]
        m = r["peak_rss_mb"] / base["peak_rss_mb"]
        print(f"{r['n']}/{base['n']}: {k:.0f}x articles -> {t:.1f}x time, {m:.1f}x peak memory"
              + ("   | target: 20x articles <= 30x time" if k == 20 else ""))
    print("embeddings: " + ("MiniLM int8 (shipped)" if args.minilm else "hashing stand-in (MiniLM is linear per text)"))


if __name__ == "__main__":
    main()
