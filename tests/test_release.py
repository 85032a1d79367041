"""Releases: one version everywhere, a valid citation and publishing workflow,
a locked environment that Binder and `make` share, and an offline bundle
that installs without a network."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT, make_once

sys.path.insert(0, str(ROOT / "scripts"))
import release  # noqa: E402
from setup_cell import chapter_notebooks, first_code_cell  # noqa: E402

BIN = Path(sys.executable).parent
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


def test_every_setup_cell_installs_the_pinned_reference_and_checks_the_version():
    """``main`` on a development version, the tag on a release; and the cell
    refuses a lib of another version."""
    version = release.package_version()
    reference = release.pinned_reference(version)
    for path in chapter_notebooks():
        cell = first_code_cell(nbformat.read(path, as_version=4))
        assert f"/archive/{reference}.tar.gz" in cell.source, f"{path.name}: does not install {reference}"
        assert f'_wanted = "{version}"' in cell.source, f"{path.name}: does not check lib {version}"


def _copy_versioned_files(target: Path) -> None:
    for name in ("pyproject.toml", "_config.yml", "CITATION.cff", "CHANGELOG.md"):
        (target / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")


def _set(version: str, root: Path) -> list[str]:
    """``release.set_version`` on a copy, recording the scripts it would run."""
    scripts = []
    original = release.subprocess.run
    release.subprocess.run = lambda args, **kw: scripts.append(args[-1])
    try:
        release.set_version(version, root=root)
    finally:
        release.subprocess.run = original
    return scripts


def test_set_version_moves_every_reference_to_a_release_and_back_to_main(tmp_path):
    """`release.py set` on a copy: a release pins the tag and heads the
    changelog; the next development version pins main again. Each time every
    reference agrees (the notebooks are rewritten by setup_cell.py, tested
    above through the pinned reference)."""
    _copy_versioned_files(tmp_path)
    assert _set("9.8.7", tmp_path) == ["--write", "scripts/student_edition.py"]
    assert release.disagreements(tmp_path, installed=False) == []
    assert release.package_version(tmp_path) == "9.8.7"
    assert "branch: v9.8.7" in (tmp_path / "_config.yml").read_text(encoding="utf-8")
    assert "## [9.8.7] - " in (tmp_path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert release.tag_problem("v9.8.7", tmp_path) is None
    assert "not this project's release tag" in release.tag_problem("v9.8.6", tmp_path)

    _set("9.9.0.dev0", tmp_path)
    assert release.disagreements(tmp_path, installed=False) == []
    assert "branch: main" in (tmp_path / "_config.yml").read_text(encoding="utf-8")
    assert "development version" in release.tag_problem("v9.9.0.dev0", tmp_path)


@pytest.mark.parametrize("version", ["1.2", "v1.2.3", "1.2.3.dev", "1.2.3rc1", "1.2.3-dev0"])
def test_set_version_refuses_what_is_neither_a_release_nor_a_dev_version(tmp_path, version):
    _copy_versioned_files(tmp_path)
    with pytest.raises(SystemExit, match="1.2.3.dev0"):
        _set(version, tmp_path)


def test_a_disagreeing_reference_is_named(tmp_path):
    """Each reference checked: a stale branch, a citation or changelog that
    names another version, and a development version whose release is
    already in the changelog."""
    _copy_versioned_files(tmp_path)
    _set("2.0.0", tmp_path)
    config = tmp_path / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("branch: v2.0.0", "branch: main"),
                      encoding="utf-8")  # fmt: skip
    assert any("_config.yml repository.branch is 'main'" in p for p in release.disagreements(tmp_path, installed=False))
    _copy_versioned_files(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(re.sub(r'(?m)^version = ".*"$', 'version = "0.1.0.dev0"', text), encoding="utf-8")
    problems = release.disagreements(tmp_path, installed=False)
    assert any("CITATION.cff version" in p for p in problems), problems
    assert any("already has release" in p for p in problems), problems


def test_lib_reports_the_installed_version_and_release_check_covers_it():
    import lib

    assert lib.__version__ == release.package_version()
    assert release.references()["installed lib (lib.__version__)"] == lib.__version__


@pytest.mark.parametrize("tag", ["v0.0.1", 'v9.9.9"||true||"', "v9.9.9$$(touch$${IFS}PWNED)", "v1;true",
                                 "v1`touch PWNED`", "$(shell touch PWNED)", "v$(nothing){version}",
                                 "{tag}$x", " {tag}", "{tag}\n", "--tag", "-h"])  # fmt: skip
@pytest.mark.parametrize("how", ["argument", "environment"])
def test_release_check_refuses_a_tag_that_is_not_the_release(tag, how, tmp_path):
    """`make release-check`, the publishing workflow's first step (which sets
    TAG in the environment): a tag name that is not the release's is refused,
    and none can end the command or run one (git allows `"`, `$` and `;` in tag
    names)."""
    version = release.package_version()
    tag = tag.replace("{version}", version).replace("{tag}", release.release_tag(version))
    args, env = ["make", "--no-print-directory", "-C", str(ROOT), "release-check"], dict(os.environ)
    if how == "argument":
        args.append(f"TAG={tag}")
    else:
        env["TAG"] = tag
    proc = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert proc.returncode != 0, proc.stdout
    refused = ("not this project's release tag", "development version", "argument --tag", "usage:")
    assert any(reason in proc.stdout + proc.stderr for reason in refused), proc.stdout + proc.stderr
    assert not list(tmp_path.iterdir()) and not (ROOT / "PWNED").exists()


def test_setup_cell_stops_with_one_sentence_on_a_version_mismatch(tmp_path):
    """The rendered cell, run in this environment (lib installed at the
    package's version): it accepts that version and refuses another, saying
    what to run."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from setup_cell import setup_cell_source

    source = setup_cell_source()
    ok = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "is already installed" in ok.stdout
    wrong = source.replace(f'_wanted = "{release.package_version()}"', '_wanted = "9.9.9"')
    assert wrong != source
    bad = subprocess.run([sys.executable, "-c", wrong], capture_output=True, text=True, cwd=tmp_path)
    assert bad.returncode != 0
    message = bad.stderr.strip().splitlines()[-1]
    assert message.startswith("RuntimeError: This notebook needs lib 9.9.9 but lib ")
    assert "pip install --force-reinstall --no-deps" in message and "run this cell again" in message
    # Saved from main (a development version): reinstalling from main may not
    # bring the notebook's version back, so the sentence says what else to do.
    if ".dev" in release.package_version():
        assert message.endswith("open the chapter again from the book."), message


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT)


