"""The book's environment is complete wherever a chapter runs.

Read, never imported: the distributions ``lib`` and the notebooks import are
found from their source (``ast``), mapped to distribution names, and looked
up in what each environment declares:

* ``lib``'s imports must be in ``pyproject.toml``'s dependencies, and Colab
  must ship each of them (the setup cell installs lib with ``--no-deps``);
* a notebook's unguarded imports must be in the book lock (what `make book`
  installs), Binder's requirements, the offline bundle's README and Colab's
  published runtime;
* an import of anything else behind a guard (inside ``try: ... except ImportError`` or under
  an ``if`` that asks ``importlib.util.find_spec``) must be declared optional
  (``pyproject.toml``'s ``compare`` extra), its cell tagged
  ``optional-libraries``, and still be in the book lock and Binder so the
  book and Binder show the comparison.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
import tomllib
from pathlib import Path

import nbformat
import pytest
import yaml
from packaging.requirements import Requirement

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_bundle  # noqa: E402
from setup_cell import all_notebooks  # noqa: E402

#: Import names whose distribution has another name.
DISTRIBUTION_OF = {"sklearn": "scikit-learn", "IPython": "ipython", "yaml": "pyyaml",
                   "PIL": "pillow", "mpl_toolkits": "matplotlib", "bs4": "beautifulsoup4"}  # fmt: skip
COLAB_FREEZE = ROOT / "tests" / "colab-freeze.txt"
OWN = {"lib"}


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


#: Namespace packages: the distribution is named by two components.
NAMESPACES = {"sphinxcontrib"}


#: matplotlib's own toolkits; any other ``mpl_toolkits.x`` is a distribution of its own.
MATPLOTLIB_TOOLKITS = {"mplot3d", "axes_grid1", "axisartist"}
#: Standard modules that Colab's Python (3.13) no longer has (PEP 594).
REMOVED_IN_313 = {"aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap",
                  "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau",
                  "telnetlib", "uu", "xdrlib"}  # fmt: skip


def distribution(module: str) -> str:
    """The distribution that provides ``module`` (a dotted name)."""
    parts = module.split(".")
    if parts[0] in NAMESPACES and len(parts) > 1:
        return normalise("-".join(parts[:2]))
    if parts[0] == "mpl_toolkits" and len(parts) > 1 and parts[1] not in MATPLOTLIB_TOOLKITS:
        return normalise(parts[1])
    return normalise(DISTRIBUTION_OF.get(parts[0], parts[0]))


def _is_guard_handler(handler: ast.ExceptHandler) -> bool:
    """An ``except ImportError`` (or ``ModuleNotFoundError``) that never raises."""
    names = {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)} if handler.type else set()
    raises = any(isinstance(n, ast.Raise) for n in ast.walk(handler))
    return bool({"ImportError", "ModuleNotFoundError"} & names) and not raises


def _module_argument(call: ast.Call) -> str | None:
    """The string literal a call passes first (or as ``name=``)."""
    args = list(call.args[:1]) + [k.value for k in call.keywords if k.arg == "name"]
    return next((a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)), None)


def _importers(tree: ast.AST) -> set[str]:
    """Local names bound to ``importlib.import_module`` (``from importlib
    import import_module as load``)."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "importlib"
            for alias in node.names if alias.name == "import_module"}  # fmt: skip


def _imported(node: ast.AST, importers: set[str]) -> list[str]:
    """The modules an import statement, or a call of ``import_module`` (under
    any name) or ``__import__`` with a string literal, imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module] if node.level == 0 and node.module else []
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in {"import_module", "__import__"} or name in importers:
            module = _module_argument(node)
            return [module] if module else []
    return []


def _spec_branch(test: ast.expr, top: str) -> str | None:
    """Which branch of ``if test`` runs when ``top`` is installed ("body" or
    "orelse"), if the test asks ``find_spec`` about it; else None."""
    negated = False
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test, negated = test.operand, True
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Constant) \
            and test.comparators[0].value is None:  # fmt: skip
        negated ^= isinstance(test.ops[0], ast.Is)
        test = test.left
    if not (isinstance(test, ast.Call) and ast.unparse(test.func).endswith("find_spec")):
        return None
    asked = _module_argument(test)
    if asked is None or asked.split(".")[0] != top:
        return None
    return "orelse" if negated else "body"


def imports(source: str) -> list[tuple[str, bool]]:
    """``(module, guarded)`` of every absolute import in ``source``.

    Guarded: inside ``try`` whose handler catches ImportError and never
    raises, or in the branch of an ``if`` that runs only when ``find_spec``
    finds that same module.
    """
    tree = ast.parse(source)
    importers = _importers(tree)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        for module in _imported(node, importers):
            top = module.split(".")[0]
            guarded, child, parent = False, node, parents.get(node)
            while parent is not None:
                if isinstance(parent, ast.Try) and child in parent.body:
                    guarded |= any(_is_guard_handler(h) for h in parent.handlers)
                if isinstance(parent, ast.If):
                    branch = _spec_branch(parent.test, top)
                    guarded |= branch is not None and child in getattr(parent, branch)
                child, parent = parent, parents.get(parent)
            found.append((module, guarded))
    return found


def third_party(module: str) -> bool:
    top = module.split(".")[0]
    standard = (sys.stdlib_module_names - REMOVED_IN_313) | {"__future__"}
    return top not in standard and top not in OWN


def lib_distributions(root: Path = ROOT) -> set[str]:
    return {distribution(m) for path in sorted((root / "lib").rglob("*.py"))
            for m, _ in imports(path.read_text(encoding="utf-8")) if third_party(m)}  # fmt: skip


def notebook_imports(path: Path) -> list[tuple[str, bool, list[str]]]:
    """``(distribution, guarded, cell tags)`` of a notebook's third-party imports."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        # Jupyter's magics and shell lines are not Python; the test refuses
        # them (test_notebooks_run_no_magic_or_shell_line).
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        tags = list(cell.metadata.get("tags", []))
        found += [(distribution(m), g, tags) for m, g in imports(source) if third_party(m)]
    return found


def pins(text: str) -> set[str]:
    """Names of the ``name==version`` lines of a lock or requirements file."""
    return set(versions(text))


