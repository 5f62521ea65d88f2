#!/usr/bin/env bash
# Benchmark (not a test): open a chat with 10,000 messages in the real app and
# time its first screen (tests/e2e/bench_chat_open.mjs: performance.now() from
# the click on the dialog to the first frame after the message list holds its
# first page). Builds the UI and the release app with the embedded UI (the
# build scripts/bench-startup.sh measures: `--release`, `custom-protocol`),
# then runs under Xvfb with a private keyring, against the app's built-in
# Local test network (the demo world; Telethon fills the chat between Alice
# and Bob). The load average is printed before and after, since the machine
# may be shared.
# Environment: CHAT_OPEN_MESSAGES (10000), CHAT_OPEN_ROUNDS (10),
# CHAT_OPEN_PROFILE (release; `debug` measures the debug app instead).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
export PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import telethon' 2>/dev/null && [[ -x "$repo/.venv-e2e/bin/python3" ]]; then
  export PYTHON="$repo/.venv-e2e/bin/python3"
fi
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
profile="${CHAT_OPEN_PROFILE:-release}"
case "$profile" in
  # The same package set and features as scripts/bench-startup.sh, so both benches share
  # one release build (another set unifies features differently and rebuilds).
  release) cargo build --release --locked -p hearth-app -p hearth-cli -p localdc \
    --features hearth-app/custom-protocol ;;
  debug) cargo build -p hearth-app --features custom-protocol ;;
  *) echo "CHAT_OPEN_PROFILE must be release or debug, not $profile" >&2; exit 2 ;;
esac
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
data="$(mktemp -d -t hearth-bench-chat-XXXXXX)"
fbdir="$(mktemp -d -t hearth-bench-chat-fb-XXXXXX)"
trap 'rm -rf "$data" "$fbdir"' EXIT
echo "== $profile build; CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*//'), $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
unset WEBKIT_DISABLE_DMABUF_RENDERER WEBKIT_DISABLE_COMPOSITING_MODE
# Screenshots from Xvfb's framebuffer, as in tests/e2e/run.sh.
HEARTH_E2E_FBDIR="$fbdir" tests/keyring/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $fbdir" \
  node tests/e2e/bench_chat_open.mjs --app "$target_dir/$profile/hearth" --data-dir "$data" \
  --artifacts "$repo/artifacts/bench"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
