# Township civil-affairs workbench.  `make help` lists the targets.
# The README's two commands are `make reports` and `make test`; both set up
# everything they need on a fresh machine.

SHELL       := /bin/bash
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
KERNEL      := minzheng-workbench
SAMPLE_SEED := 20241
# Debian packages: CJK fonts for PDFs, poppler-utils for PDF checks, chromium for browser checks.
DEBS        := fonts-noto-cjk poppler-utils chromium

.DEFAULT_GOAL := help
.PHONY: help reports test lab sample notebook-checks lint sysdeps env clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-16s %s\n", $$1, $$2}'

reports: env sysdeps ## Create the environment and regenerate every report on the bundled sample data
	$(BIN)/workbench build

test: env sysdeps lint ## Create the environment, lint, and run every test
	$(BIN)/python -m pytest

lab: env ## Start JupyterLab in notebooks/ with the project kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

sample: env ## Regenerate the synthetic sample data in data/raw/surveys/ (byte for byte)
	$(BIN)/workbench sample --seed $(SAMPLE_SEED) --out data/raw/surveys

notebook-checks: env ## Store fresh outputs of the cells nbval checks (# NBVAL_CHECK_OUTPUT)
	$(BIN)/python -m analysis.refresh_nbval notebooks/*.ipynb

lint: env ## Lint and format-check with ruff
	$(BIN)/ruff check src tests notebooks benchmarks && $(BIN)/ruff format --check src tests benchmarks

env: $(STAMP) ## Create .venv (or re-install after pyproject.toml changed) and register the kernel

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) \
	  --display-name "Python (民政工作台 .venv)" >/dev/null
	@touch $@
	@echo "Environment ready in $(VENV); Jupyter kernel '$(KERNEL)' registered."

sysdeps: ## Install missing Debian packages when root; otherwise list them
	@missing=""; for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Missing Debian packages:$$missing (not root: install them with apt-get;"; \
	  echo "  until then, PDF and browser checks are skipped)"; \
	fi

clean: ## Remove the environment and caches (keeps data and reports)
	rm -rf $(VENV) .pytest_cache .hypothesis src/*.egg-info
