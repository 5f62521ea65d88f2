#!/usr/bin/env bash
# End-to-end test of the Hearth desktop app: builds the UI and the app
# binary, then drives it with tauri-driver + WebKitWebDriver under Xvfb.
# Exits non-zero on any failure; prints "N passed, N failed".
#
# Needs (Debian/Ubuntu): webkit2gtk-driver xvfb xauth libwebkit2gtk-4.1-dev
# (scripts/app.sh installs them), Node >= 20.19, cargo.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
app="$target_dir/debug/hearth-app"
screenshot="$repo/artifacts/e2e/shell.png"

missing=()
for tool in WebKitWebDriver xvfb-run xauth node npm cargo; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}; install with: apt-get install webkit2gtk-driver xvfb xauth nodejs npm (or run scripts/app.sh)" >&2
  exit 1
fi
if ! command -v tauri-driver >/dev/null; then
  echo "run.sh: installing tauri-driver"
  cargo install tauri-driver --locked
fi

step() { echo "== $* ($(date -u +%H:%M:%S))"; }

step "UI dependencies and build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

step "app build (debug, embedded UI)"
cargo build -p hearth-app --features custom-protocol

step "E2E dependencies"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

data_dir="$(mktemp -d -t hearth-e2e-XXXXXX)"
trap 'rm -rf "$data_dir"' EXIT

# WebKitGTK under Xvfb has no GPU: render without compositing / DMA-BUF so
# the page paints into the window (and so into screenshots).
export WEBKIT_DISABLE_COMPOSITING_MODE=1
export WEBKIT_DISABLE_DMABUF_RENDERER=1
export LIBGL_ALWAYS_SOFTWARE=1
export NO_AT_BRIDGE=1

step "E2E run"
rm -f "$screenshot"
xvfb-run -a -s "-screen 0 1280x800x24" \
  node tests/e2e/shell.test.mjs --app "$app" --data-dir "$data_dir" --screenshot "$screenshot"
echo "screenshot: $screenshot"
