#!/usr/bin/env bash
# Runs inside `dbus-run-session` (see run.sh): starts gnome-keyring's Secret Service with a fresh,
# unlocked default collection in a throw-away directory, checks it works, then runs the tests.
set -euo pipefail

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-keyring.XXXXXX")"
gk_pid=""
empty_bus_pid=""
cleanup() {
    [[ -n "$gk_pid" ]] && kill "$gk_pid" 2>/dev/null || true
    [[ -n "$empty_bus_pid" ]] && kill "$empty_bus_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "keyring tests: $*" >&2; exit 1; }

# gnome-keyring keeps keyrings in $XDG_DATA_HOME/keyrings and its sockets in $XDG_RUNTIME_DIR:
# point both into the throw-away directory (HOME stays, so cargo and rustup keep working).
export XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# With --unlock the daemon reads a password on stdin and, in an empty data directory, creates
# the "login" keyring with it, unlocked, and points the "default" alias at it; no prompt needed.
password="hearth-test-$$-$RANDOM"
printf '%s' "$password" | gnome-keyring-daemon --foreground --unlock --components=secrets \
    >"$work/gnome-keyring.log" 2>&1 &
gk_pid=$!

call() { # call <object path> <method> [args...]
    dbus-send --session --print-reply=literal --dest=org.freedesktop.secrets "$@"
}

for _ in $(seq 1 100); do
    if dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; then
        break
    fi
    kill -0 "$gk_pid" 2>/dev/null || { cat "$work/gnome-keyring.log" >&2; fail "gnome-keyring-daemon exited"; }
    sleep 0.1
done

default="$(call /org/freedesktop/secrets org.freedesktop.Secret.Service.ReadAlias string:default | tr -d '[:space:]')"
[[ -n "$default" && "$default" != "/" ]] || fail "gnome-keyring has no default collection"
locked="$(call "$default" org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Collection string:Locked | awk '{print $NF}')"
[[ "$locked" == "false" ]] || fail "default collection $default is locked"
echo "keyring tests: gnome-keyring (pid $gk_pid) serves $default, unlocked"

# Sanity check with libsecret's own client before our code.
printf 'probe' | secret-tool store --label "Hearth keyring test probe" hearth-probe "$$"
[[ "$(secret-tool lookup hearth-probe "$$")" == "probe" ]] || fail "secret-tool round trip failed"
secret-tool clear hearth-probe "$$"

# A second bus with nothing on it and no service activation, for the "no provider" test.
cat >"$work/empty-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$work/empty-bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
empty_bus_pid="$(dbus-daemon --config-file="$work/empty-bus.conf" --fork --print-pid)"
export HEARTH_EMPTY_BUS_ADDRESS="unix:path=$work/empty-bus"

# hearth-store's keyring tests, and hearth-cli's account commands run as a user runs them
# (login, sessions, logout against an in-process localdc, keys in this keyring).
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run -p hearth-store -p hearth-cli --run-ignored only \
        -E '(package(hearth-store) & not test(=locked_keyring_is_a_clear_error)) | (package(hearth-cli) & binary(keyring_cli))' "$@"
else
    cargo test -p hearth-store -- --ignored --skip locked_keyring_is_a_clear_error "$@"
    cargo test -p hearth-cli --test keyring_cli -- --ignored "$@"
fi

# Last, with the default collection locked (nothing else may run meanwhile) and holding an
# entry the way the keyring crate stores it.
printf 'locked' | secret-tool store --label "Hearth locked test" \
    service Hearth-test-locked username 1/auth_key/dc2 target default
call /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock "array:objpath:$default" >/dev/null
locked="$(call "$default" org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.Secret.Collection string:Locked | awk '{print $NF}')"
[[ "$locked" == "true" ]] || fail "could not lock $default for the locked-keyring test"
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run -p hearth-store --run-ignored only -E 'test(=locked_keyring_is_a_clear_error)' --no-capture "$@"
else
    cargo test -p hearth-store --test keyring -- --ignored --exact locked_keyring_is_a_clear_error --nocapture "$@"
fi