def test_citation_file_is_valid():
    proc = _run(str(BIN / "check-jsonschema"), "--builtin-schema",
                "vendor.citation-file-format", "CITATION.cff")
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
def bundle() -> Path:
    """The bundle `make bundle` writes, as the publishing workflow builds it."""
    make_once("bundle")
    return ROOT / "_build" / "bundle" / f"ai-and-work-{release.package_version()}.zip"


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
        assert not any("seeds" in n or "sources/" in n or n.endswith(".txt") and "README" not in n
                       for n in names)  # fmt: skip
        # lib carries one excerpt, a code listing (sources/README.md); no member,
        # nor any file in the wheel, holds the articles' prose.
        for member, text in _zip_texts(zf):
            for name, probes in _article_probes().items():
                assert not any(p in text for p in probes), f"{member} holds text of {name}"


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


def _article_probes() -> dict[str, list[str]]:
    """Eight 40-character probes of each article's prose, by file name, from the
    section index (scripts/source_index.py writes them from the full articles,
    which the repository does not keep; headings excluded: the book quotes those)."""
    index = json.loads((ROOT / "sources" / "section_index.json").read_text(encoding="utf-8"))
    probes = {entry["file"]: entry["probes"] for entry in index["seeds"].values()}
    assert len(probes) == 3 and all(len(p) == 8 for p in probes.values())
    return probes


def _zip_texts(zf: zipfile.ZipFile, prefix: str = ""):
    """(name, text) of every member of a zip, the members of a wheel inside it included."""
    for name in zf.namelist():
        data = zf.read(name)
        if name.endswith(".whl"):
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                yield from _zip_texts(inner, f"{prefix}{name}!")
        else:
            yield prefix + name, data.decode("utf-8", errors="ignore")


def test_site_publishes_no_source_article_text(built_book):
    """The articles remain their authors' work: the site cites them by
    section but serves none of their prose (LICENSE)."""
    pages = [p.read_text(encoding="utf-8", errors="ignore") for p in built_book.rglob("*")
             if p.is_file() and p.suffix in {".html", ".js", ".txt", ".ipynb", ".md"}]
    assert not any({"seeds", "excerpts"} & set(p.parts) for p in built_book.rglob("*"))
    for name, probes in _article_probes().items():
        for probe in probes:
            assert not any(probe in page for page in pages), f"{name}: {probe!r}"


def test_launch_buttons_open_the_pinned_reference(built_book):
    """Every chapter page's Colab and Binder buttons (and its student-copy link)
    open the notebook at the pinned reference: the tag of a release, ``main``
    between releases (where the setup cell installs lib from main too)."""
    reference = release.pinned_reference(release.package_version())
    for path in chapter_notebooks():
        rel = path.relative_to(ROOT).with_suffix(".html")
        page = (built_book / rel).read_text(encoding="utf-8")
        links = re.findall(r'https://(?:colab\.research\.google\.com|mybinder\.org)/[^"\s]+', page)
        assert links, f"{rel}: no launch button"
        for link in links:
            assert f"/{reference}/" in link or f"/{reference}?" in link, f"{rel}: {link} does not open {reference}"


def test_a_release_moves_the_translations_links_with_it(tmp_path):
    """The translated "Exercises in Colab" links name the pinned reference in
    their English and their Chinese: a release moves both, so a translated
    page stays translated."""
    _copy_versioned_files(tmp_path)
    po_dir = tmp_path / "locale" / "zh_CN" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    link = "https://colab.research.google.com/github/executable-course/ai-and-work/blob/{}/student/x.ipynb"
    reference = release.pinned_reference(release.package_version())
    (po_dir / "x.po").write_text(f'msgid "[a]({link.format(reference)})"\nmsgstr "[甲]({link.format(reference)})"\n',
                                 encoding="utf-8")  # fmt: skip
    _set("9.8.7", tmp_path)
    text = (po_dir / "x.po").read_text(encoding="utf-8")
    assert text.count(link.format("v9.8.7")) == 2 and f"/blob/{reference}/" not in text
