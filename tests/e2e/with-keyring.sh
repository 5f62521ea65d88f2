#!/usr/bin/env bash
# Runs "$@" with a throw-away, unlocked gnome-keyring as the Secret Service, so the app under
# test keeps auth keys in a real keyring without touching the user's. Call it inside
# `dbus-run-session` (run.sh does). Needs gnome-keyring and dbus (Debian packages).
set -euo pipefail

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-e2e-keyring.XXXXXX")"
gk_pid=""
cleanup() {
    [[ -n "$gk_pid" ]] && kill "$gk_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

export XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# --unlock reads a password on stdin and creates the default "login" keyring with it, unlocked.
printf '%s' "hearth-e2e-$$-$RANDOM" | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$work/gnome-keyring.log" 2>&1 &
gk_pid=$!
for _ in $(seq 1 100); do
    if dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
        break
    fi
    if ! kill -0 "$gk_pid" 2>/dev/null; then
        cat "$work/gnome-keyring.log" >&2
        echo "with-keyring.sh: gnome-keyring-daemon exited" >&2
        exit 1
    fi
    sleep 0.1
done
"$@"
