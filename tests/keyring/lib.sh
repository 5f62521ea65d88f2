# Shared shell for tests that need a real OS keyring without touching the user's: a
# gnome-keyring Secret Service with a fresh, unlocked default collection in a throw-away
# directory, inside a private D-Bus session. Sourced by tests/keyring/run.sh, inner.sh and
# with-keyring.sh (which the app's end-to-end test uses).
#
#   keyring_check_tools        exits 2 naming the Debian packages to install if any is missing
#   keyring_start <dir>        starts the daemon with its files in <dir>; sets KEYRING_PID and
#                              KEYRING_DEFAULT (the default collection's object path)
#   keyring_stop               stops it
#   keyring_call <path> <method> [args...]   a Secret Service call through dbus-send

keyring_check_tools() {
    local -A missing=()
    local spec cmd pkg
    for spec in dbus-run-session:dbus dbus-daemon:dbus dbus-send:dbus \
        gnome-keyring-daemon:gnome-keyring secret-tool:libsecret-tools mktemp:coreutils "$@"; do
        cmd="${spec%%:*}" pkg="${spec#*:}"
        if ! command -v "$cmd" >/dev/null 2>&1; then
            echo "keyring: '$cmd' not found (Debian package: $pkg)" >&2
            missing[$pkg]=1
        fi
    done
    if ((${#missing[@]})); then
        echo "keyring: install the missing packages, then run again:" >&2
        echo "    sudo apt-get install ${!missing[*]}" >&2
        exit 2
    fi
}

keyring_fail() { echo "keyring: $*" >&2; exit 1; }

keyring_call() {
    dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets "$@"
}

keyring_start() {
    local work="$1"
    [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]] ||
        keyring_fail "no D-Bus session: run inside dbus-run-session"
    # gnome-keyring keeps keyrings in $XDG_DATA_HOME/keyrings and its sockets in
    # $XDG_RUNTIME_DIR: point both into the throw-away directory (HOME stays, so cargo and
    # rustup keep working).
    export XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

    # With --unlock the daemon reads a password on stdin and, in an empty data directory,
    # creates the "login" keyring with it, unlocked, and points the "default" alias at it; no
    # prompt needed (and no display: it must never try to show one).
    local password="hearth-test-$$-$RANDOM"
    printf '%s' "$password" | env -u DISPLAY -u WAYLAND_DISPLAY \
        gnome-keyring-daemon --foreground --unlock --components=secrets \
        >"$work/gnome-keyring.log" 2>&1 &
    KEYRING_PID=$!

    local _
    for _ in $(seq 1 100); do
        if dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner \
            string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
            break
        fi
        kill -0 "$KEYRING_PID" 2>/dev/null ||
            { cat "$work/gnome-keyring.log" >&2; keyring_fail "gnome-keyring-daemon exited"; }
        sleep 0.1
    done

    KEYRING_DEFAULT="$(keyring_call /org/freedesktop/secrets \
        org.freedesktop.Secret.Service.ReadAlias string:default | tr -d '[:space:]')"
    [[ -n "$KEYRING_DEFAULT" && "$KEYRING_DEFAULT" != "/" ]] ||
        keyring_fail "gnome-keyring has no default collection"
    local locked
    locked="$(keyring_call "$KEYRING_DEFAULT" org.freedesktop.DBus.Properties.Get \
        string:org.freedesktop.Secret.Collection string:Locked | awk '{print $NF}')"
    [[ "$locked" == "false" ]] || keyring_fail "default collection $KEYRING_DEFAULT is locked"
    echo "keyring: gnome-keyring (pid $KEYRING_PID) serves $KEYRING_DEFAULT, unlocked"

    # Sanity check with libsecret's own client before any code under test.
    printf 'probe' | secret-tool store --label "Hearth keyring test probe" hearth-probe "$$"
    [[ "$(secret-tool lookup hearth-probe "$$")" == "probe" ]] ||
        keyring_fail "secret-tool round trip failed"
    secret-tool clear hearth-probe "$$"
}

keyring_stop() {
    [[ -n "${KEYRING_PID:-}" ]] && kill "$KEYRING_PID" 2>/dev/null || true
    KEYRING_PID=""
}
