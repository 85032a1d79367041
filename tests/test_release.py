"""Releases: one version everywhere, a valid citation and publishing workflow,
a locked environment that Binder and `make` share, and an offline bundle
that installs without a network."""

from __future__ import annotations

import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import release  # noqa: E402
from setup_cell import chapter_notebooks, first_code_cell  # noqa: E402

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\],]+)==([^\s;]+)", re.M)


def _pins(path: Path) -> dict[str, str]:
    return {_norm(name): version for name, version in PIN.findall(path.read_text(encoding="utf-8"))}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            names |= _requirement_names(path.parent / line[3:].strip())
            continue
        names.add(_norm(re.split(r"[<>=!~ ;]", line, maxsplit=1)[0]))
    return names


# --- one version --------------------------------------------------------------


def test_every_reference_names_the_package_version():
    assert release.disagreements() == [], release.references()


def test_every_setup_cell_installs_the_release_tag():
    tag = release.release_tag(release.package_version())
    for path in chapter_notebooks():
        cell = first_code_cell(nbformat.read(path, as_version=4))
        assert tag in cell.source, f"{path.name}: the setup cell does not install {tag}"


def test_set_version_moves_every_reference(tmp_path):
    """`release.py set` on a copy: afterwards every reference names the new
    version (the notebooks themselves are rewritten by setup_cell.py, tested
    above through the pinned branch)."""
    for name in ("pyproject.toml", "_config.yml", "CITATION.cff", "CHANGELOG.md"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    scripts = []
    original = release.subprocess.run
    release.subprocess.run = lambda args, **kw: scripts.append(args[-1])
    try:
        release.set_version("9.8.7", root=tmp_path)
    finally:
        release.subprocess.run = original
    assert release.disagreements(tmp_path) == []
    assert release.package_version(tmp_path) == "9.8.7"
    assert "v9.8.7" in (tmp_path / "_config.yml").read_text(encoding="utf-8")
    assert scripts == ["--write", "scripts/student_edition.py"]
    with pytest.raises(SystemExit, match="1.2.3"):
        release.set_version("nine", root=tmp_path)


# --- citation and publishing --------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def test_citation_file_is_valid():
    proc = _run(str(BIN / "check-jsonschema"), "--builtin-schema",
                "vendor.citation-file-format", "CITATION.cff")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_is_valid_and_passes_the_security_audit():
    proc = _run(str(BIN / "check-jsonschema"), "--builtin-schema",
                "vendor.github-workflows", str(WORKFLOW))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _run(str(BIN / "zizmor"), "--offline", str(WORKFLOW))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflow_publishes_on_a_version_tag():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML reads the key `on` as True
    assert triggers["push"]["tags"] == ["v*"]
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert all(re.search(r"@[0-9a-f]{40}$", u) for u in uses if u), "actions pinned by hash"
    runs = {s.get("if", ""): [] for s in steps}
    for step in steps:
        runs[step.get("if", "")] += step.get("run", "").split("\n")
    commands = {key: [line.strip() for line in lines if line.strip()] for key, lines in runs.items()}
    # Both editions and their PDFs, assembled into one site, which is what is uploaded.
    full = commands["vars.BOOK_EDITION != 'student'"]
    for command in ("make book", "make book-zh", "make pdf", "make pdf-zh", "make site"):
        assert command in full, command
    assert full.index("make site") > max(full.index("make pdf"), full.index("make pdf-zh"))
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/site"
    # A term that hides the solutions publishes the student book alone.
    student = commands["vars.BOOK_EDITION == 'student'"]
    assert student[0] == "make book-student"
    assert any("assemble_site.py --student" in line for line in student)
    assert not any(line.startswith("make pdf") or "book-zh" in line for line in student)


def test_site_address_is_set_once():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert config["html"]["baseurl"] == citation["url"]
    assert citation["repository-code"] == config["repository"]["url"]


# --- locked environments ------------------------------------------------------


def test_locks_pin_every_requirement_for_the_named_python():
    full = _pins(ROOT / "requirements.lock")
    book = _pins(ROOT / "requirements-book.lock")
    assert _requirement_names(ROOT / "requirements.txt") <= set(full)
    assert _requirement_names(ROOT / "requirements-book.txt") <= set(book)
    disagree = {n: (v, full.get(n)) for n, v in book.items() if full.get(n) != v}
    assert not disagree, f"the book lock and the full lock disagree: {disagree}"
    for lock in ("requirements.lock", "requirements-book.lock"):
        assert "--python-version 3.11" in (ROOT / lock).read_text(encoding="utf-8")
    assert "Python 3.11" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_book_environment_holds_no_test_tools():
    book = _requirement_names(ROOT / "requirements-book.txt")
    assert not book & {"pytest", "hypothesis", "playwright", "pytest-timeout", "ruff", "zizmor"}
    assert "pytest" not in _pins(ROOT / "requirements-book.lock")


def test_binder_uses_the_locked_runtime():
    full = _pins(ROOT / "requirements.lock")
    binder = _pins(ROOT / "binder" / "requirements.txt")
    assert {"numpy", "scipy", "sympy", "matplotlib", "ipywidgets"} <= set(binder)
    assert all(full[name] == version for name, version in binder.items()), binder
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


# --- the offline bundle -------------------------------------------------------


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    import build_bundle

    return build_bundle.build_bundle(tmp_path_factory.mktemp("bundle"))


def test_bundle_holds_both_editions_and_a_wheel_but_no_source_article(bundle):
    version = release.package_version()
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        for path in chapter_notebooks():
            rel = path.relative_to(ROOT / "chapters").as_posix()
            assert f"ai-and-work-{version}/notebooks/full/{rel}" in names
            student = zf.read(f"ai-and-work-{version}/notebooks/student/{rel}").decode()
            assert "solution-start" not in student and "{solution}" not in student
        assert any(n.endswith(f"-{version}-py3-none-any.whl") for n in names)
        assert not any("seeds" in n or n.endswith(".txt") and "README" not in n for n in names)


def test_bundle_wheel_installs_without_a_network(bundle, tmp_path):
    """A fresh environment with the bundle's wheel (no dependencies fetched)
    has the course's distribution at the release's version."""
    with zipfile.ZipFile(bundle) as zf:
        wheel = next(n for n in zf.namelist() if n.endswith(".whl"))
        zf.extract(wheel, tmp_path)
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    proc = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--quiet",
         str(tmp_path / wheel)], capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; "
         "print(m.version('ai-work-course-lib'))"], capture_output=True, text=True)  # fmt: skip
    assert proc.stdout.strip() == release.package_version(), proc.stderr


