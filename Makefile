# finfacts: `make run` extracts the corpus, `make test` runs the tests and the evaluation.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test lint bench schema clean

install: $(STAMP)

# Re-installs only when pyproject.toml changed since the last install: idempotent.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "finfacts needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: install
	$(BIN)/finfacts extract corpus -o out/corpus.jsonl

test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest
	@echo "--- facts of the extractor against the gold (corpus/) ---"
	$(BIN)/finfacts evaluate corpus --thresholds thresholds.yaml
	@echo "--- agreement of the second labelling with the gold: the ceiling ---"
	$(BIN)/finfacts evaluate corpus --labels corpus/labels-b

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python -m pipeline.bench

schema: install
	$(BIN)/finfacts schema -o schema/extraction.schema.json

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache *.egg-info
