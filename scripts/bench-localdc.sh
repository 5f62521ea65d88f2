#!/usr/bin/env bash
# localdc throughput (issue 5, point 7): small RPCs per second on ONE
# connection and upload.getFile MB/s next to raw AES-256-IGE on one core,
# measured in the same run by crates/localdc/benches/load (release build).
#
# Method (see the bench's doc comment): an in-process localdc on loopback;
# hearth-sender creates a permanent key on DC 2 and signs Alice in; a lean
# client pipelines pre-encrypted help.getNearestDc / updates.getState / ping
# with LOAD_WINDOW requests in flight and counts the answers (decrypting a
# sample), then downloads a LOAD_FILE_MIB MiB document in 1 MiB parts with
# LOAD_FILE_WINDOW in flight. Each figure is reported per round with the
# median and best; the load average is printed before and after, since the
# machine may be shared.
#
# Targets: >= 50000 RPC/s; getFile at least as fast as AES-IGE on one core.
# Environment: LOAD_RPCS, LOAD_WINDOW, LOAD_FILE_MIB, LOAD_FILE_PARTS,
# LOAD_FILE_WINDOW, LOAD_ROUNDS (defaults in the bench).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
echo "== CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*//'), $(nproc) cores"
cargo bench --quiet -p localdc --bench load --manifest-path "$ROOT/Cargo.toml"
