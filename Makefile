# Two entry points: `make run` and `make test`. Both build .venv from the pinned requirements first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501
CHROMIUM := /usr/bin/chromium

.PHONY: run test unit apptest browser bench chromium clean

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

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

run: $(STAMP)
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: $(STAMP) chromium
	$(PY) -m pytest

unit: $(STAMP)
	$(PY) -m pytest tests/sae_core

apptest: $(STAMP)
	$(PY) -m pytest tests/pages

browser: $(STAMP) chromium
	$(PY) -m pytest tests/browser

bench: $(STAMP) chromium
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache
