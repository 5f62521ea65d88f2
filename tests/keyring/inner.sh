#!/usr/bin/env bash
# Runs inside `dbus-run-session` (see run.sh): starts gnome-keyring's Secret Service with a fresh,
# unlocked default collection in a throw-away directory, checks it works, then runs the tests.
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
here="$(cd "${src%/*}" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-keyring.XXXXXX")"
empty_bus_pid=""
cleanup() {
    keyring_stop
    [[ -n "$empty_bus_pid" ]] && kill "$empty_bus_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "keyring tests: $*" >&2; exit 1; }
call() { keyring_call "$@"; }

unset DISPLAY WAYLAND_DISPLAY
keyring_start "$work"
default="$KEYRING_DEFAULT"

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

# hearth-store's keyring tests, hearth-cli's account commands run as a user runs them
# (login, sessions, logout against an in-process localdc, keys in this keyring), and
# hearth-diagnose's saved proxies with an entry removed behind Hearth's back.
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run -p hearth-store -p hearth-cli -p hearth-diagnose --run-ignored only \
        -E '(package(hearth-store) & not test(=locked_keyring_is_a_clear_error)) | (package(hearth-cli) & (binary(keyring_cli) | binary(keyring_import) | binary(keyring_export) | binary(transfer_cli))) | (package(hearth-diagnose) & binary(keyring_proxies))' "$@"
else
    cargo test -p hearth-store -- --ignored --skip locked_keyring_is_a_clear_error "$@"
    cargo test -p hearth-cli --test keyring_cli -- --ignored "$@"
    cargo test -p hearth-cli --test keyring_import -- --ignored "$@"
    cargo test -p hearth-cli --test keyring_export -- --ignored "$@"
    cargo test -p hearth-cli --test transfer_cli -- --ignored "$@"
    cargo test -p hearth-diagnose --test keyring_proxies -- --ignored "$@"
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
