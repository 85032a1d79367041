"""The student book (``make book-student``, scripts/build_student_book.py):
the book without its solutions.

Unit tests of the script's transforms on small inputs, then the built book:
it builds with ``-W -n --keep-going`` after the main book (so it reuses its
execution cache), and no page of it holds a solution, a solution's text or a
link to one, while every exercise is still there. The student notebooks of
``student/`` link to no copy with the solutions either.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import BUILD, HTML, ROOT, make_once

sys.path.insert(0, str(ROOT / "scripts"))
from build_student_book import (  # noqa: E402
    RUBRICS_WITHHELD,
    replace_downloads,
    solution_labels,
    student_book_markdown,
    student_book_notebook,
    unlink_solution_refs,
    withhold_rubrics,
    write_config,
)
from setup_cell import chapter_notebooks, repository_reference  # noqa: E402

STUDENT_HTML = BUILD / "student" / "html"
STUDENT_LOG = BUILD / "student-build.log"

# ------------------------------------------------------------ the transforms

GATED = """Intro.

```{exercise}
:label: ex-a
Compute $x$.
```

```{solution-start} ex-a
:class: dropdown
```
The answer is 42.

```{solution-end}
```

After."""


def test_gated_solution_in_markdown_loses_its_text():
    assert student_book_markdown(GATED, set()) == (
        "Intro.\n\n```{exercise}\n:label: ex-a\nCompute $x$.\n```\n\n\n\nAfter."
    )


def test_single_cell_solution_directive_is_removed():
    text = "Before.\n\n```{solution} ex-b\n:class: dropdown\nBecause the matrix is TU.\n```\nNext."
    assert student_book_markdown(text, set()) == "Before.\n\nNext."


def test_two_solutions_and_the_text_between_them():
    text = ("A\n```{solution-start} ex-a\n```\nsecret one\n```{solution-end}\n```\nB\n"
            "```{solution} ex-b\nsecret two\n```\nC")  # fmt: skip
    assert student_book_markdown(text, set()) == "A\n\nB\nC"


def test_solution_labels_are_collected_from_their_options():
    texts = [
        "```{solution} ex-b\n:label: sol-b\n:class: dropdown\nText\n```",
        "```{solution-start} ex-a\n:class: dropdown\n:label: sol-a\n```\nText",
        "```{exercise}\n:label: ex-c\nNot a solution.\n```",
        "```{solution} ex-d\nNo label: only a generated id.\n```",
    ]
    assert solution_labels(texts) == {"sol-a", "sol-b"}


def test_links_to_solutions_keep_their_text_only():
    text = "See {ref}`the solution <sol-a>`, {numref}`sol-a`, {ref}`sol-b` and {ref}`a section <sec-x>`."
    assert unlink_solution_refs(text, {"sol-a", "sol-b"}) == "See the solution, ,  and {ref}`a section <sec-x>`."


def test_a_page_linking_to_a_solution_label_loses_the_link():
    text = "```{solution} ex-b\n:label: sol-b\nWhy.\n```\nAs {ref}`shown above <sol-b>`, done."
    assert student_book_markdown(text, solution_labels([text])) == "As shown above, done."


def test_notebook_keeps_solution_code_hidden_and_drops_its_prose():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook(cells=[
        md("```{exercise}\n:label: ex-a\nCompute it.\n```"),
        code("answer = ...\ncheck(\"ex-a\", answer)"),
        md("```{solution-start} ex-a\n:class: dropdown\n```\nThe trick is the 1/N."),
        code("answer = 42\ncheck(\"ex-a\", answer)"),
        md("More of the solution."),
        code("helper = answer + 1", metadata={"tags": ["hide-input"]}),
        md("```{solution-end}\n```\nAfter the solution."),
        code("print(helper)"),
    ])  # fmt: skip
    out = student_book_notebook(nb, set())
    assert [(c.cell_type, c.source, c.metadata.get("tags")) for c in out.cells] == [
        ("markdown", "```{exercise}\n:label: ex-a\nCompute it.\n```", None),
        ("code", "answer = ...\ncheck(\"ex-a\", answer)", None),
        ("code", "answer = 42\ncheck(\"ex-a\", answer)", ["remove-cell"]),
        ("code", "helper = answer + 1", ["hide-input", "remove-cell"]),
        ("markdown", "After the solution.", None),
        ("code", "print(helper)", None),
    ]


def test_unclosed_solution_is_an_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("```{solution-start} ex-a\n```\nx")])
    with pytest.raises(ValueError, match="no solution-end"):
        student_book_notebook(nb, set(), "x.ipynb")
    with pytest.raises(ValueError, match="no solution-end"):
        student_book_markdown("```{solution-start} ex-a\n```\nx", set(), "x.md")


def test_rubrics_block_is_withheld():
    page = ("# For instructors\n\n<!-- rubrics: start (written by scripts/student_edition.py) -->\n\n"
            "- Names the constraints.\n\n<!-- rubrics: end -->\n\nEnd.")  # fmt: skip
    assert withhold_rubrics(page) == (
        "# For instructors\n\n<!-- rubrics: start (written by scripts/student_edition.py) -->\n\n"
        f"{RUBRICS_WITHHELD}\n\n<!-- rubrics: end -->\n\nEnd."
    )
    assert withhold_rubrics("No markers here.") == "No markers here."


def test_config_points_at_the_cache_and_the_student_copies(tmp_path):
    (tmp_path / "_config.yml").write_text("title: Course\nrepository:\n  url: u\n  path_to_book: ''\n")
    write_config(tmp_path, tmp_path / "cache")
    config = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert config == {"title": "Course (student edition)", "repository": {"url": "u", "path_to_book": "student"},
                      "execute": {"cache": str(tmp_path / "cache")}}  # fmt: skip


def test_downloads_become_the_student_copies(tmp_path):
    html, student = tmp_path / "html", tmp_path / "student"
    for root, text in ((html / "_sources", "with solutions"), (student, "exercise copy")):
        (root / "chapters").mkdir(parents=True)
        (root / "chapters" / "a.ipynb").write_text(text)
    (html / "_sources" / "chapters" / "appendix.ipynb").write_text("no student copy")
    assert replace_downloads(html, student) == [html / "_sources" / "chapters" / "a.ipynb"]
    assert (html / "_sources" / "chapters" / "a.ipynb").read_text() == "exercise copy"
    assert (html / "_sources" / "chapters" / "appendix.ipynb").read_text() == "no student copy"


# ---------------------------------------------- the solutions, from the sources
# Read line by line (not with the script's patterns): each solution's prose
# lines and code cells, per page.


def _pages() -> list[Path]:
    return sorted([ROOT / "intro.md", *(ROOT / "chapters").rglob("*.md"), *(ROOT / "chapters").rglob("*.ipynb")])


def _page_cells(path: Path) -> list[tuple[str, str]]:
    if path.suffix == ".ipynb":
        return [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]
    return [("markdown", path.read_text(encoding="utf-8"))]


def solutions_in_sources() -> list[dict]:
    """Every solution of the book: page, exercise, ``:label:``, prose lines and code."""
    found, current = [], None
    for path in _pages():
        for kind, source in _page_cells(path):
            if kind == "code":
                if current is not None and current["gated"]:
                    current["code"].append(source)
                continue
            single = False
            for line in source.splitlines():
                stripped = line.strip()
                if stripped.startswith("```{solution-start}") or stripped.startswith("```{solution}"):
                    single = stripped.startswith("```{solution}")
                    current = {"page": path, "exercise": stripped.split("}", 1)[1].strip(), "label": None,
                               "prose": [], "code": [], "gated": not single}  # fmt: skip
                    found.append(current)
                elif current is None:
                    continue
                elif stripped.startswith("```{solution-end}"):
                    current = None
                elif single and stripped == "```":
                    current, single = None, False
                elif stripped.startswith(":label:"):
                    current["label"] = stripped.split(":label:")[1].strip()
                elif not stripped.startswith(":") and stripped != "```":
                    current["prose"].append(line)
    return found


#: Sphinx's smart quotes, back to the sources' plain ones.
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def _normal(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split())


#: Prose that renders as the same text in HTML: words, digits, light punctuation.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,;:'()\-]{30,}[A-Za-z0-9)]")


def distinctive_fragments(solution: dict) -> list[str]:
    """Pieces of a solution that render verbatim: runs of plain prose and
    whole code lines of 25 characters or more."""
    prose = _normal(" ".join(solution["prose"]))
    fragments = [m.group(0).strip() for m in PLAIN.finditer(prose)]
    for cell in solution["code"]:
        fragments += [line.strip() for line in cell.splitlines()
                      if len(line.strip()) >= 25 and not line.strip().startswith("#")]  # fmt: skip
    return fragments


def _outside_solutions() -> str:
    """The sources' text that is not inside any solution (what may show)."""
    kept = []
    for path in _pages():
        inside, single = False, False
        for kind, source in _page_cells(path):
            if kind == "code":
                if not inside:
                    kept.append(source)
                continue
            for line in source.splitlines():
                s = line.strip()
                if s.startswith("```{solution-start}"):
                    inside = True
                elif s.startswith("```{solution}"):
                    inside = single = True
                elif inside and (s.startswith("```{solution-end}") or (single and s == "```")):
                    inside = single = False
                elif not inside:
                    kept.append(line)
    return _normal("\n".join(kept))


