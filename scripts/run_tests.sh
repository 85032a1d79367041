#!/usr/bin/env bash
# `make test`: every test, in two groups that run at the same time.
#
# 1. Every test that needs no network, inside a network namespace whose only
#    interface is the loopback (scripts/offline.sh), spread over two
#    pytest-xdist workers, one a core. A test file goes to one worker whole
#    (--dist loadfile), so its module fixtures (a browser, a server) start once.
# 2. The tests that install into fresh environments (marked `network`: the
#    Colab emulation, the packaging builds), outside the namespace; they
#    mostly wait for pip and for kernels.
#
# What both groups need built (the book, its editions, the PDFs) is built
# once per run, by whichever test asks first (tests/conftest.py, make_once):
# COURSE_TEST_RUN names the run. Usage: scripts/run_tests.sh PYTHON
set -uo pipefail
python="${1:?usage: run_tests.sh PYTHON}"
cd "$(dirname "$0")/.."
mkdir -p _build
COURSE_TEST_RUN="$(date +%s%N)"
export COURSE_TEST_RUN

network_log=_build/network-tests.log
"$python" -m pytest -m network > "$network_log" 2>&1 &
network_pid=$!

echo "== every test that needs no network, with the network unreachable (2 workers) =="
bash scripts/offline.sh "$python" -m pytest -m "not network" -n 2 --dist loadfile
offline_status=$?

wait "$network_pid"
network_status=$?
echo
echo "== the tests that install into fresh environments (run alongside; log: $network_log) =="
cat "$network_log"

if [ "$offline_status" -ne 0 ] || [ "$network_status" -ne 0 ]; then
    echo "make test failed: offline tests exit $offline_status, network tests exit $network_status" >&2
    exit 1
fi
