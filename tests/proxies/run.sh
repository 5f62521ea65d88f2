#!/usr/bin/env bash
# Runs hearth-diagnose's and hearth-cli's #[ignore]d tests against real servers on loopback:
#   localdc (the DC emulator), microsocks (SOCKS5 with and without username/password),
#   tinyproxy (HTTP CONNECT with and without Basic auth), mtprotoproxy from PyPI in a
#   throwaway venv (plain/dd, dd-only and ee-only instances, forwarding to localdc),
#   Python's http.server where a DC should be, a closed port, and a network namespace
#   without any route (unshare -n) for the missing-IPv6 and no-route verdicts.
#
#   tests/proxies/run.sh            # from anywhere in the repository
#
# Installs what is missing (Debian: microsocks, tinyproxy, python3-venv; PyPI: mtprotoproxy)
# when run as root; otherwise names the packages and exits 2. Every server listens on
# 127.0.0.1 only. Prints "N passed, N failed" last and exits non-zero on any failure.
set -euo pipefail

src="${BASH_SOURCE[0]}"
[[ "$src" == */* ]] || src="./$src"
here="$(cd "${src%/*}" && pwd)"
root="$(cd "$here/../.." && pwd)"

say() { echo "proxies: $*" >&2; }

# --- install what is missing -------------------------------------------------------------
apt_missing=()
command -v microsocks >/dev/null 2>&1 || apt_missing+=(microsocks)
command -v tinyproxy >/dev/null 2>&1 || apt_missing+=(tinyproxy)
command -v python3 >/dev/null 2>&1 || apt_missing+=(python3)
command -v unshare >/dev/null 2>&1 || apt_missing+=(util-linux)
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    apt_missing+=(python3-venv)
fi
if ((${#apt_missing[@]})); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "installing ${apt_missing[*]}"
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_missing[@]}" >/dev/null
    else
        say "missing packages; install them, then run again:"
        say "    sudo apt-get install ${apt_missing[*]}"
        exit 2
    fi
fi
command -v cargo >/dev/null 2>&1 || { say "cargo not found; install a Rust toolchain first"; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/hearth-proxies.XXXXXX")"
chmod 755 "$work"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

say "creating a throwaway venv for mtprotoproxy"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check mtprotoproxy==1.0.6
# The package ships a script, not an importable module.
mtp_script="$work/venv/bin/mtprotoproxy.py"
[[ -f "$mtp_script" ]] || mtp_script="$work/venv/bin/mtprotoproxy"
[[ -f "$mtp_script" ]] || { say "mtprotoproxy installed no script"; exit 1; }

# --- build -------------------------------------------------------------------------------
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
say "building localdc and hearth-cli"
cargo build -q -p localdc -p hearth-cli
bin="$CARGO_TARGET_DIR/debug"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() { # wait_port <port> <name>
    python3 - "$1" "$2" <<'EOF'
import socket, sys, time
port, name = int(sys.argv[1]), sys.argv[2]
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("proxies: %s did not start listening on 127.0.0.1:%d" % (name, port))
EOF
}

# --- servers -----------------------------------------------------------------------------
"$bin/localdc" >"$work/localdc.json" 2>"$work/localdc.log" &
pids+=($!)
for _ in $(seq 1 300); do
    [[ -s "$work/localdc.json" ]] && break
    sleep 0.1
done
[[ -s "$work/localdc.json" ]] || { say "localdc printed nothing"; cat "$work/localdc.log" >&2; exit 1; }
dc_ports="$(python3 -c '
import json, sys
dcs = json.load(open(sys.argv[1]))["dcs"]
print(",".join(str(d["port"]) for d in sorted(dcs, key=lambda d: d["id"]) if not d["media_only"]))
' "$work/localdc.json")"

socks_open=$(free_port); socks_auth=$(free_port)
microsocks -i 127.0.0.1 -p "$socks_open" >"$work/socks-open.log" 2>&1 &
pids+=($!)
microsocks -i 127.0.0.1 -p "$socks_auth" -u hearth -P s0cks-pass >"$work/socks-auth.log" 2>&1 &
pids+=($!)

tinyproxy_conf() { # tinyproxy_conf <port> [basic-auth line]
    # No ConnectPort line: CONNECT is allowed to every port (localdc's are random).
    cat <<EOF
User nobody
Group nogroup
Port $1
Listen 127.0.0.1
Timeout 30
MaxClients 64
LogLevel Error
Allow 127.0.0.1
DisableViaHeader Yes
${2:-}
EOF
}
http_open=$(free_port); http_auth=$(free_port)
tinyproxy_conf "$http_open" >"$work/tinyproxy-open.conf"
tinyproxy_conf "$http_auth" "BasicAuth hearth http-pass" >"$work/tinyproxy-auth.conf"
tinyproxy -d -c "$work/tinyproxy-open.conf" >"$work/tinyproxy-open.log" 2>&1 &
pids+=($!)
tinyproxy -d -c "$work/tinyproxy-auth.conf" >"$work/tinyproxy-auth.log" 2>&1 &
pids+=($!)

mtp_key=00112233445566778899aabbccddeeff
mtp_domain=localhost
mtproxy() { # mtproxy <name> <port> <extra config>
    cat >"$work/mtp-$1.py" <<EOF
PORT = $2
USERS = {"hearth": "$mtp_key"}
LISTEN_ADDR_IPV4 = "127.0.0.1"
LISTEN_ADDR_IPV6 = ""
PREFER_IPV6 = False
USE_MIDDLE_PROXY = False
GET_TIME_PERIOD = 0
# Never forward unrecognised clients anywhere: just drop them.
MASK = False
TLS_DOMAIN = "$mtp_domain"
CLIENT_HANDSHAKE_TIMEOUT = 2
$3
EOF
    "$work/venv/bin/python" "$here/mtproxy_launcher.py" "$mtp_script" "$work/mtp-$1.py" "$dc_ports" \
        >"$work/mtp-$1.log" 2>&1 &
    pids+=($!)
}
mtp_classic=$(free_port); mtp_secure=$(free_port); mtp_tls=$(free_port)
mtproxy classic "$mtp_classic" ""
mtproxy secure "$mtp_secure" "SECURE_ONLY = True"
mtproxy tls "$mtp_tls" "TLS_ONLY = True"

web=$(free_port)
mkdir -p "$work/www"
python3 -m http.server "$web" --bind 127.0.0.1 --directory "$work/www" >"$work/web.log" 2>&1 &
pids+=($!)
closed=$(free_port)

wait_port "$socks_open" microsocks
wait_port "$socks_auth" microsocks
wait_port "$http_open" tinyproxy
wait_port "$http_auth" tinyproxy
wait_port "$mtp_classic" mtprotoproxy
wait_port "$mtp_secure" mtprotoproxy
wait_port "$mtp_tls" mtprotoproxy
wait_port "$web" http.server

export HEARTH_LOCALDC_FILE="$work/localdc.json"
export HEARTH_SOCKS_OPEN="127.0.0.1:$socks_open" HEARTH_SOCKS_AUTH="127.0.0.1:$socks_auth"
export HEARTH_SOCKS_USER=hearth HEARTH_SOCKS_PASS=s0cks-pass
export HEARTH_HTTP_OPEN="127.0.0.1:$http_open" HEARTH_HTTP_AUTH="127.0.0.1:$http_auth"
export HEARTH_HTTP_USER=hearth HEARTH_HTTP_PASS=http-pass
export HEARTH_MTPROXY_KEY="$mtp_key" HEARTH_MTPROXY_DOMAIN="$mtp_domain"
export HEARTH_MTPROXY_CLASSIC="127.0.0.1:$mtp_classic" HEARTH_MTPROXY_SECURE="127.0.0.1:$mtp_secure"
export HEARTH_MTPROXY_TLS="127.0.0.1:$mtp_tls"
export HEARTH_WEB_ADDR="127.0.0.1:$web" HEARTH_CLOSED_ADDR="127.0.0.1:$closed"

# --- tests -------------------------------------------------------------------------------
passed=0
failed=0
count() { # count <log>: adds cargo's "test result" counts; a run without one is a failure
    local p f any=0
    while read -r p f; do
        passed=$((passed + p)); failed=$((failed + f)); any=1
    done < <(sed -n 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$1")
    ((any)) || failed=$((failed + 1))
}
cargo_ignored() { # cargo_ignored <package> <test target>
    say "cargo test -p $1 --test $2 -- --ignored"
    cargo test -q -p "$1" --test "$2" -- --ignored --test-threads=2 >"$work/$2.log" 2>&1 || true
    # Indented, so that only this script's closing line is read as the suite's count.
    sed 's/^/  /' "$work/$2.log"
    count "$work/$2.log"
}
cargo_ignored hearth-diagnose real_proxies
cargo_ignored hearth-cli real_proxies_cli

# A namespace with only a down loopback: IPv6 (::1) has no route, nor has IPv4.
cat >"$work/check_ns.py" <<'EOF'
import json, sys
want = sys.argv[1]
lines = [json.loads(l) for l in sys.stdin if l.strip()]
probes = [l for l in lines if not l.get("summary")]
ok = len(probes) == 4 and all(p["verdict"] == want and not p["ok"] for p in probes)
ok = ok and bool(lines) and lines[-1].get("summary") is True and lines[-1]["reachable_dcs"] == []
sys.exit(0 if ok else 1)
EOF
check_ns() { # check_ns <dc arg> <expected verdict>; the CLI must also exit 1
    local out status=0
    out=$(unshare -n "$bin/hearth-cli" diagnose --network local "$HEARTH_LOCALDC_FILE" \
        --dc "$1" --json --timeout 2000 2>&1) || status=$?
    if [[ $status -eq 1 ]] && python3 "$work/check_ns.py" "$2" <<<"$out"; then
        echo "test unshare -n, --dc $1 -> $2 ... ok"
        passed=$((passed + 1))
    else
        echo "test unshare -n, --dc $1 -> $2 ... FAILED (exit $status)"
        echo "$out"
        failed=$((failed + 1))
    fi
}
check_ns "2=[::1]:$closed" no_ipv6_route
check_ns "2=127.0.0.1:$closed" no_route

echo "$passed passed, $failed failed"
((failed == 0))
