"""Quality gate: the benchmark figures quick enough for every test run, each against the floor pinned for it in
``benchmarks/data/quality_floors.json`` (as trafilatura's evaluation gate pins its scores). A figure below its floor
fails the gate; raise a floor when a change lifts its figure for good, and lower one only with the reason in the
commit that does it.

    .venv/bin/python benchmarks/quality_gate.py            # every figure, its floor, and pass/FAIL; exit 1 on a FAIL
    make quality                                            # the same

``tests/guards/test_quality_gate.py`` runs the same figures in ``make test``. The figures are computed here by the same
scoring as the full benchmarks they come from (named per figure in the floors file), on their quick parts:
- ``dates_accuracy``: ``find_published_date`` (HTML + URL) on the htmldate evaluation's 332 dev pages (bench_dates.py);
- ``extraction_f1``: ``storyline extract``'s body text on the Zyte benchmark's dev pages, shingle F1 (bench_extraction.py);
- ``handset_quantity_f1``, ``handset_time_f1``: the hand-built fact set (bench_facts.py part 1; loads spaCy).
The first two read ``../shared/benchmarks``; where it is missing they are reported as skipped, not passed.
"""

from __future__ import annotations

import functools
import gzip
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))
FLOORS = HERE / "data" / "quality_floors.json"
SHARED = HERE.parent.parent / "shared" / "benchmarks"


class MissingData(Exception):
    """The figure's data is not on this machine (the shared benchmark folder)."""


def _need(path: Path) -> Path:
    if not path.exists():
        raise MissingData(f"{path} not found (the shared benchmark data)")
    return path


def dates_accuracy() -> float:
    import logging

    from bench_dates import decode
    from storyline.meta.html_dates import find_published_date

    data = _need(SHARED / "htmldate_eval")
    gold = json.loads((data / "gold_dev.json").read_text("utf-8"))
    logging.disable(logging.WARNING)
    try:
        right = 0
        for url, g in sorted(gold.items()):
            value, _basis = find_published_date(decode(gzip.decompress((data / "html" / g["file"]).read_bytes())), url)
            right += (value.isoformat() if value else None) == g["date"]
    finally:
        logging.disable(logging.NOTSET)
    return right / len(gold)


def extraction_f1() -> float:
    from bench_extraction import doc_counts, score, write_manifests
    from storyline.api import extract
    from storyline.config import Settings

    data = _need(SHARED / "article_extraction_benchmark")
    gold = json.loads((data / "ground-truth-dev.json").read_text("utf-8"))
    with tempfile.TemporaryDirectory(prefix="quality_gate_") as tmp:
        whole, _single, _rows = write_manifests(data, Path(tmp))
        out = {rec.get("id"): rec.get("text", "") for rec in extract([str(whole)], Settings())}
    return score([doc_counts(gold[k]["articleBody"], out.get(k) or "") for k in gold])[0]


@functools.cache
def _handset() -> dict[str, float]:
    from bench_facts import _load_nlp, score_handset

    return score_handset(_load_nlp())


def handset_quantity_f1() -> float:
    return _handset()["quantity_f1"]


def handset_time_f1() -> float:
    return _handset()["time_f1"]


FIGURES: dict[str, Callable[[], float]] = {
    "dates_accuracy": dates_accuracy,
    "extraction_f1": extraction_f1,
    "handset_quantity_f1": handset_quantity_f1,
    "handset_time_f1": handset_time_f1,
}


def floors() -> dict[str, dict[str, object]]:
    """The pinned floors: figure → {floor, measured (when pinned), source (the full benchmark)}."""
    table = json.loads(FLOORS.read_text("utf-8"))
    unknown = set(table) - set(FIGURES)
    if unknown:
        raise SystemExit(f"{FLOORS}: no figure named {', '.join(sorted(unknown))}; known: {', '.join(FIGURES)}")
    return table


def check(name: str) -> tuple[float, float]:
    """(figure, floor) for one pinned figure; raises MissingData when its data is absent."""
    floor = float(floors()[name]["floor"])  # type: ignore[arg-type]
    return FIGURES[name](), floor


def main() -> int:
    failed = 0
    print(f"{'figure':22s} {'value':>7s} {'floor':>7s}")
    for name in floors():
        try:
            value, floor = check(name)
        except MissingData as exc:
            print(f"{name:22s} skipped: {exc}")
            continue
        ok = value >= floor
        failed += not ok
        print(f"{name:22s} {value:7.4f} {floor:7.4f}  {'pass' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
