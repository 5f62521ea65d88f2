"""A client library from PyPI (Telethon of any layer, or Pyrogram, kurigram,
pyrofork) against a running localdc binary, on the layer that library speaks.

Usage: python3 quick.py LOCALDC_BINARY WORLD_FILE
Starts localdc, teaches the library localdc's RSA key and DC addresses, then
runs each step and asserts its outcome; a failing step does not stop the
later ones. Prints one line per check and last "<library> <version> (layer
N): N passed, N failed"; exits non-zero on any failure.

Steps: sign-in with a code after PHONE_MIGRATE (Telethon's alice starts on
DC 4, Pyrogram's bob on DC 2); sign-in of the 2FA account with its password (SRP);
a message to Saved Messages (Pyrogram's forks fail on anything but a full
`updates` answer there); a message to another account whose own client gets
it live; reading history; a file round trip through Saved Messages.
"""
import asyncio
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"
ALICE, BOB, CAROL = "9996621234", "9996641111", "9996625555"
PASSWORD = "correct horse battery staple"

try:
    import telethon
    LIB = "telethon"
except ImportError:
    import pyrogram
    LIB = "pyrogram"


def der_integers(der):
    """The INTEGERs of a PKCS#1 RSAPublicKey (or the one inside an SPKI)."""
    out, i = [], 0

    def length(j):
        first = der[j]
        if first < 0x80:
            return first, j + 1
        n = first & 0x7F
        return int.from_bytes(der[j + 1:j + 1 + n], "big"), j + 1 + n

    while i < len(der):
        tag = der[i]
        size, start = length(i + 1)
        if tag == 0x30:  # SEQUENCE: read inside
            i = start
            continue
        if tag == 0x03:  # BIT STRING (SPKI): an RSAPublicKey after one byte
            return der_integers(der[start + 1:start + size])
        if tag == 0x02:
            out.append(int.from_bytes(der[start:start + size], "big"))
        i = start + size
    return out


def endpoint(info, dc_id, media=False):
    dcs = [d for d in info["dcs"] if d["id"] == dc_id]
    pick = next((d for d in dcs if d["media_only"] == media), None) or next(
        d for d in dcs if not d["media_only"])
    return pick["host"], pick["port"]


# --- Telethon -------------------------------------------------------------

def telethon_setup(info):
    from telethon.crypto import rsa
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    from telethon.tl.alltlobjects import LAYER
    return telethon.__version__, LAYER


def telethon_client(info, dc_id):
    from telethon import TelegramClient
    from telethon.sessions import MemorySession
    session = MemorySession()
    session.set_dc(dc_id, *endpoint(info, dc_id))
    return TelegramClient(session, API_ID, API_HASH)


async def telethon_sign_in(info, phone, dc_id=2):
    client = telethon_client(info, dc_id)
    await client.connect()
    home = {ALICE: 2, BOB: 4}[phone]
    await client.start(phone=phone, code_callback=lambda: str(home) * 5)
    return client


async def telethon_steps(info, checks, workdir):
    from telethon import events
    alice = await telethon_sign_in(info, ALICE, dc_id=4)
    try:
        me = await alice.get_me()
        checks.append(("sign-in with a code after PHONE_MIGRATE_2 from DC 4",
                       me.first_name == "Alice" and alice.session.dc_id == 2))
        carol = telethon_client(info, 2)
        await carol.connect()
        try:
            await carol.sign_in(phone=CAROL)
            try:
                await carol.sign_in(phone=CAROL, code="22222")
            except Exception as e:
                if type(e).__name__ != "SessionPasswordNeededError":
                    raise
            await carol.sign_in(password=PASSWORD)
            checks.append(("2FA: sign-in with the password (SRP)",
                           (await carol.get_me()).first_name == "Carol"))
        finally:
            await carol.disconnect()

        sent = await alice.send_message("me", "note to self")
        checks.append(("a message to Saved Messages", sent.id > 0 and sent.message == "note to self"))
        history = await alice.get_messages("me", limit=5)
        checks.append(("reading history", any(m.message == "note to self" for m in history)))

        bob = await telethon_sign_in(info, BOB, dc_id=4)
        try:
            got = asyncio.get_running_loop().create_future()

            @bob.on(events.NewMessage(incoming=True))
            async def on_new(event):
                if not got.done():
                    got.set_result(event.message.message)

            await bob.get_dialogs()
            await alice.send_message("bob_builder", "hello bob, live")
            text = await asyncio.wait_for(got, 15)
            checks.append(("a message to another user, received live", text == "hello bob, live"))
        finally:
            await bob.disconnect()

        path = os.path.join(workdir, "round.bin")
        data = os.urandom(300_000)
        open(path, "wb").write(data)
        msg = await alice.send_file("me", path, force_document=True)
        back = await alice.download_media(msg, file=bytes)
        checks.append(("a file round trip", hashlib.sha256(back).digest() == hashlib.sha256(data).digest()))
    finally:
        await alice.disconnect()


