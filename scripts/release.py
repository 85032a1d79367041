"""The course's version: one number, and every place that must agree with it.

The version lives in ``pyproject.toml`` (``project.version``), in one of two
forms (PEP 440):

* a **release**, ``X.Y.Z``: the course is pinned to the tag ``vX.Y.Z``;
* a **development version**, ``X.Y.Z.devN``: ``main`` between the release
  before and ``X.Y.Z``; the course is pinned to the branch ``main``.

The pin is ``repository.branch`` in ``_config.yml``, so every setup cell and
every Colab/Binder button follows it (a notebook from ``main`` installs lib
from ``main``, a notebook of a release from its tag), and every setup cell
checks that the lib it finds has the version it was written for.
``CITATION.cff`` names the version too. ``CHANGELOG.md``'s newest heading is
the release itself, or ``[Unreleased]`` on a development version (whose
release is not in it yet). The installed ``lib`` reports the same version
(``lib.__version__`` comes from the installed metadata).

    python scripts/release.py check               # list the references; exit 1 if any disagrees
    python scripts/release.py check --tag v0.3.0  # also: is v0.3.0 this release's tag?
    python scripts/release.py set 0.3.0           # move every reference to 0.3.0 (tag v0.3.0)
    python scripts/release.py set 0.4.0.dev0      # reopen main after the release

``set`` rewrites the notebooks' setup cells and the student edition, then
prints the git commands that tag and publish the release (pushing the tag
runs ``.github/workflows/publish.yml``, whose first step is ``check --tag``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from setup_cell import distribution_name, package_version  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: A release ``1.2.3`` or a development version ``1.2.3.dev0`` (PEP 440).
VERSION_RE = re.compile(r"^(\d+\.\d+\.\d+)(\.dev\d+)?$")
#: Changelog headings: ``## [Unreleased]`` and ``## [1.2.3] - 2026-12-02``.
CHANGELOG_HEADING = re.compile(r"^## \[(Unreleased|\d+\.\d+\.\d+)\]", re.M)
#: The branch a development version is pinned to.
DEVELOPMENT_BRANCH = "main"


def is_release(version: str) -> bool:
    """True for ``1.2.3``, False for ``1.2.3.dev0``; ValueError for anything else.

    Examples
    --------
    >>> is_release("0.3.0"), is_release("0.3.0.dev0")
    (True, False)
    """
    match = VERSION_RE.match(version)
    if not match:
        raise ValueError(f"version must look like 1.2.3 or 1.2.3.dev0; got {version!r}.")
    return match.group(2) is None


def release_tag(version: str) -> str:
    """The git tag of a release: ``v`` and the version."""
    return f"v{version}"


def pinned_reference(version: str) -> str:
    """What ``repository.branch`` names for ``version``: its tag, or ``main``.

    Examples
    --------
    >>> pinned_reference("0.3.0"), pinned_reference("0.4.0.dev0")
    ('v0.3.0', 'main')
    """
    return release_tag(version) if is_release(version) else DEVELOPMENT_BRANCH


def _changelog_newest(root: Path) -> tuple[str | None, str | None]:
    """``(first heading, newest release heading)`` of ``CHANGELOG.md``."""
    headings = CHANGELOG_HEADING.findall((root / "CHANGELOG.md").read_text(encoding="utf-8"))
    releases = [h for h in headings if h != "Unreleased"]
    return (headings[0] if headings else None), (releases[0] if releases else None)


def _as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def references(root: Path = ROOT) -> dict[str, str]:
    """Every place that names the version, and what it names there."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    citation = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    first, newest = _changelog_newest(root)
    return {
        "pyproject.toml project.version": package_version(root),
        "_config.yml repository.branch": str(config["repository"]["branch"]),
        "CITATION.cff version": str(citation["version"]),
        "CHANGELOG.md first heading": first or "(none)",
        "CHANGELOG.md newest release": newest or "(none)",
        "installed lib (lib.__version__)": installed_version(root),
    }


def installed_version(root: Path = ROOT) -> str:
    """The version of the installed course package, as ``lib.__version__`` reports it."""
    try:
        return importlib.metadata.version(distribution_name(root))
    except importlib.metadata.PackageNotFoundError:
        return "(not installed)"


