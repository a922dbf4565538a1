"""Do two quantities say the same thing? Ranges and approximations are respected: "about 2,500" and "2,500"
agree, "between 5,000 and 6,000" and "2,500" do not, "more than 100" and "120" agree."""

from __future__ import annotations

import re
from typing import Any

_WORD = re.compile(r"[a-z]+")
_GENERIC = {"us", "u", "s", "american", "the", "of", "its", "their", "all", "remaining", "current", "some", "foreign"}


def interval(q: dict[str, Any], tolerance: float = 0.1) -> tuple[float, float] | None:
    lo = q.get("low") if q.get("low") is not None else q.get("value")
    hi = q.get("high") if q.get("high") is not None else q.get("value")
    if lo is None or hi is None:
        return None
    tol = tolerance if q.get("approximate") else 0.02
    return float(lo) * (1 - tol), float(hi) * (1 + tol)


def counted_key(q: dict[str, Any]) -> set[str]:
    words = set(_WORD.findall((q.get("counted") or q.get("unit") or "").lower())) - _GENERIC
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}


def same_measure(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same counted thing and no conflicting place."""
    ka, kb = counted_key(a), counted_key(b)
    if not ka or not kb or not (ka & kb):
        return False
    la, lb = (a.get("location") or "").lower(), (b.get("location") or "").lower()
    return not (la and lb and la != lb)


def compatible(a: dict[str, Any], b: dict[str, Any]) -> bool | None:
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return None
    return ia[0] <= ib[1] and ib[0] <= ia[1]
