"""The demo's analysis.json, compared with the one in tests/golden/ (the output of the code when it was written).

Any change to the demo's output fails here, so a change has to be intended: rerun with ``--update-golden`` to
rewrite the file, and name what changed in the commit. Volatile parts are normalised first: the absolute path of
the example folder (articles' ``source``, inputs' ``path``, and wherever else it shows) becomes
``examples/iraq-troops``. Nothing else in analysis.json depends on the machine, the clock or the run (timings
stay in the store), and the run is the same with any number of workers (tests/executors/test_backends.py).

    pytest tests/guards/test_golden_demo.py --update-golden
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from repo_paths import TESTS

GOLDEN = TESTS / "golden" / "demo_analysis.json"
SHOWN_ITEMS = 3         # differing list items shown per key
SHOWN_CHARS = 240       # of each value shown


def normalise(data: Any, seeds: Path) -> Any:
    """``data`` with the example folder's absolute path written as the repository-relative one."""
    prefix, short = str(seeds), "examples/iraq-troops"
    if isinstance(data, dict):
        return {k: normalise(v, seeds) for k, v in data.items()}
    if isinstance(data, list):
        return [normalise(v, seeds) for v in data]
    if isinstance(data, str) and prefix in data:
        return data.replace(prefix, short)
    return data


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + f"… ({len(text)} chars)"


def _key_of(items: list[Any]) -> str | None:
    """The field that identifies the items of a list ("id", else "path"), when every item has a distinct one."""
    for key in ("id", "path"):
        if all(isinstance(x, dict) and key in x for x in items) and len({x[key] for x in items}) == len(items):
            return key
    return None


def _item_diff(want: Any, got: Any) -> list[str]:
    if isinstance(want, dict) and isinstance(got, dict):
        keys = sorted(set(want) | set(got))
        return [f"      .{k}: expected {_short(want.get(k, '<missing>'))}\n"
                f"      {' ' * len(k)}  got      {_short(got.get(k, '<missing>'))}"
                for k in keys if want.get(k, "<missing>") != got.get(k, "<missing>")]
    return [f"      expected {_short(want)}\n      got      {_short(got)}"]


def _list_diff(a: list[Any], b: list[Any]) -> list[str]:
    key = _key_of(a) if _key_of(a) == _key_of(b) else None
    if key is None:             # no identity: compare position by position
        differing = [i for i in range(max(len(a), len(b))) if i >= len(a) or i >= len(b) or a[i] != b[i]]
        lines = [f"{len(a)} items expected, {len(b)} in the output; {len(differing)} positions differ"]
        for i in differing[:SHOWN_ITEMS]:
            if i >= len(a):
                lines.append(f"  [{i}] extra in the output: {_short(b[i])}")
            elif i >= len(b):
                lines.append(f"  [{i}] missing from the output: {_short(a[i])}")
            else:
                lines.append(f"  [{i}]")
                lines.extend(_item_diff(a[i], b[i]))
        return lines
    want, got = {x[key]: x for x in a}, {x[key]: x for x in b}
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    changed = [k for k in want if k in got and want[k] != got[k]]
    lines = [f"{len(a)} items expected, {len(b)} in the output; by {key}: {len(missing)} missing, {len(extra)} new, "
             f"{len(changed)} changed"]
    lines += [f"  missing {key}={k}: {_short(want[k])}" for k in missing[:SHOWN_ITEMS]]
    lines += [f"  new {key}={k}: {_short(got[k])}" for k in extra[:SHOWN_ITEMS]]
    for k in changed[:SHOWN_ITEMS]:
        lines.append(f"  changed {key}={k}:")
        lines.extend(_item_diff(want[k], got[k]))
    if not (missing or extra or changed):
        first = next(i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y)
        lines.append(f"  same items in another order: first at [{first}], expected {key}={a[first][key]}, "
                     f"got {key}={b[first][key]}")
    return lines


def describe_differences(want: dict[str, Any], got: dict[str, Any]) -> str:
    """The top-level keys that differ and, for each, its first differing items with the fields that differ."""
    lines = []
    for key in sorted(set(want) | set(got)):
        if key not in got:
            lines.append(f"{key}: missing from the output (golden has {_short(want[key])})")
        elif key not in want:
            lines.append(f"{key}: new in the output, not in the golden file ({_short(got[key])})")
        elif want[key] != got[key]:
            a, b = want[key], got[key]
            if isinstance(a, list) and isinstance(b, list):
                first, *rest = _list_diff(a, b)
                lines += [f"{key}: {first}", *rest]
            else:
                lines += [f"{key}:", *_item_diff(a, b)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def demo_analysis(tmp_path_factory: pytest.TempPathFactory, seeds: Path) -> dict[str, Any]:
    """analysis.json of `storyline analyze examples/iraq-troops` (the Makefile's demo) through the public API."""
    from storyline.api import analyze
    from storyline.config import Settings

    out = tmp_path_factory.mktemp("golden")
    summary = analyze([str(seeds)], Settings(db=str(out / "storyline.db"), out=str(out / "out")))
    assert not summary.failed and not summary.nlp_failures and not summary.corpus_errors
    data: dict[str, Any] = json.loads((out / "out" / "analysis.json").read_text(encoding="utf-8"))
    return normalise(data, seeds)


@pytest.mark.slow
def test_demo_analysis_matches_golden(demo_analysis: dict[str, Any], update_golden: bool) -> None:
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(demo_analysis, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        pytest.skip(f"--update-golden: rewrote {GOLDEN}")
    assert GOLDEN.exists(), f"no golden file: run pytest {Path(__file__).name} --update-golden"
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    if want != demo_analysis:
        pytest.fail("the demo's analysis.json differs from tests/golden/demo_analysis.json (rerun with "
                    "--update-golden if the change is intended):\n" + describe_differences(want, demo_analysis),
                    pytrace=False)


def test_describe_differences_names_keys_and_first_items() -> None:
    want = {"claims": [{"id": "c1", "text": "a"}, {"id": "c2", "text": "b"}, {"id": "c4"}], "stories": [],
            "inputs": [{"path": "x"}], "order": [{"id": 1}, {"id": 2}], "times": [[1, 2], [3]]}
    got = {"claims": [{"id": "c1", "text": "a"}, {"id": "c2", "text": "B"}, {"id": "c3"}], "stories": [],
           "order": [{"id": 2}, {"id": 1}], "times": [[1, 2], [4]], "new": {}}
    text = describe_differences(want, got)
    assert "claims: 3 items expected, 3 in the output; by id: 1 missing, 1 new, 1 changed" in text
    assert "missing id=c4" in text and "new id=c3" in text
    assert "changed id=c2:" in text and '.text: expected "b"' in text and 'got      "B"' in text
    assert "inputs: missing from the output" in text and "new: new in the output" in text
    assert "order: 2 items expected, 2 in the output; by id: 0 missing, 0 new, 0 changed" in text
    assert "same items in another order: first at [0], expected id=1, got id=2" in text
    assert "times: 2 items expected, 2 in the output; 1 positions differ" in text and "[1]" in text
    assert "stories" not in text
