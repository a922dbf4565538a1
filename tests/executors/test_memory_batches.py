"""What keeps a worker's memory down without changing a result (issue 17): batches cut by characters, the heap given
back after each batch. No memory figures here; ``benchmarks/bench_memory.py`` measures them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storyline import pipeline
from storyline.config import Settings
from storyline.executors import Executor
from storyline.store import Store


def _corpus(root: Any, lengths: list[int]) -> list[int]:
    """Texts of about the given lengths; their exact lengths."""
    root.mkdir()
    out = []
    for i, n in enumerate(lengths):
        sentence = f"Officials in town {i} said on Monday that {100 + i} troops would stay until March. "
        text = (sentence * (n // len(sentence) + 1))[:n].strip()
        (root / f"a{i:02d}.txt").write_text(text, encoding="utf-8")
        out.append(len(text))
    return out


def _facts(db: str) -> dict[str, Any]:
    with Store(db, readonly=True) as store:
        rows = store.conn.execute("SELECT article_id, data FROM facts ORDER BY article_id").fetchall()
    return {aid: json.loads(data) for aid, data in rows}


@pytest.mark.slow
def test_batches_are_cut_by_characters_and_give_the_same_facts(tmp_path: Any, monkeypatch: Any) -> None:
    lengths = _corpus(tmp_path / "in", [400, 500, 300, 2600, 450, 350, 600, 420, 380, 500, 300, 700])
    wide = Settings(db=str(tmp_path / "wide.db"), out=str(tmp_path / "o1"), workers=1)
    pipeline.analyze([str(tmp_path / "in")], wide)

    seen: list[list[int]] = []
    real = Executor.map_batches

    def recording(self: Executor, fn: Any, batches: Any, on_error: Any) -> Any:
        def spy() -> Any:
            for batch in batches:
                seen.append([len(t.text) for t in batch])
                yield batch
        return real(self, fn, spy(), on_error)

    monkeypatch.setattr(pipeline, "BATCH_CHARS", 1000)
    monkeypatch.setattr(Executor, "map_batches", recording)
    narrow = Settings(db=str(tmp_path / "narrow.db"), out=str(tmp_path / "o2"), workers=1)
    summary = pipeline.analyze([str(tmp_path / "in")], narrow)

    assert summary.analysed == len(lengths)
    assert sorted(n for batch in seen for n in batch) == sorted(lengths)      # every article once
    assert all(sum(batch) <= 1000 or len(batch) == 1 for batch in seen)
    assert [max(lengths)] in seen                                           # longer than the budget: alone
    assert len(seen) > 2 and max(len(b) for b in seen) >= 2                 # cut short, not one article each
    assert _facts(narrow.db) == _facts(wide.db)


def test_a_worker_batch_trims_the_heap_after_it_ends_even_when_it_fails(monkeypatch: Any) -> None:
    from storyline.executors import local

    trims: list[int] = []
    monkeypatch.setattr(local, "trim_heap", lambda: trims.append(1))
    assert local.run_and_trim(lambda batch, settings: [len(batch)], [{}, {}], Settings()) == [2]
    assert trims == [1]

    def boom(batch: Any, settings: Any) -> list[Any]:
        raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"):
        local.run_and_trim(boom, [{}], Settings())
    assert trims == [1, 1]


def test_trim_heap_finds_malloc_trim_on_glibc() -> None:
    import platform
    import sys

    from storyline.executors import local

    local.trim_heap()       # never raises, wherever it runs
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert local._malloc_trim() is not None
