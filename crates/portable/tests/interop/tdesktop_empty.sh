#!/usr/bin/env bash
# The real Telegram Desktop writes a tdata with no account (a fresh -workdir, under Xvfb,
# in a network namespace of its own: `unshare -n` leaves it only a loopback that is down,
# so nothing leaves the machine), and hearth-cli must read its key_datas and say plainly
# that it holds no signed-in account (exit 2, SESSION_INVALID) rather than fail otherwise.
#
#   tdesktop_empty.sh HEARTH_CLI
#
# Skipped, saying so, when Telegram Desktop, Xvfb or unshare is not installed.
set -euo pipefail
cli="$1"
for tool in telegram-desktop xvfb-run unshare; do
  if ! command -v "$tool" >/dev/null; then
    echo "tdesktop: skipped, $tool is not installed (Debian: telegram-desktop, xvfb, util-linux)"
    exit 0
  fi
done
work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-tdesktop.XXXXXX")"
trap 'rm -rf "$work"' EXIT
isolate=(unshare -n)
((EUID == 0)) || isolate=(unshare -rn)

timeout --kill-after=5 60 "${isolate[@]}" xvfb-run -a telegram-desktop \
  -workdir "$work/desktop" -many -noupdate >"$work/log" 2>&1 &
desktop=$!
for _ in $(seq 1 50); do
  [[ -f "$work/desktop/tdata/key_datas" && -f "$work/desktop/tdata/settingss" ]] && break
  sleep 0.5
done
sleep 2
kill -TERM "$desktop" 2>/dev/null || true
wait "$desktop" || true
if [[ ! -f "$work/desktop/tdata/key_datas" ]]; then
  echo "FAIL tdesktop: Telegram Desktop wrote no tdata/key_datas; its output:" >&2
  tail -20 "$work/log" >&2
  exit 1
fi

status=0
out="$("$cli" --data-dir "$work/data" --json session import "$work/desktop" \
  --network local "$work/no-network.json")" || status=$?
if [[ $status -eq 2 && "$out" == *'"code":"SESSION_INVALID"'* && "$out" == *"has no signed-in account"* ]]; then
  echo "ok   tdesktop: an empty tdata of the real Telegram Desktop is \"no signed-in account\""
else
  echo "FAIL tdesktop: hearth-cli exited $status with: $out" >&2
  exit 1
fi