def disagreements(root: Path = ROOT, *, installed: bool = True) -> list[str]:
    """What does not agree with the package's version (``installed=False``
    leaves out the installed lib, for a copy of the repository)."""
    version = package_version(root)
    try:
        release = is_release(version)
    except ValueError as error:
        return [f"pyproject.toml: {error}"]
    found = references(root)
    wanted = {
        "_config.yml repository.branch": pinned_reference(version),
        "CITATION.cff version": version,
    }
    if installed:
        wanted["installed lib (lib.__version__)"] = version
    problems = [f"{where} is {found[where]!r}, not {want!r}"
                for where, want in wanted.items() if found[where] != want]  # fmt: skip
    if installed and problems and problems[-1].startswith("installed lib"):
        problems[-1] += " (reinstall: pip install --no-deps -e .)"
    first, newest = _changelog_newest(root)
    base = VERSION_RE.match(version).group(1)
    if release and newest != version:
        problems.append(f"CHANGELOG.md's newest release is {newest!r}, not {version!r}")
    if not release:
        if first != "Unreleased":
            problems.append("CHANGELOG.md must start with '## [Unreleased]' on a development version")
        if newest is not None and _as_tuple(newest) >= _as_tuple(base):
            problems.append(f"CHANGELOG.md already has release {newest!r}, not before {version!r}")
    return problems


def tag_problem(tag: str, root: Path = ROOT) -> str | None:
    """Why ``tag`` may not be published, or None: it must be ``v`` + the
    project's version, and that version a release."""
    version = package_version(root)
    if tag != release_tag(version):
        return f"{tag!r} is not this project's release tag {release_tag(version)!r} (pyproject.toml)."
    if not is_release(version):
        return f"{version} is a development version: publish only a release (make release VERSION=x.y.z)."
    return None


def set_version(version: str, root: Path = ROOT) -> None:
    """Move every reference to ``version`` (pyproject, _config, CITATION,
    CHANGELOG, setup cells, student edition)."""
    if not VERSION_RE.match(version):
        raise SystemExit(f"version must look like 1.2.3 (a release) or 1.2.3.dev0 (main); got {version!r}.")
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    old_reference = str(config["repository"]["branch"])
    _sub(root / "pyproject.toml", r'(?m)^version = "[^"]*"', f'version = "{version}"')
    _sub(root / "_config.yml", r"(?m)^(  branch: ).*$", rf"\g<1>{pinned_reference(version)}")
    move_translated_links(old_reference, pinned_reference(version), root)
    today = dt.date.today().isoformat()
    _sub(root / "CITATION.cff", r"(?m)^version: .*$", f"version: {version}")
    _sub(root / "CITATION.cff", r'(?m)^date-released: .*$', f'date-released: "{today}"')
    changelog = root / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    if is_release(version) and f"## [{version}]" not in text:
        text = text.replace("## [Unreleased]", f"## [Unreleased]\n\n## [{version}] - {today}", 1)
        changelog.write_text(text, encoding="utf-8")
    for script in ("setup_cell.py --write", "student_edition.py"):
        subprocess.run([sys.executable, *f"scripts/{script}".split()], cwd=root, check=True)


def move_translated_links(old: str, new: str, root: Path = ROOT) -> list[Path]:
    """Point the translations' links to the student copies (``.../blob/<ref>/...``)
    at the new reference, in their English and their Chinese alike, so that a
    translated page stays translated across a release. Returns the catalogues changed."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    repository = str(config["repository"]["url"]).rstrip("/").split("github.com/")[-1]
    pattern = re.compile(rf"({re.escape(repository)}/blob/){re.escape(old)}/")
    changed = []
    for po in sorted((root / "locale").rglob("*.po")):
        text = po.read_text(encoding="utf-8")
        moved = pattern.sub(rf"\g<1>{new}/", text)
        if moved != text:
            po.write_text(moved, encoding="utf-8")
            changed.append(po)
    return changed


def _sub(path: Path, pattern: str, replacement: str) -> None:
    text, count = re.subn(pattern, replacement, path.read_text(encoding="utf-8"), count=1)
    if count != 1:
        raise SystemExit(f"{path.name}: found no line matching {pattern!r}.")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    checker = sub.add_parser("check", help="list every reference to the version")
    checker.add_argument("--tag", help="also refuse unless this is the release's tag (v + version)")
    setter = sub.add_parser("set", help="move every reference to a new version")
    setter.add_argument("version")
    args = parser.parse_args(argv)
    if args.command == "set":
        set_version(args.version)
        if is_release(args.version):
            tag = release_tag(args.version)
            print(f"Every reference now names {args.version}. To publish:\n"
                  f"  git commit -am 'Release {args.version}' && git tag {tag} && "
                  f"git push origin main {tag}\n"
                  "then reopen main: make release VERSION=<next>.dev0")
        else:
            print(f"Every reference now names {args.version}, pinned to {DEVELOPMENT_BRANCH}.")
        return
    for where, found in references().items():
        print(f"{found:>16}  {where}")
    problems = disagreements()
    if args.tag is not None:
        problem = tag_problem(args.tag)
        if problem:
            problems.append(problem)
    if problems:
        raise SystemExit("Version check failed:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