SOLUTIONS = solutions_in_sources()


def test_the_sources_have_solutions_to_look_for():
    labels = {e for s in SOLUTIONS for e in [s["exercise"]]}
    from lib.checks import exercises

    assert labels == {e.label for e in exercises()}, "every exercise has one solution in the sources"


# ------------------------------------------------------------ the built book


@pytest.fixture(scope="session")
def built_student_book(built_book) -> Path:
    """The student book, built once per test run by `make book-student`, after
    the main book, so that it reuses the main book's execution cache
    (``_build/.jupyter_cache``)."""
    start = time.perf_counter()
    log = make_once("book-student")
    if log:
        STUDENT_LOG.write_text(log + f"\n(build and copy: {time.perf_counter() - start:.0f} s)\n", encoding="utf-8")
        assert "build succeeded" in log
    return STUDENT_HTML


def _html_pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "_static" not in p.parts)


class _Elements(HTMLParser):
    """The classes, ids and link targets of a page, and its visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.classes.update((attrs.get("class") or "").split())
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: Path) -> _Elements:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def _every_text(root: Path) -> dict[str, str]:
    """Each built file a reader can get, as normalised text: the pages'
    visible text, the search index, the downloadable sources."""
    texts = {}
    for page in _html_pages(root):
        texts[str(page.relative_to(root))] = _normal("".join(_parse(page).text))
    for path in [root / "searchindex.js", *(root / "_sources").rglob("*")]:
        if path.is_file():
            raw = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":
                raw = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                                for c in json.loads(raw)["cells"])  # fmt: skip
            texts[str(path.relative_to(root))] = _normal(html_lib.unescape(raw))
    return texts


def test_student_book_builds_strictly(built_student_book):
    assert (built_student_book / "index.html").is_file()
    reports = built_student_book / "reports"
    assert not (reports.exists() and any(reports.iterdir())), "a notebook failed: see its reports/"
    pages = {p.relative_to(built_student_book) for p in _html_pages(built_student_book)}
    assert pages == {p.relative_to(HTML) for p in _html_pages(HTML)}, "the same pages as the main book"


def test_no_page_has_solution_markup(built_student_book):
    # sphinx-exercise writes a solution as <div class="solution dropdown admonition"
    # id="<page>-solution-<n>"> titled "Solution to Exercise n" (the main book shows it).
    main = _parse(HTML / "chapters/part2_matching/01_matching_lp.html")
    assert "solution" in main.classes and any(re.search(r"-solution-\d+$", i) for i in main.ids)
    assert "Solution to" in " ".join(main.text)
    for page in _html_pages(built_student_book):
        found = _parse(page)
        where = page.relative_to(built_student_book)
        assert not {c for c in found.classes if c.startswith("solution")}, where
        assert not {i for i in found.ids if re.search(r"solution", i)}, where
        assert "Solution to" not in " ".join(found.text), where


def test_no_solution_text_anywhere(built_student_book):
    """A distinctive piece of every solution shows in the main book, and none
    shows in any page, the search index or a download of the student book."""
    outside = _outside_solutions()
    main = _every_text(HTML)
    main_text = " ".join(v for k, v in main.items() if k.endswith(".html"))
    student = _every_text(built_student_book)
    labels = [s["label"] for s in SOLUTIONS if s["label"]]
    for solution in SOLUTIONS:
        pieces = [f for f in distinctive_fragments(solution) if _normal(f) not in outside]
        shown = [f for f in pieces if _normal(f) in main_text]
        assert shown, f"no distinctive text of the solution to {solution['exercise']} found in the main book"
        for piece in pieces + labels:
            leaks = [name for name, text in student.items() if _normal(piece) in text]
            assert not leaks, f"{solution['exercise']}: {piece!r} is in {leaks}"


def test_no_link_to_a_solution(built_student_book):
    url, branch = repository_reference()
    slug = url.split("github.com/")[1]
    labels = {s["label"] for s in SOLUTIONS if s["label"]}
    full_notebook = re.compile(rf"(blob/{re.escape(branch)}|urlpath=tree)/chapters/")
    for page in _html_pages(built_student_book):
        where = page.relative_to(built_student_book)
        for href in _parse(page).hrefs:
            anchor = href.partition("#")[2]
            assert "solution" not in anchor and anchor not in labels, (where, href)
            assert not full_notebook.search(href), f"{where} opens a notebook with solutions: {href}"
    for notebook in chapter_notebooks():
        path = notebook.relative_to(ROOT).as_posix()
        page = (built_student_book / notebook.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
        # The rocket's Colab and Binder entries open the student copy.
        assert f"https://colab.research.google.com/github/{slug}/blob/{branch}/student/{path}" in page, path
        assert f"https://mybinder.org/v2/gh/{slug}/{branch}?urlpath=tree/student/{path}" in page, path


def test_every_exercise_is_still_there(built_student_book):
    from lib.checks import exercises

    for e in exercises():
        page = _parse(built_student_book / Path(e.chapter).with_suffix(".html"))
        assert e.label in page.ids and "exercise" in page.classes, e.label
    main = sum(" ".join(_parse(p).text).count("Exercise ") for p in _html_pages(HTML))
    student = sum(" ".join(_parse(p).text).count("Exercise ") for p in _html_pages(built_student_book))
    # The main book names each exercise once more, in its solution's title.
    assert main - student == len(SOLUTIONS)


def test_rubrics_and_downloads_hold_no_answer(built_student_book):
    from lib.checks import exercises

    page = _normal("".join(_parse(built_student_book / "chapters/instructors.html").text))
    assert _normal(RUBRICS_WITHHELD.replace("`", "")) in page
    for e in exercises():
        for item in e.rubric:
            assert _normal(item) not in page, (e.label, item)
    for notebook in chapter_notebooks():
        download = built_student_book / "_sources" / notebook.relative_to(ROOT)
        student_copy = ROOT / "student" / notebook.relative_to(ROOT)
        assert download.read_bytes() == student_copy.read_bytes(), download


# ------------------------------------------------------ the student notebooks


@pytest.mark.parametrize("notebook", chapter_notebooks(), ids=[p.stem for p in chapter_notebooks()])
def test_student_notebook_links_to_no_solutions(notebook):
    url, branch = repository_reference()
    copy = nbformat.read(ROOT / "student" / notebook.relative_to(ROOT), as_version=4)
    text = "\n".join(c.source for c in copy.cells)
    path = notebook.relative_to(ROOT).as_posix()
    assert path not in text.replace(f"student/{path}", ""), "a link to the chapter, which has the solutions"
    assert "with solutions" not in text and "{solution" not in text
    assert copy.cells[0].source.endswith("**This is the exercise copy** (solutions removed).")


# ------------------------------------- the instructors' page: plan and syllabus

INSTRUCTORS = ROOT / "chapters" / "instructors.md"


def _syllabus_rows() -> list[list[str]]:
    """The cells of each row of the syllabus table (the one with an "Optional" column)."""
    text = INSTRUCTORS.read_text(encoding="utf-8")
    table = text[text.index("| Week | Pages | Topics | Optional (advanced) |"):].split("\n\n", 1)[0]
    return [[c.strip() for c in line.strip("|").split("|")] for line in table.splitlines()[2:]]


def _chapter_doc(notebook: Path) -> str:
    return notebook.relative_to(ROOT / "chapters").with_suffix("").as_posix()


def _headings(notebook: Path) -> set[str]:
    nb = nbformat.read(notebook, as_version=4)
    return {line.lstrip("#").strip() for c in nb.cells if c.cell_type == "markdown"
            for line in c.source.splitlines() if line.startswith("##")}  # fmt: skip


def test_assessment_plan_matches_lib_checks():
    """Each chapter's points and due week, recomputed: the exercises from the
    notebook's own exercise directives, the points by the stated rule from
    their registrations, the week from the syllabus rows."""
    from lib.checks import exercises

    registered = {e.label: e for e in exercises()}
    text = INSTRUCTORS.read_text(encoding="utf-8")
    block = text[text.index("<!-- assessment: start"):text.index("<!-- assessment: end -->")]
    from grading.grade import POINT_RULE

    assert POINT_RULE in block  # the grader's rule, quoted
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| ") and cells[0].isdigit():
            rows[re.search(r"\{doc\}`([^`]+)`", cells[1]).group(1)] = (int(cells[0]), int(cells[2]), int(cells[4]))
    total = 0
    for notebook in chapter_notebooks():
        nb = nbformat.read(notebook, as_version=4)
        labels = re.findall(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)",
                            "\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))  # fmt: skip
        points = 0
        for label in labels:
            e = registered[label]
            points += len(e.rubric) if e.kind == "written" else {"function": 2}.get(e.answer_type, 1)
        weeks = [int(r[0]) for r in _syllabus_rows() if f"{{doc}}`{_chapter_doc(notebook)}`" in r[1]]
        assert rows[_chapter_doc(notebook)] == (max(weeks), len(labels), points), notebook.name
        total += points
    assert len(rows) == len(chapter_notebooks())
    assert re.search(rf"\| \| \*\*Total\*\* \| {len(registered)} \| \| \*\*{total}\*\* \|", block)


def test_syllabus_sessions_follow_the_chapters_length():
    """Two sessions (rows) for a chapter of more than 3,000 words of prose,
    one otherwise, as the page says; no chapter has more than six exercises."""
    rows = _syllabus_rows()
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    for notebook in chapter_notebooks():
        nb = nbformat.read(notebook, as_version=4)
        words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
        n_exercises = sum(c.source.count("```{exercise}") for c in nb.cells if c.cell_type == "markdown")
        sessions = sum(f"{{doc}}`{_chapter_doc(notebook)}`" in r[1] for r in rows)
        assert sessions == (2 if words > 3000 else 1), (notebook.name, words, sessions)
        assert n_exercises <= 6, notebook.name
        if words > 3000:
            assert len(nb.cells) > 60, notebook.name


def test_syllabus_names_real_sections_and_optional_ones_no_exercise_needs():
    from lib.checks import exercises

    reread = " ".join(e.reread for e in exercises())
    for row in _syllabus_rows():
        docs = re.findall(r"\{doc\}`([^`]+)`", row[1])
        headings = set().union(*(_headings(ROOT / "chapters" / f"{d}.ipynb") for d in docs
                                 if (ROOT / "chapters" / f"{d}.ipynb").exists()))  # fmt: skip
        for name in re.findall(r'"([^"]+)"', row[1]) + re.findall(r'"([^"]+)"', row[3]):
            assert name in headings, (row[0], name)
        for name in re.findall(r'"([^"]+)"', row[3]):
            assert f"'{name}'" not in reread, f"week {row[0]}: an exercise sends students to {name!r}"


def test_the_student_site_is_the_student_book_alone(built_student_book):
    """`make site-student`, what the publishing workflow uploads for a term
    that hides the solutions: the student book, no Chinese edition (it shows
    solutions), no switch to it, no solution."""
    site = BUILD / "site-student"
    make_once("site-student", f"SITE={site}")
    pages = _html_pages(site)
    assert {p.relative_to(site) for p in pages} == {p.relative_to(built_student_book)
                                                   for p in _html_pages(built_student_book)}  # fmt: skip
    assert not (site / "zh").exists()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "edition-switch" not in text and "solution-start" not in text, page
