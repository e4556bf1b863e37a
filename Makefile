# One command sets up and runs the main job (make demo), one the tests (make test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: install test demo gazetteer bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The offline place index is built once (about a minute) and reused.
gazetteer: $(STAMP)
	$(BIN)/frontlines gazetteer build

test: $(STAMP) gazetteer
	$(BIN)/python -m pytest -q

demo: $(STAMP) gazetteer
	rm -f $(DEMO_DB)
	$(BIN)/frontlines ingest examples/corpus --places examples/places/aleppo_2016.csv --db $(DEMO_DB)
	$(BIN)/frontlines summary --db $(DEMO_DB)

bench: $(STAMP) gazetteer
	$(BIN)/frontlines bench examples/corpus --min-docs 2000

clean:
	rm -rf $(VENV) $(DEMO_DB) build src/*.egg-info
