"""Near-exact duplicates at ingest: MinHash over word 5-gram shingles with LSH, so a wire copy with a different
footer or a re-post with one changed line is recognised without comparing every pair."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch is imported where it is used: it pulls in SciPy (~0.4 s of CPU and ~64 MB), and every per-article worker
# imports this module through the package's __init__ without ever building a signature (issue 17).

NUM_PERM = 128
SCHEME = "affine64"   # stored signatures must be rebuilt with the same scheme
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = 5) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


def signature(text: str) -> MinHash:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    sh = shingles(text)
    if sh:
        mh.update_batch(list(sh))
    return mh


def to_bytes(mh: MinHash) -> bytes:
    return mh.hashvalues.astype(np.uint64).tobytes()


def from_bytes(data: bytes) -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=np.frombuffer(data, dtype=np.uint64), scheme=SCHEME)


class NearDuplicateIndex:
    """LSH over the canonical articles seen so far; ``find`` returns (canonical id, estimated Jaccard)."""

    def __init__(self, threshold: float) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.sigs: dict[str, MinHash] = {}

    def add(self, article_id: str, mh: MinHash) -> None:
        if article_id not in self.sigs:
            self.lsh.insert(article_id, mh)
            self.sigs[article_id] = mh

    def find(self, mh: MinHash) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for cand in sorted(self.lsh.query(mh)):
            sim = mh.jaccard(self.sigs[cand])
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (cand, sim)
        return best
