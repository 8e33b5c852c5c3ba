#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh machine: Debian's Chromium and CJK fonts for the
# browser tests (only when missing), a virtualenv with the project and its test extras, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto.*cjk"; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# The distributed tests start a real Redis (tests/services.py).
if ! command -v redis-server >/dev/null 2>&1; then
    $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $([ "$(id -u)" -eq 0 ] || echo sudo) apt-get install -y -qq redis-server >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
exec .venv/bin/pytest "$@"
