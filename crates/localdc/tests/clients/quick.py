"""A client library from PyPI (Telethon of any layer, or Pyrogram, kurigram,
pyrofork) against a running localdc binary, on the layer that library speaks.

Usage: python3 quick.py LOCALDC_BINARY WORLD_FILE
Starts localdc on WORLD_FILE, teaches the library localdc's RSA key and DC
addresses, then runs each step and asserts its outcome; a failing step does
not stop the later ones. Prints one line per check and last "<library>
<version> (layer N): N passed, N failed"; exits non-zero on any failure.

The people each world provides are in CASTS, by the world file's name: a
sender, a receiver with a username, a 2FA account, and what the world's
history holds (its dialogs and a document in the sender's chat with the
receiver). tests/world/demo.toml is the project's demo world;
tests/clients/world-docs.toml was written from docs/world-format.md alone.

Steps: sign-in with a code after PHONE_MIGRATE (Telethon's sender starts on
the receiver's DC, Pyrogram's clients on DC 2); sign-in of the 2FA account
with its password (SRP); the world's dialogs and a document from its history;
a bot's sign-in with its token and its full profile (`users.getFullUser`,
which Pyrogram's forks send with an `inputPeerUser`); for Telethon, a QR
login the signed-in sender accepts (also pyrofork's); for Telethon on a world
with a number outside 99966XYYYY, its sign-in with the control port's code;
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

# Who each world provides. Test numbers 99966XYYYY live on DC X, code XXXXX.
CASTS = {
    "demo.toml": {
        "sender": {"phone": "9996621234", "first_name": "Alice", "dc": 2},
        "receiver": {"phone": "9996641111", "first_name": "Bob", "dc": 4,
                     "username": "bob_builder"},
        "twofa": {"phone": "9996625555", "first_name": "Carol", "dc": 2,
                  "password": "correct horse battery staple"},
        "bot": {"token": "7000001:AAHearthDemoBotSecretToken", "first_name": "Hearth Helper",
                "dc": 2, "username": "hearth_helper_bot"},
        "dialogs": ["Bob", "Hearth testers", "Hearth news", "Hearth lounge"],
        "document": ("notes.txt", "Hearth demo notes: localdc serves this file."),
    },
    "world-docs.toml": {
        "sender": {"phone": "9996631234", "first_name": "Dora", "dc": 3},
        "receiver": {"phone": "9996651111", "first_name": "Evan", "dc": 5,
                     "username": "evan_lights"},
        "twofa": {"phone": "9996617777", "first_name": "Fay", "dc": 1,
                  "password": "tulip garden gate 42"},
        # Not a test number: its code is random and read from the control port.
        "other": {"phone": "15550001234", "first_name": "Gus", "dc": 4},
        "bot": {"token": "7100042:AAweatherSecretToken", "first_name": "Weather", "dc": 1,
                "username": "weather_docs_bot"},
        "dialogs": ["Evan", "Weather", "Book club", "Trip notes", "Trip chat"],
        "document": ("itinerary.txt", "Day 1: lake\nDay 2: harbour\n"),
    },
}
CAST = None  # set in main() from the world file's name


def code(person):
    return str(person["dc"]) * 5

try:
    import telethon
    LIB = "telethon"
except ImportError:
    import pyrogram
    LIB = "pyrogram"


def loopback_only():
    """Refuses any connection but to loopback, so a library that would dial
    its built-in Telegram addresses fails here instead of leaving the machine."""
    import ipaddress
    import socket
    from asyncio import selector_events

    def check(address):
        host = address[0] if isinstance(address, tuple) else address
        try:
            ok = ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            ok = False
        if not ok:
            raise ConnectionRefusedError(f"quick.py: {host} is not loopback; only localdc may be dialled")

    connect = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return connect(self, address)

    socket.socket.connect = guarded_connect
    sock_connect = selector_events.BaseSelectorEventLoop.sock_connect

    async def guarded_sock_connect(self, sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return await sock_connect(self, sock, address)

    selector_events.BaseSelectorEventLoop.sock_connect = guarded_sock_connect


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


async def telethon_sign_in(info, person, dc_id):
    client = telethon_client(info, dc_id)
    await client.connect()
    await client.start(phone=person["phone"], code_callback=lambda: code(person))
    return client


async def telethon_world(alice, checks):
    """The world's dialogs, and its document read back from the history."""
    from telethon.tl.types import MessageMediaDocument
    titles = [d.name for d in await alice.get_dialogs()]
    checks.append((f"the world's dialogs ({', '.join(CAST['dialogs'])})",
                   all(t in titles for t in CAST["dialogs"])))
    name, text = CAST["document"]
    history = await alice.get_messages(CAST["receiver"]["username"], limit=20)
    doc = next((m for m in history if isinstance(m.media, MessageMediaDocument)
                and m.file and m.file.name == name), None)
    back = doc and await alice.download_media(doc, file=bytes)
    checks.append((f"the world's document {name} from history", back == text.encode()))


