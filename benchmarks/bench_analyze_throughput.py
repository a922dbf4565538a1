"""Throughput of the full `analyze` (ingest, clean, per-article NLP, store, corpus stages) against bare spaCy
`nlp.pipe` with the same number of processes on the same texts, measured in the same run.

The parse is the floor of the cost; everything storyline adds should be small beside it.
Targets: whole analyze ≥ 0.8× (issue 17; was ≥ 0.6, issue 7), per-article stages ≥ 0.7× (issue 3).

    .venv/bin/python benchmarks/bench_analyze_throughput.py [--sizes 400 2000] [--workers 2] [--rounds 3]
    .venv/bin/python benchmarks/bench_analyze_throughput.py --t17 --sizes 1099 --rounds 3     # the T17 dev articles
    ... --baseline-src /path/to/other/tree/src     # also time analyze from another tree, in the same rounds

Every side runs in a fresh process (``sys.executable``; bare spaCy with ``n_process`` workers, ``analyze`` with its
pool), and two figures are kept for each:
* **wall time**, which on a shared machine is whatever the other processes leave over; and
* **CPU time of the whole process tree** (user + system of the process and of every descendant it waited for:
  ``getrusage(RUSAGE_CHILDREN)`` before and after the subprocess). Load from other processes barely moves it (a
  loaded core runs slower caches and more context switches, not more of our instructions), so on a shared machine
  **the CPU ratio is the figure to read**; the wall ratio is what a user on an idle machine would see.

Each side is measured twice: strict (bare spaCy from its model loaded, its workers forked from the loaded process;
``analyze`` from its call, driver imports excluded, its workers' start-up and model loads included), and cold (each
from the start of its process: imports and model loads on both sides, interpreter start-up included in CPU).
The ratios are bare ÷ analyze: above 1 would be analyze faster than the bare parse.

With ``--rounds R`` the runs alternate R times (bare, analyze, [baseline analyze,] bare, analyze, …) and the fastest
of each is kept, so a burst of load from other processes does not land on one side only.

``--profile N`` instead runs one whole ``analyze`` of the first N texts in-process (``--workers 1``, so the
per-article stages run in the profiled process) under cProfile and prints the costliest functions by cumulative time
beside the parse (docs/scaling.md keeps the table). cProfile inflates Python-heavy code 2-3x against native code
(the parse, MiniLM): read the shares, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

FNC_BODIES = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "fnc1" / "train_bodies.csv"


def load_bodies(n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with open(FNC_BODIES, encoding="utf-8") as fh:
        rows = [r["articleBody"] for r in csv.DictReader(fh)]
    bodies = [b for b in rows if len(b.split()) >= 50]
    return bodies[:n]


def load_t17(n: int) -> list[str]:
    """The texts of the joined T17 dev collections in date order (``t17_corpus.py``; the empty records left out, as
    they are not articles): the issue's real corpus, 1,099 records."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from t17_corpus import T17, records

    names = sorted(p.name for p in T17.iterdir() if (p / "articles.jsonl").exists())
    rows = sorted((r for c in names for r in records(c)), key=lambda r: (r["published"], r["id"]))
    return [r["text"] for r in rows if r["text"].strip()][:n]


def _manifest(folder: Path, texts: list[str]) -> Path:
    """The texts as one JSONL input, in order."""
    manifest = folder / "corpus.jsonl"
    with open(manifest, "w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": str(i), "text": text}) + "\n")
    return manifest


# Each child prints one JSON line: its wall seconds from its first statement (``t0``) and from where the strict
# figure starts, and its own CPU seconds (user + system) spent before the strict figure starts.
_PRELUDE = """
import json, resource, sys, time
t0 = time.perf_counter()
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
"""

_BARE = _PRELUDE + """
from storyline.nlp.runtime.spacy_model import load_nlp
nlp = load_nlp(stock=True)   # spaCy's own components: the anchor is stock spaCy (fast_components)
texts = json.load(open(sys.argv[1], encoding="utf-8"))
t1, c1 = time.perf_counter(), cpu()
for _ in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2])):
    pass
t2 = time.perf_counter()
print(json.dumps({"cold": t2 - t0, "strict": t2 - t1, "pre_cpu": c1}))
"""

