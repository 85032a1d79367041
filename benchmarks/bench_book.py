"""The book: cold build, unchanged rebuild, a one-notebook change, each
notebook's execution time; with --ci, the full .ci/run in a fresh clone.

Builds run in a temporary copy of the repository (with this checkout's
virtual environment), so the working tree and its cache are left alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, save, table  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from setup_cell import toc_files  # noqa: E402

JB = Path(sys.executable).with_name("jupyter-book")


def build(tree: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    start = time.perf_counter()
    subprocess.run([str(JB), "build", str(tree), "-W", "-n", "--keep-going"], check=True,
                   capture_output=True, env=env, cwd=tree)  # fmt: skip
    return time.perf_counter() - start


def notebook_times(tree: Path) -> list[dict]:
    from jupyter_cache import get_cache

    cache = get_cache(tree / "_build" / ".jupyter_cache")
    rows = []
    listed = set(toc_files(tree))
    for path in sorted((tree / "chapters").rglob("*.ipynb")):
        if path.relative_to(tree).with_suffix("").as_posix() not in listed:
            continue
        record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
        rows.append({"notebook": path.relative_to(tree).as_posix(),
                     "seconds": record.data.get("execution_seconds")})  # fmt: skip
    return rows


def main(with_ci: bool = False) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "book"
        shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(".venv", "_build", ".git", "test-artifacts",
                                                                    ".pytest_cache", ".hypothesis"))  # fmt: skip
        cold = build(tree)
        unchanged = build(tree)
        target = tree / "chapters" / "part2_matching" / "01_matching_lp.ipynb"
        nb = nbformat.read(target, as_version=4)
        code = next(c for c in nb.cells if c.cell_type == "code" and "import matplotlib" in c.source)
        code.source += "\n# a code change"
        nbformat.write(nb, target)
        one_change = build(tree)
        times = notebook_times(tree)
    builds = {"cold_build_s": cold, "unchanged_rebuild_s": unchanged, "one_notebook_change_s": one_change}
    print(table([builds], list(builds)))
    print()
    print(table(times, ["notebook", "seconds"]))
    payload = {"builds": builds, "notebooks": times}
    if with_ci:
        with tempfile.TemporaryDirectory() as tmp:
            clone = Path(tmp) / "clone"
            subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
            start = time.perf_counter()
            subprocess.run(["bash", ".ci/run"], cwd=clone, check=True, capture_output=True)
            payload["ci_run_s"] = time.perf_counter() - start
        print(f"\nfull .ci/run in a fresh clone: {payload['ci_run_s']:.0f} s")
    else:
        previous = (Path(__file__).parent / "results" / "book.json")
        if previous.exists():
            import json

            old = json.loads(previous.read_text()).get("ci_run_s")
            if old:
                payload["ci_run_s"] = old
    save("book", payload)
    return payload


if __name__ == "__main__":
    print(machine())
    main(with_ci="--ci" in sys.argv)
