# Two commands set everything up on a fresh machine:
#   make site   build the site from source/ into site/
#   make test   run every test (installs Debian's chromium when missing and run as root)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed

.PHONY: site generate check serve test faults lint chromium node bundle bench bench-large clean

site: $(RUNTIME)
	$(BIN)/python -m builder build

generate: $(RUNTIME)
	$(BIN)/python -m builder generate

check: $(RUNTIME)
	$(BIN)/python -m builder check

bundle: $(RUNTIME)
	$(BIN)/python -m builder bundle

# Benchmarks (never timed assertions in tests): results in bench/results/<size>.json;
# tagging speed and quality (gold tune/held-out, ANERcorp) in bench/results/tagging.json;
# the worst time of one hostile source file (the README's bound) in bench/results/hostile.json.
bench: $(DEV)
	$(BIN)/python bench/run.py --sizes 1k,10k
	$(BIN)/python bench/tagging_bench.py --sizes 1k,10k --out bench/results/tagging.json
	$(BIN)/python bench/hostile_bench.py --out bench/results/hostile.json

# 100k: the builder stage (cold and with its cache) and the search index, without
# MkDocs. The whole 100k bench (bench/run.py --sizes 100k) takes about 90 minutes
# here: the full build 45, plain MkDocs 26, the four rebuilds 13.
bench-large: $(DEV)
	$(BIN)/python bench/run.py --sizes 100k --builder-only
	$(BIN)/python bench/search_bench.py --size 100000 --out bench/results/search-100k.json

serve: $(RUNTIME)
	$(BIN)/python -m builder generate
	$(BIN)/mkdocs serve

test: $(DEV) chromium node lint
	node --test tests/js/
	$(BIN)/python -m pytest

# The slow and concurrent cases of the fault campaign (kills, races, hostile
# inputs at full size): kept out of `make test`, run by CI after it.
faults: $(DEV)
	$(BIN)/python -m pytest -m faults

lint: $(DEV)
	$(BIN)/ruff check builder tests tools bench
	$(BIN)/ruff format --check builder tests tools bench
	$(BIN)/mypy

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(DEV): requirements-dev.lock $(RUNTIME)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

# Browser tests use Debian's chromium (Playwright cannot download browsers here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is missing: run 'sudo apt-get install chromium' (browser tests will be skipped)"; \
	  fi; \
	fi

# The search analyzer is implemented twice (Python, JS); node checks the JS half.
node:
	@if ! command -v node >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's nodejs for the JavaScript tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs >/dev/null; \
	  else \
	    echo "node is missing: run 'sudo apt-get install nodejs'"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf site build dist .site.fingerprint docs/index.md docs/articles docs/archive docs/tags docs/search
