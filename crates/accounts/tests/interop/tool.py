"""Another program using a session Hearth exported: Telethon or a Pyrogram
fork from PyPI, against localdc on loopback.

Usage: python3 tool.py LIBRARY SESSION API_ID API_HASH ROUNDS
  LIBRARY  telethon-file | telethon-string | pyrogram-file
  SESSION  the session file's path, or the string itself

The client asks whom it is signed in as, sends ROUNDS messages "tool PID N" to
Saved Messages and reads that chat's history back, then prints one JSON line:
  {"ok": true, "library": "...", "user_id": ..., "sent": N,
   "seen_own": N, "seen_hearth": N}
or {"ok": false, "library": "...", "error": "...", "step": "..."} - never a
traceback, so the Rust side reports what failed and where.
"""
import asyncio
import ipaddress
import json
import os
import socket
import sqlite3
import sys


def loopback_only():
    """Refuses every connection that is not to this machine: the libraries fall
    back to Telegram's own addresses when a session does not say where its DC
    is, and no packet of a test may leave for Telegram."""
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not ipaddress.ip_address(host).is_loopback:
            raise ConnectionRefusedError(f"test guard: {host} is not loopback")
        return connect(sock, address)

    socket.socket.connect = guarded


def pin_dc_address(session):
    """Libraries whose session files keep no DC address (pyrofork's schema 4)
    dial the address table built into them; point that table at the address
    the file Hearth wrote carries."""
    import pyrogram.connection.connection as connection

    db = sqlite3.connect(f"file:{session}?mode=ro", uri=True)
    try:
        host, port = db.execute(
            "SELECT server_address, port FROM sessions").fetchone()
    finally:
        db.close()
    connection.DataCenter = lambda *args, **kwargs: (host, port)


# This run's messages, told apart from earlier runs' in the same chat.
TAG = f"tool {os.getpid()} "


def answer(**fields):
    print(json.dumps(fields), flush=True)


def at(step, name):
    """Records the step (stderr too, so a hang shows where)."""
    step[0] = name
    print(f"step {name}", file=sys.stderr, flush=True)


async def with_telethon(kind, session, api_id, api_hash, rounds, step):
    import telethon
    from telethon import TelegramClient
    from telethon.sessions import StringSession

    source = StringSession(session) if kind == "telethon-string" else session
    client = TelegramClient(source, api_id, api_hash, receive_updates=False)
    at(step, "connect")
    await client.connect()
    try:
        at(step, "is_user_authorized")
        if not await client.is_user_authorized():
            raise RuntimeError("the exported session is not signed in")
        at(step, "get_me")
        me = await client.get_me()
        at(step, "send_message")
        for i in range(rounds):
            await client.send_message("me", f"{TAG}{i}")
        at(step, "get_messages")
        history = await client.get_messages("me", limit=100)
        texts = [m.message or "" for m in history]
        return f"telethon {telethon.__version__}", me.id, texts
    finally:
        await client.disconnect()


async def with_pyrogram(session, api_id, api_hash, rounds, step):
    import pyrogram
    from pyrogram import Client
    from pyrogram.storage import sqlite_storage

    source = open(sqlite_storage.__file__).read()
    if "server_address" not in source:
        pin_dc_address(session)

    workdir, name = os.path.split(session)
    name = name.removesuffix(".session")
    app = Client(name, api_id=api_id, api_hash=api_hash, workdir=workdir,
                 no_updates=True)
    at(step, "start")
    await app.start()
    try:
        at(step, "get_me")
        me = await app.get_me()
        at(step, "send_message")
        # By id, not "me": for InputPeerSelf Pyrogram expects the server to
        # answer with full updates, and cannot read updateShortSentMessage.
        for i in range(rounds):
            await app.send_message(me.id, f"{TAG}{i}")
        at(step, "get_chat_history")
        texts = [m.text or "" async for m in app.get_chat_history("me", limit=100)]
        return f"{pyrogram.__name__} {pyrogram.__version__}", me.id, texts
    finally:
        await app.stop()


async def main():
    loopback_only()
    kind, session, api_id, api_hash, rounds = sys.argv[1:6]
    api_id, rounds = int(api_id), int(rounds)
    step = ["import"]
    library = kind
    try:
        if kind.startswith("telethon"):
            library, user_id, texts = await with_telethon(
                kind, session, api_id, api_hash, rounds, step)
        else:
            library, user_id, texts = await with_pyrogram(
                session, api_id, api_hash, rounds, step)
    except BaseException as e:  # reported, never raised: the Rust side asserts on it
        answer(ok=False, library=library, step=step[0],
               error=f"{type(e).__name__}: {e}")
        return
    answer(ok=True, library=library, user_id=user_id, sent=rounds,
           seen_own=sum(t.startswith(TAG) for t in texts),
           seen_hearth=sum(t.startswith("hearth ") for t in texts))


asyncio.run(main())
