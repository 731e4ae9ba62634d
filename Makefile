# The commands of the README: `make demo`, `make test` and `make test-all`.
# Both work on a fresh clone: they create .venv (Python 3.11) when it is missing and install the
# package editable with the extras they need. A stamp file per extra set makes a second run skip
# pip unless pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
# Two workers, a test file each at a time: module-scoped emulators start once per file.
PYTEST := $(PY) -m pytest -q -n 2 --dist loadfile

.PHONY: help test test-all demo venv clean-demo

help:
	@echo "make test      create .venv if missing, install -e .[dev], run the test suite (under 5 minutes)"
	@echo "make test-all  the same, with the long checks too (what CI runs)"
	@echo "make demo      create .venv if missing, install -e .[dev,demo], sync the emulator into DuckDB"

$(PY):
	@echo ">> creating $(VENV) with $$($(PYTHON) --version 2>&1)"
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=python3.11)")'
	@$(PYTHON) -m venv $(VENV)

venv: $(PY)

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	@echo ">> installing -e .[dev] into $(VENV)"
	@$(PIP) install -e ".[dev]"
	@touch $@

$(VENV)/.installed-demo: pyproject.toml | $(PY)
	@echo ">> installing -e .[dev,demo] into $(VENV) (PyAirbyte is large: this takes a few minutes the first time)"
	@$(PIP) install -e ".[dev,demo]"
	@touch $@ $(VENV)/.installed-dev

# pytest's own exit code is the recipe's; when PYTEST_EXIT_FILE is set (by .ci/run) it is also
# written there, because make itself exits 2 on any failing recipe.
test: $(VENV)/.installed-dev
	@rc=0; $(PYTEST) || rc=$$?; \
	if [ -n "$${PYTEST_EXIT_FILE:-}" ]; then echo $$rc > "$$PYTEST_EXIT_FILE"; fi; \
	exit $$rc

# `-m ''` lifts pyproject's `-m 'not long'`.
test-all: $(VENV)/.installed-dev
	@rc=0; $(PYTEST) -m '' || rc=$$?; \
	if [ -n "$${PYTEST_EXIT_FILE:-}" ]; then echo $$rc > "$$PYTEST_EXIT_FILE"; fi; \
	exit $$rc

demo: $(VENV)/.installed-demo
	@$(PY) -m demo $(DEMO_ARGS)

clean-demo:
	rm -rf .demo
