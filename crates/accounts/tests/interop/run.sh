#!/usr/bin/env bash
# Fresh-session export against the real libraries: the virtualenvs of
# crates/portable/tests/interop/run.sh (Telethon 1.45 with Pyrogram 2.0.106;
# kurigram; pyrofork, all from PyPI, in .venv-portable/), then the ignored
# `export_interop` test: Hearth exports new sessions of an account on an
# in-process localdc (loopback only) and each library uses its own while Hearth
# keeps sending; then a bot's new session (its token on a new key) in Telethon.
# tool.py refuses every connection that is not to loopback, and points the
# libraries' built-in DC tables at localdc's announcement (Pyrogram 2.0.106 and
# pyrofork keep no DC address; kurigram fills in its production table for a
# string). The Pyrogram file and string are loaded by all three forks.
# EXPORT_TOOLS overrides the KIND=PYTHON list, e.g.
# EXPORT_TOOLS="pyrogram-file=$PWD/.venv-portable/pyrofork/bin/python3".
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$repo"
venvs="$repo/.venv-portable"
make_venv() { # make_venv NAME PACKAGE...
  local dir="$venvs/$1"; shift
  if [[ "$(cat "$dir/.installed" 2>/dev/null)" != "$*" ]]; then
    rm -rf "$dir"
    python3 -m venv "$dir" || { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
    "$dir/bin/python3" -m pip install --quiet --disable-pip-version-check "$@"
    echo "$*" > "$dir/.installed"
  fi
}
make_venv pyrogram "telethon==1.45.*" "pyrogram==2.0.106"
make_venv kurigram "kurigram==2.2.*"
make_venv pyrofork "pyrofork==2.3.*"
default_tools="telethon-file=$venvs/pyrogram/bin/python3 telethon-string=$venvs/pyrogram/bin/python3"
for fork in pyrogram pyrofork kurigram; do
  default_tools+=" pyrogram-file=$venvs/$fork/bin/python3 pyrogram-string=$venvs/$fork/bin/python3"
done
HEARTH_EXPORT_TOOLS="${EXPORT_TOOLS:-$default_tools}" \
  cargo test -p hearth-accounts --test export_interop -- --ignored --nocapture
