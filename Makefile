# The two commands of the README: `make serve` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: serve test install install-dev frontend demo lint format messages clean

serve: install frontend demo  ## Set up and serve the demo site at http://127.0.0.1:8000/ (SQLite, Celery eager)
	$(BIN)/python manage.py runserver $(HOST)

test: install-dev frontend  ## Set up and run the whole test suite
	$(BIN)/python -m pytest

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

frontend: node_modules/.package-lock.json

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install-dev  ## Refresh the Bengali catalogue after changing UI strings (needs GNU gettext)
	$(BIN)/python manage.py makemessages --locale bn --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'var/*'
	$(BIN)/python manage.py compilemessages --locale bn --ignore '.venv/*'

clean:
	rm -rf $(VENV) node_modules var