def versions(text: str) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a lock or freeze."""
    return {normalise(n): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+?)\s*(?:;.*)?$", text, re.M)}


def pinned_versions(root: Path = ROOT) -> dict[str, dict[str, str]]:
    """The versions each place that runs the chapters installs."""
    return {"Colab": versions(COLAB_FREEZE.read_text(encoding="utf-8")),
            "the book lock": versions((root / "requirements-book.lock").read_text(encoding="utf-8")),
            "binder/requirements.txt": versions((root / "binder" / "requirements.txt").read_text(encoding="utf-8"))}


def project(root: Path = ROOT) -> dict:
    return tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_names(requirements: list[str]) -> set[str]:
    return {normalise(re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0]) for r in requirements}


def environments(root: Path = ROOT) -> dict[str, set[str]]:
    """What each place a chapter runs installs or lists (distribution names)."""
    readme = build_bundle.readme("x", "x.whl")
    listed = re.search(r"packages installed:\n(.*?)\.\n", readme, re.S)
    assert listed, "the bundle's README lists no packages"
    optional_line = re.search(r"compares its reports with (.*?)\n", readme)
    bundle = {normalise(n) for n in re.split(r",\s*|\s+and\s+", listed.group(1).replace("\n", " ")) if n}
    bundle |= {normalise(n) for n in re.split(r"\s+and\s+|,\s*", optional_line.group(1)) if n}
    return {
        "the book lock": pins((root / "requirements-book.lock").read_text(encoding="utf-8")),
        "binder/requirements.txt": pins((root / "binder" / "requirements.txt").read_text(encoding="utf-8")),
        "the bundle's README": bundle,
        "Colab's runtime": pins(COLAB_FREEZE.read_text(encoding="utf-8")),
    }


def missing_from_environments(root: Path = ROOT, envs: dict[str, set[str]] | None = None) -> list[str]:
    """Every import some environment lacks, as one sentence each (empty when complete)."""
    envs = environments(root) if envs is None else envs
    meta = project(root)
    declared = requirement_names(meta["dependencies"])
    optional = requirement_names(meta.get("optional-dependencies", {}).get("compare", []))
    problems = [f"lib imports {d}, which pyproject.toml's dependencies lack"
                for d in sorted(lib_distributions(root) - declared)]  # fmt: skip
    # The book, Binder, the bundle and Colab all install lib with --no-deps:
    # each must hold what lib imports.
    problems += [f"lib needs {d}, which {e} lacks" for e in envs for d in sorted(declared - envs[e])]
    # Installed with --no-deps, lib runs on whatever version each place has:
    # each must satisfy pyproject's bounds (the compare extra's too).
    requirements = [Requirement(r) for r in meta["dependencies"] + meta.get("optional-dependencies", {}).get("compare", [])]
    for place, versions in pinned_versions(root).items():
        for requirement in requirements:
            version = versions.get(normalise(requirement.name))
            if version is not None and not requirement.specifier.contains(version, prereleases=True):
                problems.append(f"pyproject.toml asks {requirement}, but {place} has {requirement.name} {version}")
    for path in all_notebooks(root):
        rel = path.relative_to(root)
        for dist, guarded, tags in notebook_imports(path):
            # A guard around a required package (a cell showing that an import
            # the article relies on fails) makes it no less required.
            if guarded and dist not in declared:
                if dist not in optional:
                    problems.append(f"{rel}: {dist} is imported behind a guard but not declared optional")
                if "optional-libraries" not in tags:
                    problems.append(f"{rel}: the cell importing {dist} lacks the optional-libraries tag")
                needed_in = [e for e in envs if e != "Colab's runtime"]
            else:
                needed_in = list(envs)
            problems += [f"{rel} imports {dist}, which {e} lacks" for e in needed_in if dist not in envs[e]]
    return sorted(set(problems))


def test_every_import_is_installed_wherever_the_chapters_run():
    assert missing_from_environments() == []


def test_dropping_networkx_from_the_book_lock_is_caught():
    envs = environments()
    envs["the book lock"] = envs["the book lock"] - {"networkx"}
    problems = missing_from_environments(envs=envs)
    assert any("imports networkx, which the book lock lacks" in p for p in problems), problems


def _project_copy(target: Path) -> Path:
    """pyproject.toml, lib, the book lock and binder/, copied into ``target``."""
    for name in ("pyproject.toml", "requirements-book.lock"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("lib", "binder"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_an_unguarded_optional_import_is_caught(tmp_path):
    """A notebook importing seqeval without a guard: Colab lacks it."""
    _project_copy(tmp_path)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from seqeval.metrics import f1_score"),
                nbformat.v4.new_code_cell("try:\n    import sklearn\nexcept ImportError:\n    sklearn = None")]
    (tmp_path / "chapters" / "part9").mkdir(parents=True)
    nbformat.write(nb, tmp_path / "chapters" / "part9" / "x.ipynb")
    problems = missing_from_environments(tmp_path, envs=environments())
    assert "chapters/part9/x.ipynb imports seqeval, which Colab's runtime lacks" in problems
    assert "chapters/part9/x.ipynb: the cell importing scikit-learn lacks the optional-libraries tag" in problems


@pytest.mark.parametrize("source, expected", [
    ("import numpy as np", [("numpy", False)]),
    ("try:\n    import sklearn\nexcept ImportError:\n    pass", [("sklearn", True)]),
    ("try:\n    import sklearn\nexcept ValueError:\n    pass", [("sklearn", False)]),
    ("try:\n    import sklearn\nexcept ImportError:\n    raise", [("sklearn", False)]),
    ("import importlib.util\nif importlib.util.find_spec('x') is None:\n    pass\nelse:\n    from x.y import z",
     [("importlib.util", False), ("x.y", True)]),
    ("import importlib.util\nif importlib.util.find_spec('sklearn'):\n    import seqeval",
     [("importlib.util", False), ("seqeval", False)]),
    ("def f():\n    import networkx\n", [("networkx", False)]),
    ("import importlib\nm = importlib.import_module('pandas')\nn = __import__('polars')",
     [("importlib", False), ("pandas", False), ("polars", False)]),
    ("import sphinxcontrib.mermaid", [("sphinxcontrib.mermaid", False)]),
])  # fmt: skip
def test_imports_are_read_with_their_guards(source, expected):
    assert sorted(imports(source)) == sorted(expected)


def test_namespace_packages_are_named_by_two_components():
    assert distribution("sphinxcontrib.mermaid") == "sphinxcontrib-mermaid"
    assert distribution("sklearn.metrics") == "scikit-learn"


def test_a_dependency_colab_does_not_satisfy_is_caught(tmp_path):
    """lib installed with --no-deps in Colab: a bound above Colab's version would
    silently run on the older one."""
    _project_copy(tmp_path)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8").replace('"scipy>=1.11"', '"scipy>=99"')
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    problems = missing_from_environments(tmp_path, envs=environments())
    assert any(p.startswith("pyproject.toml asks scipy>=99, but Colab has scipy") for p in problems), problems


def test_dropping_a_dependency_of_lib_from_binder_is_caught():
    envs = environments()
    envs["binder/requirements.txt"] = envs["binder/requirements.txt"] - {"ipywidgets"}
    assert "lib needs ipywidgets, which binder/requirements.txt lacks" in missing_from_environments(envs=envs)


# --- what the book's own build runs -------------------------------------------------


def make_targets_on_the_book_lock(root: Path = ROOT) -> dict[str, str]:
    """``target -> recipe`` of the Makefile rules that need only the book's
    environment (``target: $(BOOK_STAMP)``)."""
    rules = re.findall(r"^([a-z][a-z-]*): \$\(BOOK_STAMP\)\n((?:\t.*\n)+)",
                       (root / "Makefile").read_text(encoding="utf-8"), re.M)  # fmt: skip
    return dict(rules)


def build_modules(root: Path = ROOT) -> dict[str, Path]:
    """The Python files those targets run, with the local modules they import
    (scripts/ and grading/), and the book's local Sphinx extensions."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    local = config["sphinx"].get("local_extensions", {})
    queue = [root / folder / f"{name}.py" for name, folder in local.items()]
    for recipe in make_targets_on_the_book_lock(root).values():
        queue += [root / path for path in re.findall(r"(scripts/\w+\.py)", recipe)]
        queue += [root / "grading" / f"{m}.py" for m in re.findall(r"-m grading\.(\w+)", recipe)]
    seen: dict[str, Path] = {}
    while queue:
        path = queue.pop()
        if path.name in seen or not path.exists():
            continue
        seen[path.name] = path
        for module, _ in imports(path.read_text(encoding="utf-8")):
            top = module.split(".")
            if (root / "scripts" / f"{top[0]}.py").exists():
                queue.append(root / "scripts" / f"{top[0]}.py")
            elif top[0] == "grading":
                queue.append(root / "grading" / (f"{top[1]}.py" if len(top) > 1 else "__init__.py"))
    return seen


