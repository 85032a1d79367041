#!/usr/bin/env bash
# Run a command with the network unreachable: a new network namespace whose
# only interface is the loopback (brought up: the Jupyter kernels and the
# local web server of the browser test need it). This proves that the book
# build, the lib tests and the browser test need no network once everything
# is installed. OFFLINE_CHECK=0 runs the command without isolation.
set -euo pipefail

if [ "${OFFLINE_CHECK:-1}" = "0" ]; then
    echo "OFFLINE_CHECK=0: running without network isolation" >&2
    exec "$@"
fi
if [ "$(id -u)" -eq 0 ]; then
    ns=(unshare --net)
else
    ns=(unshare --net --map-root-user)
fi
if ! "${ns[@]}" true 2>/dev/null; then
    echo "Cannot create a network namespace here (unshare failed)." >&2
    echo "Run as root, enable unprivileged user namespaces, or set OFFLINE_CHECK=0 to skip the isolation." >&2
    exit 1
fi
exec "${ns[@]}" bash -c '
    set -euo pipefail
    ip link set lo up
    # Prove the isolation before running anything.
    interfaces=$(ip -o link show | awk -F": " "{print \$2}" | tr "\n" " ")
    [ "$interfaces" = "lo " ] || { echo "unexpected interfaces: $interfaces" >&2; exit 1; }
    if python3 -c "import socket; socket.create_connection((\"1.1.1.1\", 53), timeout=3)" 2>/dev/null; then
        echo "the network is reachable inside the namespace" >&2; exit 1
    fi
    echo "network isolation verified: only the loopback interface, outside addresses unreachable"
    export COURSE_OFFLINE=1
    exec "$@"
' bash "$@"
