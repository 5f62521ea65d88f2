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
artifacts="$repo/artifacts/e2e"

missing=()
for tool in WebKitWebDriver xvfb-run xauth node npm cargo dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}; install with: apt-get install webkit2gtk-driver xvfb xauth nodejs npm dbus gnome-keyring (or run scripts/setup.sh)" >&2
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

# WebKitGTK 2.50 paints under Xvfb with its default renderer (Mesa's
# software GL). Turning the DMA-BUF renderer or compositing off makes
# WebDriver's Take Screenshot wait forever for a frame, so make sure neither
# switch leaks in from the caller's environment.
unset WEBKIT_DISABLE_DMABUF_RENDERER WEBKIT_DISABLE_COMPOSITING_MODE

step "E2E run"
rm -f "$artifacts"/*.png
# Signing in keeps auth keys in the OS keyring: a private D-Bus session with a
# throw-away gnome-keyring provides one.
dbus-run-session -- bash tests/e2e/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  node tests/e2e/shell.test.mjs --app "$app" --data-dir "$data_dir" --artifacts "$artifacts"
echo "screenshots: $artifacts/*.png"
