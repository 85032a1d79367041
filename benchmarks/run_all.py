"""Run every benchmark and print its ratios; results go to benchmarks/results/.

    .venv/bin/python benchmarks/run_all.py          # all, about 10 minutes here
    .venv/bin/python benchmarks/run_all.py --ci     # also time the full .ci/run
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_book  # noqa: E402
import bench_matching  # noqa: E402
import bench_metrics  # noqa: E402
import bench_regression  # noqa: E402
import bench_sympy  # noqa: E402
from common import machine  # noqa: E402

if __name__ == "__main__":
    print("machine:", machine())
    for name, module in [
        ("matching", bench_matching),
        ("least squares", bench_regression),
        ("sympy", bench_sympy),
        ("classification and entity reports", bench_metrics),
    ]:
        print(f"\n=== {name} ===")
        module.main()
    print("\n=== the book ===")
    bench_book.main(with_ci="--ci" in sys.argv)
