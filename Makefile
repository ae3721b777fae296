# bzdww: build, preview, test and publish the site.
# Every target sets up its own environment: the first run creates .venv with
# python3 -m venv and installs requirements.txt; later runs reinstall only when
# requirements.txt changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PELICAN := $(BIN)/pelican

INPUTDIR := content
OUTPUTDIR := output
CONFFILE := pelicanconf.py
PUBLISHCONF := publishconf.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# make bench: corpus size and runs of each build
N ?= 1000
REPEAT ?= 3

.DEFAULT_GOAL := help
.PHONY: help setup html serve devserver publish test clean requirements bench audit

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bzdww needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(STAMP) ## Create .venv and install the pinned requirements

html: $(STAMP) ## Build the site into output/ with local settings
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) --fatal errors

serve: $(STAMP) ## Build, serve on http://127.0.0.1:8000 and rebuild on change
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) --autoreload --listen --bind $(HOST) --port $(PORT)

devserver: serve ## Same as serve (Pelican quickstart's name)

publish: $(STAMP) ## Production build into output/, failing on any warning
	$(PELICAN) $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF) --fatal warnings

test: $(STAMP) ## Lint, then run the test suite (builds the site once per session)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

requirements: $(STAMP) ## Recompile requirements.txt from requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

bench: $(STAMP) ## Time cold, warm and stock-Pelican builds of N essays (default 1000)
	$(BIN)/python tools/bench.py --essays $(N) --repeat $(REPEAT)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

audit: $(STAMP) node_modules/.package-lock.json ## Lighthouse scores of the home page, an essay and search (CHROME_PATH)
	$(BIN)/python tools/audit.py

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(OUTPUTDIR) cache .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
