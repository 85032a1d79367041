"""Running untrusted code: a private copy of lib, no network, a clean environment.

Everything a submission runs (its kernel, and the sandbox that re-creates its
functions) is started through :func:`wrapper`: ``unshare`` with a user, mount,
network and PID namespace (no network but loopback, the grader's processes
invisible, the repository and the home directory mounted read-only), or with
only the network namespace where the others are unavailable, or with no
isolation at all; each fallback is returned as a warning that the grader
records (never silently).
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRADING = Path(__file__).resolve().parent


def _read_tree(top: Path) -> dict[str, bytes]:
    return {p.relative_to(top).as_posix(): p.read_bytes()
            for p in sorted(top.rglob("*.py")) if "__pycache__" not in p.parts}


#: lib's files and the grader's helper modules, read once when grading starts:
#: every copy handed to a kernel or a sandbox is written from these bytes, so a
#: submission that edits files on disk changes neither the grader nor the
#: next submission.
SNAPSHOT: dict[str, bytes] = {f"lib/{k}": v for k, v in _read_tree(ROOT / "lib").items()}
SNAPSHOT["_course_capture.py"] = (GRADING / "capture.py").read_bytes()
SNAPSHOT["_course_values.py"] = (GRADING / "values.py").read_bytes()
SANDBOX_MAIN = (GRADING / "sandbox_main.py").read_text(encoding="utf-8")

#: What the grading copy of lib.checks adds: expected() is unavailable in a graded run.
NO_EXPECTED = '''

def expected(label):  # the graded copy: a submission computes its answers
    """Unavailable while a submission is graded."""
    raise RuntimeError("expected() is not available in a graded run: compute the answer.")
'''


def lib_digest() -> str:
    """SHA-256 of the repository's lib/ as it is on disk now."""
    digest = hashlib.sha256()
    for name, data in _read_tree(ROOT / "lib").items():
        digest.update(name.encode() + b"\0" + data)
    return digest.hexdigest()


SNAPSHOT_DIGEST = lib_digest()


def write_copy(target: Path, *, graded_kernel: bool) -> Path:
    """Write lib and the helper modules into ``target`` (a fresh directory)."""
    for name, data in SNAPSHOT.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if graded_kernel and name == "lib/checks/__init__.py":
            data = data + NO_EXPECTED.encode()
        path.write_bytes(data)
    return target


def clean_env(pythonpath: Path, home: Path) -> dict[str, str]:
    """The environment of an untrusted process: no secret, nothing inherited."""
    return {
        "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(pythonpath),
        "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "IPYTHONDIR": str(home / ".ipython"),
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": str(home / ".matplotlib"),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }


def _read_only_script(paths: list[str]) -> str:
    lines = []
    for p in paths:
        q = shlex.quote(p)
        lines.append(f"mount --bind -o ro {q} {q} && mount -o remount,ro,bind {q} {q}")
    return " && ".join(lines + ['exec "$@"'])


def _candidates() -> list[tuple[list[str], str]]:
    read_only = [str(ROOT)] + ([str(Path.home())] if Path.home().is_dir() and
                               not str(ROOT).startswith(str(Path.home()) + "/") else [])
    full = ["unshare", "--user", "--map-root-user", "--mount", "--net", "--pid", "--fork",
            "--mount-proc", "--kill-child", "sh", "-c", _read_only_script(read_only), "sh"]
    net = ["unshare", "--user", "--map-root-user", "--net"]
    return [(full, ""),
            (net, "only a network namespace (unshare -rn): the repository stays writable "
                  "and the grader's processes visible to submissions")]


@lru_cache(maxsize=1)
def wrapper() -> tuple[tuple[str, ...], str]:
    """The command prefix that isolates an untrusted process, and a warning
    ("" when fully isolated). Tried once: a namespace that this machine
    refuses falls back to the next, with a warning."""
    if shutil.which("unshare"):
        for prefix, warning in _candidates():
            # Isolated means: the only network interface is loopback.
            probe = prefix + [sys.executable, "-c",
                              "import socket, sys\n"
                              "names = {n for _, n in socket.if_nameindex()}\n"
                              "sys.exit(0 if names <= {'lo'} else 3)"]
            try:
                done = subprocess.run(probe, capture_output=True, timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                continue
            if done.returncode == 0:
                return tuple(prefix), warning
    return (), ("no network namespace (unshare -rn failed on this machine): submissions ran "
                "WITH network access and could write to the repository")


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))
