# servtrade: the only entry point. `make run` and `make test` bootstrap themselves.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo $(BIN)/uv)
STAMP := $(VENV)/.synced
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install run test fmt lint typecheck contracts pytest bench browser clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	@command -v uv >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(STAMP): pyproject.toml uv.lock | $(BIN)/python $(BIN)/uv
	$(UV) sync --frozen --python $(BIN)/python
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install servtrade from uv.lock

run: install browser ## Prepare the data dir, migrate, load bundled data and serve on 127.0.0.1:8000
	$(BIN)/servtrade init --demo-accounts
	exec $(BIN)/servtrade serve

browser: ## Install Debian's Chromium for browser tests (when root and missing)
	@bash scripts/ensure-chromium.sh

fmt: install ## Format and auto-fix the code
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

lint: install ## ruff format check, ruff lint, mypy --strict, import contracts
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/lint-imports

pytest: install browser ## Only the test suite, with coverage
	$(BIN)/pytest --cov --cov-report=term -q -p no:cacheprovider

test: lint pytest ## Everything CI checks

bench: install ## Run the benchmarks (results in bench/results/)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean: ## Remove the venv, caches and the local data dir
	rm -rf $(VENV) .servtrade .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
