# Two entry points: `make run` and `make test`. Both build .venv from the pinned requirements first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# SAELens (for the interop tests only) pulls transformers, datasets and more: a venv of its own, kept out of
# the app's requirements, built and cached like .venv.
SAELENS_VENV := .venv-saelens
SAELENS_STAMP := $(SAELENS_VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
AXE_DIR := tests/browser/axe
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js
REPLICAS ?= 2

.PHONY: run serve test unit interop apptest browser bench screenshots chromium nginx node saelens clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# pyproject.toml: Streamlit serves components/web/ only for an installed distribution (editable: the tree's own files)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(SAELENS_STAMP): requirements-saelens.txt
	$(PYTHON) -m venv $(SAELENS_VENV)
	$(SAELENS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-saelens.txt
	touch $(SAELENS_STAMP)

saelens: $(SAELENS_STAMP)

# Browser tests drive Debian's Chromium; install it when missing and we are allowed to.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; \
	  else \
	    echo "chromium is missing and this user is not root: run 'sudo apt-get install chromium'"; exit 1; \
	  fi; \
	fi

# The accessibility test runs axe-core, pinned in $(AXE_DIR)/package-lock.json; npm comes from Debian when missing.
node:
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's nodejs and npm for axe-core..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "npm is missing and this user is not root: run 'sudo apt-get install nodejs npm'"; exit 1; \
	  fi; \
	fi

$(AXE): $(AXE_DIR)/package-lock.json | node
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --silent
	touch $(AXE)

# `make serve REPLICAS=N` puts N replicas behind nginx (deploy/serve.py); it and its test need Debian's nginx.
nginx:
	@if [ ! -x $(NGINX) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's nginx for the replicas' proxy..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else \
	    echo "nginx is missing and this user is not root: run 'sudo apt-get install nginx-light'"; exit 1; \
	  fi; \
	fi

# Two malloc heaps for all the script threads, as every way of starting the app sets (deploy/serve.py SERVER_ENV).
MALLOC_ARENA_MAX ?= 2
run: $(STAMP)
	MALLOC_ARENA_MAX=$(MALLOC_ARENA_MAX) $(PY) -m streamlit run app.py --server.port $(PORT)

serve: $(STAMP) nginx
	$(PY) deploy/serve.py --replicas $(REPLICAS) --port $(PORT)

test: $(STAMP) $(SAELENS_STAMP) chromium nginx $(AXE)
	$(PY) -m pytest

# Tiers (markers set by folder in tests/conftest.py): unit tests without the slow ones run in seconds.
unit: $(STAMP)
	$(PY) -m pytest -m "not (browser or apptest or interop or fuzz or slow)"

interop: $(STAMP) $(SAELENS_STAMP)
	$(PY) -m pytest -m interop

apptest: $(STAMP)
	$(PY) -m pytest -m apptest

browser: $(STAMP) chromium nginx $(AXE)
	$(PY) -m pytest -m browser

bench: $(STAMP) chromium
	$(PY) bench/run_all.py

# The README's gallery, from the real app in Chromium (writes docs/gallery/ and the README's gallery section).
screenshots: $(STAMP) chromium
	$(PY) scripts/gallery.py

clean:
	rm -rf $(VENV) $(SAELENS_VENV) $(AXE_DIR)/node_modules .pytest_cache
