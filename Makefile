# Two entry points for a newcomer: `make demo` and `make test` (each sets up .venv if missing).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow lint docs setup bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(VENV)/bin/qportfolio solve --synthetic 6 --k 2 -o batches=1 --quiet > /dev/null  # compile the default solver's kernel once (~5 s; numba caches it)
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/qportfolio demo

# the default tier, one worker per core (pytest-xdist; a file's tests stay on one worker): minutes
test: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile

# the slow tier (scale checks, the notebooks, the OR-Library sweeps)
test-slow: $(STAMP)
	$(PY) -m pytest -q -n auto --dist loadfile -m slow

lint: $(STAMP)
	$(PY) -m ruff check qportfolio tests benchmarks

docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict -q -d site

bench: $(STAMP)
	$(PY) benchmarks/encode_speed.py
	$(PY) benchmarks/sa_vs_exact.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build site *.egg-info
