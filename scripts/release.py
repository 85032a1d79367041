"""The course's version: one number, and every place that must agree with it.

The version lives in ``pyproject.toml`` (``project.version``). A release pins
the course to the tag ``v<version>``: ``repository.branch`` in ``_config.yml``
(so every setup cell and every Colab/Binder button points at the tag),
``CITATION.cff`` and the first release heading of ``CHANGELOG.md``.

    python scripts/release.py check          # list the references; exit 1 if any disagrees
    python scripts/release.py set 0.3.0      # move every reference to 0.3.0

``set`` rewrites the notebooks' setup cells and the student edition, then
prints the git commands that tag and publish the release (pushing the tag
runs ``.github/workflows/publish.yml``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
CHANGELOG_HEADING = re.compile(r"^## \[(\d+\.\d+\.\d+)\]", re.M)


def package_version(root: Path = ROOT) -> str:
    """The one source of the version: ``project.version`` in ``pyproject.toml``."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    return str(project["project"]["version"])


def release_tag(version: str) -> str:
    """The git tag of a release: ``v`` and the version."""
    return f"v{version}"


def references(root: Path = ROOT) -> dict[str, str]:
    """Every place that names the version, and the version it names there."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    changelog = CHANGELOG_HEADING.findall((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    branch = str(config["repository"]["branch"])
    return {
        "pyproject.toml project.version": package_version(root),
        "_config.yml repository.branch": branch[1:] if branch.startswith("v") else branch,
        "CITATION.cff version": str(citation["version"]),
        "CHANGELOG.md newest release": changelog[0] if changelog else "(none)",
    }


def disagreements(root: Path = ROOT) -> list[str]:
    """The references that do not name the package's version."""
    version = package_version(root)
    return [f"{where} is {found!r}, not {version!r}"
            for where, found in references(root).items() if found != version]


def set_version(version: str, root: Path = ROOT) -> None:
    """Move every reference to ``version`` (pyproject, _config, CITATION,
    CHANGELOG, setup cells, student edition)."""
    if not VERSION_RE.match(version):
        raise SystemExit(f"version must look like 1.2.3; got {version!r}.")
    _sub(root / "pyproject.toml", r'(?m)^version = "[^"]*"', f'version = "{version}"')
    _sub(root / "_config.yml", r"(?m)^(  branch: ).*$", rf"\g<1>{release_tag(version)}")
    today = dt.date.today().isoformat()
    _sub(root / "CITATION.cff", r"(?m)^version: .*$", f"version: {version}")
    _sub(root / "CITATION.cff", r'(?m)^date-released: .*$', f'date-released: "{today}"')
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    if f"## [{version}]" not in text:
        text = text.replace("## [Unreleased]", f"## [Unreleased]\n\n## [{version}] - {today}", 1)
        changelog.write_text(text, encoding="utf-8")
    for script in ("setup_cell.py --write", "student_edition.py"):
        subprocess.run([sys.executable, *f"scripts/{script}".split()], cwd=root, check=True)


def _sub(path: Path, pattern: str, replacement: str) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"{path.name}: found no line matching {pattern!r}.")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="list every reference to the version")
    setter = sub.add_parser("set", help="move every reference to a new version")
    setter.add_argument("version")
    args = parser.parse_args()
    if args.command == "set":
        set_version(args.version)
        tag = release_tag(args.version)
        print(f"Every reference now names {args.version}. To publish:\n"
              f"  git commit -am 'Release {args.version}' && git tag {tag} && "
              f"git push origin main {tag}")
        return
    for where, found in references().items():
        print(f"{found:>10}  {where}")
    problems = disagreements()
    if problems:
        raise SystemExit("Version references disagree:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
