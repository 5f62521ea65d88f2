#!/usr/bin/env python3
"""Issue 10's targets, measured: Hearth's release app with three signed-in
accounts against a bare Tauri 2 window built with the same toolchain.

Run by scripts/bench-startup.sh inside tests/keyring/with-keyring.sh (a private
D-Bus session with an unlocked gnome-keyring, so auth keys live in the keyring
as in production). In one run it:

1. starts Xvfb (no TCP listener) and localdc on 127.0.0.1 with the demo world;
2. signs alice (code), bob (code) and carol (code and 2FA password) in with
   `hearth-cli login --network local ANNOUNCEMENT` into a throw-away data dir,
   and makes alice's chat with bob (a photo in it) the chat the app reopens at
   start (the `last_chat` setting), so the app is measured with a chat with
   photos open (`STARTUP_OPEN_CHAT=0`: the account page, as before);
3. launches the app and the bare window in alternating rounds (warm-up rounds
   first, not counted) and times each from just before the spawn to the moment
   the process prints `window interactive after N ms` (the UI's `ui_ready`
   report after the account list is painted; the bare page's `ready`), as read
   from its pipe here: the figure includes process creation and linking;
4. STARTUP_IDLE_SECS after that, sums PSS (/proc/PID/smaps_rollup) over the
   process and every descendant (WebKit's web and network processes, bwrap,
   xdg-dbus-proxy) and checks every TCP connection they hold is on loopback;
5. stops each launch (SIGTERM, then SIGKILL for whatever is left) before the
   next, so no round shares pages with an earlier one.

With `--tdesktop PATH` each round also starts Telegram Desktop on a fresh
working directory (its welcome screen, no account) inside a network namespace
of its own with no route (`unshare -n`: it cannot send a packet anywhere), waits
for its main window to be mapped (`xwininfo`), and after the same idle time
sums its PSS the same way: issue 11's "below Telegram Desktop's at its welcome
screen".

Prints each round, the medians, the ratio app/bare against the targets
(interactive < 1 s; PSS ratio <= 1.15), Hearth against Telegram Desktop when
measured, and where the PSS goes per process.
Exit status: 0 when measured (a missed target is printed as MISSED), 1 when
something could not be measured.
"""

import argparse
import ipaddress
import json
import os
import queue
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from xwd_png import xwd_to_png

INTERACTIVE_TARGET_MS = 1000.0
PSS_RATIO_TARGET = 1.15
READY_LINE = re.compile(r"window interactive after (\d+) ms(?: with (\d+) accounts?)?")
# Demo world (tests/world/demo.toml), test mode: the code is the DC digit five times.
ACCOUNTS = [
    ("+9996621234", "22222", None),  # alice, DC 2
    ("+9996641111", "44444", None),  # bob, DC 4
    ("+9996625555", "22222", "correct horse battery staple"),  # carol, DC 2, 2FA
]


class BenchError(Exception):
    """Something could not be measured; the message says what."""


def env_number(name, default, kind=int):
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise BenchError(f"{name}={raw!r} is not a number")
    if value < 0:
        raise BenchError(f"{name}={raw!r} must not be negative")
    return value


# ---------------------------------------------------------------- processes


