#!/usr/bin/env bash
# End-to-end test of the Hearth desktop app: builds the UI and the app
# binary, then drives it with tauri-driver + WebKitWebDriver under Xvfb:
# shell.test.mjs (the shell and Diagnostics), then accounts.test.mjs (logins
# on the built-in Local test network, switching, restart, Sessions, and no
# auth key on disk), each with a fresh data directory, inside a private D-Bus
# session with its own unlocked gnome-keyring (tests/keyring/with-keyring.sh),
# because the app keeps auth keys in the OS keyring.
# then chats.test.mjs (dialogs, history paging, live messages, edits and
# deletions against a Telethon peer), then transfers.test.mjs (real photo sizes,
# downloads and an upload by path with the transfer panel, the photo viewer),
# then import.test.mjs (a Telethon
# .session file imported through the Add account wizard, its warning, the
# account's chats, and a second import refused as already held), then
# export.test.mjs (a new session for Telethon from the Sessions page, used by
# Telethon beside the app), then fileids.test.mjs (a bot's Bot API file ids
# shown, decoded by hearth-cli, copied, sent again, and a foreign one refused).
# E2E_ONLY=<name> runs one file only
# (e.g. E2E_ONLY=chats).
# Exits non-zero on any failure; prints "N passed, N failed" per file.
#
# Needs (Debian/Ubuntu): webkit2gtk-driver xvfb xauth libwebkit2gtk-4.1-dev
# gnome-keyring dbus libsecret-tools (scripts/setup.sh installs them), Node >=
# 20.19, cargo, python3 (with python3-venv unless Telethon 1.45 is installed:
# run.sh then installs it from PyPI into .venv-e2e).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
app="$target_dir/debug/hearth"
artifacts="$repo/artifacts/e2e"

missing=()
for tool in WebKitWebDriver xvfb-run xauth node npm cargo python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "run.sh: missing ${missing[*]}; install with: apt-get install webkit2gtk-driver xvfb xauth nodejs npm (or run scripts/setup.sh)" >&2
  exit 1
fi
if ! command -v tauri-driver >/dev/null; then
  echo "run.sh: installing tauri-driver"
  cargo install tauri-driver --locked
fi

step() { echo "== $* ($(date -u +%H:%M:%S))"; }

# Telethon 1.45 (PyPI) plays the second device: the system's if it has it,
# else a virtualenv in .venv-e2e (Debian's python refuses global pip installs).
export PYTHON=python3
if ! python3 -c 'import telethon; assert telethon.__version__.startswith("1.45.")' 2>/dev/null; then
  PYTHON="$repo/.venv-e2e/bin/python3"
  if ! "$PYTHON" -c 'import telethon; assert telethon.__version__.startswith("1.45.")' 2>/dev/null; then
    echo "run.sh: installing Telethon 1.45 from PyPI into $repo/.venv-e2e"
    python3 -m venv "$repo/.venv-e2e" ||
      { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "telethon==1.45.*"
  fi
fi

step "UI dependencies and build"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)

step "app build (debug, embedded UI)"
cargo build -p hearth-app --features custom-protocol
if [[ -z "${E2E_ONLY:-}" || "${E2E_ONLY:-}" == fileids ]]; then
  # fileids.test.mjs decodes the ids the app shows with hearth-cli, beside the app.
  cargo build -p hearth-cli
fi

step "E2E dependencies"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

shell_dir="$(mktemp -d -t hearth-e2e-shell-XXXXXX)"
accounts_dir="$(mktemp -d -t hearth-e2e-accounts-XXXXXX)"
fb_root="$(mktemp -d -t hearth-e2e-fb-XXXXXX)"
chats_dir="$(mktemp -d -t hearth-e2e-chats-XXXXXX)"
transfers_dir="$(mktemp -d -t hearth-e2e-transfers-XXXXXX)"
import_dir="$(mktemp -d -t hearth-e2e-import-XXXXXX)"
export_dir="$(mktemp -d -t hearth-e2e-export-XXXXXX)"
fileids_dir="$(mktemp -d -t hearth-e2e-fileids-XXXXXX)"
trap 'rm -rf "$shell_dir" "$accounts_dir" "$chats_dir" "$transfers_dir" "$import_dir" "$export_dir" "$fileids_dir" "$fb_root"' EXIT

# The app paints the way it ships (src-tauri/src/webview.rs: no hardware
# acceleration), so no WebKit switch may leak in from the caller's
# environment. Screenshots come from Xvfb's framebuffer file (-fbdir), because
# WebKitWebDriver's Take Screenshot waits forever for a composited frame when
# the page is painted without compositing.
unset WEBKIT_DISABLE_DMABUF_RENDERER WEBKIT_DISABLE_COMPOSITING_MODE

# One test file: its own keyring, X display and data directory.
run_test() { # run_test <file> <data dir>
  local fbdir="$fb_root/${1%%.*}"
  mkdir -p "$fbdir"
  HEARTH_E2E_FBDIR="$fbdir" tests/keyring/with-keyring.sh \
    xvfb-run -a -s "-screen 0 1280x800x24 -fbdir $fbdir" \
    node "tests/e2e/$1" --app "$app" --data-dir "$2" --artifacts "$artifacts"
}

rm -f "$artifacts"/*.png
status=0
only="${E2E_ONLY:-}"
wanted() { [[ -z "$only" || "$only" == "$1" ]]; }
if wanted shell; then
  step "E2E run: shell"
  run_test shell.test.mjs "$shell_dir" || status=1
fi
if wanted accounts; then
  step "E2E run: accounts"
  run_test accounts.test.mjs "$accounts_dir" || status=1
fi
if wanted chats; then
  step "E2E run: chats"
  run_test chats.test.mjs "$chats_dir" || status=1
fi
if wanted transfers; then
  step "E2E run: transfers"
  run_test transfers.test.mjs "$transfers_dir" || status=1
fi
if wanted import; then
  step "E2E run: import"
  run_test import.test.mjs "$import_dir" || status=1
fi
if wanted export; then
  step "E2E run: export"
  run_test export.test.mjs "$export_dir" || status=1
fi
if wanted fileids; then
  step "E2E run: fileids"
  run_test fileids.test.mjs "$fileids_dir" || status=1
fi
echo "screenshots: $(cd "$artifacts" && ls *.png | tr '\n' ' ')(in $artifacts)"
exit "$status"
