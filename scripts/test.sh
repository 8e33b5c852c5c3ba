#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh machine: Debian's Chromium and CJK fonts for the
# browser tests and PostgreSQL's server binaries for the store tests (only when missing), a virtualenv
# with the project and its test extras, then pytest. The tests start their own PostgreSQL servers in
# temporary folders (tests/postgres.py); the cluster Debian's package sets up is not used or started.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    missing+=(chromium fonts-noto-cjk)
fi
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing+=(postgresql)
fi
# The distributed tests start a real Redis (tests/services.py).
if ! command -v redis-server >/dev/null 2>&1; then
    missing+=(redis-server)
fi
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    # A policy-rc.d answering 101 keeps the package's own cluster service from starting (nothing here
    # uses it), for this install only.
    blocked=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
        $sudo chmod +x /usr/sbin/policy-rc.d
        blocked=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    [ -z "$blocked" ] || $sudo rm -f /usr/sbin/policy-rc.d
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
exec .venv/bin/pytest "$@"
