#!/usr/bin/env bash
# Issue 10's targets (a benchmark, not a test): Hearth's release app with three
# signed-in accounts, next to a bare Tauri 2 window (benches/bare-window: one
# static page in a window of Hearth's size, same tauri, wry and webkit2gtk
# versions from a copy of Hearth's Cargo.lock, same toolchain and profile),
# measured in the same run.
#
#   - interactive: from spawning the process to the line it prints once the
#     window is painted and the account list takes input (the UI's `ui_ready`
#     report; the bare page's `ready`), timed by the harness; target < 1 s;
#   - idle PSS: STARTUP_IDLE_SECS after that, PSS summed over the process and
#     all its descendants (WebKit's web and network processes, bwrap,
#     xdg-dbus-proxy); target: Hearth <= 1.15 x the bare window.
#
# Method (scripts/bench_startup.py): builds release binaries (hearth with
# the embedded UI, hearth-cli, localdc, the bare window); inside a private
# D-Bus session with its own unlocked gnome-keyring (tests/keyring/
# with-keyring.sh, so auth keys are in the keyring as in production) starts
# Xvfb without a TCP listener and localdc on 127.0.0.1 with the demo world,
# signs alice, bob and carol (2FA) in with `hearth-cli login --network local`
# into a throw-away data directory, then launches app and bare window in
# alternating rounds (warm-up rounds first, not counted). localdc keeps running,
# so the accounts connect as they would at a real start; every TCP connection
# the measured processes hold is checked to be on loopback. Every process
# started is stopped at the end, on Ctrl-C too. The CPU and load average are
# printed, since the machine may be shared.
#
# Environment: STARTUP_ROUNDS (5), STARTUP_WARMUP (1), STARTUP_IDLE_SECS (8),
# STARTUP_TIMEOUT_SECS (60), STARTUP_KEEP=1 keeps the work directory and logs,
# STARTUP_SMAPS=1 (with KEEP) saves each measured process's /proc/PID/smaps there,
# STARTUP_SCREENSHOTS=1 (with KEEP) the screen after the idle wait as LABEL.png
# (Xvfb's framebuffer file, scripts/xwd_png.py), to compare the UI between changes.
# Exits 0 when measured (a missed target prints MISSED), non-zero when not.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cd "$ROOT"

missing=()
for tool in cargo npm python3 Xvfb dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "bench-startup: missing ${missing[*]}; scripts/setup.sh installs them (Debian: xvfb dbus gnome-keyring libsecret-tools)" >&2
  exit 2
fi

step() { echo "== $* ($(date -u +%H:%M:%S))"; }

# The app embeds ui/dist at compile time: build it when missing or older than
# the UI's sources.
if [[ ! -f ui/dist/index.html ]] ||
  [[ -n "$(find ui/src ui/index.html ui/package-lock.json -newer ui/dist/index.html -print -quit)" ]]; then
  step "UI: npm ci && npm run build"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
fi

# The baseline is only fair on the very versions Hearth links.
lock_version() { sed -n "/^name = \"$1\"\$/{n;s/version = \"\(.*\)\"/\1/p;q}" "$2"; }
for crate in tauri tauri-runtime-wry wry tao webkit2gtk; do
  ours="$(lock_version "$crate" Cargo.lock)" bare="$(lock_version "$crate" benches/bare-window/Cargo.lock)"
  if [[ "$ours" != "$bare" ]]; then
    echo "bench-startup: $crate is $ours in Cargo.lock but $bare in benches/bare-window/Cargo.lock;" >&2
    echo "  copy Cargo.lock to benches/bare-window/ (cargo adds the bare-window entry on the next build without --locked)" >&2
    exit 2
  fi
done

step "release build: hearth (embedded UI), hearth-cli, localdc"
cargo build --release --locked -p hearth-app -p hearth-cli -p localdc \
  --features hearth-app/custom-protocol
step "release build: bare Tauri 2 window (benches/bare-window)"
cargo build --release --locked --manifest-path benches/bare-window/Cargo.toml

bin="$CARGO_TARGET_DIR/release"
echo "== $(rustc --version); tauri $(lock_version tauri Cargo.lock), wry $(lock_version wry Cargo.lock), webkit2gtk-rs $(lock_version webkit2gtk Cargo.lock); WebKitGTK $(pkg-config --modversion webkit2gtk-4.1 2>/dev/null || echo '?')"
echo "== CPU: $(grep -m1 '^model name' /proc/cpuinfo | sed 's/^model name\s*:\s*//'), $(nproc) cores"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
unset WAYLAND_DISPLAY
# Telegram Desktop (Debian's telegram-desktop) at its welcome screen, when
# installed, started with no network (see bench_startup.py).
tdesktop=()
if command -v telegram-desktop >/dev/null; then
  tdesktop=(--tdesktop "$(command -v telegram-desktop)")
  echo "== Telegram Desktop $(dpkg-query -W -f '${Version}' telegram-desktop 2>/dev/null || echo '?')"
else
  echo "== Telegram Desktop not installed: no comparison with it (apt-get install telegram-desktop)"
fi
tests/keyring/with-keyring.sh python3 scripts/bench_startup.py \
  --app "$bin/hearth" --bare "$bin/bare-window" --cli "$bin/hearth-cli" \
  --localdc "$bin/localdc" --world tests/world/demo.toml "${tdesktop[@]}" || status=$?
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"