# --- Pyrogram and its forks -----------------------------------------------

def pyrogram_setup(info):
    from pyrogram.crypto import rsa
    pem = info["rsa_public_key_pem"]
    body = "".join(l for l in pem.splitlines() if not l.startswith("-----"))
    n, e = der_integers(base64.b64decode(body))[:2]
    rsa.server_public_keys[int(info["rsa_fingerprint"])] = rsa.PublicKey(n, e)

    try:
        from pyrogram.session.internals import data_center
    except ImportError:
        # kurigram 2.2 asks help.getConfig for addresses, after a first
        # connection to Telegram's DC 2 that goes to localdc's instead.
        from pyrogram.connection.transport.tcp import TCP
        connect = TCP.connect

        async def to_localdc(self, address):
            if not address[0].startswith("127."):
                address = endpoint(info, 2)
            return await connect(self, address)

        TCP.connect = to_localdc
    else:
        def new(cls, dc_id, *args):
            return endpoint(info, dc_id, media=bool(args and args[-1]))

        data_center.DataCenter.__new__ = new
    from pyrogram.raw.all import layer
    return pyrogram.__version__, layer


def pyrogram_client(name, phone, code, password=None):
    from pyrogram import Client
    return Client(name, api_id=API_ID, api_hash=API_HASH, in_memory=True,
                  phone_number=phone, phone_code=code, password=password, no_updates=False)


async def pyrogram_steps(info, checks, workdir):
    from pyrogram.handlers import MessageHandler
    alice = pyrogram_client("alice", ALICE, "22222")
    await alice.start()
    try:
        me = await alice.get_me()
        checks.append(("sign-in with a code", me.first_name == "Alice"))
        carol = pyrogram_client("carol", CAROL, "22222", PASSWORD)
        await carol.start()
        try:
            checks.append(("2FA: sign-in with the password (SRP)",
                           (await carol.get_me()).first_name == "Carol"))
        finally:
            await carol.stop()

        sent = await alice.send_message("me", "note to self")
        checks.append(("a message to Saved Messages", sent.id > 0 and sent.text == "note to self"))
        history = [m async for m in alice.get_chat_history("me", limit=5)]
        checks.append(("reading history", any(m.text == "note to self" for m in history)))

        bob = pyrogram_client("bob", BOB, "44444")
        got = asyncio.get_running_loop().create_future()

        async def on_new(client, message):
            if not got.done() and not message.outgoing:
                got.set_result(message.text)

        bob.add_handler(MessageHandler(on_new))
        await bob.start()
        try:
            checks.append(("sign-in with a code after PHONE_MIGRATE_4 from DC 2",
                           (await bob.get_me()).first_name == "Bob" and await bob.storage.dc_id() == 4))
            await alice.send_message("bob_builder", "hello bob, live")
            text = await asyncio.wait_for(got, 15)
            checks.append(("a message to another user, received live", text == "hello bob, live"))
        finally:
            await bob.stop()

        path = os.path.join(workdir, "round.bin")
        data = os.urandom(300_000)
        open(path, "wb").write(data)
        msg = await alice.send_document("me", path)
        back = await alice.download_media(msg, in_memory=True)
        back = bytes(back.getbuffer())
        checks.append(("a file round trip", hashlib.sha256(back).digest() == hashlib.sha256(data).digest()))
    finally:
        await alice.stop()


async def scenario(info, checks, workdir):
    steps = telethon_steps if LIB == "telethon" else pyrogram_steps
    try:
        await asyncio.wait_for(steps(info, checks, workdir), 180)
    except Exception as e:  # a step that raises counts as one failed check
        checks.append((f"raised {type(e).__name__}: {e}", False))


def main():
    binary, world = sys.argv[1], sys.argv[2]
    proc = subprocess.Popen([binary, "--world", world], stdout=subprocess.PIPE)
    checks = []
    name = LIB
    try:
        info = json.loads(proc.stdout.readline())
        version, layer = (telethon_setup if LIB == "telethon" else pyrogram_setup)(info)
        dist = os.environ.get("CLIENT_NAME", LIB)
        name = f"{dist} {version} (layer {layer})"
        with tempfile.TemporaryDirectory() as workdir:
            asyncio.run(scenario(info, checks, workdir))
    except Exception as e:  # any failure counts as one failed check
        checks.append((f"scenario raised {type(e).__name__}: {e}", False))
    finally:
        proc.terminate()
        proc.wait(10)
    for check, ok in checks:
        print(("ok   " if ok else "FAIL ") + check)
    passed = sum(1 for _, ok in checks if ok)
    failed = len(checks) - passed
    print(f"{name}: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not checks else 0)


main()
