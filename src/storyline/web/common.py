"""What the web app's pages and API share: request parameters, the read-only connection pool, the site record
(pool, templates, settings), and the helpers that turn store rows into responses."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Path as PathParam
from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from ..config import Settings
from ..report import tables
from ..store import Store
from ..store import queries as qy
from .views import Views

ID = r"^[A-Za-z0-9_-]{1,100}$"          # content ids: letters, digits, '_' and '-': no '.', '/', '%' — no traversal
MAX_Q, MAX_CLAIM = 500, 1000
Limit = Annotated[int, Query(ge=1, le=100, description="page size (1–100)")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]
Q = Annotated[str, Query(max_length=MAX_Q, description="search text")]
IdPath = Annotated[str, PathParam(pattern=ID, max_length=100)]
Format = Annotated[str, Query(pattern=r"^(json|csv|jsonl)$", description="json (default), or a flat table: csv, jsonl "
                                                                          "(columns in docs/export.md)")]
CSS = (Path(__file__).resolve().parent.parent / "report" / "templates" / "base.css").read_text(encoding="utf-8")


class StorePool:
    """Read-only connections handed out one request at a time (a connection is never shared by two threads)."""

    def __init__(self, db_path: str, size: int = 16) -> None:
        self.db_path = db_path
        self.idle: queue.LifoQueue[Store] = queue.LifoQueue(maxsize=size)

    @contextmanager
    def reader(self) -> Iterator[Store]:
        try:
            store = self.idle.get_nowait()
        except queue.Empty:
            store = Store(self.db_path, readonly=True)
        ok = False
        try:
            store.begin_snapshot()        # one snapshot for the whole request
            yield store
            ok = True
        finally:
            try:
                store.end_snapshot()
            except Exception:  # noqa: BLE001 - a broken connection is dropped, not reused
                ok = False
            if ok:
                try:
                    self.idle.put_nowait(store)
                except queue.Full:
                    store.close()
            else:
                store.close()

    def close(self) -> None:
        while True:
            try:
                self.idle.get_nowait().close()
            except queue.Empty:
                return


@dataclass
class Site:
    """One served store: its connection pool, the page templates and the settings the claim check runs with."""
    pool: StorePool
    views: Views
    settings: Settings

    def run_check(self, claim: str, as_of: date | None) -> dict[str, Any]:
        try:
            check = check_fn()
        except ImportError as exc:
            raise HTTPException(503, f"claim checking is not available in this installation ({exc})") from exc
        with self.pool.reader() as store:
            return dict(check(store, claim, as_of, self.settings))


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def check_fn() -> Any:
    """The claim checker, imported lazily so the app starts (and browses) even where it is not available."""
    from ..verify.check import check_claim

    return check_claim


def parse_as_of(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise HTTPException(422, f"as_of must be an ISO date (YYYY-MM-DD), not {raw[:40]!r}") from exc


def article_json(store: Store, article_id: str) -> dict[str, Any] | None:
    art = store.article(article_id)
    if art is None:
        return None
    d = art.to_json()
    d["removed"] = [{"text": r.text, "reason": r.reason} for r in art.removed]
    d["evidence"] = [{"field": e.field, "value": e.value, "basis": e.basis} for e in art.evidence]
    facts = store.facts(article_id) or {}
    for key in ("entities", "quotes", "claims", "quantities", "times"):
        d[key] = facts.get(key, [])
    d["relations"] = qy.relations_for(store, {c["id"] for c in d["claims"] if c.get("id")})
    return d


def table_response(kind: str, items: list[dict[str, Any]], fmt: str) -> Response:
    """A page of API items as the kind's flat table (the columns of ``storyline export``)."""
    lifted = [{**{k: (it.get("article") or {}).get(k) for k in ("outlet", "published")}, **it} for it in items]
    return flat_response(kind, [tables.flatten(kind, it) for it in lifted], fmt)


def flat_response(kind: str, flat: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "csv":
        return Response(tables.csv_text(kind, flat), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'inline; filename="{kind}.csv"'})
    return Response(tables.jsonl_text(flat), media_type="application/x-ndjson; charset=utf-8")
