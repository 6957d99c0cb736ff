# Cocon — every target documents itself: `make help`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help run test test-suite lint format bench-services clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-stamp: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-stamp: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.run-stamp

run: $(VENV)/.run-stamp ## Run the product on SQLite + in-process channel layer, with a seeded demo
	scripts/system-libs.sh
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 $(BIN)/python manage.py seed_demo --base-url http://$(HOST):$(PORT)
	DEBUG=1 $(BIN)/daphne -b $(HOST) -p $(PORT) --websocket-max-message-size 1048576 config.asgi:application

test: $(VENV)/.dev-stamp ## Install what tests need, start a real PostgreSQL + Redis, run the whole suite
	scripts/with-services.sh $(MAKE) --no-print-directory test-suite

test-suite: ## (inside `make test`) lint, unit/integration tests, then browser tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	node --test tests/js/
	$(BIN)/python scripts/smoke_embedded.py
	COCON_REQUIRE_REAL_SERVICES=1 $(BIN)/pytest -m "not e2e"
	COCON_REQUIRE_REAL_SERVICES=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e

lint: $(VENV)/.dev-stamp ## Lint and check formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-stamp ## Format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment, local databases and collected static files
	rm -rf $(VENV) db.sqlite3 test-db.sqlite3 staticfiles

.PHONY: bench
bench: $(VENV)/.dev-stamp ## Load-test the live path on a real PostgreSQL + Redis (BENCH_ARGS="--phones 300 --rate 5 --duration 30 --workers 1")
	COCON_SKIP_BROWSER=1 scripts/with-services.sh bench/run.sh $(BENCH_ARGS)

.PHONY: bench-faults
bench-faults: $(VENV)/.dev-stamp ## Live path under faults: Redis restart, then SIGKILL of one of 2 Daphnes (BENCH_ARGS passed on)
	COCON_SKIP_BROWSER=1 bench/faults.sh $(BENCH_ARGS)
