#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, then runs all of it.
# Extra arguments go to pytest (e.g. scripts/test.sh -k lottery).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium for the page tests, a CJK font so screenshots show
# Chinese, tmux for looking at the console by eye.
missing=()
for package in chromium fonts-wqy-microhei tmux; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q -e ".[test]"
exec python3 -m pytest "$@"
