"""Summarised timelines on the shared Timeline17 dev collections, scored as news-tls scores them (tilse).

Protocol (news-tls, ``../shared/benchmarks/t17_dev/README.md``): for each reference timeline, ``l`` = its number of
dates and ``k`` = its average sentences per date (rounded); the input is the collection's articles published
between the reference's first and last date (news-tls on T17: time-span extension 0), and the output at most ``l``
dates with at most ``k`` sentences each. Scores: Date-F1, ROUGE-1/2 of the concatenated timelines, and the
alignment-based ROUGE, many-to-one (AR-1 F, AR-2 F), tilse's original ROUGE-1.5.5 (stemmed, stop words removed),
averaged over timelines. The anchor is DATEWISE on all 17 T17 collections (Gholipour Ghalandari & Ifrim 2020).

Each collection is turned back into ordinary news text (``t17_corpus.py``) and analysed into its own store under
``--cache`` (reused when present; 1-3 minutes per collection on two cores). Then:

    .venv/bin/pip install --group bench                                # tilse (and its ROUGE-1.5.5), once
    .venv/bin/python benchmarks/bench_t17_timeline.py                 # all five collections
    .venv/bin/python benchmarks/bench_t17_timeline.py --whole         # no reference time span: every day is fair game
    .venv/bin/python benchmarks/bench_t17_timeline.py --rouge reimpl  # tilse's faster approximate ROUGE
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from storyline.store import Store  # noqa: E402
from storyline.xdoc.timeline_summary import Params, timeline_summary  # noqa: E402
from t17_corpus import T17  # noqa: E402

ANCHOR = {"method": "DATEWISE (all 17 T17 collections)", "ar1_f": 0.120, "ar2_f": 0.035, "date_f1": 0.544}
TARGET = {"ar1_f": 0.13, "date_f1": 0.58}
_TOKEN = re.compile(r"\w+(?:[-'.]\w+)*|[^\w\s]")


def tokenise(text: str) -> str:
    """Lower-cased word/punctuation tokens, space-separated, as the T17 references are."""
    return " ".join(_TOKEN.findall(text.lower()))


def reference_timelines(collection: str) -> list[dict[datetime.date, list[str]]]:
    out = []
    with open(T17 / collection / "timelines.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            tl: dict[datetime.date, list[str]] = {}
            for d, sents in json.loads(line):       # a date listed twice keeps its last entry, as news-tls reads it
                tl[datetime.date.fromisoformat(d[:10])] = [tokenise(s) for s in sents]
            out.append(tl)
    return out


def ensure_store(collection: str, cache: Path) -> Path:
    folder = cache / collection
    db = folder / "storyline.db"
    if db.exists() and ((folder / "done").exists() or (folder / "report.html").exists()):
        return db
    folder.mkdir(parents=True, exist_ok=True)
    jsonl = folder / "articles.jsonl"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "t17_corpus.py"), "--out", str(jsonl), collection],
                   check=True)
    for p in folder.glob("storyline.db*"):
        p.unlink()
    exe = Path(sys.executable).with_name("storyline")
    rc = subprocess.run([str(exe), "analyze", str(jsonl), "--db", str(db), "--out", str(folder), "--quiet"]).returncode
    if rc not in (0, 1):            # 1: some inputs failed (T17 has a few empty articles); the rest is analysed
        raise SystemExit(f"analyze of {collection} failed with exit status {rc}")
    (folder / "done").touch()
    return db


def score(pred: dict[datetime.date, list[str]], ref: dict[datetime.date, list[str]], evaluator: object) -> dict[str, float]:
    from tilse.data.timelines import GroundTruth, Timeline
    from tilse.evaluation import dates as tilse_dates

    p, g = Timeline(pred), GroundTruth([Timeline(ref)])
    ar = evaluator.evaluate_align_date_content_costs_many_to_one(p, g)  # type: ignore[attr-defined]
    concat = evaluator.evaluate_concat(p, g)  # type: ignore[attr-defined]
    return {"date_f1": tilse_dates.evaluate_dates(p, g)["f_score"],
            "ar1_f": ar["rouge_1"]["f_score"], "ar2_f": ar["rouge_2"]["f_score"],
            "r1_f": concat["rouge_1"]["f_score"], "r2_f": concat["rouge_2"]["f_score"]}


def run(collections: list[str], cache: Path, rouge: str, params: Params, show: bool,
        whole: bool = False) -> list[dict[str, object]]:
    from tilse.evaluation import rouge as tilse_rouge

    evaluator = tilse_rouge.TimelineRougeEvaluator(measures={"rouge_1", "rouge_2"}, rouge_computation=rouge)
    rows = []
    for c in collections:
        db = ensure_store(c, cache)
        with Store(str(db), readonly=True) as store:
            for j, ref in enumerate(reference_timelines(c)):
                dates = sorted(ref)
                l_dates = len(dates)
                k = round(sum(len(s) for s in ref.values()) / len(ref))
                t0 = time.perf_counter()
                res = timeline_summary(store, dates=l_dates, sentences=k, start=None if whole else dates[0],
                                       end=None if whole else dates[-1], params=params)
                secs = time.perf_counter() - t0
                pred = {datetime.date.fromisoformat(e["date"]): [tokenise(s) for s in e["sentences"]]
                        for e in res["timeline"] if e["precision"] == "day"}
                if not pred:
                    sc = {"date_f1": 0.0, "ar1_f": 0.0, "ar2_f": 0.0, "r1_f": 0.0, "r2_f": 0.0}
                else:
                    sc = score(pred, ref, evaluator)
                rows.append({"collection": c, "timeline": j, "l": l_dates, "k": k, "seconds": round(secs, 2), **sc})
                if show:
                    for e in res["timeline"]:
                        mark = "*" if datetime.date.fromisoformat(e["date"][:10]) in ref else " "
                        print(f"  {mark} {e['date']} ({e['sources']} src, {e['score']:.2f}): {e['sentences'][0][:110]}")
                    print("  missed:", ", ".join(str(d) for d in dates if d.isoformat() not in
                                                  {e["date"] for e in res["timeline"]}))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("collections", nargs="*", help="collections (default: the five shared ones)")
    ap.add_argument("--cache", default=str(ROOT / "out" / "t17_tls"), help="one store per collection under here")
    ap.add_argument("--rouge", choices=("original", "reimpl"), default="original")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a Params field")
    ap.add_argument("--show", action="store_true", help="print each predicted timeline")
    ap.add_argument("--whole", action="store_true", help="all articles and days, not the reference's time span")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    names = args.collections or sorted(p.name for p in T17.iterdir() if (p / "timelines.jsonl").exists())
    overrides = {}
    for kv in args.set:
        k, v = kv.split("=", 1)
        default = getattr(Params(), k)
        overrides[k] = type(default)(v)
    params = Params(**overrides)
    rows = run(names, Path(args.cache), args.rouge, params, args.show, args.whole)
    keys = ("date_f1", "ar1_f", "ar2_f", "r1_f", "r2_f")
    mean = {k: sum(float(r[k]) for r in rows) / len(rows) for k in keys}  # type: ignore[arg-type]
    if args.json:
        print(json.dumps({"rows": rows, "mean": mean, "anchor": ANCHOR, "params": overrides}))
        return
    print(f"{'collection':<16}{'tl':>3}{'l':>4}{'k':>3}{'Date-F1':>9}{'AR-1 F':>8}{'AR-2 F':>8}{'R-1 F':>8}{'R-2 F':>8}{'s':>6}")
    for r in rows:
        print(f"{r['collection']:<16}{r['timeline']:>3}{r['l']:>4}{r['k']:>3}{r['date_f1']:>9.3f}{r['ar1_f']:>8.3f}"
              f"{r['ar2_f']:>8.3f}{r['r1_f']:>8.3f}{r['r2_f']:>8.3f}{r['seconds']:>6.1f}")
    print(f"{'mean (' + str(len(rows)) + ' timelines)':<26}{mean['date_f1']:>9.3f}{mean['ar1_f']:>8.3f}"
          f"{mean['ar2_f']:>8.3f}{mean['r1_f']:>8.3f}{mean['r2_f']:>8.3f}")
    print(f"{'anchor ' + ANCHOR['method']:<26}  Date-F1 {ANCHOR['date_f1']:.3f}  AR-1 F {ANCHOR['ar1_f']:.3f}  "
          f"AR-2 F {ANCHOR['ar2_f']:.3f}")
    span = "whole collection" if args.whole else "input and dates within the reference's span, as news-tls"
    print(f"target: AR-1 F >= {TARGET['ar1_f']}, Date-F1 >= {TARGET['date_f1']}  (ROUGE: tilse {args.rouge}; {span})")


if __name__ == "__main__":
    main()
