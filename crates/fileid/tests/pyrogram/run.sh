#!/usr/bin/env bash
# Runs hearth-fileid's Pyrogram interoperability test (crates/fileid/tests/pyrogram.rs):
# Pyrogram (PyPI package kurigram 2.2, the maintained fork) in a virtualenv at
# .venv-fileid, then the ignored `pyrogram` test, which exchanges ~2000 random ids each
# way with pyrogram_ids.py. HEARTH_FILEID_SEED repeats a run (the seed is printed).
# Needs python3 with venv (python3-venv on Debian) and cargo; nothing contacts Telegram.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$repo"

want='kurigram==2.2.26'
venv="$repo/.venv-fileid"
PYTHON="$venv/bin/python3"
# Importing pyrogram.file_id needs no network; TgCrypto is optional (a notice on stderr).
if ! "$PYTHON" -c 'import importlib.metadata as m, pyrogram.file_id; assert m.version("kurigram") == "2.2.26"' 2>/dev/null; then
  echo "run.sh: installing $want from PyPI into $venv"
  python3 -m venv "$venv" ||
    { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "$want"
fi
export HEARTH_PYROGRAM_PYTHON="$PYTHON"
cargo test -p hearth-fileid --test pyrogram -- --ignored --nocapture
