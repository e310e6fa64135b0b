# Two commands do all the set-up: `make run` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PIP_INSTALL := $(BIN)/pip install --quiet --disable-pip-version-check --build-constraint .pip-build-constraints.txt

# The test suite runs on PostgreSQL and Redis, never on SQLite. TEST_ENV takes a database
# name and a Redis database number, so that two runs can share the servers.
TEST_POSTGRES ?= postgres://postgres@127.0.0.1:5432
TEST_REDIS ?= redis://127.0.0.1:6379
TEST_ENV = DATABASE_URL=$(TEST_POSTGRES)/$(1) CELERY_BROKER_URL=$(TEST_REDIS)/$(2) \
	CELERY_TASK_ALWAYS_EAGER=true DJANGO_ALLOW_ASYNC_UNSAFE=true DEBUG=true

.PHONY: run test test-processes test-the-rest lint install install-test services browser demo translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade "pip>=25.3"

$(VENV)/.installed: pyproject.toml .pip-build-constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml .pip-build-constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[test]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## run: install, migrate, load the demo and start web + worker + beat on http://127.0.0.1:$(PORT)
run: install
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/python manage.py seed_demo
	@echo "Starting the web server on http://127.0.0.1:$(PORT), and a Celery worker with beat. Ctrl-C stops all."
	@export SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(BIN)/celery -A mentorship_site worker --beat --loglevel INFO --concurrency 2 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: install what the tests need, start PostgreSQL and Redis if they are down, lint, run the suite
# The whole suite runs as two halves at once, each with its own database and Redis
# database: the tests that drive Chromium or start Celery and gunicorn processes, which
# spend most of their time waiting (with the few long computing tests beside them), and
# all the others. With PYTEST_ARGS, one run.
test: install-test browser services lint
ifeq ($(strip $(PYTEST_ARGS)),)
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-processes test-the-rest
else
	$(call TEST_ENV,mentorship,14) $(BIN)/python -m pytest $(PYTEST_ARGS)
endif

test-processes:
	$(call TEST_ENV,mentorship_processes,12) $(BIN)/python -m pytest -m "browser or worker or long"

test-the-rest:
	$(call TEST_ENV,mentorship,14) $(BIN)/python -m pytest -m "not browser and not worker and not long"

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## translations: refresh the French catalogue after changing text, then translate and compile it
translations: install
	$(BIN)/python manage.py makemessages --locale fr --no-obsolete --ignore '.venv/*' --ignore 'var/*' --add-location file
	$(BIN)/python manage.py makemessages --locale fr --domain djangojs --no-obsolete --ignore '.venv/*' --ignore 'var/*' --add-location file
	$(BIN)/python manage.py compilemessages --locale fr --ignore '.venv/*'

browser:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	command -v pg_ctlcluster >/dev/null || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing Debian packages:$$missing. Install them with: sudo apt-get install$$missing"; exit 1; \
		fi; \
	fi

services:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		echo "Starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | sort -V | tail -n 1) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then \
		echo "Starting Redis"; \
		mkdir -p /var/lib/redis /var/log/redis; \
		redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
			--dir /var/lib/redis --logfile /var/log/redis/ci.log; \
		for i in $$(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done; \
	fi

demo: install
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/python manage.py seed_demo

clean:
	rm -rf var/static var/mail .pytest_cache .ruff_cache
