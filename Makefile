# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run example test lint bench serve screenshots clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# the API with the embedded Redis and its own batch workers (no REDIS_URL needed)
run: serve

example: $(STAMP)
	$(BIN)/healthgeo audit examples/medical-article.html

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/audit_speed.py

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

serve: $(STAMP)
	HEALTHGEO_AUTH=disabled $(BIN)/gunicorn -c service/api/gunicorn_conf.py --bind 127.0.0.1:8000 wsgi:app

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