class Launched:
    """A started process whose output lines are timestamped as they arrive."""

    def __init__(self, argv, env, log_path, *, merge=True):
        self.lines = queue.Queue()
        self.log = open(log_path, "w", encoding="utf-8")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merge else self.log,
            start_new_session=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in self.proc.stdout:
            now = time.monotonic()
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.log.write(line + "\n")
            self.log.flush()
            self.lines.put((now, line))
        self.lines.put((time.monotonic(), None))

    def wait_line(self, pattern, timeout):
        """The first line matching `pattern`: (seconds since spawn, match)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError(f"{self.proc.args[0]}: no line matching {pattern.pattern!r} within {timeout} s (log: {self.log.name})")
            try:
                at, line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if line is None:
                raise BenchError(f"{self.proc.args[0]} exited with {self.proc.wait()} before printing {pattern.pattern!r} (log: {self.log.name})")
            found = pattern.search(line)
            if found:
                return at - self.started, found

    def stop(self, grace=10.0):
        """SIGTERM, then SIGKILL for the process and every descendant left."""
        tree = descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                pass
        kill_all([self.proc.pid] + tree + descendants(self.proc.pid))
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()
        self.reader.join(timeout=5)
        self.log.close()


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except OSError:
        return None
    # The command name may hold spaces and parentheses: fields follow the last ')'.
    return int(stat[stat.rindex(b")") + 2:].split()[1])


def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            parent = parent_of(int(entry))
            if parent is not None:
                children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return b") Z " not in f.read()
    except OSError:
        return False


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.monotonic() + 5
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)


def process_name(pid):
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        with open(f"/proc/{pid}/comm", encoding="utf-8") as f:
            return f.read().strip()


def pss_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/smaps_rollup has no Pss line")


def tcp_sockets():
    """inode -> (remote address, state) for every TCP socket of this network namespace."""
    sockets = {}
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        try:
            with open(table, encoding="ascii") as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            remote_hex = fields[2].split(":")[0]
            raw = bytes.fromhex(remote_hex)
            # /proc shows each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, width, 4))
            sockets[fields[9]] = (ipaddress.ip_address(raw), fields[3])
    return sockets


def connections(pids):
    """(established count, addresses that are not loopback) over the pids' TCP sockets."""
    table = tcp_sockets()
    established, foreign = 0, set()
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            inode = target[len("socket:["):-1] if target.startswith("socket:[") else None
            if inode in table:
                address, state = table[inode]
                if address.is_unspecified:
                    continue  # a listener or an unconnected socket
                mapped = getattr(address, "ipv4_mapped", None)
                if not (address.is_loopback or (mapped and mapped.is_loopback)):
                    foreign.add(str(address))
                if state == "01":
                    established += 1
    return established, foreign


# ---------------------------------------------------------------- set-up


