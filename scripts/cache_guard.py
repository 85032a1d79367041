"""Invalidate the book's execution cache when what the notebooks read changes.

Jupyter Book's cache is keyed on each notebook's code cells only, so after an
edit to `lib` (or to the stored benchmark results the "How fast, how big"
page reads, or to the book's locked environment) an unchanged notebook would
keep outputs computed from the old files. This script stores a hash of
`lib/**/*.py`, `benchmarks/results/*.json` and `requirements-book.lock` next
to the cache and, when the hash differs, deletes the cache and the saved
state of every edition's build (English, Chinese, student), so that each
reads and runs its pages again. `make book`, `make book-zh` and
`make book-student` run it before building.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _paths(root: Path) -> tuple[Path, list[Path], Path]:
    """The execution cache, every edition's saved Sphinx state, and the stamp."""
    build = root / "_build"
    # Sphinx only re-reads (and so re-executes) pages whose source changed; the
    # saved environment of every edition must go too, or a cleared cache is
    # never refilled (or an edition keeps serving outputs of the old lib).
    doctrees = [build / ".doctrees", build / "zh" / "doctrees-html",
                build / "student-src" / "_build" / ".doctrees"]  # fmt: skip
    return build / ".jupyter_cache", doctrees, build / ".lib_hash"


def lib_hash(root: Path = ROOT) -> str:
    """A hash of what the notebooks' outputs depend on besides their own code."""
    digest = hashlib.sha256()
    inputs = (sorted((root / "lib").rglob("*.py")) + sorted((root / "benchmarks" / "results").glob("*.json"))
              + [root / "requirements-book.lock"])  # fmt: skip
    for path in inputs:
        if path.exists():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def guard(root: Path = ROOT) -> bool:
    """Delete the cache and every edition's saved state if what the notebooks
    read changed since the cache was filled; return True if it did."""
    cache, doctrees, stamp = _paths(root)
    current = lib_hash(root)
    stale = stamp.exists() and stamp.read_text().strip() != current
    orphaned = doctrees[0].exists() and not (cache / "global.db").exists()
    if stale or orphaned or (cache.exists() and not stamp.exists()):
        shutil.rmtree(cache, ignore_errors=True)
        for folder in doctrees:
            shutil.rmtree(folder, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    return stale


if __name__ == "__main__":
    if guard():
        print("lib changed since the last build: execution cache cleared")
