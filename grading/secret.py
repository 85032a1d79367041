"""The grading secret and the hidden seeds derived from it.

The secret is read from the environment variable ``COURSE_GRADING_SECRET``,
or from the file named by ``COURSE_GRADING_SECRET_FILE``; it is never
committed. Each hidden instance seed is HMAC-SHA256(secret,
"<student>:<label>:<k>") read as an integer, so a student cannot compute the
instances their function will be graded on, and two students get different
ones.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

SECRET_VARIABLE = "COURSE_GRADING_SECRET"
SECRET_FILE_VARIABLE = "COURSE_GRADING_SECRET_FILE"


class MissingSecret(RuntimeError):
    """Grading was asked to run without a secret."""


def load_secret(environ: dict[str, str] | None = None) -> bytes:
    """The grading secret, from the environment (or the file it names).

    Raises
    ------
    MissingSecret
        If neither variable is set, or the secret is empty.

    Examples
    --------
    >>> load_secret({"COURSE_GRADING_SECRET": "s3cret"})
    b's3cret'
    """
    env = os.environ if environ is None else environ
    if env.get(SECRET_VARIABLE):
        secret = env[SECRET_VARIABLE].encode()
    elif env.get(SECRET_FILE_VARIABLE):
        path = Path(env[SECRET_FILE_VARIABLE])
        if not path.is_file():
            raise MissingSecret(f"{SECRET_FILE_VARIABLE} names {path}, which is not a file.")
        secret = path.read_bytes().strip()
    else:
        raise MissingSecret(
            f"Grading needs a secret: set {SECRET_VARIABLE}, or {SECRET_FILE_VARIABLE} to a file holding "
            "it (keep it out of the repository). The hidden instances are derived from it."
        )
    if not secret:
        raise MissingSecret("The grading secret is empty.")
    return secret


def hidden_seed(secret: bytes, student: str, label: str, k: int) -> int:
    """The seed of the ``k``-th hidden check of ``label`` for ``student``.

    Examples
    --------
    >>> a = hidden_seed(b"x", "ada", "ex-auction-bid", 0)
    >>> a == hidden_seed(b"x", "ada", "ex-auction-bid", 0), a == hidden_seed(b"y", "ada", "ex-auction-bid", 0)
    (True, False)
    >>> 0 <= a < 2**64
    True
    """
    if not isinstance(secret, bytes) or not secret:
        raise ValueError("secret must be non-empty bytes.")
    digest = hmac.new(secret, f"{student}:{label}:{k}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big")
