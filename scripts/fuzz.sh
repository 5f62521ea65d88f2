#!/usr/bin/env bash
# Runs every cargo-fuzz target of every crates/*/fuzz directory for
# FUZZ_SECONDS seconds each (default 20) and fails on any crash.
#
# Works on the stable toolchain: cargo-fuzz passes unstable -Z flags to rustc,
# which RUSTC_BOOTSTRAP=1 allows, and `--sanitizer none` avoids the
# sanitizer runtimes that only nightly ships. libFuzzer's coverage
# instrumentation (SanitizerCoverage) still guides the search.
#
# Prints "fuzz: N passed, N failed" (one count per target) as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}

# shellcheck source=/dev/null
[ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked || { echo "fuzz: cargo-fuzz could not be installed"; echo "fuzz: 0 passed, 1 failed"; exit 1; }
fi

toolchain=()
if command -v rustup >/dev/null && rustup toolchain list | grep -q '^stable'; then
  toolchain=(+stable)
fi
export RUSTC_BOOTSTRAP=1

# All fuzz crates share one target dir (their common dependencies build
# once), removed afterwards unless the caller chose it: instrumented release
# builds are large and CI's disk is not.
fuzz_target="${FUZZ_TARGET_DIR:-}"
if [ -z "$fuzz_target" ]; then
  fuzz_target="$(pwd)/target/fuzz"
  trap 'rm -rf "$fuzz_target"' EXIT
fi

passed=0
failed=0
for dir in crates/*/fuzz; do
  [ -f "$dir/Cargo.toml" ] || continue
  targets=$(cargo "${toolchain[@]}" fuzz list --fuzz-dir "$dir") || { failed=$((failed + 1)); continue; }
  for target in $targets; do
    echo "=== fuzz $dir $target for ${seconds}s"
    if cargo "${toolchain[@]}" fuzz run --fuzz-dir "$dir" --target-dir "$fuzz_target" --sanitizer none "$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1; then
      passed=$((passed + 1))
    else
      echo "=== fuzz $dir $target FAILED (crash inputs, if any, are in $dir/artifacts/$target/)"
      failed=$((failed + 1))
    fi
  done
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
