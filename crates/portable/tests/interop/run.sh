#!/usr/bin/env bash
# hearth-portable against the real libraries: one virtualenv per library
# from PyPI (Telethon 1.45 with Pyrogram 2.0.106; kurigram; pyrofork — the
# forks install the same `pyrogram` module, so each gets its own), then the
# ignored `interop` test, which makes sessions with each and reads them here,
# and writes sessions here for each to load. No network beyond PyPI: only
# the libraries' session storage is used. Virtualenvs live in .venv-portable/.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$repo"
venvs="$repo/.venv-portable"
pythons=()
make_venv() { # make_venv NAME PACKAGE...
  local dir="$venvs/$1"; shift
  if [[ "$(cat "$dir/.installed" 2>/dev/null)" != "$*" ]]; then
    rm -rf "$dir"
    python3 -m venv "$dir" || { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
    "$dir/bin/python3" -m pip install --quiet --disable-pip-version-check "$@"
    echo "$*" > "$dir/.installed"
  fi
  pythons+=("$dir/bin/python3")
}
make_venv pyrogram "telethon==1.45.*" "pyrogram==2.0.106"
make_venv kurigram "kurigram==2.2.*"
make_venv pyrofork "pyrofork==2.3.*"
HEARTH_PORTABLE_PYTHONS="${pythons[*]}" \
  cargo test -p hearth-portable --test interop -- --ignored --nocapture
