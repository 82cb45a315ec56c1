# Two commands on a fresh machine: `make edition` builds the edition, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
ARGOS  := argostranslate==1.11.0

.PHONY: edition test test-fast bench setup system clean

edition: $(STAMP)
	scripts/setup-system.sh edition
	$(VENV)/bin/bitext build

test: $(STAMP)
	scripts/setup-system.sh test
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow"

bench: $(STAMP)
	scripts/setup-system.sh edition
	$(PY) -m bench

setup: $(STAMP)

# argostranslate's own dependencies (stanza, torch, spacy) are gigabytes; we only
# use argostranslate.package and run CTranslate2 ourselves, so it goes in --no-deps.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps $(ARGOS)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf build
