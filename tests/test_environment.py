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

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import build_bundle  # noqa: E402
from setup_cell import all_notebooks  # noqa: E402

#: Import names whose distribution has another name.
DISTRIBUTION_OF = {"sklearn": "scikit-learn", "IPython": "ipython", "yaml": "pyyaml",
                   "PIL": "pillow", "mpl_toolkits": "matplotlib"}  # fmt: skip
COLAB_FREEZE = ROOT / "tests" / "colab-freeze.txt"
OWN = {"lib"}


def normalise(name: str) -> str:
    """PEP 503 name: lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def distribution(module: str) -> str:
    return normalise(DISTRIBUTION_OF.get(module, module))


def _is_guard_handler(handler: ast.ExceptHandler) -> bool:
    names = []
    for node in ast.walk(handler.type) if handler.type is not None else []:
        if isinstance(node, ast.Name):
            names.append(node.id)
    return bool({"ImportError", "ModuleNotFoundError"} & set(names))


def imports(source: str) -> list[tuple[str, bool]]:
    """``(top-level module, guarded)`` of every absolute import in ``source``."""
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        guarded, child, parent = False, node, parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.Try) and child in parent.body:
                guarded |= any(_is_guard_handler(h) for h in parent.handlers)
            if isinstance(parent, ast.If) and "find_spec" in ast.unparse(parent.test):
                guarded = True
            child, parent = parent, parents.get(parent)
        found += [(m.split(".")[0], guarded) for m in modules]
    return found


def third_party(module: str) -> bool:
    return module not in sys.stdlib_module_names and module not in OWN and module != "__future__"


def lib_distributions(root: Path = ROOT) -> set[str]:
    return {distribution(m) for path in sorted((root / "lib").rglob("*.py"))
            for m, _ in imports(path.read_text(encoding="utf-8")) if third_party(m)}  # fmt: skip


def notebook_imports(path: Path) -> list[tuple[str, bool, list[str]]]:
    """``(distribution, guarded, cell tags)`` of a notebook's third-party imports."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        # Jupyter's magics and shell lines are not Python.
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        tags = list(cell.metadata.get("tags", []))
        found += [(distribution(m), g, tags) for m, g in imports(source) if third_party(m)]
    return found


def pins(text: str) -> set[str]:
    """Names of the ``name==version`` lines of a lock or requirements file."""
    return {normalise(n) for n in re.findall(r"^([A-Za-z0-9_.\-]+)==", text, re.M)}


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
    problems += [f"lib needs {d}, which Colab does not ship" for d in sorted(declared - envs["Colab's runtime"])]
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


def test_an_unguarded_optional_import_is_caught(tmp_path):
    """A notebook importing seqeval without a guard: Colab lacks it."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "lib", tmp_path / "lib", ignore=shutil.ignore_patterns("__pycache__"))
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
    ("import importlib.util\nif importlib.util.find_spec('x') is None:\n    pass\nelse:\n    from x.y import z",
     [("importlib", False), ("x", True)]),
    ("def f():\n    import networkx\n", [("networkx", False)]),
])  # fmt: skip
def test_imports_are_read_with_their_guards(source, expected):
    assert imports(source) == expected
