# Two commands on a fresh machine: `make edition` builds the edition, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --quiet --disable-pip-version-check
STAMP  := $(VENV)/.installed-stamp

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

# bitext reads Argos packages and runs CTranslate2 itself; argostranslate is here only for
# the test that checks the fixture package with it and the bench's baseline. Its own
# requirements (stanza, spaCy, torch) are gigabytes, so it goes in --no-deps, and
# last: pip's resolver reports the requirements it lacks (an ERROR line) whenever it
# installs something argostranslate depends on while argostranslate is there. Its
# version is the `argos` extra of pyproject.toml, read through bitext's metadata.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) uninstall -qq --yes argostranslate
	$(PIP) install -e '.[test]'
	$(PIP) install --no-deps "$$($(PY) -c 'from translate.translation.optional import argostranslate_requirement as r; print(r())')"
	touch $(STAMP)

clean:
	rm -rf build
