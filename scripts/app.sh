#!/usr/bin/env bash
# Sets up a Debian/Ubuntu machine for Hearth, builds the desktop app and
# launches it.
#
#   scripts/app.sh [--debug] [--no-system-packages] [--no-launch] [-- APP ARGS...]
#
#   --debug                unoptimised build with debug assertions, for
#                          development (default: the optimised build a user runs)
#   --no-system-packages   do not run apt-get; only report what is missing
#   --no-launch            build only, print the binary's path
#
# System packages: the Tauri/WebKitGTK build dependencies, plus what the
# end-to-end test uses (webkit2gtk-driver, xvfb, xauth, libsecret-tools,
# python3-venv) and what Hearth uses
# at run time on Linux (gnome-keyring and D-Bus for the OS keyring).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
profile=release
install_packages=1
launch=1
while (($#)); do
  case "$1" in
    --debug) profile=debug ;;
    --release) profile=release ;;
    --no-system-packages) install_packages=0 ;;
    --no-launch) launch=0 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "app.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

packages=(
  build-essential pkg-config file
  libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth libsecret-tools python3-venv
  gnome-keyring dbus dbus-x11
)

missing_packages() {
  local p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

if command -v dpkg-query >/dev/null; then
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]})); then
    install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
    if ((install_packages == 0)); then
      echo "app.sh: missing system packages; install them with:" >&2
      echo "  sudo apt-get update && sudo ${install_cmd[*]}" >&2
      exit 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
      sudo=()
    elif command -v sudo >/dev/null; then
      sudo=(sudo)
    else
      echo "app.sh: not root and no sudo; as root run:" >&2
      echo "  apt-get update && ${install_cmd[*]}" >&2
      exit 1
    fi
    echo "== installing ${missing[*]}"
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" "${install_cmd[@]}"
  fi
else
  echo "app.sh: not a Debian/Ubuntu system; install your distribution's equivalents of:" >&2
  echo "  ${packages[*]}" >&2
fi

# Node.js: Vite 7 needs 20.19 or newer (Debian 12's own nodejs is 18).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "app.sh: Node.js >= 20.19 with npm is required; install it (e.g. from NodeSource or your distribution's backports) and run again" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "app.sh: Node.js $(node --version) is too old; Vite 7 needs >= 20.19" >&2
  exit 1
fi
if ! command -v cargo >/dev/null; then
  echo "app.sh: Rust is required; install it with rustup (https://rustup.rs) and run again" >&2
  exit 1
fi

cd "$repo"
echo "== UI: npm ci && npm run build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

echo "== app: cargo build ($profile)"
cargo_flags=(-p hearth-app --features custom-protocol)
[[ $profile == release ]] && cargo_flags+=(--release)
cargo build "${cargo_flags[@]}"

binary="${CARGO_TARGET_DIR:-$repo/target}/$profile/hearth"
if ((launch == 0)); then
  echo "built: $binary"
  exit 0
fi
if [[ -z "${DISPLAY:-}" && -z "${WAYLAND_DISPLAY:-}" ]]; then
  echo "app.sh: no display (DISPLAY/WAYLAND_DISPLAY unset); built $binary but cannot show a window." >&2
  echo "  Run it in a desktop session, or under a virtual display: xvfb-run -a $binary" >&2
  exit 1
fi
echo "== launching $binary"
exec "$binary" "$@"
