#!/usr/bin/env bash
# Runs hearth-store's keyring tests (the #[ignore]d ones) against a real gnome-keyring daemon in
# a private D-Bus session, so they never touch the user's own keyring.
#
#   tests/keyring/run.sh            # from anywhere in the repository
#
# Needs: dbus-run-session, dbus-daemon, dbus-send (Debian: dbus), gnome-keyring-daemon
# (gnome-keyring), secret-tool (libsecret-tools), and to build the crate libdbus-1-dev and
# pkg-config. Exits non-zero, naming the packages, if any is missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

missing_pkgs=()
need() { # need <command> <debian package>
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "keyring tests: '$1' not found (Debian package: $2)" >&2
        missing_pkgs+=("$2")
    fi
}
need dbus-run-session dbus
need dbus-daemon dbus
need dbus-send dbus
need gnome-keyring-daemon gnome-keyring
need secret-tool libsecret-tools
need pkg-config pkg-config
need cargo "a Rust toolchain (rustup)"
if command -v pkg-config >/dev/null 2>&1 && ! pkg-config --exists dbus-1; then
    echo "keyring tests: the dbus-1 development files are missing (Debian package: libdbus-1-dev)" >&2
    missing_pkgs+=(libdbus-1-dev)
fi
if ((${#missing_pkgs[@]})); then
    # shellcheck disable=SC2046
    echo "keyring tests: install the missing tools, then run again:" >&2
    echo "    sudo apt-get install $(printf '%s\n' "${missing_pkgs[@]}" | sort -u | tr '\n' ' ')" >&2
    exit 2
fi

cd "$root"
exec dbus-run-session -- bash "$here/inner.sh" "$@"
