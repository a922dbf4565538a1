"""Source profiles: per outlet, what it covers, how it stands on the story's key propositions, how it words things.

- ``stance``: for each key proposition (carried by the most independent sources), whether the outlet's claims
  affirm it, deny it, or both — a claim's effective stance (frame sign × polarity × denial) decides.
- ``framing_terms``: loaded terms ("occupation", "toxic", "regime") that the outlet uses in a larger share of its
  articles than the other outlets do; ``distinctive_terms``: words statistically over-used by the outlet (weighted
  log-odds with an informative Dirichlet prior, Monroe et al. 2008), only where the counts support it (z ≥ 1.96).
- ``attributed_share``: claims with a speaker (quoted person, cited body) over all its claims; the rest are the
  outlet's own voice. ``omits``: key propositions that two or more other outlets carry and it does not;
  ``exclusive_claim_ids``: its claims that align with nothing elsewhere.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

from .align import ClaimRef, Proposition, proposition_label
from .lexicon import LOADED_TERMS, STOPWORDS
from .view import CorpusView

# The fact keys this stage reads, by kind of fact: the corpus view holds only declared keys (xdoc/fact_rows.py).
READS = {"claims": ("speaker",)}

KEY_PROPOSITIONS = 12
MAX_EXCLUSIVE = 10


def _key_props(refs: dict[str, ClaimRef], props: list[Proposition]) -> list[tuple[Proposition, set[str]]]:
    scored = []
    for p in props:
        outlets = {refs[c].outlet for c in p.claim_ids}
        scored.append((len({refs[c].canonical for c in p.claim_ids}), len(outlets), p, outlets))
    scored.sort(key=lambda x: (-x[0], -x[1], x[2].id))
    return [(p, o) for _n, _m, p, o in scored[:KEY_PROPOSITIONS]]


def _framing(view: CorpusView, outlet: str, total: Counter[str]) -> list[str]:
    n_o = view.outlet_articles.get(outlet, 0)
    n_all = sum(view.outlet_articles.values())
    if n_o == 0:
        return []
    mine = view.outlet_words.get(outlet, Counter())
    scored = []
    for t in sorted(LOADED_TERMS & mine.keys()):
        rate = mine[t] / n_o
        rest = (total[t] - mine[t]) / (n_all - n_o) if n_all > n_o else 0.0
        if rate > rest:
            scored.append((rate - rest, t))
    return [t for _d, t in sorted(scored, key=lambda x: (-x[0], x[1]))[:10]]


def _distinctive(view: CorpusView, outlet: str, total: Counter[str], n_all: int, limit: int = 8) -> list[str]:
    """Weighted log-odds (informative Dirichlet prior) of document frequencies, outlet vs all others."""
    mine = view.outlet_words.get(outlet, Counter())
    if len(view.outlet_words) < 2 or not mine:
        return []
    n_o = view.outlet_word_sums.get(outlet, 0)
    n_r = n_all - n_o
    a0 = float(n_all)
    out = []
    for w, y_o in mine.items():
        if y_o < 2 or w in STOPWORDS or len(w) < 4:
            continue
        y_r = total[w] - y_o
        a_w = total[w]
        if n_r <= 0:
            continue
        d = math.log((y_o + a_w) / (n_o + a0 - y_o - a_w)) - math.log((y_r + a_w) / (n_r + a0 - y_r - a_w))
        z = d / math.sqrt(1 / (y_o + a_w) + 1 / (y_r + a_w))
        if z >= 1.96:
            out.append((z, w))
    return [w for _z, w in sorted(out, key=lambda x: (-x[0], x[1]))[:limit]]


def source_profiles(view: CorpusView, refs: dict[str, ClaimRef], props: list[Proposition]) -> list[dict[str, Any]]:
    by_outlet: dict[str, list[str]] = defaultdict(list)
    for d in view.docs:
        by_outlet[d.outlet].append(d.id)
    key = _key_props(refs, props)
    total = view.word_totals      # counted before the per-outlet words were pruned (view.prune_outlet_words)
    n_all = sum(view.outlet_word_sums.values())     # all words' counts: ``total`` keeps only words some outlet keeps
    in_prop = {c for p in props for c in p.claim_ids}
    refs_of: dict[str, list[ClaimRef]] = defaultdict(list)
    for r in refs.values():
        refs_of[r.outlet].append(r)
    out = []
    for outlet in sorted(by_outlet):
        aids = by_outlet[outlet]
        docs = [view.by_id[a] for a in aids]
        genres = Counter(d.genre for d in docs)
        canon_docs = [d for d in docs if d.duplicate_of is None] or docs
        claims = [c for d in canon_docs for c in d.claims()]
        attributed = sum(1 for c in claims if c.get("speaker"))
        stance: dict[str, str] = {}
        omits = []
        for p, outlets in key:
            mine = [refs[c] for c in p.claim_ids if refs[c].outlet == outlet]
            label = proposition_label(p)
            if mine:
                signs = {r.stance for r in mine}
                stance[label] = "affirms" if signs == {1} else "denies" if signs == {-1} else "mixed"
            elif len(outlets - {outlet}) >= 2:
                omits.append(label)
        exclusive = [r.id for r in refs_of[outlet]
                     if r.id not in in_prop and r.args and r.modality != "demanded"
                     and view.by_id[r.article_id].duplicate_of is None]
        out.append({"outlet": outlet, "article_ids": aids, "genre_counts": dict(sorted(genres.items())),
                    "stance": stance, "framing_terms": _framing(view, outlet, total),
                    "distinctive_terms": _distinctive(view, outlet, total, n_all),
                    "claims": len(claims), "attributed_share": round(attributed / len(claims), 3) if claims else None,
                    "unattributed_share": round(1 - attributed / len(claims), 3) if claims else None,
                    "omits": omits, "exclusive_claim_ids": exclusive[:MAX_EXCLUSIVE]})
    return out
