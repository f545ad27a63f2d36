#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine, checks lint, formatting,
# types and import layers, then runs the whole suite.
# Extra arguments go to pytest (e.g. scripts/test.sh -k lottery).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: chromium, firefox-esr and WebKitGTK's WebDriver (under xvfb) for the
# page tests, a CJK font so screenshots show Chinese, tmux for looking at the console by
# eye, redis-server and haproxy for the cluster tests (started by the tests themselves),
# gcc and Python's headers for compiling the filter (setup.py; tests/test_native.py).
missing=()
for package in chromium firefox-esr webkit2gtk-driver xvfb fonts-wqy-microhei \
  fonts-noto-color-emoji tmux \
  redis-server haproxy gcc python3-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

python3 -m pip install -q -e ".[test]"

# The style the project set, enforced before any test runs (config in pyproject.toml):
# lint, formatting, strict types on server/, console/ and tests/, and the import layers.
echo "== ruff check, ruff format --check, mypy --strict, lint-imports"
python3 -m ruff check --quiet .
python3 -m ruff format --check --quiet .
python3 -m mypy --no-error-summary
lint-imports --no-cache >/dev/null || lint-imports --no-cache

exec python3 -m pytest "$@"