def start_xvfb(started, fbdir=None):
    read_fd, write_fd = os.pipe()
    extra = ["-fbdir", fbdir] if fbdir else []
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp", *extra],
        pass_fds=(write_fd,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    started.append(xvfb)
    os.close(write_fd)
    with os.fdopen(read_fd) as f:
        number = f.readline().strip()
    if not number.isdigit():
        raise BenchError(f"Xvfb did not report a display (exit {xvfb.poll()})")
    return f":{number}"


def start_localdc(args, work, started):
    dc = Launched(
        [args.localdc, "--world", args.world, "--state-dir", os.path.join(work, "localdc"), "--seed", "7"],
        os.environ.copy(), os.path.join(work, "localdc.log"), merge=False,
    )
    started.append(dc)
    _, found = dc.wait_line(re.compile(r"^\{.*\}$"), 30)
    line = found.group(0)
    announcement = json.loads(line)
    for entry in announcement["dcs"]:
        if not ipaddress.ip_address(entry["host"]).is_loopback:
            raise BenchError(f"localdc announced DC {entry['id']} on {entry['host']}, not loopback")
    path = os.path.join(work, "announcement.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(line + "\n")
    return path


def sign_in(args, data_dir, announcement):
    """Signs in every account of ACCOUNTS; their account ids, in order."""
    ids = []
    for phone, code, password in ACCOUNTS:
        argv = [args.cli, "--data-dir", data_dir, "--json", "login", "--network", "local",
                announcement, "--phone", phone, "--code", code]
        env = os.environ.copy()
        if password:
            env["HEARTH_BENCH_PASSWORD"] = password
            argv += ["--password-env", "HEARTH_BENCH_PASSWORD"]
        done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise BenchError(f"hearth-cli login {phone} failed ({done.returncode}): {done.stderr.strip()}")
        account = next((json.loads(l)["account"] for l in done.stdout.splitlines() if '"account"' in l), None)
        if not account:
            raise BenchError(f"hearth-cli login {phone} printed no account: {done.stdout.strip()}")
        print(f"   signed in {phone} as account {account['id']} (DC {account['dc']})")
        ids.append(account["id"])
    listed = subprocess.run([args.cli, "--data-dir", data_dir, "--json", "account", "list"],
                            capture_output=True, text=True, timeout=60)
    count = sum(1 for l in listed.stdout.splitlines() if l.strip())
    if listed.returncode != 0 or count != len(ACCOUNTS):
        raise BenchError(f"hearth-cli account list: {count} accounts, status {listed.returncode}: {listed.stderr.strip()}")
    return ids


def open_chat_at_start(args, data_dir, account):
    """Makes Alice's chat with Bob (the demo world's chat with a photo) the chat open when
    the app last quit, so every start reopens it: the `last_chat` setting
    (hearth-accounts' `service/last_chat.rs`), written as the app writes it."""
    listed = subprocess.run([args.cli, "--data-dir", data_dir, "--json", "dialogs", str(account)],
                            capture_output=True, text=True, timeout=120)
    if listed.returncode != 0:
        raise BenchError(f"hearth-cli dialogs {account} failed ({listed.returncode}): {listed.stderr.strip()}")
    dialogs = [json.loads(l) for l in listed.stdout.splitlines() if l.strip()]
    bob = next((d["peer"] for d in dialogs if d["title"].startswith("Bob")), None)
    if bob is None:
        raise BenchError(f"account {account} has no dialog with Bob: {[d['title'] for d in dialogs]}")
    with sqlite3.connect(os.path.join(data_dir, "hearth.sqlite3")) as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('last_chat', ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (f"{account}:{bob}",))
    print(f"   account {account} reopens its chat with Bob ({bob}, a photo in it) at start")


# ---------------------------------------------------------------- rounds


def measure(kind, argv, env, work, label, idle_secs, timeout, expect_accounts):
    launched = Launched(argv, env, os.path.join(work, f"{label}.log"))
    try:
        seconds, found = launched.wait_line(READY_LINE, timeout)
        own_ms = int(found.group(1))
        if expect_accounts is not None and int(found.group(2) or -1) != expect_accounts:
            raise BenchError(f"{kind}: the window showed {found.group(2)} accounts, not {expect_accounts}")
        time.sleep(idle_secs)
        if launched.proc.poll() is not None:
            raise BenchError(f"{kind} exited while idle (status {launched.proc.returncode}; log {launched.log.name})")
        if os.environ.get("STARTUP_SCREENSHOTS") == "1":
            xwd_to_png(os.path.join(work, "Xvfb_screen0"), os.path.join(work, f"{label}.png"))
        pids = [launched.proc.pid] + descendants(launched.proc.pid)
        per_process = []
        for pid in pids:
            try:
                per_process.append((process_name(pid), pss_kib(pid)))
                if os.environ.get("STARTUP_SMAPS") == "1":
                    shutil.copyfile(f"/proc/{pid}/smaps", os.path.join(work, f"{label}-{process_name(pid)}.smaps"))
            except FileNotFoundError:
                continue  # exited between the listing and the read
            except PermissionError:
                raise BenchError(f"cannot read /proc/{pid}/smaps_rollup ({process_name(pid)}); run as the same user")
        established, foreign = connections(pids)
        if foreign:
            raise BenchError(f"{kind} holds TCP connections off loopback: {sorted(foreign)}")
        return {
            "kind": kind, "ms": seconds * 1000, "own_ms": own_ms,
            "pss": sum(k for _, k in per_process), "procs": per_process, "tcp": established,
        }
    finally:
        launched.stop()


TDESKTOP_WINDOW = re.compile(r'^\s*0x[0-9a-f]+ "Telegram[^"]*":.*\s(\d+)x(\d+)\+')


def tdesktop_window_shown(display):
    """Whether a top-level window titled "Telegram…" of at least 400x300 is mapped."""
    listed = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"],
                            capture_output=True, text=True, timeout=10)
    for line in listed.stdout.splitlines():
        found = TDESKTOP_WINDOW.match(line)
        if found and int(found.group(1)) >= 400 and int(found.group(2)) >= 300:
            return True
    return False


def measure_tdesktop(path, env, work, label, idle_secs, timeout):
    """Telegram Desktop at its welcome screen, with no network at all."""
    workdir = os.path.join(work, f"{label}-workdir")
    os.mkdir(workdir, 0o700)
    env = dict(env, HOME=workdir)
    # `unshare -n` execs the client in a new network namespace holding only a
    # loopback that is down: nothing it sends leaves this machine.
    launched = Launched(["unshare", "-n", path, "-workdir", workdir], env, os.path.join(work, f"{label}.log"))
    try:
        deadline = time.monotonic() + timeout
        while not tdesktop_window_shown(env["DISPLAY"]):
            if launched.proc.poll() is not None:
                raise BenchError(f"Telegram Desktop exited with {launched.proc.returncode} (log {launched.log.name})")
            if time.monotonic() > deadline:
                raise BenchError(f"Telegram Desktop showed no window within {timeout} s (log {launched.log.name})")
            time.sleep(0.1)
        seconds = time.monotonic() - launched.started
        time.sleep(idle_secs)
        if os.environ.get("STARTUP_SCREENSHOTS") == "1":
            xwd_to_png(os.path.join(work, "Xvfb_screen0"), os.path.join(work, f"{label}.png"))
        per_process = []
        for pid in [launched.proc.pid] + descendants(launched.proc.pid):
            try:
                per_process.append((process_name(pid), pss_kib(pid)))
            except FileNotFoundError:
                continue
        return {"kind": "tdesktop", "ms": seconds * 1000, "own_ms": 0,
                "pss": sum(k for _, k in per_process), "procs": per_process, "tcp": 0}
    finally:
        launched.stop()


def run(args):
    rounds = env_number("STARTUP_ROUNDS", 5)
    idle = env_number("STARTUP_IDLE_SECS", 8.0, float)
    warmup = env_number("STARTUP_WARMUP", 1)
    timeout = env_number("STARTUP_TIMEOUT_SECS", 60.0, float)
    if rounds < 1:
        raise BenchError("STARTUP_ROUNDS must be at least 1")
    started = []
    work = tempfile.mkdtemp(prefix="hearth-bench-startup-")
    try:
        print(f"== Xvfb, localdc and three accounts in {work}")
        display = start_xvfb(started, work if os.environ.get("STARTUP_SCREENSHOTS") == "1" else None)
        announcement = start_localdc(args, work, started)
        data_dir = os.path.join(work, "data")
        os.mkdir(data_dir, 0o700)
        ids = sign_in(args, data_dir, announcement)
        if os.environ.get("STARTUP_OPEN_CHAT", "1") != "0":
            open_chat_at_start(args, data_dir, ids[0])

        env = os.environ.copy()
        env.update(DISPLAY=display, HEARTH_DATA_DIR=data_dir, HEARTH_NO_DIALOG="1")
        env.pop("WAYLAND_DISPLAY", None)
        # As the e2e run: WebKit's default renderer under Xvfb (Mesa's software GL).
        env.pop("WEBKIT_DISABLE_DMABUF_RENDERER", None)
        env.pop("WEBKIT_DISABLE_COMPOSITING_MODE", None)
        print(f"== {warmup} warm-up and {rounds} measured rounds, alternating; idle {idle:g} s before PSS")
        print(f"{'round':>7} {'what':<12} {'interactive':>11} {'(own)':>8} {'PSS MiB':>8} {'procs':>5} {'tcp':>4}")
        results = {"app": [], "bare": [], "tdesktop": []}
        titles = {"app": "Hearth", "bare": "bare window", "tdesktop": "Telegram D."}
        for n in range(warmup + rounds):
            counted = n >= warmup
            name = f"{n - warmup + 1}" if counted else f"w{n + 1}"
            for kind in ("app", "bare", "tdesktop"):
                label = f"{kind}-{name}"
                if kind == "app":
                    r = measure(kind, [args.app], env, work, label, idle, timeout, len(ACCOUNTS))
                elif kind == "bare":
                    r = measure(kind, [args.bare], env, work, label, idle, timeout, None)
                elif args.tdesktop:
                    r = measure_tdesktop(args.tdesktop, env, work, label, idle, timeout)
                else:
                    continue
                print(f"{name:>7} {titles[kind]:<12} {r['ms']:>8.0f} ms {r['own_ms']:>5} ms "
                      f"{r['pss'] / 1024:>8.1f} {len(r['procs']):>5} {r['tcp']:>4}", flush=True)
                if counted:
                    results[kind].append(r)
        report(results)
    finally:
        for item in reversed(started):
            if isinstance(item, Launched):
                item.stop()
            else:
                kill_all([item.pid])
                item.wait()
        if os.environ.get("STARTUP_KEEP") == "1":
            print(f"kept {work} (STARTUP_KEEP=1)")
        else:
            shutil.rmtree(work, ignore_errors=True)


def median_round(rounds, key):
    ordered = sorted(rounds, key=lambda r: r[key])
    return ordered[(len(ordered) - 1) // 2]


def breakdown(r):
    groups = {}
    for name, kib in r["procs"]:
        count, total = groups.get(name, (0, 0))
        groups[name] = (count + 1, total + kib)
    return ", ".join(f"{name}{' ×' + str(c) if c > 1 else ''} {kib / 1024:.1f}"
                     for name, (c, kib) in sorted(groups.items(), key=lambda g: -g[1][1]))


def report(results):
    app, bare = results["app"], results["bare"]
    app_ms = statistics.median(r["ms"] for r in app)
    bare_ms = statistics.median(r["ms"] for r in bare)
    app_pss = statistics.median(r["pss"] for r in app)
    bare_pss = statistics.median(r["pss"] for r in bare)
    ratio = app_pss / bare_pss
    verdict = lambda ok: "met" if ok else "MISSED"
    print("== medians")
    print(f"   interactive: Hearth {app_ms:.0f} ms (best {min(r['ms'] for r in app):.0f}), "
          f"bare window {bare_ms:.0f} ms; target < {INTERACTIVE_TARGET_MS:.0f} ms: {verdict(app_ms < INTERACTIVE_TARGET_MS)}")
    print(f"   idle PSS:    Hearth {app_pss / 1024:.1f} MiB, bare window {bare_pss / 1024:.1f} MiB, "
          f"ratio {ratio:.3f}; target <= {PSS_RATIO_TARGET}: {verdict(ratio <= PSS_RATIO_TARGET)}")
    tdesktop = results["tdesktop"]
    if tdesktop:
        td_pss = statistics.median(r["pss"] for r in tdesktop)
        td_ms = statistics.median(r["ms"] for r in tdesktop)
        print(f"   Telegram Desktop at its welcome screen: {td_pss / 1024:.1f} MiB (window mapped after "
              f"{td_ms:.0f} ms); Hearth below it: {verdict(app_pss < td_pss)} "
              f"(Hearth/Telegram Desktop {app_pss / td_pss:.3f})")
    print("== PSS per process, median round (MiB)")
    print(f"   Hearth:      {breakdown(median_round(app, 'pss'))}")
    print(f"   bare window: {breakdown(median_round(bare, 'pss'))}")
    if tdesktop:
        print(f"   Telegram D.: {breakdown(median_round(tdesktop, 'pss'))}")


def interrupted(signum, _frame):
    raise KeyboardInterrupt(signal.Signals(signum).name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("app", "bare", "cli", "localdc", "world"):
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--tdesktop", help="Telegram Desktop's binary, measured at its welcome screen")
    args = parser.parse_args()
    # SIGINT, SIGTERM and SIGHUP unwind, so `finally` stops every process started. SIGINT
    # too: a shell that started us in the background hands it down ignored.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, interrupted)
    try:
        run(args)
    except BenchError as error:
        print(f"bench-startup: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench-startup: interrupted; every process it started is stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
