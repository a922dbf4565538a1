from __future__ import annotations

import os
from pathlib import Path

import pytest

from repo_paths import SEEDS

# Strict fact reads (xdoc/fact_rows.py): a corpus stage reading a fact key its READS does not declare raises instead of
# reading None. Set before storyline is imported, and in the environment so that the runs tests start do the same.
os.environ["STORYLINE_STRICT_READS"] = "1"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from the current code instead of comparing")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that needs a browser is slow wherever it is marked (`make test-fast` runs ``-m "not slow"``)."""
    for item in items:
        if item.get_closest_marker("browser") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline as the product loads it (``load_nlp``: the model, the line-break sentence rule and the lean
    inference), once for the whole session; the per-article tests share it."""
    from storyline.nlp.runtime.spacy_model import load_nlp

    return load_nlp()


@pytest.fixture
def settings(tmp_path: Path):
    from storyline.config import Settings

    return Settings(db=str(tmp_path / "s.db"), out=str(tmp_path / "out"))


@pytest.fixture(autouse=True)
def _no_undeclared_fact_reads():
    """Fails a test whose run read an undeclared fact key even where the stage's caller caught the error (a run
    records a failed corpus stage and goes on)."""
    from storyline.xdoc import fact_rows

    seen = len(fact_rows.UNDECLARED)
    yield
    assert fact_rows.UNDECLARED[seen:] == [], "undeclared fact reads (add the keys to the stage's READS)"
