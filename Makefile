# The README's two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# The store: DASHBOARD_DB when set (what the app and the CLI read), else the default.
DB ?= $(or $(DASHBOARD_DB),data/consultations.duckdb)
STAMP := $(VENV)/.installed
# Every package, transitive ones included, pinned with its hashes (`make lock` remakes it).
LOCK := requirements.lock
# uv (to make the locks) and pip-audit, in their own environment, from their own lock.
TOOLS := .venv-tools
TOOLS_LOCK := requirements-tools.lock
TOOLS_STAMP := $(TOOLS)/.installed
LOCK_OPTIONS := --generate-hashes --universal --python-version 3.11 --quiet

.PHONY: install run test lint format bench bench-languages sample clean lock audit messages

# Every package from the lock, hashes checked; then the project itself from this folder, with
# no dependency resolved (all are in the lock) and setuptools from the lock as its backend.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# Local administrator mode, on this machine only: the app lets nobody in without sign-in
# unless DASHBOARD_LOCAL_ADMIN=1, and never on another interface. dashboard.web.serve is
# `streamlit run dashboard/web/app.py` without the metrics endpoint, refusing unsafe addresses.
run: $(STAMP)
	DASHBOARD_DB=$(DB) $(BIN)/python -m dashboard load-sample
	DASHBOARD_DB=$(DB) DASHBOARD_LOCAL_ADMIN=1 $(BIN)/python -m dashboard.web.serve \
		--server.address 127.0.0.1 --server.port $(PORT)

$(TOOLS_STAMP): $(TOOLS_LOCK)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --require-hashes -r $(TOOLS_LOCK)
	touch $(TOOLS_STAMP)

# Re-resolve both locks from pyproject.toml (needs PyPI); commit the result.
lock: $(TOOLS_STAMP)
	printf 'pip\nsetuptools>=70\n' | $(TOOLS)/bin/uv pip compile pyproject.toml - \
		--extra test $(LOCK_OPTIONS) -o $(LOCK)
	printf 'uv==0.13.8\npip-audit==2.10.1\n' | $(TOOLS)/bin/uv pip compile - \
		$(LOCK_OPTIONS) -o $(TOOLS_LOCK)

# Known vulnerabilities of every locked package, from PyPI's advisory data. --strict makes a
# package that could not be looked up an error: without it pip-audit skips such packages and still
# reports "no known vulnerabilities". Exit 1 lists vulnerabilities; exit 2 means not all was checked.
audit: $(TOOLS_STAMP)
	@$(TOOLS)/bin/pip-audit --vulnerability-service pypi --strict --disable-pip \
		--require-hashes --progress-spinner off -r $(LOCK) || { status=$$?; \
		echo "make audit: vulnerabilities are listed above, or the vulnerability database" \
			"could not be reached and not every package was checked (see above)." >&2; \
		exit $$status; }

# Three workers on this 2-core machine: while one waits (a server starting, a page drawing in
# Chromium, another process), the others use the cores. Measured on 7 December with a little
# other work beside each run: 741 s with three (the cores 98% busy), 766 s with two. worksteal:
# a worker done early takes tests queued for another instead of idling beside the last long ones.
# On 8 December's machine, which ran the benchmark's redaction timings 2 to 3 times slower, the
# same suite took 1,723 s alone on a clean clone. --durations=20: the slowest, listed at the end.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 3 --dist worksteal --durations=20

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Responses per benchmarked consultation; BENCH_ARGS passes more options (--help lists them).
# It opens the pages as the local administrator, as `make run` does. Then the quality and speed
# of emergent topics on labelled answers (benchmarks/topics.py).
SIZES ?= 100000 1000000 10000000
bench: $(STAMP)
	DASHBOARD_LOCAL_ADMIN=1 $(BIN)/python -m benchmarks.run --sizes $(SIZES) $(BENCH_ARGS)
	$(BIN)/python -m benchmarks.topics

# The answers' own language: accuracy on the labelled set (README: The answer's own language).
bench-languages: $(STAMP)
	$(BIN)/python -m benchmarks.language_detection $(BENCH_ARGS)

# The interface's catalogues: extract every marked string to the template, then update each
# language's .po from it (new strings come in empty, changed ones fuzzy: both make the test of
# the catalogues fail until translated). `make messages NEW=ar` starts a language's catalogue.
# The app reads the .po files themselves: nothing is compiled, and `make test` needs none of this.
LOCALES := dashboard/reference/locales
messages: $(STAMP)
	$(BIN)/pybabel --quiet extract -F $(LOCALES)/babel.cfg -k N_ -k NP_:1c,2 \
		--add-comments=Translators: --add-location=file --sort-by-file \
		--project="Consultation dashboard" --copyright-holder="Consultation dashboard" \
		-o $(LOCALES)/dashboard.pot .
	$(if $(NEW),$(BIN)/pybabel --quiet init -D dashboard -i $(LOCALES)/dashboard.pot \
		-d $(LOCALES) -l $(NEW))
	if ls $(LOCALES)/*/LC_MESSAGES/dashboard.po >/dev/null 2>&1; then \
		$(BIN)/pybabel --quiet update -D dashboard -i $(LOCALES)/dashboard.pot -d $(LOCALES) \
			--ignore-pot-creation-date --ignore-obsolete; fi

sample: $(STAMP)
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
