#!/usr/bin/env bash
# File transfer throughput (issue 11's target): Hearth against Telethon with
# cryptg, in one run, against the same localdc binary on loopback.
#
# Method: a release localdc with the demo world; Hearth (the release example
# crates/client/examples/bench_files.rs) signs in as Alice, uploads a
# BENCH_FILE_MB MB file of random bytes to Saved Messages as a document, and
# downloads it back once localdc is quiet again (it saves the new document to
# its state dir in the background; Telethon's download, later, also meets a
# quiet server), each timed, checking every byte; then Telethon (from
# PyPI, with cryptg, in a venv under the target dir) signs in as Alice in a
# session of its own, downloads the same message with download_media and
# uploads the same file with upload_file, each timed. BENCH_ROUNDS rounds
# (default 3); the median of each figure is reported with the ratios
# (target: Hearth >= 3x Telethon for both), with the CPU time per MB each
# client and localdc spent during the downloads (/proc/PID/stat). The load
# average is printed before and after, since the machine may be shared.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
MB="${BENCH_FILE_MB:-100}"
ROUNDS="${BENCH_ROUNDS:-3}"
VENV="$CARGO_TARGET_DIR/bench-files-venv"

echo "== CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --quiet --release -p localdc --bin localdc --manifest-path "$ROOT/Cargo.toml"
cargo build --quiet --release -p hearth-client --example bench_files --manifest-path "$ROOT/Cargo.toml"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check "telethon==1.45.*" cryptg

WORK="$(mktemp -d)"
trap 'kill "${DC_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
head -c "$((MB * 1000 * 1000))" /dev/urandom > "$WORK/file.bin"

"$CARGO_TARGET_DIR/release/localdc" --world "$ROOT/tests/world/demo.toml" --state-dir "$WORK/state" > "$WORK/announcement.json" &
DC_PID=$!
export BENCH_DC_PID="$DC_PID"
for _ in $(seq 100); do [ -s "$WORK/announcement.json" ] && break; sleep 0.1; done
[ -s "$WORK/announcement.json" ] || { echo "localdc did not start" >&2; exit 1; }

for round in $(seq "$ROUNDS"); do
  rm -f "$WORK/hearth.out" "$WORK/telethon.out"
  H="$("$CARGO_TARGET_DIR/release/examples/bench_files" "$WORK/announcement.json" "$WORK/file.bin" "$WORK/hearth.out")"
  ID="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["message_id"])' "$H")"
  T="$("$VENV/bin/python" "$ROOT/scripts/bench_files.py" "$WORK/announcement.json" "$WORK/file.bin" "$ID" "$WORK/telethon.out" | tail -n 1)"
  echo "round $round: hearth $H telethon $T"
  echo "$H" >> "$WORK/hearth.jsonl"
  echo "$T" >> "$WORK/telethon.jsonl"
done

python3 - "$WORK/hearth.jsonl" "$WORK/telethon.jsonl" "$MB" <<'PY'
import json, statistics, sys
h = [json.loads(l) for l in open(sys.argv[1])]
t = [json.loads(l) for l in open(sys.argv[2])]
mb = int(sys.argv[3])
def med(rows, key):
    return statistics.median(r[key] for r in rows)
for what in ("download", "upload"):
    hs, ts = med(h, what + "_s"), med(t, what + "_s")
    print(f"{what:8} {mb} MB: Hearth {hs:.2f} s ({mb / hs:.1f} MB/s), "
          f"Telethon{' + cryptg' if all(r['cryptg'] for r in t) else ' (no cryptg)'} {ts:.2f} s "
          f"({mb / ts:.1f} MB/s): ratio {ts / hs:.2f}x (target >= 3x)")
def cpu(rows, key):
    vals = [r.get(key) for r in rows]
    return "?" if None in vals else f"{statistics.median(vals):.2f}"
print(f"download CPU per MB (medians): Hearth {cpu(h, 'download_cpu_ms_per_mb')} ms "
      f"+ localdc {cpu(h, 'dc_cpu_ms_per_mb')} ms; Telethon {cpu(t, 'download_cpu_ms_per_mb')} ms "
      f"+ localdc {cpu(t, 'dc_cpu_ms_per_mb')} ms")
PY
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
