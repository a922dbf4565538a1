"""File shards for distributed ingest: which inputs go together, the per-shard task, and its Parquet result.

A shard is a unit of work a Dask worker can do without the store: read its inputs, build each Article and its
MinHash, and write one row per document (or per input that yielded no document) to a Parquet file. Everything that
needs the store (previous status, duplicates, the near-duplicate index) is left to the driver, which merges the
rows in input order, so the result is the same as the one-process ingest.

One container (WARC, JSONL, either gzipped) is one shard: its records are read in one streaming pass. Small files
(.txt, .html, URLs) are grouped ``Settings.batch_size`` to a shard so a folder of 100k pages is not 100k tasks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..config import Settings
from ..model import Article, Evidence, InputRecord, Removed, content_id
from .build import build_or_fail
from .dedup import signature, to_bytes
from .sources import (
    JSONL_EXT,
    LISTING_PREFIXES,
    URLS_EXT,
    URLS_PREFIX,
    WARC_EXT,
    _suffixes,
    expand_inputs,
    read_documents,
)

BUILT = "built"         # row status: an Article waiting for the driver to settle ok/duplicate
ROW_GROUP = 256         # rows per Parquet row group: the driver reads a container shard this many rows at a time


@dataclass(frozen=True, slots=True)
class Shard:
    """Inputs (labels from ``expand_inputs``) read by one task, in input order."""

    seq: int                    # position among the run's shards: the same input named twice gives two shards
    labels: tuple[str, ...]
    on_driver: bool = False     # stdin can only be read by the driver process
    part: int = -1              # >= 0: one input of a failed shard, re-run alone (the same file may be named twice)

    @property
    def id(self) -> str:
        return content_id("shard", self.seq, self.part, *self.labels)


@dataclass(frozen=True, slots=True)
class ShardResult:
    path: str
    rows: int
    built: int


def is_container(label: str) -> bool:
    """A file whose records are read in one pass (and so is a shard of its own): JSONL, WARC, a URL list, a feed or
    a sitemap (whose pages are fetched in order, paced per site)."""
    if label.startswith((URLS_PREFIX, *LISTING_PREFIXES)) and not os.path.exists(label):
        return True
    ext, _ = _suffixes(os.path.basename(label))
    return ext in JSONL_EXT | WARC_EXT | URLS_EXT


def plan_shards(paths: list[str], settings: Settings) -> Iterator[Shard | InputRecord]:
    """The expanded inputs as shards, with expand-time records (missing files, hidden files) kept in their place."""
    group: list[str] = []
    seq = 0

    def flush() -> Iterator[Shard]:
        nonlocal seq
        if group:
            yield Shard(seq, tuple(group))
            seq += 1
            group.clear()

    for item in expand_inputs(paths):
        if isinstance(item, InputRecord):
            yield from flush()
            yield item
        elif item == "-" or is_container(item):
            yield from flush()
            yield Shard(seq, (item,), on_driver=item == "-")
            seq += 1
        else:
            group.append(item)
            if len(group) >= settings.batch_size:
                yield from flush()
    yield from flush()


# ---- Article <-> JSON (the article column) -------------------------------------------------------------------------
def article_to_json(art: Article) -> str:
    # ensure_ascii: lone surrogates (undecodable file names carried into sources) survive as \\u escapes in UTF-8
    return json.dumps(art.to_json(), sort_keys=True)


def article_from_json(data: str) -> Article:
    d: dict[str, Any] = json.loads(data)
    bounds = d.get("published_bounds")
    return Article(
        id=d["id"], source=d["source"], text=d["text"], title=d.get("title"), outlet=d.get("outlet"), url=d.get("url"),
        published=date.fromisoformat(d["published"]) if d.get("published") else None,
        published_bounds=tuple(date.fromisoformat(x) if x else None for x in bounds) if bounds else None,  # type: ignore[arg-type]
        published_basis=d.get("published_basis"), author=d.get("author"), genre=d.get("genre", "unknown"),
        removed=[Removed(r["text"], r["reason"]) for r in d.get("removed", [])],
        evidence=[Evidence(e["field"], e["value"], e["basis"]) for e in d.get("evidence", [])],
        story_id=d.get("story_id"), duplicate_of=d.get("duplicate_of"), encoding=d.get("encoding"))


# ---- the Parquet shard ----------------------------------------------------------------------------------------------
def _enc(text: str) -> bytes:
    """Paths and reasons as bytes: a file name with undecodable bytes is not valid UTF-8, which a string column needs."""
    return text.encode("utf-8", "surrogatepass")


def _dec(blob: bytes | None) -> str:
    return blob.decode("utf-8", "surrogatepass") if blob is not None else ""


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([("input", pa.binary()), ("source", pa.binary()), ("status", pa.string()),
                      ("reason", pa.binary()), ("article", pa.string()), ("minhash", pa.binary())])


def shard_rows(shard: Shard, settings: Settings) -> Iterator[dict[str, Any]]:
    """One row per document of the shard's inputs: a built article, or the record saying why there is none."""
    for label in shard.labels:
        for doc in read_documents(label, settings):
            built = doc if isinstance(doc, InputRecord) else build_or_fail(doc, settings)
            if isinstance(built, InputRecord):
                yield {"input": _enc(label), "source": _enc(built.path), "status": built.status,
                       "reason": _enc(built.reason), "article": None, "minhash": None}
            else:
                yield {"input": _enc(label), "source": _enc(built.source), "status": BUILT, "reason": b"",
                       "article": article_to_json(built), "minhash": to_bytes(signature(built.text))}


def ingest_shard(shard: Shard, settings: Settings, run_dir: str) -> ShardResult:
    """The worker task: the shard's rows into ``<run_dir>/ingest-<shard id>.parquet``, written in row groups.

    Written under a temporary name and renamed, so a task killed half-way (and retried elsewhere) never leaves a
    truncated file the driver could mistake for a result.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    os.makedirs(run_dir, exist_ok=True)
    final = os.path.join(run_dir, f"ingest-{shard.id}.parquet")
    tmp = f"{final}.{os.getpid()}.tmp"
    schema = _schema()
    rows = built = 0
    pending: list[dict[str, Any]] = []
    try:
        with pq.ParquetWriter(tmp, schema) as writer:
            for row in shard_rows(shard, settings):
                pending.append(row)
                rows += 1
                built += row["status"] == BUILT
                if len(pending) >= ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(pending, schema=schema))
                    pending.clear()
            if pending or rows == 0:
                writer.write_table(pa.Table.from_pylist(pending, schema=schema))
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return ShardResult(final, rows, built)


@dataclass(slots=True)
class ShardRow:
    input: str
    source: str
    status: str
    reason: str
    article: Article | None
    minhash: bytes | None


def read_shard(path: str) -> Iterator[ShardRow]:
    """The rows of a shard file in the order they were written, one row group in memory at a time."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=ROW_GROUP):
        for row in batch.to_pylist():
            yield ShardRow(_dec(row["input"]), _dec(row["source"]), row["status"], _dec(row["reason"]),
                           article_from_json(row["article"]) if row["article"] is not None else None, row["minhash"])
