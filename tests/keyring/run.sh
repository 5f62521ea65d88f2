#!/usr/bin/env bash
# Runs the keyring tests (the #[ignore]d ones of hearth-store, and hearth-cli's keyring_cli) against
# a real gnome-keyring daemon in a private D-Bus session, so they never touch the user's own keyring.
#
#   tests/keyring/run.sh            # from anywhere in the repository
#
# Needs: dbus-run-session, dbus-daemon, dbus-send (Debian: dbus), gnome-keyring-daemon
# (gnome-keyring), secret-tool (libsecret-tools), and to build the crate libdbus-1-dev and
# pkg-config. Exits non-zero, naming the packages, if any is missing.
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
here="$(cd "${src%/*}" && pwd)"
root="$(cd "$here/../.." && pwd)"

declare -A missing=()
need() { # need <command> <debian package>
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "keyring tests: '$1' not found (Debian package: $2)" >&2
        missing[$2]=1
    fi
}
need dbus-run-session dbus
need dbus-daemon dbus
need dbus-send dbus
need gnome-keyring-daemon gnome-keyring
need secret-tool libsecret-tools
need pkg-config pkg-config
need mktemp coreutils
if command -v pkg-config >/dev/null 2>&1 && ! pkg-config --exists dbus-1; then
    echo "keyring tests: the dbus-1 development files are missing (Debian package: libdbus-1-dev)" >&2
    missing[libdbus-1-dev]=1
fi
if ((${#missing[@]})); then
    echo "keyring tests: install the missing packages, then run again:" >&2
    echo "    sudo apt-get install ${!missing[*]}" >&2
    exit 2
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "keyring tests: cargo not found; install a Rust toolchain (rustup) first" >&2
    exit 2
fi

cd "$root"
exec dbus-run-session -- bash "$here/inner.sh" "$@"
