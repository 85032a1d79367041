# The README's commands. `make book` builds the HTML book; `make test` runs
# every test. Both create the virtual environment .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test serve clean bench help

help:
	@echo "make book   build the HTML book into _build/html (creates $(VENV) on first use)"
	@echo "make test   run every test (lib, notebooks, book build, student edition, Colab emulation, browser)"
	@echo "make serve  serve the built book on http://127.0.0.1:8000"
	@echo "make bench  run the benchmarks and print their ratios (results in benchmarks/results/)"
	@echo "make clean  remove the built book (keeps the execution cache)"

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/python scripts/cache_guard.py
	env -u MPLBACKEND $(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "Book built: open _build/html/index.html (or run: make serve)"

test: $(STAMP)
	bash scripts/ensure_system_packages.sh
	@echo "== every test that needs no network, with the network unreachable =="
	MPLBACKEND=Agg bash scripts/offline.sh $(BIN)/python -m pytest -m "not network"
	@echo "== the tests that install into a fresh environment (the Colab emulation) =="
	MPLBACKEND=Agg $(BIN)/python -m pytest -m network

serve: $(STAMP)
	$(BIN)/python scripts/serve_book.py

bench: $(STAMP)
	env -u MPLBACKEND $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build/html _build/jupyter_execute
