"""Another program using a session Hearth exported: Telethon or a Pyrogram
fork from PyPI, against localdc on loopback.

Usage: python3 tool.py LIBRARY SESSION API_ID API_HASH ROUNDS
  LIBRARY  telethon-file | telethon-string | pyrogram-file | pyrogram-string
  SESSION  the session file's path, or the string itself
  HEARTH_LOCALDC_ANNOUNCEMENT  localdc's announcement file (its DC table)

The client asks whom it is signed in as, sends ROUNDS messages "tool PID N" to
Saved Messages and reads that chat's history back, then prints one JSON line:
  {"ok": true, "library": "...", "user_id": ..., "bot": false, "sent": N,
   "seen_own": N, "seen_hearth": N}
A bot (which has no Saved Messages) only asks whom it is signed in as.
or {"ok": false, "library": "...", "error": "...", "step": "..."} - never a
traceback, so the Rust side reports what failed and where.
"""
import asyncio
import ipaddress
import json
import os
import socket
import sys
import tempfile


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


def localdc_endpoint(dc_id, media=False):
    """DC `dc_id`'s address in localdc's announcement (its first line)."""
    with open(os.environ["HEARTH_LOCALDC_ANNOUNCEMENT"]) as f:
        info = json.loads(f.readline())
    dcs = [d for d in info["dcs"] if d["id"] == dc_id]
    pick = next((d for d in dcs if d["media_only"] == media), None) or next(
        d for d in dcs if not d["media_only"])
    return pick["host"], pick["port"]


def pin_dc_table():
    """Points a Pyrogram fork's built-in DC table at localdc, so it never
    dials Telegram's addresses. Pyrogram 2.0 and pyrofork look every DC up in
    `DataCenter` (their session files and strings keep no address); kurigram
    keeps the address in its session file, but fills in its own production
    table for a session string, which the connection then dials."""
    try:
        from pyrogram.session.internals import data_center
    except ImportError:
        data_center = None
    if data_center is not None:
        def table(cls, dc_id, *args):
            return localdc_endpoint(dc_id, media=bool(args and args[-1]))

        data_center.DataCenter.__new__ = table
        return
    from pyrogram.connection import connection

    init = connection.Connection.__init__

    def to_localdc(self, dc_id, server_address, port, *args, **kwargs):
        if not ipaddress.ip_address(server_address).is_loopback:
            server_address, port = localdc_endpoint(dc_id, kwargs.get("media", False))
        init(self, dc_id, server_address, port, *args, **kwargs)

    connection.Connection.__init__ = to_localdc


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
        texts = []
        if not me.bot:
            at(step, "send_message")
            for i in range(rounds):
                await client.send_message("me", f"{TAG}{i}")
            at(step, "get_messages")
            history = await client.get_messages("me", limit=100)
            texts = [m.message or "" for m in history]
        return f"telethon {telethon.__version__}", me, texts
    finally:
        await client.disconnect()


async def with_pyrogram(kind, session, api_id, api_hash, rounds, step, workdir):
    import pyrogram
    from pyrogram import Client

    pin_dc_table()
    if kind == "pyrogram-string":
        app = Client("exported", api_id=api_id, api_hash=api_hash,
                     session_string=session, in_memory=True, workdir=workdir,
                     no_updates=True)
    else:
        workdir, name = os.path.split(session)
        name = name.removesuffix(".session")
        app = Client(name, api_id=api_id, api_hash=api_hash, workdir=workdir,
                     no_updates=True)
    at(step, "start")
    await app.start()
    try:
        at(step, "get_me")
        me = await app.get_me()
        texts = []
        if not me.is_bot:
            at(step, "send_message")
            # By id, not "me": for InputPeerSelf Pyrogram expects the server to
            # answer with full updates, and cannot read updateShortSentMessage.
            for i in range(rounds):
                await app.send_message(me.id, f"{TAG}{i}")
            at(step, "get_chat_history")
            texts = [m.text or "" async for m in app.get_chat_history("me", limit=100)]
        # The distribution's name: the three forks share the module name.
        from importlib import metadata
        name = next(d for d in ("kurigram", "pyrofork", "pyrogram")
                    if _installed(metadata, d))
        me.bot = me.is_bot
        return f"{name} {pyrogram.__version__}", me, texts
    finally:
        await app.stop()


def _installed(metadata, name):
    try:
        metadata.version(name)
        return True
    except metadata.PackageNotFoundError:
        return False


async def main():
    loopback_only()
    kind, session, api_id, api_hash, rounds = sys.argv[1:6]
    api_id, rounds = int(api_id), int(rounds)
    step = ["import"]
    library = kind
    try:
        if kind.startswith("telethon"):
            library, me, texts = await with_telethon(
                kind, session, api_id, api_hash, rounds, step)
        else:
            with tempfile.TemporaryDirectory() as workdir:
                library, me, texts = await with_pyrogram(
                    kind, session, api_id, api_hash, rounds, step, workdir)
    except BaseException as e:  # reported, never raised: the Rust side asserts on it
        answer(ok=False, library=library, step=step[0],
               error=f"{type(e).__name__}: {e}")
        return
    answer(ok=True, library=library, user_id=me.id, bot=bool(me.bot),
           sent=0 if me.bot else rounds,
           seen_own=sum(t.startswith(TAG) for t in texts),
           seen_hearth=sum(t.startswith("hearth ") for t in texts))


asyncio.run(main())