_ANALYZE = _PRELUDE + """
from pathlib import Path
from storyline.config import Settings
from storyline.pipeline import analyze
tmp = Path(sys.argv[2])
settings = Settings(db=str(tmp / "s.db"), out=str(tmp / "out"), workers=int(sys.argv[3]))
last = {}
def progress(stage, done, total):
    last[stage] = time.perf_counter()
t1, c1 = time.perf_counter(), cpu()
summary = analyze([sys.argv[1]], settings, progress)
t2 = time.perf_counter()
assert not summary.failed and not summary.nlp_failures and not summary.corpus_errors, (
    summary.failed[:3], summary.nlp_failures[:3], summary.corpus_errors)
print(json.dumps({"cold": t2 - t0, "strict": t2 - t1, "pre_cpu": c1, "ingest": last["ingest"] - t1,
                  "understand": last["understand"] - t1, "corpus": t2 - last["understand"]}))
"""


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run_child(code: str, args: list[str], src: str | None = None) -> dict[str, float]:
    """Run ``code`` in a fresh interpreter (``src``: a storyline source tree put first on its path); its JSON line,
    plus ``cpu_cold`` (CPU of its whole process tree) and ``cpu_strict`` (that less what it spent before the strict
    figure starts) and the load average before and after."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    load0 = os.getloadavg()[0]
    before = _children_cpu()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)
    if out.returncode:      # e.g. an article over its time budget on a very loaded machine: say so, do not guess
        sys.exit(f"a benchmark child failed (exit {out.returncode}; PYTHONPATH={src or 'as installed'}):\n"
                 + "\n".join(out.stderr.strip().splitlines()[-15:]))
    tree = _children_cpu() - before
    got: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    got.update(cpu_cold=tree, cpu_strict=tree - got["pre_cpu"], load=max(load0, os.getloadavg()[0]))
    return got


def bare_spacy(texts_json: Path, workers: int) -> dict[str, float]:
    return _run_child(_BARE, [str(texts_json), str(workers)])


def full_analyze(manifest: Path, workers: int, src: str | None = None) -> dict[str, float]:
    """A real ``storyline.pipeline.analyze`` run (what the CLI calls) in a fresh process, on a fresh store. Ingest and
    the per-article NLP overlap (batches leave while later inputs are read, and the workers load their models
    meanwhile), so ``understand`` is the span from the call to the last batch stored, ingest included; ``ingest``
    is where the last input was recorded; ``corpus`` the rest."""
    with tempfile.TemporaryDirectory() as tmp:
        return _run_child(_ANALYZE, [str(manifest), tmp, str(workers)], src)


PROFILED = [   # (label, part of the file name, end of "(function)") of the rows worth reading, in pipeline order
    ("whole analyze", "pipeline.py:", "(analyze)"),
    ("ingest (read, clean, metadata, dedup, store)", "pipeline.py:", "(_ingest_one)"),
    ("  language detection", "language.py:", "(detect_language)"),
    ("per-article batches (analyze_batch)", "nlp/pipeline.py:", "(analyze_batch)"),
    ("  spaCy parse (parse_guarded)", "nlp/pipeline.py:", "(parse_guarded)"),
    ("  per-article analysis (analyze_doc)", "nlp/pipeline.py:", "(analyze_doc)"),
    ("    quotes", "quotes/extract.py:", "(extract_quotes)"),
    ("      learned attribution", "quotes/learned.py:", "(with_learned)"),
    ("    claims", "claims/extract.py:", "(extract_claims)"),
    ("    entities", "entities/extract.py:", "(extract_entities)"),
    ("    times", "timex.py:", "(resolve_times)"),
    ("    quantities", "quantities.py:", "(extract_quantities)"),
    ("  MiniLM lead embeddings (lead_vectors)", "nlp/pipeline.py:", "(lead_vectors)"),
    ("storing facts and passages (put_facts)", "sqlite.py:", "(put_facts)"),
    ("corpus stages (run_all)", "corpus.py:", "(run_all)"),
    ("  claim alignment (align)", "align.py:", "(align)"),
    ("    MiniLM on alignment-block claims", "align.py:", "(embed_refs)"),
    ("  corpus view (load_view)", "view.py:", "(load_view)"),
    ("  story clustering (cluster)", "stories.py:", "(cluster)"),
    ("  event refinement (refine)", "events.py:", "(refine)"),
    ("all MiniLM runs (onnxruntime)", "onnxruntime", "_state.run>)"),
]


def profile(n: int, t17: bool = False) -> None:
    """One whole in-process ``analyze`` (1 worker) under cProfile: the rows of PROFILED, then the functions that cost
    most in their own code."""
    import cProfile
    import pstats
    import tempfile

    from storyline.config import Settings
    from storyline.nlp.runtime.embed import get_embedder
    from storyline.pipeline import analyze

    texts = load_t17(n) if t17 else load_bodies(n)
    get_embedder()._cache.clear()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _manifest(Path(tmp), texts)
        settings = Settings(db=str(Path(tmp) / "s.db"), out=str(Path(tmp) / "out"), workers=1)
        prof = cProfile.Profile()
        prof.enable()
        analyze([str(manifest)], settings)
        prof.disable()
    cum = {f"{file}:{line}({fn})": row[3] for (file, line, fn), row in pstats.Stats(prof).stats.items()}  # type: ignore[attr-defined]
    rows = []
    for label, where, name in PROFILED:
        got = [v for k, v in cum.items() if where in k and k.endswith(name)]
        rows.append((label, max(got) if got else 0.0))
    total = rows[0][1] or 1.0
    parse = rows[4][1] or 1.0
    print(f"cProfile of one whole analyze, {len(texts)} {'T17 articles' if t17 else 'FNC-1 bodies'}, 1 worker (in-process)")
    print(f"{'':48} {'cum s':>8} {'% whole':>8} {'x parse':>8}")
    for label, sec in rows:
        print(f"{label:48} {sec:8.2f} {100 * sec / total:7.1f}% {sec / parse:8.3f}")
    print("\nfunctions by own time:")
    pstats.Stats(prof).sort_stats("tottime").print_stats(15)


def _best(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest of the rounds, per figure (wall and CPU each at their own minimum)."""
    return {k: min(r[k] for r in runs) for k in runs[0]}