#: Packages the build loads by configuration, not by an import in the
#: project's files.
IMPLIED = {"jieba": "the Chinese edition's search (html_search_language zh, scripts/book_edition.py)",
           "jupyter-book": "the Makefile's build command"}


def build_missing(book_lock: set[str]) -> dict[str, str]:
    """``distribution -> a file that imports it`` for each package the book's
    build needs that ``book_lock`` lacks."""
    local = {p.stem for p in (ROOT / "scripts").glob("*.py")} | {"grading"}
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    needed = {distribution(e): "_config.yml" for e in config["sphinx"].get("extra_extensions", [])}
    needed |= IMPLIED
    build_requires = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]["requires"]
    for name, path in sorted(build_modules().items()):
        text = path.read_text(encoding="utf-8")
        for module, guarded in imports(text):
            if third_party(module) and not guarded and module.split(".")[0] not in local:
                needed.setdefault(distribution(module), name)
        # `python -m <module>` run by a script, and a wheel built without
        # isolation (it builds with the environment's own setuptools).
        for module in re.findall(r'"-m",\s*"([A-Za-z_][\w.]*)"', text):
            if third_party(module) and module.split(".")[0] not in local | {"pip"}:  # pip: every venv has it
                needed.setdefault(distribution(module), name)
        if "--no-build-isolation" in text:
            for requirement in map(Requirement, build_requires):
                needed.setdefault(normalise(requirement.name), name)
    return {d: where for d, where in needed.items() if d not in book_lock}


