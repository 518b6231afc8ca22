# Cyber Care assistant. The two commands a newcomer needs: `make run` and `make test`.
# Everything else (setup, train, bench) is a step they call, usable on its own.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
RASA := RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 $(VENV)/bin/rasa
MODEL := models/cybercare.tar.gz

# Python 3.10 (Rasa 3.6 supports no newer): PATH first, then pyenv's installed 3.10.x.
BASE_PY := $(shell for p in python3.10 $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python $(HOME)/.pyenv/versions/3.10.*/bin/python; do \
  "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { command -v "$$p"; break; }; done)

# What the model is trained from: a change to any of these retrains it.
TRAINING_INPUTS := config.yml domain.yml $(shell find nlu_data bot/nlu bot/dialogue -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

.PHONY: setup train run run-production test test-unit lint eval bench clean help telegram-webhook

help:
	@echo "make run    set up, train if needed, start the assistant (web chat URL is printed)"
	@echo "make run-production   the same on PostgreSQL + Redis with two workers of each server"
	@echo "make test   set up, train if needed, run every test"
	@echo "make test-unit   the unit tests only (no model, no server, no browser): the quick loop"
	@echo "make lint   ruff (ruff.toml), also part of make test"
	@echo "make eval   the evaluation corpus against the running stack (also part of make test)"
	@echo "make setup | make train | make bench | make clean"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@if [ -z "$(BASE_PY)" ]; then echo "Python 3.10 is needed (Rasa 3.6 runs on no newer). Install it, e.g. 'pyenv install 3.10.13'." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(BASE_PY)"
	$(BASE_PY) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip<24.1" wheel
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip check
	touch $@

setup: $(VENV)/.installed

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p models
	@start=$$(date +%s); \
	$(RASA) train --config config.yml --domain domain.yml --data nlu_data --out models --fixed-model-name cybercare --quiet && \
	echo "$$(( $$(date +%s) - start ))" > models/.training_seconds
	@touch $@

train: $(MODEL)

run: $(MODEL)
	$(PY) -m bot.launcher

# PostgreSQL and Redis from TRACKER_DB_URL, CLAIMS_DB_URL, REDIS_URL (defaults: this machine's); see README.
run-production: $(MODEL)
	$(PY) -m bot.launcher --production

# Browser tests drive Debian's Chromium through chromedriver; installed here when missing.
test-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { echo "Installing chromium + chromedriver (browser tests)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) || \
	    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null); }

test: lint $(MODEL) test-deps
	RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 $(PY) -m pytest tests -p no:cacheprovider

# In-process tests only (markers in tests/conftest.py): no model to train, no server, no browser.
test-unit: $(VENV)/.installed
	RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 $(PY) -m pytest tests -m unit -q -p no:cacheprovider

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

# The corpus of what people write (tests/eval/README.md), played against a stack of its own: figures to results/.
eval: $(MODEL)
	RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 $(PY) -m pytest tests/eval -p no:cacheprovider -q -s

bench: $(MODEL)
	RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 $(PY) -m tests.bench.run_bench

# Registers the Telegram webhook and the bot's commands, once (never at server start); see README.
telegram-webhook: $(VENV)/.installed
	$(PY) -m bot.channels.telegram_setup

clean:
	rm -rf models results var/*.db .pytest_cache
