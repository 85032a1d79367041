"""Pin Binder's environment to the locked runtime of the notebooks.

Binder installs ``binder/requirements.txt`` and runs ``binder/postBuild``
(which installs ``lib``). This script writes that requirements file from
``requirements.lock`` (the notebooks' runtime packages at exactly the locked
versions) and ``binder/runtime.txt`` with the lock's Python, so that Binder
runs the chapters on the versions the book was built and tested with.
``make lock`` runs it after refreshing the locks.

The runtime is what ``pyproject.toml`` declares: lib's dependencies and its
optional ``compare`` extra (the libraries Part III chapter 2 compares with),
so a Binder reader sees every cell the book shows.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_PYTHON = re.compile(r"--python-version (\d+\.\d+)")


def locked_versions(lock: Path) -> dict[str, str]:
    """``{package: version}`` of every ``name==version`` line of a lock file."""
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock.read_text(encoding="utf-8"), re.M)
    return {name.lower(): version for name, version in pins}


def requirement_name(requirement: str) -> str:
    """The distribution name of a requirement such as ``"numpy>=1.24"``, lower case.

    Examples
    --------
    >>> requirement_name("scikit-learn>=1.3")
    'scikit-learn'
    """
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower()


def runtime(root: Path = ROOT) -> list[str]:
    """lib's dependencies and its ``compare`` extra, in ``pyproject.toml``'s order."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    return [requirement_name(r) for r in [*project["dependencies"], *extras.get("compare", [])]]


def main() -> None:
    lock = ROOT / "requirements.lock"
    versions = locked_versions(lock)
    names = runtime()
    missing = [name for name in names if name not in versions]
    if missing:
        raise SystemExit(f"requirements.lock pins no {', '.join(missing)}.")
    python = LOCK_PYTHON.search(lock.read_text(encoding="utf-8"))
    if not python:
        raise SystemExit("requirements.lock does not say which Python it is for.")
    lines = [
        "# What Binder installs to run the chapters: the notebooks' runtime at the",
        "# versions of requirements.lock (written by scripts/pin_binder.py; `make lock`).",
        "# `lib` itself is installed from this repository by binder/postBuild.",
        *(f"{name}=={versions[name]}" for name in names),
    ]
    (ROOT / "binder" / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (ROOT / "binder" / "runtime.txt").write_text(f"python-{python.group(1)}\n", encoding="utf-8")
    print(f"binder/: Python {python.group(1)}, " + ", ".join(f"{n} {versions[n]}" for n in names))


if __name__ == "__main__":
    main()
