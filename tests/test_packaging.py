"""lib builds cleanly, today and under the pips its users have.

Colab installs lib from the repository's archive with its own pip; a
classroom machine may have the newest pip. Each builds lib in an isolated
environment with the newest setuptools ``pyproject.toml`` allows; the lowest
setuptools it allows is built here too. Every build runs verbosely and must
print no deprecation and no build-backend warning: such a warning is how a
build announces the date after which it stops working. The wheel carries
the licence as an SPDX expression (PEP 639) and the project's version.

The editable install `make` does for the course's developers (never a
user's) is the one exception: setuptools prints an informational notice
under the BuildBackendWarning category in every editable mode ("Editable
installation ... folders in your working directory with the same name as
your package"); that notice, and nothing else, is allowed there.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, copy_package

COLAB_FREEZE = ROOT / "tests" / "colab-freeze.txt"
WARNING = re.compile(r"Deprecat|BuildBackendWarning")

pytestmark = pytest.mark.network


def _colab_pip() -> str:
    version = re.search(r"^pip==(\S+)$", COLAB_FREEZE.read_text(encoding="utf-8"), re.M)
    assert version, "Colab's freeze names no pip"
    return version.group(1)


def _build_requirement() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (requirement,) = project["build-system"]["requires"]
    return requirement


def _lowest_setuptools() -> str:
    lowest = re.search(r">=\s*([\d.]+)", _build_requirement())
    assert lowest, f"the build requirement has no lower bound: {_build_requirement()}"
    return lowest.group(1)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """The files pip gets from the repository's archive, copied (an in-tree
    build would leave build/ in the checkout)."""
    return copy_package(tmp_path_factory.mktemp("archive") / "course")


def _venv_with(tmp_path: Path, *requirements: str) -> Path:
    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python = env / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    *requirements], check=True)  # fmt: skip
    return python


def _wheel(python: Path, package: Path, out: Path, *flags: str) -> tuple[Path, str]:
    proc = subprocess.run([str(python), "-m", "pip", "wheel", "-v", "--no-deps", "--disable-pip-version-check",
                           *flags, "--wheel-dir", str(out), str(package)],
                          capture_output=True, text=True)  # fmt: skip
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    (wheel,) = out.glob("*.whl")
    return wheel, log


def _check(wheel: Path, log: str) -> None:
    warnings = [line.strip() for line in log.splitlines() if WARNING.search(line)]
    assert not warnings, "the build warns:\n" + "\n".join(warnings)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = zf.read(name).decode()
        assert any(n.endswith(".dist-info/licenses/LICENSE") for n in zf.namelist())
    assert re.search(r"^License-Expression: MIT$", metadata, re.M), metadata[:800]
    assert re.search(rf"^Version: {re.escape(project['version'])}$", metadata, re.M)
    assert not re.search(r"^License: ", metadata, re.M), "a licence in the deprecated field"


@pytest.mark.parametrize("pip", ["colab", "newest"])
def test_lib_builds_without_a_warning_under_colabs_pip_and_the_newest(pip, package, tmp_path):
    spec = f"pip=={_colab_pip()}" if pip == "colab" else "pip"
    python = _venv_with(tmp_path, "--upgrade", spec)
    wheel, log = _wheel(python, package, tmp_path / "wheel")
    assert "Successfully built" in log or wheel.exists()
    _check(wheel, log)


def test_lib_builds_without_a_warning_with_the_lowest_setuptools_allowed(package, tmp_path):
    python = _venv_with(tmp_path, "--upgrade", "pip", f"setuptools=={_lowest_setuptools()}", "wheel")
    wheel, log = _wheel(python, package, tmp_path / "wheel", "--no-build-isolation")
    _check(wheel, log)


def test_the_build_requirement_is_bounded_on_both_sides():
    requirement = _build_requirement()
    assert re.fullmatch(r"setuptools>=[\d.]+,<\d+", requirement), requirement


def test_the_editable_install_prints_only_setuptools_notice(package, tmp_path):
    python = _venv_with(tmp_path, "--upgrade", "pip")
    proc = subprocess.run([str(python), "-m", "pip", "install", "-v", "--no-deps", "--disable-pip-version-check",
                           "-e", str(package)], capture_output=True, text=True)  # fmt: skip
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-4000:]
    warnings = [line.strip() for line in log.splitlines() if WARNING.search(line)]
    assert all(line.endswith("BuildBackendWarning: Editable installation.") for line in warnings), warnings
