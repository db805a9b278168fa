# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test install dev lint bench migrate demo clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP) $(DEVSTAMP)

install: $(STAMP)

dev: $(DEVSTAMP)

migrate: install
	$(BIN)/judging db upgrade

demo: migrate
	$(BIN)/judging demo --if-empty

## make run: install, migrate, load the demo if the database is empty, serve on 127.0.0.1:$(PORT)
run: demo
	$(BIN)/judging run --host 127.0.0.1 --port $(PORT)

## make test: install the dev extras and run the whole suite
test: dev
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: dev
	$(BIN)/ruff check .

## make bench: speed and memory figures (not part of the test suite)
bench: dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

## make translations: extract every message and merge it into the English catalogue
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o judging/translations/messages.pot --no-location --sort-output --omit-header .
	@if [ -f judging/translations/en/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update -i judging/translations/messages.pot -d judging/translations -l en --no-fuzzy-matching --omit-header; \
	else \
		$(BIN)/pybabel init -i judging/translations/messages.pot -d judging/translations -l en; \
	fi
