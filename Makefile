# piimap — set-up, demo, tests and benchmarks. Every target installs what it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIIMAP := $(VENV)/bin/piimap
STAMP := $(VENV)/.piimap-installed

.PHONY: install demo test bench lint system-deps bytecode clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# Re-installs only when pyproject.toml changes (a second `make test` is quick).
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP) system-deps bytecode

# The editable install leaves our own modules uncompiled, and where PYTHONDONTWRITEBYTECODE is
# set (CI here) every `piimap` process compiled them again: 0.6 s of start-up instead of 0.4.
bytecode: | $(STAMP)
	@$(PY) -m compileall -q scanner recognizers models > /dev/null

# System packages the test suite needs, installed when missing (CI runs as root on Debian).
system-deps:
	@bash scripts/system-deps.sh

demo: install
	@echo "== piimap scan sample_data/ (JSON Lines, first lines) =="
	@$(PIIMAP) scan sample_data/ --format jsonl | head -n 5 || true
	@echo
	@$(PIIMAP) scan sample_data/ --format table; code=$$?; \
	  echo "piimap exit code: $$code (1 = personal data found)"; test $$code -le 1

# ruff (style, imports, likely bugs) and mypy --strict on the packages; part of `make test`.
# Both run (all findings at once); the target fails if either found something.
lint: install
	@status=0; \
	  $(PY) -m ruff check . || status=1; \
	  $(PY) -m mypy scanner recognizers models || status=1; \
	  exit $$status

test: install lint
	$(PY) -m pytest -q

# Logs vs Presidio side by side, then tables, NLP accuracy, ReDoS and data-lake figures
# (bench/run.py runs the others; figures are printed and written to bench/results.md).
bench: install
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache bench/corpus bench/out
