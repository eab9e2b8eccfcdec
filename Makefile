# The README's two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
DB ?= data/consultations.duckdb
STAMP := $(VENV)/.installed

.PHONY: install run test lint format bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DASHBOARD_DB=$(DB) $(BIN)/python -m dashboard load-sample
	DASHBOARD_DB=$(DB) $(BIN)/streamlit run dashboard/web/app.py \
		--server.address 127.0.0.1 --server.port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Responses per benchmarked consultation; BENCH_ARGS passes more options (--help lists them).
SIZES ?= 100000 1000000 10000000
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --sizes $(SIZES) $(BENCH_ARGS)

sample: $(STAMP)
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) .pytest_cache
