#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so what
# it stores in the OS keyring never reaches the user's own keyring and is gone afterwards.
#
#   tests/keyring/with-keyring.sh COMMAND [ARGS...]
#
# Exits with the command's status; 2 (naming the packages) if a tool is missing.
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
here="$(cd "${src%/*}" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

(($#)) || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

if [[ "${HEARTH_KEYRING_SESSION:-}" != "inner" ]]; then
    keyring_check_tools
    # Run this script again as the first process of a new D-Bus session.
    exec dbus-run-session -- env HEARTH_KEYRING_SESSION=inner bash "$here/with-keyring.sh" "$@"
fi
unset HEARTH_KEYRING_SESSION

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-keyring.XXXXXX")"
cleanup() {
    keyring_stop
    rm -rf "$work"
}
trap cleanup EXIT
keyring_start "$work"
status=0
"$@" || status=$?
exit "$status"
