# The README's commands. `make book` builds the HTML book; `make test` runs
# every test. Both create the virtual environment .venv on first use, from the
# lock files (Python 3.11): `make book` installs only what the book needs,
# `make test` adds the test tools.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
BOOK_STAMP := $(VENV)/.installed-book
TEST_STAMP := $(VENV)/.installed-test

.PHONY: book test test-fast serve clean bench help pdf pdf-zh site site-student bundle lock release release-check book-zh locale book-student assignments grade

help:
	@echo "make book     build the HTML book into _build/html (creates $(VENV) on first use)"
	@echo "make book-zh  build the Simplified Chinese edition into _build/zh/html"
	@echo "make book-student  build the student book (no solutions) into _build/student/html"
	@echo "make locale   update the translation catalogues (locale/) after an English change"
	@echo "make test     run every test (lib, notebooks, book build, student edition, Colab emulation, browser)"
	@echo "make test-fast  lib's doctests and tests, the exercise checks and the static checks (no book, browser, PDF, notebook or install)"
	@echo "make serve    serve the built book on http://127.0.0.1:8000"
	@echo "make bench    run the benchmarks and print their ratios (results in benchmarks/results/)"
	@echo "make pdf      print the built book (run make book first) to _build/pdf/ (the whole book, and a student edition)"
	@echo "make pdf-zh   print the built Chinese edition (make book-zh first) to _build/zh/pdf/"
	@echo "make site     the published site in _build/site: the book at its root, the Chinese edition in zh/"
	@echo "make site-student  the published site of a term that hides solutions: the student book alone"
	@echo "make bundle   the offline bundle: notebooks and a wheel of lib in _build/bundle/"
	@echo "make lock     refresh the lock files from requirements-book.txt and requirements.txt"
	@echo "make release VERSION=x.y.z   move every reference to a new version (x.y.z.dev0 reopens main)"
	@echo "make release-check [TAG=vx.y.z]   do the version references agree (and is TAG this release's tag)?"
	@echo "make clean    remove the built book and Sphinx's saved state (keeps the execution cache)"
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

# Two groups at once, each on its own core (pytest-xdist, scripts/run_tests.sh):
# every test that needs no network, inside a network namespace with only the
# loopback; then the tests that install into fresh environments (the Colab
# emulation, the packaging builds).
test: $(TEST_STAMP)
	bash scripts/ensure_system_packages.sh
	MPLBACKEND=Agg bash scripts/run_tests.sh $(BIN)/python

# lib's doctests and tests (differential, fuzzing), the exercise checks and the
# static checks (lint, API docs, environment, source map): what to run while
# changing lib. No book, browser, PDF, notebook or install (tests/conftest.py).
test-fast: $(TEST_STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -n 2 --dist loadfile -m fast

serve: $(BOOK_STAMP)
	$(BIN)/python scripts/serve_book.py

bench: $(TEST_STAMP)
	env -u MPLBACKEND $(BIN)/python benchmarks/run_all.py

# Sphinx's saved state (.doctrees) goes too: a page is rebuilt from it.
clean:
	rm -rf _build/html _build/jupyter_execute _build/.doctrees

# The PDFs print what `make book` (`make book-zh`) built; they never rebuild it.
pdf: $(TEST_STAMP)
	@test -f _build/html/index.html || (echo "no built book: run make book first" && exit 1)
	$(BIN)/python scripts/build_pdf.py

pdf-zh: $(TEST_STAMP)
	@test -f _build/zh/html/index.html || (echo "no built Chinese edition: run make book-zh first" && exit 1)
	$(BIN)/python scripts/build_pdf.py --edition zh

# What the publishing workflow uploads: both editions (and the PDFs printed
# before it) with their edition switches rewritten for one site.
SITE ?= _build/site
site: $(BOOK_STAMP)
	$(BIN)/python scripts/assemble_site.py --out $(SITE)

# The site of a term that hides the solutions: the student book alone
# (run make book-student first).
site-student: $(BOOK_STAMP)
	$(BIN)/python scripts/assemble_site.py --student --out $(SITE)

bundle: $(BOOK_STAMP)
	$(BIN)/python scripts/build_bundle.py

lock: $(TEST_STAMP)
	$(BIN)/uv pip compile requirements.txt --python-version 3.11 --quiet --custom-compile-command "make lock  (uv pip compile --python-version 3.11)" -o requirements.lock
	$(BIN)/uv pip compile requirements-book.txt -c requirements.lock --python-version 3.11 --quiet --custom-compile-command "make lock  (uv pip compile --python-version 3.11)" -o requirements-book.lock
	$(BIN)/python scripts/pin_binder.py

release: $(BOOK_STAMP)
	@test -n "$(VERSION)" || (echo "usage: make release VERSION=x.y.z" && exit 1)
	$(BIN)/python scripts/release.py set $(VERSION)

# The publishing workflow's first step: refuses a ref that is not this release's
# tag. TAG reaches the script through the environment, never through the
# recipe's text, so no tag name can end the command or add one; given on the
# command line, it is taken as written (make would otherwise expand $(...) in it).
ifeq ($(origin TAG),command line)
override TAG := $(value TAG)
export TAG
endif
release-check: $(BOOK_STAMP)
	$(BIN)/python scripts/release.py check $${TAG+--tag "$$TAG"}

# The Chinese edition: the same source and _config.yml, with language zh_CN
# and the catalogues in locale/ (scripts/book_edition.py).
book-zh: $(BOOK_STAMP)
	$(BIN)/python scripts/cache_guard.py
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
