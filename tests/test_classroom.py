"""Classroom and Colab: exercise counts, the student edition (in sync, without
solutions, runnable, every check "not answered"), a Colab emulation, and the
files Binder reads.

The Colab emulation is a fresh virtual environment holding Colab's own
versions of what the notebooks use (``tests/colab-runtime.txt``, copied from
Colab's published runtime by ``scripts/colab_pins.py``) and not the course's
package: every chapter must run there top to bottom, its setup cell installing
``lib``. Each chapter's run time there is written to
``test-artifacts/colab-times.txt``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import BUILD, ROOT, copy_package

sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import chapter_notebooks  # noqa: E402
from student_edition import out_of_date, student_path  # noqa: E402

CHAPTERS = chapter_notebooks()
IDS = [p.stem for p in CHAPTERS]
EXERCISE_RE = re.compile(r"```\{exercise\}[^\n]*\n:label:\s*(\S+)")
PLACEHOLDER_RE = re.compile(r"answer = \.\.\.[^\n]*\ncheck\(\"([\w-]+)\", answer\)")
#: Colab's versions of what the notebooks use, and their dependencies.
COLAB_RUNTIME = ROOT / "tests" / "colab-runtime.txt"
COLAB_TIMES = ROOT / "test-artifacts" / "colab-times.txt"


def _sources(nb: nbformat.NotebookNode, kind: str) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == kind)


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_at_least_three_exercises_one_checked(path):
    nb = nbformat.read(path, as_version=4)
    labels = EXERCISE_RE.findall(_sources(nb, "markdown"))
    checked = PLACEHOLDER_RE.findall(_sources(nb, "code"))
    assert len(labels) >= 3, f"{path.name} has {len(labels)} exercises; at least 3 are required"
    assert checked and set(checked) <= set(labels), f"{path.name} needs a computational exercise with a check"
    for label in labels:
        assert f"{{solution-start}} {label}" in _sources(nb, "markdown") or \
            f"{{solution}} {label}" in _sources(nb, "markdown"), f"{label} has no solution"  # fmt: skip


def test_student_edition_is_in_sync():
    stale = out_of_date()
    assert not stale, f"run `python scripts/student_edition.py`; out of date: {stale}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_copy_has_no_solutions(path):
    nb = nbformat.read(student_path(path), as_version=4)
    text = _sources(nb, "markdown") + _sources(nb, "code")
    assert "{solution" not in text and "{exercise}" not in text
    calls = re.findall(r"check\(\"([\w-]+)\"", _sources(nb, "code"))
    assert calls and len(calls) == len(set(calls)), "each check appears once, as the placeholder"
    assert len(re.findall(r"answer = \.\.\.", _sources(nb, "code"))) == len(calls)


def _run(nb: nbformat.NotebookNode, cwd: Path, kernel_name: str = "python3") -> nbformat.NotebookNode:
    client = NotebookClient(nb, timeout=120, kernel_name=kernel_name,
                            resources={"metadata": {"path": str(cwd)}})  # fmt: skip
    client.execute()
    return nb


def _check_outputs(nb: nbformat.NotebookNode) -> list[str]:
    statuses = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "check(" in cell.source:
            for output in cell.outputs:
                text = output.get("data", {}).get("text/plain", "")
                match = re.search(r"status='([a-z ]+)'", text)
                if match:
                    statuses.append(match.group(1))
    return statuses


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_student_copy_runs_and_checks_say_not_answered(path, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    target = student_path(path)
    nb = _run(nbformat.read(target, as_version=4), target.parent)
    statuses = _check_outputs(nb)
    assert statuses and set(statuses) == {"not answered"}, statuses


# ------------------------------------------------------------------ Colab


def _pins(path: Path = COLAB_RUNTIME) -> dict[str, str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return dict(line.lower().replace("_", "-").split("==") for line in lines if line and not line.startswith("#"))


def test_colab_runtime_names_its_source_and_pins_the_notebooks_runtime():
    header = COLAB_RUNTIME.read_text(encoding="utf-8")
    assert "googlecolab/backend-info" in header and re.search(r"\d{4}-\d{2}-\d{2}", header)
    pins = _pins()
    for name in ("numpy", "scipy", "sympy", "matplotlib", "ipywidgets", "ipykernel", "ipython"):
        assert name in pins, f"{name} is not pinned"


def test_declared_lower_bounds_admit_colab():
    """lib's declared dependencies and the book's requirements accept Colab's
    versions: the setup cell installs with --no-deps, so a bound Colab fails
    would go unnoticed there. (Binder pins the locked versions instead.)"""
    from packaging.requirements import Requirement

    pins = _pins()
    files = {
        "pyproject.toml": tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"],
        **{path.name: path.read_text().splitlines() for path in sorted(ROOT.glob("requirements*.txt"))},
    }
    for name, lines in files.items():
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line or line.startswith("-"):
                continue
            requirement = Requirement(line)
            version = pins.get(requirement.name.lower().replace("_", "-"))
            if version is not None:
                assert requirement.specifier.contains(version, prereleases=True), \
                    f"{name}: {line} rejects Colab's {requirement.name} {version}"  # fmt: skip


@pytest.fixture(scope="session")
def colab_env(tmp_path_factory):
    """A fresh virtual environment holding Colab's versions of the notebooks'
    runtime (no lib, no jupyter-book), with its own kernel."""
    venv = tmp_path_factory.mktemp("colab") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(COLAB_RUNTIME)], check=True)  # fmt: skip
    subprocess.run([str(py), "-m", "ipykernel", "install", "--prefix", str(venv), "--name", "colab-emulation"],
                   check=True, capture_output=True)  # fmt: skip
    installed = {name.replace("_", "-"): v for name, v in _installed(venv).items()}
    wrong = {n: (installed.get(n), v) for n, v in _pins().items() if installed.get(n) != v}
    assert not wrong, f"the emulated Colab does not hold Colab's versions (installed, Colab): {wrong}"
    probe = subprocess.run([str(py), "-c", f"import importlib.metadata as m; m.version({_project()!r})"],
                           capture_output=True, text=True, cwd=venv.parent)  # fmt: skip
    assert probe.returncode != 0, "the emulated Colab must start without the course's package"
    COLAB_TIMES.parent.mkdir(exist_ok=True)
    COLAB_TIMES.write_text("", encoding="utf-8")
    return venv


def _project() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"]


@pytest.fixture(scope="session")
def lib_source(tmp_path_factory) -> Path:
    """What pip installs in the emulated Colab: this checkout's package files,
    copied, so that building the wheel leaves no build/ folder in the tree."""
    return copy_package(tmp_path_factory.mktemp("lib-source") / "course")


def _installed(venv: Path) -> dict[str, str]:
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json",
                          "--disable-pip-version-check"], capture_output=True, text=True, check=True)  # fmt: skip
    return {p["name"].lower(): p["version"] for p in json.loads(out.stdout)}


_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# A timing, with the padding before it (its width changes with the number).
_TIMING = re.compile(r"\s*\d+(\.\d+)?(e[-+]?\d+)?\s*(s|ms|seconds)\b")
# Where packages are installed, and the last bits of a float (another numpy,
# scipy or HiGHS may round 2.8 to 2.8000000000000003).
_SITE = re.compile(r"\S*/site-packages/")
_LONG_FLOAT = re.compile(r"\d+\.\d{12,}")


def _stable(text: str) -> str:
    text = _SITE.sub("<site-packages>/", text)
    return _LONG_FLOAT.sub(lambda m: f"{float(m[0]):.12g}", text)


def _normalised_outputs(nb: nbformat.NotebookNode) -> list:
    """Cell outputs with what legitimately varies between runs removed:
    memory addresses, timings, the random ids of widget models, and the bytes
    of images (another matplotlib draws other pixels; only their kind is
    compared). The setup cell and cells tagged optional-libraries are skipped
    (what they print differs by design)."""
    from setup_cell import first_code_cell

    setup = first_code_cell(nb)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code" or cell is setup:
            continue
        # A cell tagged optional-libraries runs what is installed (seqeval is
        # not in Colab): its output differs by design.
        if "optional-libraries" in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                text = _stable(_TIMING.sub(" <t>", _ADDRESS.sub("<addr>", output.text)))
                # How printed text is split into messages depends on timing: join runs.
                if out and out[-1][0] == "stream" and out[-1][2] is cell:
                    out[-1] = ("stream", out[-1][1] + text, cell)
                else:
                    out.append(("stream", text, cell))
            elif output.output_type in ("display_data", "execute_result"):
                data = {k: v for k, v in output.get("data", {}).items() if "widget" not in k}
                data = {k: ("<image>" if k.startswith("image/") else v) for k, v in data.items()}
                if "application/vnd.jupyter.widget-view+json" in output.get("data", {}):
                    data.pop("text/plain", None)  # the widget's repr includes its model id
                text = {k: _stable(_TIMING.sub(" <t>", _ADDRESS.sub("<addr>", v if isinstance(v, str) else json.dumps(v))))
                        for k, v in data.items()}  # fmt: skip
                out.append(("data", text, cell))
            elif output.output_type == "error":
                out.append(("error", output.ename, cell))
    return [item[:2] for item in out]


def _cached_execution(path: Path) -> nbformat.NotebookNode:
    from jupyter_cache import get_cache

    cache = get_cache(BUILD / ".jupyter_cache")
    record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
    return cache.get_cache_bundle(record.pk).nb


@pytest.mark.network  # pip installs the Colab runtime and lib into a fresh environment
@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_runs_in_emulated_colab(path, colab_env, lib_source, monkeypatch, built_book):
    monkeypatch.setenv("JUPYTER_PATH", str(colab_env / "share" / "jupyter"))
    monkeypatch.setenv("COURSE_LIB_SOURCE", str(lib_source))  # the local clone, not the public repository
    monkeypatch.delenv("MPLBACKEND", raising=False)
    # The first chapter finds no lib and installs it; the others find it installed.
    from setup_cell import first_code_cell

    before = _installed(colab_env)
    start = time.perf_counter()
    nb = _run(nbformat.read(path, as_version=4), path.parent, kernel_name="colab-emulation")
    seconds = time.perf_counter() - start
    with COLAB_TIMES.open("a", encoding="utf-8") as times:
        times.write(f"{seconds:7.2f} s  {path.relative_to(ROOT)}\n")
    after = _installed(colab_env)
    said = "".join(o.get("text", "") for o in first_code_cell(nb).outputs if o.output_type == "stream")
    assert re.search(r"^Setup: (installed lib \S+ from .+|lib \S+ is already installed.*)\.$", said.strip()), said
    added = set(after) - set(before)
    changed = {name for name in before if after.get(name) != before[name]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"].lower()
    assert changed <= {project}, f"the setup cell changed installed packages: {changed}"
    assert added <= {project}, f"the setup cell installed more than lib: {added}"
    assert project in after
    statuses = _check_outputs(nb)
    assert "incorrect" not in statuses
    # Widgets are built by Colab's ipywidgets (a widget view is displayed).
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(r"\b\w+_explorer\(", cell.source) and "def " not in cell.source:
            kinds = {k for o in cell.outputs for k in o.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" in kinds, f"no widget shown by: {cell.source[:60]}"
    # The same outputs as the book build's execution, output by output: the
    # same kinds (text, figure, table, widget), no error. Their text is not
    # compared here: Colab's numpy, scipy and HiGHS are older than the book's,
    # and another HiGHS may return another of several optimal assignments
    # (the chapters assert what must hold, such as the optimal value).
    ours, build = _normalised_outputs(nb), _normalised_outputs(_cached_execution(path))
    assert [_kind(a) for a in ours] == [_kind(b) for b in build], f"{path.name}: other outputs"


def _kind(output: tuple) -> tuple:
    """An output's kind: a stream, an error (with its name), or the media
    types of a display."""
    kind, value = output
    if kind == "data":
        return kind, tuple(sorted(value))
    return (kind, value) if kind == "error" else (kind,)


# ------------------------------------------------------------------ Binder


def test_binder_installs_the_runtime_and_lib():
    requirements = (ROOT / "binder" / "requirements.txt").read_text().split("\n")
    names = {re.split(r"[<>=!~ ]", line)[0].lower() for line in requirements if line and not line.startswith("#")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["compare"]
    runtime = {re.split(r"[<>=!~ ]", dep)[0].lower() for dep in declared}
    assert names == runtime, "binder/requirements.txt must list exactly lib's dependencies and its compare extra"
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps ." in post
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)
