#!/usr/bin/env bash
# hearth-portable against the real libraries: one virtualenv per library
# from PyPI (Telethon 1.45 with Pyrogram 2.0.106; kurigram; pyrofork — the
# forks install the same `pyrogram` module, so each gets its own), then the
# ignored `interop` test, which makes sessions with each and reads them here,
# and writes sessions here for each to load. No network beyond PyPI: only
# the libraries' session storage is used. Then Telegram Desktop tdata: opentele
# (its own virtualenv, it pulls its own Telethon) converts accounts Telethon
# signed in to an in-process localdc on loopback, and hearth-cli imports them
# with the keys in a private gnome-keyring (tests/keyring/with-keyring.sh) and
# makes a call with each (hearth-cli's ignored `keyring_tdata` test). Then
# Telethon, kurigram and pyrofork each sign a demo user in to one in-process
# localdc, make a call and save their session as a file and as a string
# (signin.py); hearth-cli imports each with the real keyring and makes a call
# (hearth-cli's ignored `keyring_libraries` test). Last, the
# real Telegram Desktop, cut off from the network, writes an empty tdata that
# hearth-cli must call "no signed-in account" (tdesktop_empty.sh).
# Virtualenvs live in .venv-portable/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$repo"
venvs="$repo/.venv-portable"
pythons=()
venv() { # venv NAME PACKAGE...: makes it unless it holds those packages
  local dir="$venvs/$1"; shift
  if [[ "$(cat "$dir/.installed" 2>/dev/null)" != "$*" ]]; then
    rm -rf "$dir"
    python3 -m venv "$dir" || { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
    "$dir/bin/python3" -m pip install --quiet --disable-pip-version-check "$@"
    echo "$*" > "$dir/.installed"
  fi
}
make_venv() { # make_venv NAME PACKAGE...: a library of the interop test
  venv "$@"
  pythons+=("$venvs/$1/bin/python3")
}
make_venv pyrogram "telethon==1.45.*" "pyrogram==2.0.106"
make_venv kurigram "kurigram==2.2.*"
make_venv pyrofork "pyrofork==2.3.*"
HEARTH_PORTABLE_PYTHONS="${pythons[*]}" \
  cargo test -p hearth-portable --test interop -- --ignored --nocapture
venv opentele "opentele==1.15.*" "telethon==1.45.*"
HEARTH_TDATA_PYTHON="$venvs/opentele/bin/python3" \
  tests/keyring/with-keyring.sh \
  cargo test -p hearth-cli --test keyring_tdata -- --ignored --nocapture
HEARTH_SIGNIN_CLIENTS="telethon=$venvs/pyrogram/bin/python3 kurigram=$venvs/kurigram/bin/python3 pyrofork=$venvs/pyrofork/bin/python3" \
  tests/keyring/with-keyring.sh \
  cargo test -p hearth-cli --test keyring_libraries -- --ignored --nocapture
crates/portable/tests/interop/tdesktop_empty.sh "${CARGO_TARGET_DIR:-$repo/target}/debug/hearth-cli"
