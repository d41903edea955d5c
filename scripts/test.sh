#!/usr/bin/env bash
# Install everything the test suite needs, then run all of it.
#   Debian: chromium (browser tests and server-side chart export) and CJK fonts
#   PyPI:   requirements-dev.txt
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k extraction`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig
fi
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
exec python3 -m pytest "$@"