async def telethon_bot_and_qr(info, alice, checks):
    """A bot signs in with its token; a new client signs in by QR code, which
    the signed-in sender accepts (core.telegram.org/api/qr-login)."""
    from telethon.tl.functions.auth import AcceptLoginTokenRequest
    bot_cast = CAST["bot"]
    bot = telethon_client(info, 2)
    await bot.connect()
    try:
        await bot.sign_in(bot_token=bot_cast["token"])
        me = await bot.get_me()
        checks.append((f"bot sign-in with its token (home DC {bot_cast['dc']})",
                       me.bot and me.first_name == bot_cast["first_name"]
                       and bot.session.dc_id == bot_cast["dc"]))
    finally:
        await bot.disconnect()

    from telethon.tl.functions.users import GetFullUserRequest
    full = await alice(GetFullUserRequest(bot_cast["username"]))
    # Up to layer 133 the answer is the bare userFull holding the user.
    user = full.users[0] if hasattr(full, "full_user") else full.user
    full = getattr(full, "full_user", full)
    checks.append(("the bot's full profile (userFull with botInfo)",
                   full.bot_info is not None and user.first_name == bot_cast["first_name"]))

    scanner = telethon_client(info, 2)
    await scanner.connect()
    try:
        qr = await scanner.qr_login()
        await alice(AcceptLoginTokenRequest(token=qr.token))
        user = await qr.wait(15)
        me = await scanner.get_me()
        checks.append((f"QR login accepted by the sender (DC {CAST['sender']['dc']})",
                       user.id == me.id and me.first_name == CAST["sender"]["first_name"]))
    finally:
        await scanner.disconnect()


async def control(info, request):
    """One request to localdc's control port, its JSON answer."""
    host, port = info["control"].rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write((json.dumps(request) + "\n").encode())
    await writer.drain()
    answer = json.loads(await reader.readline())
    writer.close()
    return answer


async def telethon_other_number(info, checks):
    """A number outside 99966XYYYY signs in with the code the control port
    hands out (docs/world-format.md), on the DC its world entry names."""
    other = CAST.get("other")
    if not other:
        return
    client = telethon_client(info, other["dc"])
    await client.connect()
    try:
        await client.send_code_request(other["phone"])
        code = (await control(info, {"cmd": "code", "phone": other["phone"]}))["code"]
        await client.sign_in(phone=other["phone"], code=code)
        checks.append((f"a non-test number on DC {other['dc']} with the control port's code",
                       (await client.get_me()).first_name == other["first_name"]))
    finally:
        await client.disconnect()


async def telethon_steps(info, checks, workdir):
    from telethon import events
    sender, receiver, twofa = CAST["sender"], CAST["receiver"], CAST["twofa"]
    alice = await telethon_sign_in(info, sender, dc_id=receiver["dc"])
    try:
        me = await alice.get_me()
        checks.append((f"sign-in with a code after PHONE_MIGRATE_{sender['dc']} from DC {receiver['dc']}",
                       me.first_name == sender["first_name"] and alice.session.dc_id == sender["dc"]))
        carol = telethon_client(info, twofa["dc"])
        await carol.connect()
        try:
            await carol.sign_in(phone=twofa["phone"])
            try:
                await carol.sign_in(phone=twofa["phone"], code=code(twofa))
            except Exception as e:
                if type(e).__name__ != "SessionPasswordNeededError":
                    raise
            await carol.sign_in(password=twofa["password"])
            checks.append(("2FA: sign-in with the password (SRP)",
                           (await carol.get_me()).first_name == twofa["first_name"]))
        finally:
            await carol.disconnect()

        await telethon_world(alice, checks)
        await telethon_bot_and_qr(info, alice, checks)
        await telethon_other_number(info, checks)

        sent = await alice.send_message("me", "note to self")
        checks.append(("a message to Saved Messages", sent.id > 0 and sent.message == "note to self"))
        history = await alice.get_messages("me", limit=5)
        checks.append(("reading history", any(m.message == "note to self" for m in history)))

        bob = await telethon_sign_in(info, receiver, dc_id=sender["dc"])
        try:
            got = asyncio.get_running_loop().create_future()

            @bob.on(events.NewMessage(incoming=True))
            async def on_new(event):
                if not got.done():
                    got.set_result(event.message.message)

            await bob.get_dialogs()
            await alice.send_message(receiver["username"], "hello, live")
            text = await asyncio.wait_for(got, 15)
            checks.append(("a message to another user, received live", text == "hello, live"))
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


def pyrogram_client(name, person, password=None):
    from pyrogram import Client
    return Client(name, api_id=API_ID, api_hash=API_HASH, in_memory=True,
                  phone_number=person["phone"], phone_code=code(person), password=password,
                  no_updates=False)


