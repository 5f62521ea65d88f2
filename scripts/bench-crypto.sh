#!/usr/bin/env bash
# Compares hearth-crypto's AES-256-IGE and AES-256-CTR throughput with
# TgCrypto (Pyrogram's C extension) on 16 KiB and 1 MiB buffers, in one run.
#
# - installs TgCrypto from PyPI into a throwaway venv in a temp dir
#   (the wheel builds from source with gcc if no binary wheel fits);
# - builds crates/crypto/examples/throughput.rs with --release;
# - prints the CPU's AES-related features, MB/s for each side and the ratios.
# Targets: IGE >= 3x TgCrypto, CTR >= 10x TgCrypto.
# Not part of the test run; benchmarks are separate.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "== CPU"
grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*/model: /' || true
flags="$(grep -m1 '^flags' /proc/cpuinfo || true)"
for f in aes vaes avx2 avx512f pclmulqdq vpclmulqdq; do
    if grep -qw "$f" <<<"$flags"; then echo "  $f: yes"; else echo "  $f: no"; fi
done

echo "== installing TgCrypto into a throwaway venv"
python3 -m venv "$TMP/venv"
"$TMP/venv/bin/pip" install --quiet --disable-pip-version-check TgCrypto
"$TMP/venv/bin/python" -c 'import importlib.metadata as m; print("TgCrypto", m.version("TgCrypto"))'

echo "== building hearth-crypto throughput example (--release)"
cargo build --quiet --release -p hearth-crypto --example throughput --manifest-path "$ROOT/Cargo.toml"

# The two sides run alternately, ROUNDS times each, and each figure is the
# best seen: on a shared machine this keeps load spikes from favouring one.
ROUNDS="${BENCH_ROUNDS:-3}"
echo "== measuring: $ROUNDS alternating rounds, each the best of 40 runs of >= 25 ms of thread CPU time"
: > "$TMP/tg.txt"
: > "$TMP/ours.txt"
for _ in $(seq "$ROUNDS"); do
    "$TMP/venv/bin/python" "$ROOT/bench/tgcrypto/tgcrypto_throughput.py" >> "$TMP/tg.txt"
    "$CARGO_TARGET_DIR/release/examples/throughput" >> "$TMP/ours.txt"
done

python3 - "$TMP/tg.txt" "$TMP/ours.txt" <<'PY'
import sys

def load(path):
    out = {}
    for line in open(path):
        op, size, mbs = line.split()
        key = (op, int(size))
        out[key] = max(out.get(key, 0.0), float(mbs))
    return out

tg, ours = load(sys.argv[1]), load(sys.argv[2])
targets = {"ige256_encrypt": 3.0, "ige256_decrypt": 3.0, "ctr256_encrypt": 10.0}
print(f"{'operation':<16}{'size':>9}{'TgCrypto MB/s':>15}{'hearth MB/s':>13}{'ratio':>8}{'target':>8}  met")
failed = 0
for (op, size), t in sorted(tg.items(), key=lambda kv: (kv[0][1], kv[0][0])):
    o = ours[(op, size)]
    ratio = o / t
    ok = ratio >= targets[op]
    failed += not ok
    label = f"{size // 1024} KiB" if size < 1 << 20 else f"{size >> 20} MiB"
    print(f"{op:<16}{label:>9}{t:>15.1f}{o:>13.1f}{ratio:>7.1f}x{targets[op]:>7.0f}x  {'yes' if ok else 'NO'}")
print("all targets met" if not failed else f"{failed} target(s) missed")
print("load average during the run:", open("/proc/loadavg").read().split()[:3])
PY
