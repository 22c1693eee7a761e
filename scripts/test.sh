#!/usr/bin/env bash
# The one test command (`npm test`): system packages, node_modules, typecheck, lint, then every vitest
# project (Postgres, PGlite, e2e). Extra arguments go to vitest, e.g. `npm test -- tests/db`.
# SKIP_CHECKS=1 skips typecheck and lint. The last line is always `tests: N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."

export NEXT_TELEMETRY_DISABLED=1
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES=(postgresql dovecot-imapd chromium)
failed_steps=()

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

ensure_apt_packages() {
  if ! command -v dpkg-query >/dev/null; then
    echo "Not a Debian system: make sure PostgreSQL 15 server binaries, Dovecot and Chromium are installed (see tests/README.md)."
    return 0
  fi
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == "install ok installed" ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "Missing system packages: ${missing[*]}. Run as root, or: sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  step "apt-get install ${missing[*]}"
  local start=$(date +%s)
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/tmp/threadline-apt.log 2>&1 \
    || { tail -30 /tmp/threadline-apt.log; echo "apt-get install failed (full log: /tmp/threadline-apt.log)"; return 1; }
  echo "installed in $(elapsed "$start")"
}

ensure_node_modules() {
  local marker=node_modules/.package-lock.json
  if [[ -f $marker && ! package-lock.json -nt $marker ]]; then return 0; fi
  # The lockfile may only have been touched (git checkout, another helper's install): check contents.
  if [[ -f $marker ]] && node tests/support/deps-in-sync.mjs >/dev/null; then touch "$marker"; return 0; fi
  step "npm ci"
  local start=$(date +%s)
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; return 1; }
  echo "installed in $(elapsed "$start")"
}

run_step() {
  local name=$1; shift
  step "$name"
  local start=$(date +%s)
  if "$@"; then echo "$name: ok ($(elapsed "$start"))"; else echo "$name: FAILED ($(elapsed "$start"))"; failed_steps+=("$name"); fi
}

if ! ensure_apt_packages || ! ensure_node_modules; then
  echo "setup failed: cannot run the checks or the tests"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

if [[ "${SKIP_CHECKS:-0}" != 1 ]]; then
  run_step typecheck npm run --silent typecheck
  run_step lint npm run --silent lint
fi

step "tests (vitest)"
start=$(date +%s)
report=$(mktemp /tmp/threadline-vitest-XXXXXX.json)
trap 'rm -f "$report"' EXIT
# Console output of passing tests is noise in a full run; pass --silent=false to see it.
silent=(--silent=passed-only)
for arg in "$@"; do [[ $arg == --silent* ]] && silent=(); done
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json="$report" "${silent[@]}" "$@"
vitest_exit=$?
echo "vitest finished in $(elapsed "$start") (exit code $vitest_exit)"

echo
((${#failed_steps[@]} > 0)) && echo "failed checks: ${failed_steps[*]}"
node tests/support/print-summary.mjs "$report" "$vitest_exit"
summary_exit=$?
((${#failed_steps[@]} == 0 && summary_exit == 0))
