"""Telethon's side of scripts/bench-files.sh (a benchmark, not a test).

Usage: python bench_files.py ANNOUNCEMENT_FILE FILE MESSAGE_ID OUT

Signs in to the running localdc as the demo account Alice (its own session,
like a second device), downloads the document of Saved Messages' message
MESSAGE_ID with download_media (timed), checks it equals FILE, then uploads
FILE with upload_file (timed). Prints one JSON line:
{"upload_s": ..., "download_s": ..., "cryptg": true|false,
"download_cpu_ms_per_mb": ..., "dc_cpu_ms_per_mb": ...} (the CPU per MB
during the download of this process and of localdc, whose pid is
BENCH_DC_PID; null without it).
"""
import asyncio
import filecmp
import json
import os
import sys
import time

from telethon import TelegramClient
from telethon.crypto import rsa
from telethon.network import ConnectionTcpFull
from telethon.sessions import MemorySession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"


async def main(info, path, message_id, out):
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    d = next(d for d in info["dcs"] if d["id"] == 2 and not d["media_only"])
    session = MemorySession()
    session.set_dc(2, d["host"], d["port"])
    client = TelegramClient(session, API_ID, API_HASH, connection=ConnectionTcpFull)
    await client.connect()
    await client.start(phone="9996621234", code_callback=lambda: "22222")
    try:
        msg = await client.get_messages("me", ids=message_id)
        dc_pid = os.environ.get("BENCH_DC_PID")
        before = (cpu_ms("self"), cpu_ms(dc_pid) if dc_pid else None)
        t = time.perf_counter()
        await client.download_media(msg, file=out)
        download_s = time.perf_counter() - t
        after = (cpu_ms("self"), cpu_ms(dc_pid) if dc_pid else None)
        mb = os.path.getsize(out) / 1e6
        if not filecmp.cmp(path, out, shallow=False):
            raise SystemExit("Telethon's download differs from the file")
        t = time.perf_counter()
        await client.upload_file(path)
        upload_s = time.perf_counter() - t
    finally:
        await client.disconnect()
    try:
        import cryptg  # noqa: F401
        have_cryptg = True
    except ImportError:
        have_cryptg = False
    def per_mb(a, b):
        return None if a is None or b is None else round((b - a) / mb, 2)
    print(json.dumps({"upload_s": round(upload_s, 4), "download_s": round(download_s, 4),
                      "cryptg": have_cryptg,
                      "download_cpu_ms_per_mb": per_mb(before[0], after[0]),
                      "dc_cpu_ms_per_mb": per_mb(before[1], after[1])}))


def cpu_ms(pid):
    """User plus system CPU time of a process in ms (/proc/PID/stat)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rfind(")") + 2:].split(" ")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        info = json.loads(f.readline())
    asyncio.run(main(info, sys.argv[2], int(sys.argv[3]), sys.argv[4]))
