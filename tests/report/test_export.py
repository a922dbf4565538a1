"""Flat exports: `storyline export`, api.export/table/dataframe and ?format=csv on the JSON API. Files are read back
the way a user's tools read them: the csv module, pandas, openpyxl and pyarrow where installed."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from repo_paths import ROOT
from storyline import api
from storyline.cli import main
from storyline.config import Settings
from storyline.report import tables
from storyline.store import Store
from storyline.web import app as webapp
from webfixtures import HOSTILE, build_store

HAS_PANDAS = importlib.util.find_spec("pandas") is not None


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    db = str(tmp_path_factory.mktemp("export") / "s.db")
    ids = build_store(db)
    with Store(db) as st:       # a series, so its one-row-per-point flattening is exercised
        st.put_corpus("series", "t", [{"id": "series_1", "measure": "troops in Iraq", "counted": "troops", "unit": "troops",
                                       "qualifiers": "", "rate": "", "outlets": ["A", "B"],
                                       "points": [{"article_id": ids["a"], "date": "2021-04-07", "date_inferred": False,
                                                   "value": 2500.0, "low": None, "high": None, "outlet": "A",
                                                   "quantity_id": "qty_1", "text": "2,500 troops"},
                                                  {"article_id": ids["b"], "date": "2021-04-23", "date_inferred": True,
                                                   "value": 3000.0, "low": 2500.0, "high": 3000.0, "outlet": "B",
                                                   "quantity_id": "qty_2", "text": "2,500 to 3,000 troops"}]}])
        st.commit()
    return db, ids


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_kind_exports_to_csv_with_documented_columns(store, tmp_path: Path, capsys) -> None:
    db, ids = store
    assert main(["export", "all", "--db", db, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    docs = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    for kind in tables.KINDS:
        path = tmp_path / f"{kind}.csv"
        assert f"to {path}" in printed
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == tables.columns(kind)
        for col in header:                  # every column is documented
            assert f"`{col}`" in docs, (kind, col)
    arts = read_csv(tmp_path / "articles.csv")
    assert {r["id"] for r in arts} >= {ids["a"], ids["b"]}
    assert any(HOSTILE in r["text"] for r in arts)          # text with quotes and markup survives the round trip
    claims = read_csv(tmp_path / "claims.csv")
    assert claims and all(r["article_id"] for r in claims)
    assert {r["polarity"] for r in claims} <= {"true", "false"}
    assert any(r["outlet"] == "The New Arab" for r in claims)   # the article's outlet carried on each fact row
    qty = read_csv(tmp_path / "quantities.csv")
    assert any(float(r["value"] or r["low"]) >= 2500 for r in qty)
    series = read_csv(tmp_path / "series.csv")
    assert [r["value"] for r in series] == ["2500.0", "3000.0"] and series[0]["series_id"] == "series_1"
    inputs = read_csv(tmp_path / "inputs.csv")
    assert {r["status"] for r in inputs} >= {"ok", "failed", "skipped"}
    ents = read_csv(tmp_path / "entities.csv")
    assert ents and all(int(r["article_count"]) >= 1 for r in ents)


def test_unknown_kind_or_missing_store_is_a_usage_error(store, tmp_path: Path) -> None:
    db, _ = store
    assert main(["export", "nonsense", "--db", db, "--out", str(tmp_path)]) == 2
    assert main(["export", "claims", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["export", "claims", "--format", "docx", "--db", db])
    assert exc.value.code == 2
    assert not list(tmp_path.glob("*.csv"))


def test_jsonl_rows_are_flat_and_typed(store, tmp_path: Path) -> None:
    db, _ = store
    out = api.export(["quantities", "claims"], "jsonl", Settings(db=db), out=tmp_path)
    assert [w["kind"] for w in out] == ["quantities", "claims"]
    for line in (tmp_path / "quantities.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert list(row) == tables.columns("quantities")
        assert row["value"] is None or isinstance(row["value"], float)
        assert all(not isinstance(v, list | dict) for v in row.values())


def test_table_and_dataframe_for_notebooks(store) -> None:
    db, _ = store
    rows = api.table("claims", Settings(db=db))
    assert rows and list(rows[0]) == tables.columns("claims")
    if HAS_PANDAS:
        df = api.dataframe("claims", Settings(db=db))
        assert list(df.columns) == tables.columns("claims") and len(df) == len(rows)


@pytest.mark.skipif(not HAS_PANDAS, reason="pandas not installed")
def test_csv_opens_in_pandas(store, tmp_path: Path) -> None:
    import pandas as pd

    db, _ = store
    api.export(["all"], "csv", Settings(db=db), out=tmp_path)
    for kind in tables.KINDS:
        df = pd.read_csv(tmp_path / f"{kind}.csv", encoding="utf-8-sig")
        assert list(df.columns) == tables.columns(kind)
    q = pd.read_csv(tmp_path / "quantities.csv")
    assert q["value"].dtype.kind == "f"


@pytest.mark.skipif(importlib.util.find_spec("openpyxl") is None, reason="openpyxl not installed")
def test_xlsx_opens_with_openpyxl_and_pandas(store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    db, _ = store
    assert main(["export", "claims", "articles", "--format", "xlsx", "--db", db, "--out", str(tmp_path)]) == 0
    wb = load_workbook(tmp_path / "claims.xlsx", read_only=True)
    sheet = wb["claims"]
    got = list(sheet.iter_rows(values_only=True))
    assert list(got[0]) == tables.columns("claims") and len(got) > 1
    if HAS_PANDAS:
        import pandas as pd

        df = pd.read_excel(tmp_path / "articles.xlsx")
        assert list(df.columns) == tables.columns("articles")


@pytest.mark.skipif(importlib.util.find_spec("pyarrow") is None, reason="pyarrow not installed")
def test_parquet_has_typed_columns(store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    db, _ = store
    api.export(["quantities", "series"], "parquet", Settings(db=db), out=tmp_path)
    t = pq.read_table(tmp_path / "series.parquet")
    assert t.column_names == tables.columns("series")
    assert str(t.schema.field("value").type) == "double" and str(t.schema.field("date_inferred").type) == "bool"
    assert t.num_rows == 2


def test_api_format_csv(store) -> None:
    db, ids = store
    with TestClient(webapp.create_app(db, Settings())) as c:
        r = c.get("/api/claims", params={"q": "troops", "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(r.text.splitlines()))
        assert rows and set(rows[0]) == set(tables.columns("claims")) and rows[0]["outlet"]
        r = c.get("/api/articles", params={"format": "csv", "limit": 2})
        rows = list(csv.DictReader(r.text.splitlines()))
        assert len(rows) == 2 and rows[0]["id"]
        language = {row["id"]: row["language"] for row in rows}
        assert language[ids["a"]] == "en"                        # from the article's evidence (the column was empty)
        r = c.get("/api/export/quantities", params={"format": "csv"})
        assert r.status_code == 200
        assert next(csv.reader(r.text.splitlines())) == tables.columns("quantities")
        r = c.get("/api/export/inputs", params={"format": "jsonl"})
        assert r.headers["content-type"].startswith("application/x-ndjson")
        assert all(json.loads(line)["path"] for line in r.text.splitlines())
        r = c.get("/api/export/inputs", params={"format": "json"})
        assert r.json()["columns"] == tables.columns("inputs")
        assert c.get("/api/export/secrets").status_code == 422
        assert c.get("/api/claims", params={"format": "xml"}).status_code == 422
