#!/usr/bin/env bash
# Client libraries from PyPI on their own layers against the localdc binary
# (tests/clients/quick.py): pyrofork and kurigram (Pyrogram's maintained
# forks), and Telethon releases at three older layers (1.24.0: layer 133;
# 1.36.0: layer 181; 1.38.1: layer 193). Each runs against two worlds: the
# demo world and world-docs.toml, written from docs/world-format.md alone
# (CLIENTS_WORLDS="demo" or "docs" picks one). Each library gets its own
# virtualenv under $CARGO_TARGET_DIR/clients-venv/. Prints one line per
# check, one per library and world, and last "clients: N passed, N failed".
set -uo pipefail
repo="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$repo"
target="${CARGO_TARGET_DIR:-$repo/target}"
venvs="$target/clients-venv"
cargo build -p localdc --bin localdc || exit 1
binary="$target/debug/localdc"
declare -A world_files=(
  [demo]="$repo/tests/world/demo.toml"
  [docs]="$repo/crates/localdc/tests/clients/world-docs.toml"
)
read -ra worlds <<< "${CLIENTS_WORLDS:-demo docs}"
# The libraries as NAME=REQUIREMENT[+REQUIREMENT...] (CLIENTS_ONLY takes the
# same, space-separated); TgCrypto-free installs keep them pure Python;
# pyrofork's QR login needs qrcode.
clients=(
  "pyrofork=pyrofork==2.3.69+qrcode==8.2"
  "kurigram=kurigram==2.2.26"
  "telethon-1.24=telethon==1.24.0"
  "telethon-1.36=telethon==1.36.0"
  "telethon-1.38=telethon==1.38.1"
)
[ -n "${CLIENTS_ONLY:-}" ] && read -ra clients <<< "$CLIENTS_ONLY"
pass=0
fail=0
for entry in "${clients[@]}"; do
  name="${entry%%=*}"
  req="${entry#*=}"
  dir="$venvs/$name"
  if [[ "$(cat "$dir/.installed" 2>/dev/null)" != "$req" ]]; then
    rm -rf "$dir"
    python3 -m venv "$dir" || { echo "run.sh: python3 -m venv failed; install python3-venv" >&2; exit 1; }
    IFS=+ read -ra reqs <<< "$req"
    "$dir/bin/python3" -m pip install --quiet --disable-pip-version-check "${reqs[@]}" || { fail=$((fail + 1)); continue; }
    echo "$req" > "$dir/.installed"
  fi
  for w in "${worlds[@]}"; do
    world="${world_files[$w]:-}"
    [ -n "$world" ] || { echo "run.sh: unknown world $w (demo or docs)" >&2; exit 1; }
    # In the venv's directory: Pyrogram's forks write unknown_errors.txt where they run.
    started=$SECONDS
    out=$(cd "$dir" && CLIENT_NAME="$name" "$dir/bin/python3" "$repo/crates/localdc/tests/clients/quick.py" \
      "$binary" "$world" 2>"$dir/stderr-$w.log")
    echo "$out"
    echo "($name on $w: $((SECONDS - started)) s)"
    p=$(grep -c '^ok ' <<< "$out")
    f=$(grep -c '^FAIL ' <<< "$out")
    [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && { f=1; tail -20 "$dir/stderr-$w.log"; }
    pass=$((pass + p))
    fail=$((fail + f))
  done
done
echo "clients: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
