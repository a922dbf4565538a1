"""Flat tables from the store for spreadsheets, pandas and datasette: one row per item, fixed typed columns.

``storyline export`` and ``/api/export/{kind}`` both go through here; the columns of every kind are listed in
``TABLES`` and documented in docs/export.md. A list becomes its items joined by ``"; "``; a mapping becomes JSON.
Facts rows (claims, quotes, quantities) carry their article's ``outlet`` and ``published`` so a sheet needs no join.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..meta.language import english_only_skip
from ..store import Store

# kind → [(column, type)]; type is one of str, int, float, bool (empty cell / null when missing)
TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": [("id", "str"), ("source", "str"), ("url", "str"), ("title", "str"), ("outlet", "str"),
                 ("author", "str"), ("published", "str"), ("published_earliest", "str"), ("published_latest", "str"),
                 ("published_basis", "str"), ("genre", "str"), ("language", "str"),
                 ("analysis_skipped", "str"), ("story_id", "str"), ("duplicate_of", "str"),
                 ("encoding", "str"), ("chars", "int"), ("removed_count", "int"), ("text", "str")],
    "claims": [("id", "str"), ("article_id", "str"), ("outlet", "str"), ("published", "str"), ("start", "int"),
               ("end", "int"), ("text", "str"), ("subject", "str"), ("predicate", "str"), ("object", "str"),
               ("polarity", "bool"), ("modality", "str"), ("hedged", "bool"), ("speaker", "str"), ("quote_id", "str"),
               ("event_date", "str"), ("event_date_precision", "str"), ("time_basis", "str")],
    "quotes": [("id", "str"), ("article_id", "str"), ("outlet", "str"), ("published", "str"), ("start", "int"),
               ("end", "int"), ("text", "str"), ("speaker", "str"), ("speaker_entity_id", "str"),
               ("speaker_start", "int"), ("speaker_end", "int"), ("cue", "str"), ("cue_start", "int"),
               ("cue_end", "int"), ("direct", "bool"), ("medium", "str")],
    "quantities": [("id", "str"), ("article_id", "str"), ("outlet", "str"), ("published", "str"), ("start", "int"),
                   ("end", "int"), ("text", "str"), ("value", "float"), ("low", "float"), ("high", "float"),
                   ("approximate", "bool"), ("unit", "str"), ("counted", "str"), ("location", "str"),
                   ("as_of", "str")],
    "entities": [("id", "str"), ("name", "str"), ("type", "str"), ("mentions", "int"), ("article_count", "int"),
                 ("aliases", "str"), ("article_ids", "str")],
    "relations": [("id", "str"), ("kind", "str"), ("confidence", "float"), ("importance", "float"),
                  ("proposition_id", "str"), ("claim_ids", "str"), ("explanation", "str")],
    "timeline": [("date", "str"), ("precision", "str"), ("date_basis", "str"), ("sources", "int"), ("outlets", "str"),
                 ("article_ids", "str"), ("claim_ids", "str"), ("modality", "str"), ("summary", "str")],
    "series": [("series_id", "str"), ("measure", "str"), ("counted", "str"), ("unit", "str"), ("qualifiers", "str"),
               ("rate", "str"), ("date", "str"), ("date_inferred", "bool"), ("value", "float"), ("low", "float"),
               ("high", "float"), ("outlet", "str"), ("article_id", "str"), ("quantity_id", "str"), ("text", "str")],
    "sources": [("outlet", "str"), ("articles", "int"), ("claims", "int"), ("attributed_share", "float"),
                ("unattributed_share", "float"), ("genre_counts", "str"), ("stance", "str"),
                ("framing_terms", "str"), ("distinctive_terms", "str"), ("omits", "str"), ("article_ids", "str")],
    "inputs": [("path", "str"), ("status", "str"), ("reason", "str"), ("article_id", "str")],
}
KINDS = tuple(TABLES)
FORMATS = ("csv", "jsonl", "xlsx", "parquet")
XLSX_CELL_MAX = 32_767         # Excel's limit on one cell: longer text is cut there in .xlsx only
JOIN = "; "


def columns(kind: str) -> list[str]:
    return [c for c, _ in TABLES[kind]]


def _cell(value: Any, typ: str) -> Any:
    """One value in its column's type: None stays None, lists are joined, mappings become JSON."""
    if value is None or value == "" and typ != "str":
        return None
    if isinstance(value, list | tuple):
        return JOIN.join(v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    try:
        if typ == "int":
            return int(value)
        if typ == "float":
            return float(value)
        if typ == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, str) else str(value)


def flatten(kind: str, item: dict[str, Any]) -> dict[str, Any]:
    """``item`` (an object as analysis.json or the JSON API gives it) → the kind's flat row."""
    return {c: _cell(item.get(c), t) for c, t in TABLES[kind]}


