# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
# Both create .venv, install what is needed and are safe to run again.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test lint setup bench clean browser mailserver

# Re-install when the project's dependencies change.
$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

setup: $(BIN)/.installed

run: setup
	$(BIN)/homestretch run --demo --host $(HOST) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/mypy

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
# They check every page with axe-core, installed from the npm registry into .browser-tools/ (gitignored)
# and injected by the tests from there: never fetched from a CDN.
AXE_CORE_VERSION := 4.10.3
AXE := .browser-tools/node_modules/axe-core/axe.min.js
browser: $(AXE)
	@command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

$(AXE):
	@command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm install --prefix .browser-tools --no-audit --no-fund --ignore-scripts --save-exact axe-core@$(AXE_CORE_VERSION)

# The mail-in tests read a real IMAP server: Debian's Dovecot, started by the tests on a free loopback port
# with a configuration of their own (homestretch/mailin/tests/dovecot.py); the machine's is never used.
mailserver:
	@test -x /usr/sbin/dovecot || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y dovecot-imapd)

test: lint browser mailserver
	$(BIN)/pytest
	@if [ -n "$$HOMESTRETCH_TEST_POSTGRES" ]; then \
		echo "== The suite again on PostgreSQL ($$HOMESTRETCH_TEST_POSTGRES)"; \
		DATABASE_URL="$$HOMESTRETCH_TEST_POSTGRES" $(BIN)/pytest; \
	else \
		echo "== PostgreSQL run skipped: set HOMESTRETCH_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test to run it (.ci/run does)"; \
	fi

bench: setup
	$(BIN)/homestretch bench --scale large

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
