"""Move the flat tests/test_*.py into folders that mirror the packages of src/storyline, with ``git mv`` only.

    python tools/mirror_tests.py            # print the moves (nothing changes)
    python tools/mirror_tests.py --apply    # git mv each file; then commit the moves alone

Re-runnable: a file already in its folder is left alone, so the moves can be applied again to a branch where tests
were added meanwhile. A test named in ``FOLDERS`` goes there; a new one goes by the first rule of ``RULES`` its name
matches; one that matches nothing is listed and stays where it is (add it to ``FOLDERS``). The helpers shared by
several folders (conftest.py, repo_paths.py, xdoc_facts.py, webfixtures.py, newsserver.py) and tests/data,
tests/golden stay in tests/: pytest reads tests/conftest.py for every folder below it, and ``pythonpath = ["tests"]``
(pyproject.toml) makes the helpers importable from any of them. Tests find repository files through
``repo_paths`` (ROOT, TESTS, SEEDS), never through their own ``__file__`` depth.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"

FOLDERS: dict[str, tuple[str, ...]] = {
    "model": ("test_article_facts", "test_partial_date"),
    "ingest": ("test_decode", "test_feeds", "test_html_extract", "test_ingest_formats", "test_ingest_habits",
               "test_ingest_inputs", "test_text_clean", "test_url_inputs"),
    "meta": ("test_html_dates", "test_language", "test_meta", "test_outlets"),
    "nlp": ("test_attribution_model", "test_claims", "test_doc_cache", "test_embed", "test_entities",
            "test_lead_vectors", "test_lean_parse", "test_nlp_failure_inputs", "test_number_words", "test_quantities",
            "test_quotes", "test_quotes_speakers", "test_sentence_final_dates", "test_time_claims", "test_timex",
            "test_timex_values"),
    "xdoc": ("test_fact_reads", "test_fact_rows", "test_overtaken", "test_relation_guards", "test_relations_model",
             "test_timeline_summary", "test_view_memory", "test_xdoc_e2e", "test_xdoc_relations", "test_xdoc_store",
             "test_xdoc_stories"),
    "executors": ("test_backends", "test_concurrency", "test_dask_ingest", "test_executors", "test_memory_batches",
                  "test_process_hygiene"),
    "pipeline": ("test_pipeline_seeds", "test_speed_invariants", "test_streaming"),
    "verify": ("test_check", "test_fast_trees", "test_stance"),
    "store": ("test_datasette_store", "test_store_checks"),
    "report": ("test_browser", "test_export", "test_report"),
    "web": ("test_web",),
    "cli": ("test_cli", "test_cli_conventions"),
    "hostile": ("test_fuzz_inputs", "test_hostile_disk", "test_hostile_env", "test_hostile_serve", "test_hostile_text"),
    "guards": ("test_golden_demo", "test_import_layers", "test_install", "test_quality_gate"),
}

# For tests added after FOLDERS was written: the first pattern that matches the file's stem decides.
RULES: tuple[tuple[str, str], ...] = (
    (r"^test_hostile_|^test_fuzz", "hostile"),
    (r"^test_xdoc_|^test_relation|^test_timeline|^test_series|^test_stories|^test_fact_", "xdoc"),
    (r"^test_(quote|claim|entit|timex|time_|quantit|number|attribution|speaker|nlp_)", "nlp"),
    (r"^test_(ingest|decode|html_extract|text_clean|feed|url)", "ingest"),
    (r"^test_(html_dates|meta|outlet|language|bounds)", "meta"),
    (r"^test_(stance|check|verify)", "verify"),
    (r"^test_(report|export|browser|chart)", "report"),
    (r"^test_(web|serve)", "web"),
    (r"^test_(store|datasette)", "store"),
    (r"^test_(backend|executor|dask|concurren|process|memory)", "executors"),
    (r"^test_(cli)", "cli"),
)


def folder_of(stem: str) -> str | None:
    for folder, stems in FOLDERS.items():
        if stem in stems:
            return folder
    return next((folder for pattern, folder in RULES if re.search(pattern, stem)), None)


def moves(tests: Path = TESTS) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(source, destination) for every flat test file with a folder, and the flat test files without one."""
    planned, unplaced = [], []
    for path in sorted(tests.glob("test_*.py")):
        folder = folder_of(path.stem)
        if folder is None:
            unplaced.append(path)
        else:
            planned.append((path, tests / folder / path.name))
    return planned, unplaced


def main(argv: list[str]) -> int:
    apply = "--apply" in argv
    planned, unplaced = moves()
    for src, dst in planned:
        print(f"git mv {src.relative_to(TESTS.parent)} {dst.relative_to(TESTS.parent)}")
        if apply:
            dst.parent.mkdir(exist_ok=True)
            subprocess.run(["git", "mv", str(src), str(dst)], check=True, cwd=TESTS.parent)
    for path in unplaced:
        print(f"no folder for {path.relative_to(TESTS.parent)}: add it to FOLDERS in {Path(__file__).name}",
              file=sys.stderr)
    return 1 if unplaced else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