def test_the_book_builds_with_what_the_book_lock_installs():
    """`make book`, `make book-zh`, `make site`, `make assignments`, ... run on
    the book lock alone: every package their scripts, the local extensions and
    the configured Sphinx extensions import must be in it."""
    assert {"book_edition.py", "book_html.py", "rerun_failed.py", "grade.py"} <= set(build_modules())
    assert build_missing(environments()["the book lock"]) == {}


@pytest.mark.parametrize("dropped", ["sphinx-exercise", "jieba", "sphinxcontrib-mermaid", "pyyaml", "nbformat",
                                     "sphinx-intl", "setuptools"])
def test_dropping_a_build_package_from_the_book_lock_is_caught(dropped):
    assert set(build_missing(environments()["the book lock"] - {dropped})) == {dropped}


def test_the_book_lock_satisfies_the_build_requirement():
    """`make bundle` builds lib's wheel without isolation, with the book
    lock's setuptools: it must be inside pyproject's build bounds."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    locked = pinned_versions()["the book lock"]
    for requirement in map(Requirement, project["build-system"]["requires"]):
        assert requirement.specifier.contains(locked[normalise(requirement.name)]), requirement


def test_notebooks_run_no_magic_or_shell_line():
    """A `%pip install`, `!pip` or `%matplotlib widget` line would need what no
    environment declares (and the setup cell is the one place that installs)."""
    lines = [(path.relative_to(ROOT), line) for path in all_notebooks()
             for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
             for line in cell.source.splitlines() if line.lstrip().startswith(("%", "!"))]  # fmt: skip
    assert not lines, lines


@pytest.mark.parametrize("source, expected", [
    ("import importlib as il\nil.import_module('seqeval')", [("importlib", False), ("seqeval", False)]),
    ("from importlib import import_module as load\nload('seqeval')", [("importlib", False), ("seqeval", False)]),
    ("import importlib\nimportlib.import_module(name='seqeval')", [("importlib", False), ("seqeval", False)]),
    ("import importlib.util\nif importlib.util.find_spec('seqeval') is None:\n    import seqeval",
     [("importlib.util", False), ("seqeval", False)]),
    ("import importlib.util\nif not importlib.util.find_spec('seqeval'):\n    pass\nelse:\n    import seqeval",
     [("importlib.util", False), ("seqeval", True)]),
    ("try:\n    import seqeval\nexcept ImportError:\n    print('no')\n    raise", [("seqeval", False)]),
])  # fmt: skip
def test_guards_that_do_not_guard_are_not_counted(source, expected):
    assert sorted(imports(source)) == sorted(expected)


def test_what_colab_lacks_or_another_package_provides_is_third_party():
    assert third_party("imghdr") and third_party("pipes"), "removed from Colab's Python 3.13"
    assert distribution("mpl_toolkits.basemap") == "basemap"
    assert distribution("mpl_toolkits.mplot3d") == "matplotlib"


def test_a_pin_outside_pyprojects_bounds_is_caught(tmp_path):
    """Binder or the book lock pinning a version lib does not accept (lib is
    installed with --no-deps there too), and the compare extra checked against
    Colab."""
    _project_copy(tmp_path)
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    (tmp_path / "binder" / "requirements.txt").write_text(re.sub(r"(?m)^networkx==.*$", "networkx==2.8.8", binder),
                                                          encoding="utf-8")  # fmt: skip
    pyproject = (tmp_path / "pyproject.toml").read_text(encoding="utf-8").replace('"scikit-learn>=1.3"',
                                                                                 '"scikit-learn>=99"')  # fmt: skip
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    problems = missing_from_environments(tmp_path, envs=environments())
    assert "pyproject.toml asks networkx>=3, but binder/requirements.txt has networkx 2.8.8" in problems, problems
    assert any(p.startswith("pyproject.toml asks scikit-learn>=99, but Colab has scikit-learn") for p in problems)
