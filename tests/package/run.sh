#!/usr/bin/env bash
# The installed-package test: builds the .deb and .rpm with scripts/package.sh,
# then runs installed.test.mjs, which installs the .deb on this machine with
# dpkg, drives the installed app over WebDriver (tauri-driver +
# WebKitWebDriver under Xvfb, in a private D-Bus session with its own
# gnome-keyring), removes the package and checks nothing of it is left.
#
# It installs a system package, so it needs root (or sudo without a password),
# and refuses to run where a `hearth` package is already installed rather than
# replace the user's. The app runs with HOME set to an empty directory of the
# test's, so what it writes there can be checked and nothing of the user's is
# touched. Prints "N passed, N failed"; exits non-zero on any failure.
#
# Needs: what scripts/package.sh needs, plus dpkg, apt-get, rpm (the .rpm is
# read with it), desktop-file-validate (desktop-file-utils), webkit2gtk-driver,
# xvfb, gnome-keyring, dbus (scripts/setup.sh installs them).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
artifacts="$repo/artifacts/package"
step() { echo "== $* ($(date -u +%H:%M:%S))"; }

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if sudo -n true 2>/dev/null; then
    sudo=(sudo -n -E)
  else
    echo "package test: installing a package needs root; run as root or with passwordless sudo" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
fi
missing=()
for tool in dpkg apt-get rpm desktop-file-validate WebKitWebDriver xvfb-run node npm; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
command -v tauri-driver >/dev/null || missing+=("tauri-driver (cargo install tauri-driver)")
if ((${#missing[@]})); then
  echo "package test: missing ${missing[*]}; scripts/setup.sh installs them" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
if dpkg-query -W -f='${Status}' hearth 2>/dev/null | grep -q installed; then
  echo "package test: a hearth package is already installed here; remove it first (dpkg --purge hearth)" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

work="$(mktemp -d -t hearth-package-test-XXXXXX)"
cleanup() {
  # Never leave the package behind, whatever failed.
  if dpkg-query -W -f='${Status}' hearth 2>/dev/null | grep -q installed; then
    "${sudo[@]}" dpkg --purge hearth >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "package: scripts/package.sh"
bash scripts/package.sh --out "$work/packages"
version="$(cargo metadata --no-deps --format-version 1 |
  node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
           process.stdout.write(m.packages.find((p) => p.name === "hearth-app").version)')"
deb="$(find "$work/packages" -name '*.deb' -print -quit)"
rpm="$(find "$work/packages" -name '*.rpm' -print -quit)"

step "E2E dependencies"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

# The app paints as it ships; screenshots from Xvfb's framebuffer; see tests/e2e/run.sh.
unset WEBKIT_DISABLE_DMABUF_RENDERER WEBKIT_DISABLE_COMPOSITING_MODE
home="$work/home"
mkdir -p "$home" "$artifacts"
rm -f "$artifacts"/*.png
step "installed-package test"
# HOME is the test's own; the XDG variables are cleared so every per-user
# default (data, cache, config, state) falls under it.
fbdir="$work/fb"
mkdir -p "$fbdir"
tests/keyring/with-keyring.sh \
  xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $fbdir" \
  "${sudo[@]}" env -u XDG_DATA_HOME -u XDG_CACHE_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME \
  HOME="$home" HEARTH_E2E_FBDIR="$fbdir" \
  node tests/package/installed.test.mjs --deb "$deb" --rpm "$rpm" --version "$version" \
  --data-dir "$home/.local/share/hearth" --artifacts "$artifacts"