PYSPY_ROWS = [   # (label, process role or "" for both, part of the file name, function) of a py-spy record's rows
    ("workers, all", "worker", "", ""),
    ("  start-up (spawn, imports, model loads)", "worker", "-", "run_and_trim"),
    ("  spaCy parse (parse_guarded)", "worker", "nlp/pipeline.py", "parse_guarded"),
    ("  per-article analysis (analyze_doc)", "worker", "nlp/pipeline.py", "analyze_doc"),
    ("    quotes", "worker", "quotes/extract.py", "extract_quotes"),
    ("      learned attribution", "worker", "quotes/learned.py", "with_learned"),
    ("    claims", "worker", "claims/extract.py", "extract_claims"),
    ("    entities", "worker", "entities/extract.py", "extract_entities"),
    ("    times", "worker", "timex.py", "resolve_times"),
    ("    quantities", "worker", "quantities.py", "extract_quantities"),
    ("  MiniLM lead embeddings (lead_vectors)", "worker", "nlp/pipeline.py", "lead_vectors"),
    ("driver, all", "driver", "", ""),
    ("  ingest (read, clean, metadata, dedup, store)", "driver", "storyline/pipeline.py", "_ingest_one"),
    ("    language detection", "driver", "language.py", "detect_language"),
    ("  storing facts and passages (put_facts)", "driver", "sqlite.py", "put_facts"),
    ("  corpus stages (run_all)", "driver", "corpus.py", "run_all"),
    ("  MiniLM on corpus-stage texts (driver threads)", "driver", "embed.py", "one"),
    ("all MiniLM runs (onnxruntime)", "", "onnxruntime", "run"),
]