def _article_meta(store: Store) -> dict[str, tuple[str | None, str | None]]:
    return store.outlets_and_dates()


def _items(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    if kind == "articles":
        for art in store.articles():
            d = art.to_json()
            b = art.published_bounds
            d.update(published_earliest=b[0].isoformat() if b and b[0] else None,
                     published_latest=b[1].isoformat() if b and b[1] else None,
                     chars=len(art.text), removed_count=len(art.removed),
                     analysis_skipped=english_only_skip(art.language))
            yield d
    elif kind in ("claims", "quotes", "quantities"):
        meta = _article_meta(store)
        for aid, facts in store.all_facts():
            outlet, published = meta.get(aid, (None, None))
            for it in facts.get(kind, []):
                yield {"outlet": outlet, "published": published, **it, "article_id": it.get("article_id") or aid}
    elif kind == "entities":
        ents = store.corpus("entities")
        if not ents:            # before the corpus stage: per-article entities as they are
            ents = [{**e, "article_ids": e.get("article_ids") or [aid]}
                    for aid, facts in store.all_facts() for e in facts.get("entities", [])]
        for e in ents:
            yield {**e, "article_count": len(e.get("article_ids") or [])}
    elif kind == "series":
        for s in store.corpus("series", []):
            head = {k: v for k, v in s.items() if k not in ("points", "id", "outlets")}
            for p in s.get("points", []):
                yield {**head, "series_id": s.get("id"), **p}
    elif kind == "sources":
        for s in store.corpus("sources", []):
            yield {**s, "articles": len(s.get("article_ids") or [])}
    elif kind == "inputs":
        for r in store.inputs():
            yield {"path": r.path, "status": r.status, "reason": r.reason, "article_id": r.article_id}
    else:               # relations, timeline: corpus documents as stored
        yield from store.corpus(kind, [])


def rows(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """The flat rows of ``kind`` (one of ``KINDS``) in the store's stable order."""
    if kind not in TABLES:
        raise ValueError(f"unknown kind {kind!r}; known: {', '.join(KINDS)}")
    for item in _items(store, kind):
        yield flatten(kind, item)


def csv_text(kind: str, flat_rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    _write_csv(kind, flat_rows, buf)
    return buf.getvalue()


def _csv_value(v: Any) -> Any:
    if isinstance(v, bool):
        return "true" if v else "false"
    return "" if v is None else v


def _write_csv(kind: str, flat_rows: Iterable[dict[str, Any]], fh: Any) -> int:
    w = csv.writer(fh, lineterminator="\r\n")
    w.writerow(columns(kind))
    n = 0
    for r in flat_rows:
        w.writerow([_csv_value(r[c]) for c in columns(kind)])
        n += 1
    return n


def jsonl_text(flat_rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in flat_rows)


def write_table(kind: str, flat_rows: Iterable[dict[str, Any]], path: str | Path, fmt: str) -> int:
    """Write ``flat_rows`` of ``kind`` to ``path`` as ``fmt``; returns the row count. The file appears whole or not
    at all (written beside it, then renamed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        if fmt == "csv":
            # UTF-8 with a BOM so a spreadsheet opened by double-click reads the accents right
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                n = _write_csv(kind, flat_rows, fh)
        elif fmt == "jsonl":
            n = 0
            with open(tmp, "w", encoding="utf-8") as fh:
                for r in flat_rows:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                    n += 1
        elif fmt == "xlsx":
            n = _write_xlsx(kind, flat_rows, tmp)
        elif fmt == "parquet":
            n = _write_parquet(kind, flat_rows, tmp)
        else:
            raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n


def _write_xlsx(kind: str, flat_rows: Iterable[dict[str, Any]], path: Path) -> int:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind[:31])
    ws.append(columns(kind))
    n = 0
    for r in flat_rows:
        out = []
        for c in columns(kind):
            v = r[c]
            if isinstance(v, str):
                v = ILLEGAL_CHARACTERS_RE.sub("", v)[:XLSX_CELL_MAX]
            out.append(v)
        ws.append(out)
        n += 1
    wb.save(path)
    return n


_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}


def _write_parquet(kind: str, flat_rows: Iterable[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, getattr(pa, _ARROW_TYPES[t])()) for c, t in TABLES[kind]])
    data = list(flat_rows)
    pq.write_table(pa.Table.from_pylist(data, schema=schema), path)
    return len(data)


def missing_format_dependency(fmt: str) -> str | None:
    """Why ``fmt`` cannot be written here (its library is not installed), or None."""
    module = {"xlsx": "openpyxl", "parquet": "pyarrow"}.get(fmt)
    if module is None:
        return None
    try:
        __import__(module)
    except ImportError:
        return (f"--format {fmt} needs {module}, which is not installed: pip install 'storyline[export]' "
                "(or use csv or jsonl)")
    return None
