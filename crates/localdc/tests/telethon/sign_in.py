"""Telethon (from PyPI) against a running localdc binary.

Usage: python3 sign_in.py LOCALDC_BINARY WORLD_FILE
Starts localdc, trusts its RSA key, fetches the config, signs in with the
test number 9996621234 (code 22222), checks get_me(), then stops localdc.
Prints "telethon: N passed, N failed" and exits non-zero on any failure.
"""
import asyncio
import json
import subprocess
import sys

from telethon import TelegramClient, functions
from telethon.network import (
    ConnectionTcpAbridged,
    ConnectionTcpFull,
    ConnectionTcpIntermediate,
    ConnectionTcpObfuscated,
)
from telethon.crypto import rsa
from telethon.sessions import MemorySession


async def scenario(info):
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    dc2 = next(d for d in info["dcs"] if d["id"] == 2 and not d["media_only"])
    session = MemorySession()
    session.set_dc(2, dc2["host"], dc2["port"])
    client = TelegramClient(session, 12345, "0123456789abcdef0123456789abcdef")
    checks = []
    try:
        await client.connect()
        cfg = await client(functions.help.GetConfigRequest())
        ports = {(d["id"], d["port"], d["media_only"]) for d in info["dcs"]}
        got = {(o.id, o.port, bool(o.media_only)) for o in cfg.dc_options}
        checks.append(("config lists localdc's endpoints", cfg.this_dc == 2 and got == ports))
        nearest = await client(functions.help.GetNearestDcRequest())
        checks.append(("nearest DC is this DC", nearest.this_dc == 2))
        await client.start(phone="9996621234", code_callback=lambda: "22222")
        me = await client.get_me()
        checks.append(("signed in as alice", me.first_name == "Alice" and me.phone == "9996621234"))
    finally:
        await client.disconnect()
    for conn in (ConnectionTcpFull, ConnectionTcpAbridged, ConnectionTcpIntermediate, ConnectionTcpObfuscated):
        session = MemorySession()
        session.set_dc(4, next(d["host"] for d in info["dcs"] if d["id"] == 4), next(d["port"] for d in info["dcs"] if d["id"] == 4 and not d["media_only"]))
        client = TelegramClient(session, 12345, "0123456789abcdef0123456789abcdef", connection=conn)
        try:
            await client.connect()
            cfg = await client(functions.help.GetConfigRequest())
            checks.append((f"new key and help.getConfig over {conn.__name__}", cfg.this_dc == 4))
        finally:
            await client.disconnect()
    return checks


def main():
    binary, world = sys.argv[1], sys.argv[2]
    proc = subprocess.Popen([binary, "--world", world], stdout=subprocess.PIPE)
    try:
        info = json.loads(proc.stdout.readline())
        checks = asyncio.run(asyncio.wait_for(scenario(info), 60))
    except Exception as e:  # any failure counts as one failed check
        checks = [(f"scenario raised {type(e).__name__}: {e}", False)]
    finally:
        proc.terminate()
        proc.wait(10)
    for name, ok in checks:
        print(("ok   " if ok else "FAIL ") + name)
    passed = sum(1 for _, ok in checks if ok)
    failed = len(checks) - passed
    print(f"telethon: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
