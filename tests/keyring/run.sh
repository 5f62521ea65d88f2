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

# shellcheck source=lib.sh
source "$here/lib.sh"
keyring_check_tools pkg-config:pkg-config
if ! pkg-config --exists dbus-1; then
    echo "keyring tests: the dbus-1 development files are missing (Debian package: libdbus-1-dev)" >&2
    echo "    sudo apt-get install libdbus-1-dev" >&2
    exit 2
fi
if ! command -v cargo >/dev/null 2>&1; then
    echo "keyring tests: cargo not found; install a Rust toolchain (rustup) first" >&2
    exit 2
fi

cd "$root"
exec dbus-run-session -- bash "$here/inner.sh" "$@"
