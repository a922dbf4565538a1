"""Quality and speed of the per-article fact extractors (time expressions, quantities, claims).

1. Quality on a hand-built set (tests/data/handset_facts.json: 11 FNC-1 bodies, expected facts written by hand, not
   used for tuning): precision/recall of quantities (value + counted + location right) and of times (value right).
2. Throughput on FNC-1 bodies: bare ``nlp.pipe`` vs ``nlp.pipe`` + resolve_times + extract_quantities +
   extract_claims, same process count (1), same texts, same run; prints the ratio (target ≥ 0.7).

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_facts.py [--n 300]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HANDSET = ROOT / "tests" / "data" / "handset_facts.json"
FNC_BODIES = [ROOT.parent / "shared" / "benchmarks" / "fnc1" / "train_bodies.csv",
              Path("/work/shared/benchmarks/fnc1/train_bodies.csv")]


def _load_nlp() -> Any:
    from storyline.nlp.runtime.spacy_model import load_nlp
    return load_nlp()


def _counted_ok(expected: str | None, predicted: str | None) -> bool:
    if expected is None:
        return True
    if not predicted:
        return False
    words = {w.lower().rstrip("s") for w in predicted.replace("-", " ").split()}
    return expected.lower().rstrip("s") in words


def _number_ok(exp: dict[str, Any], q: Any) -> bool:
    def eq(a: float | None, b: float | None) -> bool:
        return a is not None and b is not None and abs(a - b) <= 1e-6 * max(1.0, abs(a))
    if "low" in exp:
        return eq(exp["low"], q.low) and eq(exp["high"], q.high)
    return eq(exp["value"], q.value)


def _location_ok(expected: list[str] | None, predicted: str | None) -> bool:
    if expected is None:
        return predicted is None
    return predicted is not None and predicted.lower() in {e.lower() for e in expected}


def _calendar(t: Any) -> str | None:
    """The calendar date a DATE (or a day's part: 'Thursday morning') names: what the hand-built set writes down;
    clock times were never written down there."""
    from storyline.nlp.numbers.timex_values import calendar_of
    cal = calendar_of(t.value, t.type) if t.type == "DATE" or t.precision == "part of day" else None
    return cal[0] if cal else None


def _ignored(text: str, start: int, end: int, ignore: list[str]) -> bool:
    for s in ignore:
        pos = text.find(s)
        while pos >= 0:
            if start < pos + len(s) and pos < end:
                return True
            pos = text.find(s, pos + 1)
    return False


def _nth(text: str, sub: str, n: int) -> int:
    pos = -1
    for _ in range(n + 1):
        pos = text.find(sub, pos + 1)
        if pos < 0:
            raise ValueError(f"{sub!r} occurrence {n} not in text")
    return pos


def score_handset(nlp: Any) -> dict[str, float]:
    """Precision/recall/F1 of quantities and times on the hand-built set; greedy one-to-one matching."""
    from storyline.nlp.numbers.quantities import extract_quantities
    from storyline.nlp.numbers.timex import resolve_times

    data = json.loads(HANDSET.read_text(encoding="utf-8"))
    tq = mq_p = mq_e = pq = 0
    mt_p = mt_e = pt = tt = 0
    for body in data["bodies"]:
        text, pub = body["text"], date.fromisoformat(body["published"])
        doc = nlp(text)
        times = resolve_times(doc, pub, None)
        quants = extract_quantities(doc, str(body["body_id"]), times, pub)
        preds = [q for q in quants if not _ignored(text, q.start, q.end, body["ignore"])]
        pq += len(preds)
        tq += len(body["quantities"])
        used: set[int] = set()
        for exp in body["quantities"]:
            for k, q in enumerate(preds):
                if k not in used and _number_ok(exp, q) and _counted_ok(exp["counted"], q.counted) \
                        and _location_ok(exp["location"], q.location):
                    used.add(k)
                    mq_e += 1
                    break
        mq_p += len(used)
        tpreds = [t for t in times if _calendar(t) and not _ignored(text, t.start, t.end, body["ignore"])]
        pt += len(tpreds)
        tt += len(body["times"])
        tused: set[int] = set()
        for exp in body["times"]:
            s = _nth(text, exp["text"], exp["n"])
            e = s + len(exp["text"])
            for k, t in enumerate(tpreds):
                if k not in tused and t.start < e and s < t.end and _calendar(t) == exp["value"]:
                    tused.add(k)
                    mt_e += 1
                    break
        mt_p += len(tused)

    def prf(mp: int, p: int, me: int, e: int) -> tuple[float, float, float]:
        prec, rec = (mp / p if p else 1.0), (me / e if e else 1.0)
        return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)

    qp, qr, qf = prf(mq_p, pq, mq_e, tq)
    tp_, tr, tf = prf(mt_p, pt, mt_e, tt)
    return {"quantity_precision": qp, "quantity_recall": qr, "quantity_f1": qf, "quantities_expected": tq,
            "quantities_predicted": pq, "time_precision": tp_, "time_recall": tr, "time_f1": tf,
            "times_expected": tt, "times_predicted": pt}


def _fnc_texts(n: int) -> list[str]:
    path = next((p for p in FNC_BODIES if p.is_file()), None)
    if path is None:
        sys.exit("FNC-1 bodies not found (expected ../shared/benchmarks/fnc1/train_bodies.csv)")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [r["articleBody"] for r in rows[:n]]


def throughput(nlp: Any, texts: list[str], repeats: int = 2) -> dict[str, float]:
    """Docs/s of bare nlp.pipe and of nlp.pipe + the three extractors, interleaved runs, best of ``repeats``."""
    from storyline.nlp.claims.extract import extract_claims
    from storyline.nlp.numbers.quantities import extract_quantities
    from storyline.nlp.numbers.timex import resolve_times

    anchor = date(2015, 1, 15)
    chars = sum(len(t) for t in texts)
    bare_best = full_best = float("inf")
    n_claims = n_quants = n_times = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        bare_best = min(bare_best, time.perf_counter() - t0)
        t0 = time.perf_counter()
        n_claims = n_quants = n_times = 0
        for i, doc in enumerate(nlp.pipe(texts, batch_size=32)):
            times = resolve_times(doc, anchor, None)
            quants = extract_quantities(doc, str(i), times, anchor)
            claims = extract_claims(doc, str(i), [], times, None)
            n_times, n_quants, n_claims = n_times + len(times), n_quants + len(quants), n_claims + len(claims)
        full_best = min(full_best, time.perf_counter() - t0)
    # The extractors alone on parsed docs: less sensitive to a busy machine than the end-to-end ratio.
    docs = list(nlp.pipe(texts, batch_size=32))
    t0 = time.perf_counter()
    for i, doc in enumerate(docs):
        times = resolve_times(doc, anchor, None)
        extract_quantities(doc, str(i), times, anchor)
        extract_claims(doc, str(i), [], times, None)
    extract_s = time.perf_counter() - t0
    return {"docs": len(texts), "chars": chars, "bare_docs_per_s": len(texts) / bare_best,
            "full_docs_per_s": len(texts) / full_best, "ratio": bare_best / full_best,
            "parse_ms_per_doc": 1000 * bare_best / len(texts), "extract_ms_per_doc": 1000 * extract_s / len(texts),
            "times": n_times, "quantities": n_quants, "claims": n_claims}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=300, help="FNC-1 bodies for the throughput run")
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    nlp = _load_nlp()
    s = score_handset(nlp)
    print(f"hand-built set (11 FNC-1 bodies): quantities P={s['quantity_precision']:.3f} R={s['quantity_recall']:.3f} "
          f"F1={s['quantity_f1']:.3f} ({s['quantities_predicted']} predicted / {s['quantities_expected']} expected)")
    print(f"hand-built set: times P={s['time_precision']:.3f} R={s['time_recall']:.3f} F1={s['time_f1']:.3f} "
          f"({s['times_predicted']} predicted / {s['times_expected']} expected)")
    t = throughput(nlp, _fnc_texts(args.n), args.repeats)
    print(f"throughput on {t['docs']} FNC-1 bodies ({t['chars']} chars), 1 process: bare nlp.pipe "
          f"{t['bare_docs_per_s']:.1f} docs/s; + timex/quantities/claims {t['full_docs_per_s']:.1f} docs/s; "
          f"ratio {t['ratio']:.3f} (target >= 0.7)  [{t['times']} times, {t['quantities']} quantities, "
          f"{t['claims']} claims]")
    print(f"extractors alone on parsed docs: {t['extract_ms_per_doc']:.1f} ms/doc vs parse {t['parse_ms_per_doc']:.1f} "
          f"ms/doc (implied ratio {t['parse_ms_per_doc'] / (t['parse_ms_per_doc'] + t['extract_ms_per_doc']):.3f})")


if __name__ == "__main__":
    main()