# --- the source articles ------------------------------------------------------


def _article_sentences(path: Path, count: int = 8) -> list[str]:
    """Long prose lines of an article (headings excluded: the book quotes those)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    prose = [line for line in lines if len(line) >= 60 and not line.startswith("#")]
    step = max(1, len(prose) // count)
    return [line[:40] for line in prose[::step][:count]]


def test_site_publishes_no_source_article_text(built_book):
    """The articles remain their authors' work: the site cites and links them
    but serves none of their prose (LICENSE)."""
    pages = [p.read_text(encoding="utf-8", errors="ignore") for p in built_book.rglob("*")
             if p.is_file() and p.suffix in {".html", ".js", ".txt", ".ipynb", ".md"}]
    assert not any("seeds" in p.parts for p in built_book.rglob("*"))
    for seed in sorted((ROOT / "sources" / "seeds").glob("*.txt")):
        for sentence in _article_sentences(seed):
            assert not any(sentence in page for page in pages), f"{seed.name}: {sentence!r}"


def test_launch_buttons_open_the_release_tag(built_book):
    """Every chapter page's Colab and Binder buttons (and its student-copy link)
    open the notebook at the release's tag."""
    tag = release.release_tag(release.package_version())
    for path in chapter_notebooks():
        rel = path.relative_to(ROOT).with_suffix(".html")
        page = (built_book / rel).read_text(encoding="utf-8")
        links = re.findall(r'https://(?:colab\.research\.google\.com|mybinder\.org)/[^"\s]+', page)
        assert links, f"{rel}: no launch button"
        for link in links:
            assert f"/{tag}/" in link or f"/{tag}?" in link, f"{rel}: {link} does not open {tag}"
