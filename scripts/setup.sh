#!/usr/bin/env bash
# Installs what building and testing Hearth needs on Debian/Ubuntu, skipping
# whatever is already there. `setup.sh app` installs only what the app needs;
# `setup.sh` (or `setup.sh test`) also the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

app_pkgs=(build-essential pkg-config file curl libdbus-1-dev libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev)
test_pkgs=(webkit2gtk-driver xvfb xauth gnome-keyring dbus dbus-x11 libsecret-tools
  python3-venv microsocks tinyproxy rpm desktop-file-utils
  telegram-desktop)
# telegram-desktop: the portable suite reads the tdata the real Telegram Desktop writes, and
# scripts/bench-startup.sh measures it; both run it in `unshare -n`, so it never reaches the network.

pkgs=("${app_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ -n "$sudo" ] && ! command -v sudo >/dev/null; then
    echo "setup: not root and no sudo. Install these packages, then run again:"
    echo "  apt-get install ${missing[*]}"
    exit 1
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null || {
  echo "setup: Rust is missing. Install it with rustup (https://rustup.rs), then run again."; exit 1; }

# Node.js 20.19 or newer builds the UI (Vite 7).
if ! command -v node >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "setup: Node.js 20.19 or newer is needed for the UI (found: $(node --version 2>/dev/null || echo none))."
  echo "  Install it from your distribution or nodesource, then run again."
  exit 1
fi

if [ "$mode" = test ]; then
  command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
  command -v tauri-driver >/dev/null || cargo install tauri-driver --locked
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
fi
echo "setup: ready ($mode)"