async def pyrogram_world(alice, checks):
    """The world's dialogs, and its document read back from the history."""
    titles = []
    async for d in alice.get_dialogs():
        titles.append(d.chat.title or d.chat.first_name)
    checks.append((f"the world's dialogs ({', '.join(CAST['dialogs'])})",
                   all(t in titles for t in CAST["dialogs"])))
    name, text = CAST["document"]
    doc = None
    async for m in alice.get_chat_history(CAST["receiver"]["username"], limit=20):
        if m.document and m.document.file_name == name:
            doc = m
            break
    back = doc and await alice.download_media(doc, in_memory=True)
    checks.append((f"the world's document {name} from history",
                   back is not None and bytes(back.getbuffer()) == text.encode()))


async def pyrogram_qr(alice, checks):
    """pyrofork's QR login (`sign_in_qrcode`, which needs the qrcode
    package): the token is exported, the signed-in sender accepts it, and the
    second export answers the user (after a migration to the sender's DC)."""
    import contextlib
    from pyrogram import Client, raw
    if not hasattr(Client, "sign_in_qrcode"):
        return
    scanner = Client("scanner", api_id=API_ID, api_hash=API_HASH, in_memory=True)
    await scanner.connect()
    try:
        with contextlib.redirect_stdout(sys.stderr):  # it prints the QR code
            token = await scanner.sign_in_qrcode()
        await alice.invoke(raw.functions.auth.AcceptLoginToken(token=token.token))
        user = await scanner.sign_in_qrcode()
        me = await alice.get_me()
        checks.append((f"QR login accepted by the sender (DC {CAST['sender']['dc']})",
                       getattr(user, "id", None) == me.id
                       and user.first_name == CAST["sender"]["first_name"]))
    finally:
        await scanner.disconnect()


async def pyrogram_steps(info, checks, workdir):
    from pyrogram.handlers import MessageHandler
    sender, receiver, twofa = CAST["sender"], CAST["receiver"], CAST["twofa"]
    alice = pyrogram_client("alice", sender)
    await alice.start()
    try:
        me = await alice.get_me()
        how = "" if sender["dc"] == 2 else f" after PHONE_MIGRATE_{sender['dc']} from DC 2"
        checks.append((f"sign-in with a code{how}",
                       me.first_name == sender["first_name"] and await alice.storage.dc_id() == sender["dc"]))
        carol = pyrogram_client("carol", twofa, twofa["password"])
        await carol.start()
        try:
            checks.append(("2FA: sign-in with the password (SRP)",
                           (await carol.get_me()).first_name == twofa["first_name"]))
        finally:
            await carol.stop()

        await pyrogram_world(alice, checks)

        bot_cast = CAST["bot"]
        from pyrogram import Client
        bot = Client("bot", api_id=API_ID, api_hash=API_HASH, in_memory=True,
                     bot_token=bot_cast["token"], no_updates=True)
        await bot.start()
        try:
            me = await bot.get_me()
            checks.append((f"bot sign-in with its token (home DC {bot_cast['dc']})",
                           me.is_bot and me.first_name == bot_cast["first_name"]
                           and await bot.storage.dc_id() == bot_cast["dc"]))
        finally:
            await bot.stop()
        chat = await alice.get_chat(bot_cast["username"])
        checks.append(("the bot's full profile (userFull with botInfo)",
                       chat.type.name == "BOT" and chat.first_name == bot_cast["first_name"]))
        await pyrogram_qr(alice, checks)

        sent = await alice.send_message("me", "note to self")
        checks.append(("a message to Saved Messages", sent.id > 0 and sent.text == "note to self"))
        history = [m async for m in alice.get_chat_history("me", limit=5)]
        checks.append(("reading history", any(m.text == "note to self" for m in history)))

        bob = pyrogram_client("bob", receiver)
        got = asyncio.get_running_loop().create_future()

        async def on_new(client, message):
            if not got.done() and not message.outgoing:
                got.set_result(message.text)

        bob.add_handler(MessageHandler(on_new))
        await bob.start()
        try:
            checks.append((f"sign-in with a code after PHONE_MIGRATE_{receiver['dc']} from DC 2",
                           (await bob.get_me()).first_name == receiver["first_name"]
                           and await bob.storage.dc_id() == receiver["dc"]))
            await alice.send_message(receiver["username"], "hello, live")
            text = await asyncio.wait_for(got, 15)
            checks.append(("a message to another user, received live", text == "hello, live"))
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
    global CAST
    binary, world = sys.argv[1], sys.argv[2]
    CAST = CASTS[os.path.basename(world)]
    loopback_only()
    proc = subprocess.Popen([binary, "--world", world], stdout=subprocess.PIPE)
    checks = []
    name = LIB
    try:
        info = json.loads(proc.stdout.readline())
        version, layer = (telethon_setup if LIB == "telethon" else pyrogram_setup)(info)
        dist = os.environ.get("CLIENT_NAME", LIB)
        name = f"{dist} {version} (layer {layer}) on {os.path.basename(world)}"
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
