"""The run summary ``analyze`` prints: as JSON (``--json``) and as a few lines for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Settings
from ..model import RunSummary
from ..store import Store


def run_summary_json(summary: RunSummary, settings: Settings) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for r in summary.inputs:
        counts[r.status] = counts.get(r.status, 0) + 1
    return {"db": settings.db, "out": settings.out, "analysis": str(Path(settings.out) / "analysis.json"),
            "report": str(Path(settings.out) / "report.html"), "inputs": counts, "new_articles": summary.new_articles,
            "analysed": summary.analysed, "failed": [{"path": r.path, "reason": r.reason} for r in summary.failed],
            "nlp_failures": [{"article_id": a, "reason": e} for a, e in summary.nlp_failures],
            "corpus_errors": summary.corpus_errors, "degraded": summary.degraded}


def run_summary_text(summary: RunSummary, settings: Settings) -> str:
    """A short human summary: articles, dates, outlets, what was removed, what failed, where the outputs are."""
    lines = []
    with Store(settings.db, readonly=True) as store:
        ids = {r.article_id for r in summary.inputs if r.article_id}
        arts = [a for a in store.articles() if a.id in ids]
    counts: dict[str, int] = {}
    for r in summary.inputs:
        counts[r.status] = counts.get(r.status, 0) + 1
    lines.append(f"{len(summary.inputs)} input(s): " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    for a in arts[:50]:
        if a.published:
            when = a.published.isoformat()
        elif a.published_bounds:
            lo, hi = a.published_bounds
            when = f"undated: {lo or '?'}..{hi or '?'} (inferred)"
        else:
            when = "undated"
        removed = len([r for r in a.removed if not r.reason.startswith("mojibake")])
        lines.append(f"  {a.id}  {when:<42} {a.outlet or 'outlet unknown':<15} {a.genre:<8} {removed:>2} removed  "
                     f"{' '.join((a.title or a.text[:60]).split())[:70]}")   # one line, even for a title with breaks
    if len(arts) > 50:
        lines.append(f"  … and {len(arts) - 50} more")
    reasons: dict[str, int] = {}
    for a in arts:
        for rem in a.removed:
            key = rem.reason.split(":")[0].split(" (")[0]
            reasons[key] = reasons.get(key, 0) + 1
    if reasons:
        lines.append("removed: " + ", ".join(f"{n}× {k}" for k, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))))
    for r in summary.failed:
        lines.append(f"  FAILED {r.reason}")
    reported = {r.article_id for r in summary.failed}
    for aid, err in summary.nlp_failures:
        if aid not in reported:        # an article stored by an earlier run: no input of this run names it
            lines.append(f"  NLP FAILED {aid}: {err}")
    for err in summary.corpus_errors:
        lines.append(f"  CORPUS STAGES FAILED: {err}")
    for what in summary.degraded:
        lines.append(f"  DEGRADED: {what}")
    lines.append(f"analysis: {Path(settings.out) / 'analysis.json'}")
    lines.append(f"report:   {Path(settings.out) / 'report.html'}")
    return "\n".join(lines)