def pyspy_table(raw: str) -> None:
    """The rows of PYSPY_ROWS from a py-spy record of a whole run (``py-spy record --subprocesses -f raw``): each
    row's share of all samples of the process tree and its size beside the parse. py-spy samples the processes from
    outside, so unlike cProfile it does not slow Python code against native code: its shares are shares of CPU time
    (native code counts in the Python function that called it). A file part of "-" counts the samples without it."""
    import re

    frame = re.compile(r"^(?P<fn>.*) \((?P<file>.*?):\d+\)$")
    counts = [0] * len(PYSPY_ROWS)
    total = 0
    with open(raw, encoding="utf-8") as fh:
        for line in fh:
            stack, n_s = line.rstrip("\n").rsplit(" ", 1)
            n = int(n_s)
            parts = stack.split(";")
            total += n
            role = "worker" if any(p.startswith("process ") and "spawn_main" in p for p in parts) else "driver"
            frames = [(m["file"], m["fn"].rsplit(".", 1)[-1]) for p in parts if (m := frame.match(p))]
            for k, (_, who, where, fn) in enumerate(PYSPY_ROWS):
                if who and who != role:
                    continue
                found = not fn or any(where.lstrip("-") in file and f == fn for file, f in frames)
                counts[k] += n if found != where.startswith("-") else 0
    parse = counts[2] or 1
    print(f"py-spy record of one whole analyze: {total} samples of the process tree")
    print(f"{'':48} {'samples':>8} {'% all':>7} {'x parse':>8}")
    for (label, _, _, _), c in zip(PYSPY_ROWS, counts, strict=True):
        print(f"{label:48} {c:8d} {100 * c / max(1, total):6.1f}% {c / parse:8.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[400])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline-src", metavar="DIR",
                    help="also time analyze from this storyline source tree (its src/), alternating in the same rounds")
    ap.add_argument("--profile", type=int, metavar="N", help="profile one in-process analyze of N texts instead")
    ap.add_argument("--pyspy-table", metavar="RAW", help="print the profile rows of a py-spy raw record instead")
    ap.add_argument("--t17", action="store_true", help="the T17 dev articles (1,084 with text) instead of FNC-1 bodies")
    args = ap.parse_args()
    if args.profile:
        profile(args.profile, args.t17)
        return
    if args.pyspy_table:
        pyspy_table(args.pyspy_table)
        return
    corpus = "T17 dev articles, date order" if args.t17 else "FNC-1 bodies of >= 50 words"
    sides = [("analyze", None)] + ([("baseline", args.baseline_src)] if args.baseline_src else [])
    for n in args.sizes:
        texts = load_t17(n) if args.t17 else load_bodies(n)
        words = sum(len(t.split()) for t in texts)
        bare_runs: list[dict[str, float]] = []
        runs: dict[str, list[dict[str, float]]] = {name: [] for name, _ in sides}
        with tempfile.TemporaryDirectory() as tmp:
            texts_json = Path(tmp) / "texts.json"
            texts_json.write_text(json.dumps(texts), encoding="utf-8")
            manifest = _manifest(Path(tmp), texts)
            for _ in range(max(1, args.rounds)):
                bare_runs.append(bare_spacy(texts_json, args.workers))
                for name, src in sides:
                    runs[name].append(full_analyze(manifest, args.workers, src))
        bare = _best(bare_runs)
        loads = [r["load"] for r in bare_runs + [r for v in runs.values() for r in v]]
        print(f"{corpus}: {len(texts)} texts, {words} words, {args.workers} workers, best of {max(1, args.rounds)} "
              f"alternating rounds (1-min load average {min(loads):.1f}-{max(loads):.1f})")
        print(f"  {'':22} {'wall s strict':>14} {'wall s cold':>12} {'CPU s strict':>13} {'CPU s cold':>11}")
        print(f"  {'bare spaCy':22} {bare['strict']:>14.1f} {bare['cold']:>12.1f} {bare['cpu_strict']:>13.1f} "
              f"{bare['cpu_cold']:>11.1f}   ({words / bare['strict']:.0f} words/s)")
        for name, _ in sides:
            t = _best(runs[name])
            print(f"  {name:22} {t['strict']:>14.1f} {t['cold']:>12.1f} {t['cpu_strict']:>13.1f} {t['cpu_cold']:>11.1f}"
                  f"   (last input read at {t['ingest']:.1f}s, last batch stored at {t['understand']:.1f}s, "
                  f"corpus {t['corpus']:.1f}s)")
            print(f"  {'  ratio bare/' + name:22} {bare['strict'] / t['strict']:>14.2f} {bare['cold'] / t['cold']:>12.2f} "
                  f"{bare['cpu_strict'] / t['cpu_strict']:>13.2f} {bare['cpu_cold'] / t['cpu_cold']:>11.2f}"
                  f"   per-article stages (wall, strict): {bare['strict'] / t['understand']:.2f}")
        print(flush=True)
    print("target: whole analyze >= 0.8x bare spaCy (issue 17); per-article stages >= 0.7x (issue 3); same texts, same "
          "number of processes.\nRead the CPU ratios on a shared machine (CPU of each whole process tree, which other "
          "processes' load barely moves); the wall ratios are what an idle machine shows.\nstrict: bare spaCy from its "
          "loaded model, analyze from its call (worker start-up included); cold: both from their process start.")


if __name__ == "__main__":
    main()
