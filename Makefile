# `make run` serves the course; `make test` runs the whole suite (see README).
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: run test install messages check-content accessibility loadtest bench bench-scale clean

# The interface's words: translations/<lang>/LC_MESSAGES/messages.po is written by people
# (and `make messages`); the .mo the app reads is compiled from it, never committed.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

run: install
	$(PY) run.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed $(CATALOGUES)

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile -i $< -o $@ --statistics 2>&1 | sed -n '/translated/p'

# Gather every marked string into messages.pot and bring each language's catalogue up to date.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --add-location=file --sort-output --ignore-dirs="node_modules bench loadtest tests" -o translations/messages.pot --project=lms --copyright-holder="lms" . >/dev/null
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Course text must be our own words: no run of 8+ words shared with the source documents.
check-content: install
	$(VENV)/bin/flask --app lms content check
	python3 ../shared/tools/seed_overlap.py content/

# Run the browser journeys and record the pages axe-core passed, for /accessibility.
accessibility: install
	LMS_REQUIRE_BROWSER=1 LMS_ACCESSIBILITY_REPORT=accessibility/checks.json $(PY) -m pytest -q tests/browser

# 200 learners for 60 s under gunicorn on PostgreSQL (lms_load, created when missing) and
# Redis, then resent forms, ended sign-ins and 10,000 distinct long URLs against the same
# server, then again while PostgreSQL restarts; see loadtest/run.py --help. Not part of `make test`.
LOADTEST_ARGS ?=
loadtest: install
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

# Load benchmark against a bare Flask page, a naive page and Isso; not part of `make test`.
# BENCH_DB=postgresql for PostgreSQL; BENCH_SCENARIOS=pages,cohort,writes (default all);
# bench/README.md has every option.
bench: install
	$(PY) bench/run.py

# The same pages on a nearly empty and a 1,000,000-comment PostgreSQL database, with EXPLAIN.
bench-scale: install
	$(PY) bench/scale.py

clean:
	rm -rf $(VENV) node_modules *.egg-info
