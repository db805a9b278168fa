# Two commands do everything: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

export VENV PYTHON
UV = $(shell command -v uv || echo $(BIN)/uv)

.PHONY: run test install dev lint bench migrate demo clean translations lock audit

# The exact versions (with hashes) come from the lock files; uv installs them, pip if uv cannot.
$(STAMP): requirements.lock pyproject.toml
	sh scripts/install.sh requirements.lock
	touch $(STAMP)

$(DEVSTAMP): requirements-dev.lock pyproject.toml
	sh scripts/install.sh requirements-dev.lock
	touch $(STAMP) $(DEVSTAMP)

install: $(STAMP)

dev: $(DEVSTAMP)

migrate: install
	$(BIN)/judging db upgrade

demo: migrate
	$(BIN)/judging demo --if-empty

## make run: install, migrate, load the demo if the database is empty, serve on 127.0.0.1:$(PORT)
## with gunicorn (gunicorn.conf.py: several workers; the same server as a deployment)
run: demo
	$(BIN)/gunicorn wsgi:app

## make test: install the dev extras, check the code (ruff, the layer contract, mypy) and run the
## whole suite
test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

## make lint: ruff; the layer contract (import-linter, [tool.importlinter] in pyproject.toml, see
## docs/architecture.md); mypy on the scoring core and the services ([tool.mypy])
lint: dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy

## make bench: speed and memory figures (not part of the test suite)
bench: dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## make lock: resolve pyproject.toml again into requirements.lock and requirements-dev.lock (with the
## build requirements, so that the project installs without a separate build environment)
lock: install
	$(BIN)/python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires'], sep='\n')" > $(VENV)/build.in
	$(UV) pip compile pyproject.toml $(VENV)/build.in --universal --generate-hashes --python-version 3.11 --quiet --no-header -o requirements.lock
	$(UV) pip compile pyproject.toml $(VENV)/build.in --extra dev --universal --generate-hashes --python-version 3.11 --quiet --no-header -o requirements-dev.lock

## make audit: known vulnerabilities in the locked versions (asks PyPI's advisory data)
audit: dev
	$(BIN)/pip-audit --strict --disable-pip --require-hashes --vulnerability-service pypi -r requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .mypy_cache .import_linter_cache

## make translations: extract every message and merge it into the English catalogue
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k pgettext_noop:1c,2 -o judging/translations/messages.pot --no-location --sort-output --omit-header .
	@if [ -f judging/translations/en/LC_MESSAGES/messages.po ]; then \
		$(BIN)/pybabel update -i judging/translations/messages.pot -d judging/translations -l en --no-fuzzy-matching --omit-header; \
	else \
		$(BIN)/pybabel init -i judging/translations/messages.pot -d judging/translations -l en; \
	fi
