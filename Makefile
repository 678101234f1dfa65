# The two commands of the README: `make serve` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The site's address follows HOST, so certificates, DIDs, wallet offers and emails point where the
# server answers (docs/site.md). Set LEARNING_SITE_URL yourself to serve behind another name.
LEARNING_SITE_URL ?= http://$(HOST)
export LEARNING_SITE_URL

.PHONY: serve test install install-dev frontend demo lint format messages dist clean peer-venv

serve: install frontend demo  ## Set up and serve the demo site at http://127.0.0.1:8000/ (SQLite, Celery eager)
	$(BIN)/python manage.py runserver $(HOST)

# One test process more than the machine has cores: the browser tests spend part of their time waiting
# on Chromium and the live server (on 2 cores the suite took 377 s with 3 processes, 418 s with 4).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

test: install-dev frontend  ## Set up and run the whole test suite
	env -u LEARNING_SITE_URL $(BIN)/python -m pytest -n $(TEST_WORKERS)  # tests set the site address themselves

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

# lrs: Ralph (ralph-malph), the independent LRS the forwarding tests talk to, in its own virtualenv
# because its pins clash with ours (tests/api/test_lrs_forwarding_ralph.py finds it at LRS_PEER_VENV).
LRS_PEER_VENV ?= $(abspath ..)/lrs-peer-venv
$(LRS_PEER_VENV)/bin/ralph:
	$(PYTHON) -m venv $(LRS_PEER_VENV)
	$(LRS_PEER_VENV)/bin/python -m pip install --quiet "ralph-malph[cli,lrs]==5.1.0" requests

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(LRS_PEER_VENV)/bin/ralph

# bench/lesson_page.py's peer (`make peer-venv`; the tests do not need it), wagtail-lms from PyPI, in a venv of its own (its pins differ from ours).
PEER_VENV ?= ../site-peer-venv
$(PEER_VENV)/.installed: bench/peer-requirements.txt
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r bench/peer-requirements.txt
	touch $@

peer-venv: $(PEER_VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# The verification page's offline checker: Digital Bazaar's verifier bundled from node_modules.
certification/static/certification/offline-verifier.js: node_modules/.package-lock.json certification/verifier/offline-verifier.mjs certification/verifier/buffer-shim.mjs
	npm run -s build

# The SCORM runtime the lesson pages load: scorm-again's browser build, copied from node_modules.
courses/static/courses/vendor/scorm-again.min.js: node_modules/.package-lock.json
	mkdir -p $(@D)
	cp node_modules/scorm-again/dist/scorm-again.min.js node_modules/scorm-again/dist/scorm-again.min.js.map node_modules/scorm-again/LICENSE $(@D)/
	touch $@

# The offline lessons' service worker (docs/offline.md): Workbox's routing and strategies, bundled;
# and the pages' loader (save for offline, the outbox), minified.
courses/static/courses/offline/sw.js: node_modules/.package-lock.json courses/offline/service-worker.mjs courses/offline/page.js
	npm run -s build:sw

frontend: node_modules/.package-lock.json certification/static/certification/offline-verifier.js courses/static/courses/vendor/scorm-again.min.js courses/static/courses/offline/sw.js

demo: install
	$(BIN)/python manage.py migrate --noinput --skip-checks
	$(BIN)/python manage.py seed_demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-dev  ## Refresh each app's Bengali and Dzongkha catalogues, filled from locale_drafts/ (needs GNU gettext)
	$(BIN)/python tools/apply_locale_drafts.py bn dz

# The suite as a wheel for other Wagtail sites (docs/packaging.md): it carries the built front-end files.
dist: install-dev frontend
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation -w dist .
	rm -rf build learning_suite.egg-info

clean:
	rm -rf $(VENV) node_modules var build dist learning_suite.egg-info
