# bzdww: build, preview, test and publish the site.
# Every target sets up its own environment: the first run creates .venv with
# python3 -m venv and installs requirements.txt; later runs reinstall only when
# requirements.txt changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
PELICAN := $(BIN)/pelican
CHECKERS := node_modules/.installed

INPUTDIR := content
OUTPUTDIR := output
CONFFILE := pelicanconf.py
PUBLISHCONF := publishconf.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# make bench: corpus sizes ("1000 5000" for two) and runs of each build
N ?= 1000
REPEAT ?= 3

.DEFAULT_GOAL := help
.PHONY: help setup html serve devserver publish test clean requirements check new import tools rsync_upload s3_upload bench audit translations fonts screenshots

help: ## List the targets
	@echo "Usage: make <target>"
	@echo
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bzdww needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

setup: $(STAMP) ## Create .venv and install the pinned requirements

html: $(STAMP) ## Build the site into output/ with local settings (output/ kept on failure)
	$(BIN)/python -m tools.build $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE)

serve: $(STAMP) ## Build, serve on http://127.0.0.1:8000, rebuild and reload the browser on change
	$(BIN)/python -m tools.preview $(INPUTDIR) -o $(OUTPUTDIR) -s $(CONFFILE) --bind $(HOST) --port $(PORT)

devserver: serve ## Same as serve (Pelican quickstart's name)

publish: $(STAMP) ## Production build into output/, failing on any warning (output/ kept on failure)
	$(BIN)/python -m tools.build $(INPUTDIR) -o $(OUTPUTDIR) -s $(PUBLISHCONF)

check: $(STAMP) ## Check every essay and page, without building
	$(BIN)/python -m plugins.content_guard $(INPUTDIR) -s $(CONFFILE)

# LANG is also the shell's locale variable: only a LANG given to make counts.
# TITLE reaches the script through the environment (make exports command-line
# variables), so quotes in it need no shell escaping.
new: ESSAY_LANG := $(if $(filter command line,$(origin LANG)),$(LANG),en)
new: $(STAMP) ## Start an essay: make new TITLE="The title" [LANG=zh]
	$(BIN)/python -m tools.new_essay --lang "$(ESSAY_LANG)" -s $(CONFFILE)

# SRC reaches the script through the environment too, so spaces in it need no escaping.
import: $(STAMP) ## Import a Pelican, Hugo or Jekyll blog into content/: make import SRC=<folder>
	$(BIN)/python -m tools.import_blog -s $(CONFFILE)

# The HTML and accessibility checkers, pinned in package-lock.json. Without npm
# the tests that need them skip, naming what to install.
$(CHECKERS): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: HTML validity and accessibility checks will skip (apt-get install nodejs npm)"; \
	fi

tools: $(CHECKERS) ## Install the Nu HTML Checker, axe-core and Lighthouse into node_modules/

test: $(STAMP) $(CHECKERS) ## Lint, then run the test suite (builds the site once per session)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Other hosts, as in Pelican's quickstart; destinations come from the
# environment and nothing is built or sent until they are set.
SSH_PORT ?= 22

rsync_upload: ## Publish, then rsync output/ over ssh to SSH_USER@SSH_HOST:SSH_TARGET_DIR
	@for var in SSH_HOST SSH_USER SSH_TARGET_DIR; do \
		if [ -z "$$(printenv $$var)" ]; then \
			echo "rsync_upload: $$var is not set — export SSH_HOST, SSH_USER and SSH_TARGET_DIR (SSH_PORT defaults to 22)" >&2; \
			exit 2; \
		fi; \
	done
	$(MAKE) publish
	rsync -e "ssh -p $(SSH_PORT)" -P -rvzc --delete --exclude=_headers $(OUTPUTDIR)/ "$$SSH_USER@$$SSH_HOST:$$SSH_TARGET_DIR"

s3_upload: ## Publish, then sync output/ to the S3 bucket S3_BUCKET with the aws CLI
	@if [ -z "$$S3_BUCKET" ]; then \
		echo "s3_upload: S3_BUCKET is not set — export S3_BUCKET=<bucket name> (the aws CLI reads its credentials as usual)" >&2; \
		exit 2; \
	fi
	$(MAKE) publish
	aws s3 sync $(OUTPUTDIR)/ "s3://$$S3_BUCKET" --delete --exclude "*.gz" --exclude "*.br" --exclude _headers

requirements: $(STAMP) ## Recompile requirements.txt from requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

# Interface text: one catalog a language under theme/translations/, compiled
# by the build itself (plugins/core/interface.py). Start a new language with
# `$(BIN)/pybabel init -i $(CATALOGS)/messages.pot -d $(CATALOGS) -l <lang>`.
CATALOGS := theme/translations
translations: $(STAMP) ## Extract the interface text into messages.pot and update every language's .po
	$(BIN)/pybabel extract -F $(CATALOGS)/babel.cfg --sort-by-file --add-location=file \
		--project=bzdww --msgid-bugs-address= --copyright-holder= -o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching --ignore-pot-creation-date

fonts: $(STAMP) $(CHECKERS) ## Subset the text face (npm @fontsource/literata) to Latin WOFF2 in theme/static/fonts/
	$(BIN)/python -m tools.fonts

screenshots: $(STAMP) ## Screenshots of an English and a Chinese essay and of search (375/1280 px, light/dark) into docs/screenshots/
	$(BIN)/python -m tools.screenshots

bench: $(STAMP) ## Preview, cold and after-an-edit builds against stock Pelican: N="1000 5000" [HUGO=path]
	$(BIN)/python tools/bench.py --essays "$(N)" --repeat $(REPEAT) $(if $(HUGO),--hugo "$(HUGO)")

audit: $(STAMP) $(CHECKERS) ## Lighthouse scores of the home page, an essay and search (CHROME_PATH)
	$(BIN)/python tools/audit.py

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf $(OUTPUTDIR) .$(OUTPUTDIR).staging .$(OUTPUTDIR).previous .$(OUTPUTDIR).superseded .$(OUTPUTDIR).folders cache .pytest_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
