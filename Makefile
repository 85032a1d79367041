# The README's commands. `make book` builds the HTML book; `make test` runs
# every test. Both create the virtual environment .venv on first use, from the
# lock files (Python 3.11): `make book` installs only what the book needs,
# `make test` adds the test tools.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BOOK_STAMP := $(VENV)/.installed-book
TEST_STAMP := $(VENV)/.installed-test

.PHONY: book test serve clean bench help pdf pdf-zh site bundle lock release book-zh locale book-student assignments grade

help:
	@echo "make book     build the HTML book into _build/html (creates $(VENV) on first use)"
	@echo "make book-zh  build the Simplified Chinese edition into _build/zh/html"
	@echo "make book-student  build the student book (no solutions) into _build/student/html"
	@echo "make locale   update the translation catalogues (locale/) after an English change"
	@echo "make test     run every test (lib, notebooks, book build, student edition, Colab emulation, browser)"
	@echo "make serve    serve the built book on http://127.0.0.1:8000"
	@echo "make bench    run the benchmarks and print their ratios (results in benchmarks/results/)"
	@echo "make pdf      print the book to _build/pdf/ (the whole book, and a student edition)"
	@echo "make pdf-zh   print the Chinese edition to _build/zh/pdf/ (the same two PDFs)"
	@echo "make site     the published site in _build/site: the book at its root, the Chinese edition in zh/"
	@echo "make bundle   the offline bundle: notebooks and a wheel of lib in _build/bundle/"
	@echo "make lock     refresh the lock files from requirements-book.txt and requirements.txt"
	@echo "make release VERSION=x.y.z   move every reference to a new version"
	@echo "make clean    remove the built book (keeps the execution cache)"
	@echo "make assignments   the graded assignments (notebook + grading.json per chapter) in _build/assignments/"
	@echo "make grade SUBMISSIONS=dir [OUT=dir]   grade the .ipynb files in dir (needs COURSE_GRADING_SECRET)"

$(BOOK_STAMP): requirements-book.lock pyproject.toml
	$(PYTHON) -c 'import sys; v = sys.version_info[:2]; v == (3, 11) or print(f"Note: the lock files are for Python 3.11; this is {v[0]}.{v[1]}.")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements-book.lock
	$(BIN)/python -m pip install --no-deps -e .
	touch $(BOOK_STAMP)

$(TEST_STAMP): $(BOOK_STAMP) requirements.lock
	$(BIN)/python -m pip install -r requirements.lock
	touch $(TEST_STAMP)

book: $(BOOK_STAMP)
	$(BIN)/python scripts/cache_guard.py
	env -u MPLBACKEND $(BIN)/jupyter-book build . -W -n --keep-going
	@echo
	@echo "Book built: open _build/html/index.html (or run: make serve)"

test: $(TEST_STAMP)
	bash scripts/ensure_system_packages.sh
	@echo "== every test that needs no network, with the network unreachable =="
	MPLBACKEND=Agg bash scripts/offline.sh $(BIN)/python -m pytest -m "not network"
	@echo "== the tests that install into a fresh environment (the Colab emulation) =="
	MPLBACKEND=Agg $(BIN)/python -m pytest -m network

serve: $(BOOK_STAMP)
	$(BIN)/python scripts/serve_book.py

bench: $(TEST_STAMP)
	env -u MPLBACKEND $(BIN)/python benchmarks/run_all.py

clean:
	rm -rf _build/html _build/jupyter_execute

pdf: book $(TEST_STAMP)
	$(BIN)/python scripts/build_pdf.py

pdf-zh: book-zh $(TEST_STAMP)
	$(BIN)/python scripts/build_pdf.py --edition zh

# What the publishing workflow uploads: both editions (and the PDFs printed
# before it) with their edition switches rewritten for one site.
site: $(BOOK_STAMP)
	$(BIN)/python scripts/assemble_site.py

bundle: $(BOOK_STAMP)
	$(BIN)/python scripts/build_bundle.py

lock: $(TEST_STAMP)
	$(BIN)/uv pip compile requirements.txt --python-version 3.11 --quiet --custom-compile-command "make lock  (uv pip compile --python-version 3.11)" -o requirements.lock
	$(BIN)/uv pip compile requirements-book.txt -c requirements.lock --python-version 3.11 --quiet --custom-compile-command "make lock  (uv pip compile --python-version 3.11)" -o requirements-book.lock
	$(BIN)/python scripts/pin_binder.py

release: $(BOOK_STAMP)
	@test -n "$(VERSION)" || (echo "usage: make release VERSION=x.y.z" && exit 1)
	$(BIN)/python scripts/release.py set $(VERSION)

# The Chinese edition: the same source and _config.yml, with language zh_CN
# and the catalogues in locale/ (scripts/book_edition.py).
book-zh: $(BOOK_STAMP)
	env -u MPLBACKEND $(BIN)/python scripts/book_edition.py zh
	@echo "Chinese edition built: open _build/zh/html/index.html"

# The student book: the same pages without their solutions
# (scripts/build_student_book.py); it shares the execution cache of `make book`.
book-student: $(BOOK_STAMP)
	$(BIN)/python scripts/cache_guard.py
	env -u MPLBACKEND $(BIN)/python scripts/build_student_book.py

locale: $(BOOK_STAMP)
	$(BIN)/python scripts/book_edition.py locale

# Graded assignments (grading/, CONTRIBUTING.md "Graded assignments"): the
# student notebooks with a hand-in cell, and a grader that runs each
# submission in its own isolated kernel and judges the answers in its own
# process. `make grade` needs the secret in COURSE_GRADING_SECRET (or a file
# named by COURSE_GRADING_SECRET_FILE).
assignments: $(BOOK_STAMP)
	$(BIN)/python -m grading.assign --out _build/assignments

grade: $(BOOK_STAMP)
	@test -n "$(SUBMISSIONS)" || (echo "usage: make grade SUBMISSIONS=dir [OUT=dir]" && exit 1)
	$(BIN)/python -m grading.grade "$(SUBMISSIONS)" --out "$(or $(OUT),_build/grades)"
