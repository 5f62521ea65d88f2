#!/usr/bin/env bash
# Runs every Hearth test: Rust unit/integration tests, UI unit tests, the
# real-keyring tests, bounded fuzz runs, the end-to-end WebDriver test of the
# real app, and the installed-package test (builds the .deb and .rpm, installs
# the .deb, drives the installed app, removes it). Installs what it needs first (scripts/setup.sh). Prints one closing
# line "hearth: N passed, N failed" and exits non-zero if anything failed.
#
# Environment: FUZZ_SECONDS (per fuzz target, default 15), HEARTH_TEST_ONLY
# (space-separated suite names to run a subset: ui rust keyring telethon
# clients portable export fileid proxies fuzz e2e package).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export CARGO_TERM_COLOR=never
# One cold build, no incremental caches: they would add 40% to the disk the
# build takes and speed nothing up in a single run.
export CARGO_INCREMENTAL=0
logs="$root/artifacts/logs"
mkdir -p "$logs"
: > "$logs/summary.txt"

disk() { echo "=== disk: $(df -h --output=avail,size . | tail -1 | awk '{print $1 " free of " $2}') (target: $(du -sh target 2>/dev/null | cut -f1))"; }
disk
bash scripts/setup.sh || { echo "hearth: setup failed (see above)"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"

total_pass=0
total_fail=0
failed_suites=()

# Extracts "passed failed" counts from a runner's log: cargo-nextest, Vitest,
# libtest, or the plain "N passed, N failed" line our own scripts print.
counts() {
  local log=$1 p=0 f=0 line
  while IFS= read -r line; do
    if [[ $line =~ ([0-9]+)\ tests?\ run:\ ([0-9]+)\ passed(\ \([0-9]+\ flaky\))?(,\ ([0-9]+)\ failed)? ]]; then
      p=$((p + BASH_REMATCH[2])); f=$((f + ${BASH_REMATCH[5]:-0}))
    elif [[ $line =~ ^[[:space:]]*Tests[[:space:]]+(([0-9]+)\ failed\ \|\ )?([0-9]+)\ passed ]]; then
      p=$((p + BASH_REMATCH[3])); f=$((f + ${BASH_REMATCH[2]:-0}))
    elif [[ $line =~ ^test\ result:\ [a-zA-Z]+\.\ ([0-9]+)\ passed\;\ ([0-9]+)\ failed ]]; then
      p=$((p + BASH_REMATCH[1])); f=$((f + BASH_REMATCH[2]))
    elif [[ $line =~ ^([A-Za-z-]+:\ )?([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      p=$((p + BASH_REMATCH[2])); f=$((f + BASH_REMATCH[3]))
    fi
  done < <(sed 's/\x1b\[[0-9;]*m//g' "$log")
  echo "$p $f"
}

suite() {
  local name=$1; shift
  if [ -n "${HEARTH_TEST_ONLY:-}" ] && [[ " $HEARTH_TEST_ONLY " != *" $name "* ]]; then return; fi
  local log="$logs/$name.log" start=$SECONDS rc p f
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r p f < <(counts "$log")
  # A runner that failed without reporting a failed test still counts as one failure.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$rc" -eq 0 ] && [ "$p" -eq 0 ]; then
    echo "=== $name ran no test: counted as a failure"; f=1
  fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  [ "$f" -gt 0 ] && failed_suites+=("$name")
  disk
  printf '%-8s %4s passed %3s failed  exit %s  %ss\n' "$name" "$p" "$f" "$rc" $((SECONDS - start)) | tee -a "$logs/summary.txt"
}

# The UI is built first: the app crate embeds ui/dist, and the Rust suite
# builds it with the same features as the end-to-end test so both share one build.
suite ui bash -c 'cd ui && npm ci --no-audit --no-fund --loglevel=error && npm test && npm run build'
suite rust cargo nextest run --workspace --no-fail-fast --features hearth-app/custom-protocol
suite keyring bash tests/keyring/run.sh
suite telethon bash crates/localdc/tests/telethon/run.sh
suite clients bash crates/localdc/tests/clients/run.sh
suite portable bash crates/portable/tests/interop/run.sh
suite export bash crates/accounts/tests/interop/run.sh
suite fileid bash crates/fileid/tests/pyrogram/run.sh
suite proxies bash tests/proxies/run.sh
suite fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-15}" bash scripts/fuzz.sh
suite e2e bash tests/e2e/run.sh
# The only suite that builds the release binaries and the .deb/.rpm.
suite package bash tests/package/run.sh

echo
echo "=== per suite (logs in artifacts/logs/)"
cat "$logs/summary.txt"
if [ ${#failed_suites[@]} -gt 0 ]; then
  echo "failed suites: ${failed_suites[*]}"
  # The names of what failed, so the tail of a CI log is enough to start from:
  # nextest's FAIL/TIMEOUT/SIG lines, Vitest's FAIL lines, and the "FAIL name"
  # lines our own runners print (at most 20 per suite).
  for name in "${failed_suites[@]}"; do
    echo "--- $name"
    sed 's/\x1b\[[0-9;]*m//g' "$logs/$name.log" \
      | grep -E '^[[:space:]]*(FAIL|TIMEOUT|SIG[A-Z]+|LEAK-FAIL) |^[[:space:]]*(×|❯) .*(failed|✗)|^FAIL |panicked at ' \
      | awk '!seen[$0]++' | head -20
  done
fi
# Tests that failed once and passed when retried (nextest's retries, .config/nextest.toml):
# they pass the suite, but are named here so they get fixed.
flaky=$(sed 's/\x1b\[[0-9;]*m//g' "$logs/rust.log" 2>/dev/null | grep -E '^[[:space:]]*FLAKY ' | awk '!seen[$0]++' | head -20)
[ -n "$flaky" ] && printf 'flaky (passed when retried):\n%s\n' "$flaky"
echo "hearth: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
