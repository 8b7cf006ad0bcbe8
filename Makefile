# The two commands a newcomer types: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FW := $(VENV)/bin/factwatch
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db
HOST ?= 127.0.0.1
PORT ?= 8000
SAMPLE := src/factwatch/data/sample

.PHONY: demo test lint typecheck system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian packages some features and tests need (OCR, video, browser tests, IMAP tests).
system-deps:
	@bash scripts/system-deps.sh

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(FW) --db $(DEMO_DB) init
	$(FW) --db $(DEMO_DB) factchecks import $(SAMPLE)/factchecks.jsonl
	$(FW) --db $(DEMO_DB) entities import $(SAMPLE)/entities.yaml
	$(FW) --db $(DEMO_DB) ingest $(SAMPLE)/posts.jsonl
	$(FW) --db $(DEMO_DB) analyze
	$(FW) --db $(DEMO_DB) cases list --format table
	@echo "Serving the cases on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(FW) --db $(DEMO_DB) serve --host $(HOST) --port $(PORT)

test: $(STAMP) system-deps
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy src/factwatch

bench: $(STAMP)
	$(FW) bench retrieval --output benchmarks/results/retrieval.md

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .mypy_cache .ruff_cache
