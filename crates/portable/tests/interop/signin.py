"""A session a real library from PyPI leaves behind: the fixture of
hearth-cli's `keyring_libraries` test (run by crates/portable/tests/interop/run.sh).

    python3 signin.py LIB ANNOUNCEMENT OUT PHONE CODE [PASSWORD]

LIB is `telethon`, or the name of a Pyrogram fork (kurigram, pyrofork: they
install the `pyrogram` module). The library learns localdc's RSA key and DC
addresses from the ANNOUNCEMENT file, signs PHONE in with CODE (and the 2FA
PASSWORD), makes a call (a message to Saved Messages), saves its session both
as its own SQLite file (OUT/telethon.session or OUT/pyrogram.session) and as
a string (OUT/string.txt), and stops. OUT/made.json holds the library's name
and version, user id, DC and key. Only loopback is contacted: kurigram's
first connection, to Telegram's DC 2, is sent to localdc's DC 2 instead.
"""

import asyncio
import base64
import json
import sys
from pathlib import Path

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"


def der_integers(der):
    """The INTEGERs of a PKCS#1 RSAPublicKey (or the one inside an SPKI)."""
    out, i = [], 0

    def length(j):
        if der[j] < 0x80:
            return der[j], j + 1
        n = der[j] & 0x7F
        return int.from_bytes(der[j + 1:j + 1 + n], "big"), j + 1 + n

    while i < len(der):
        tag = der[i]
        size, start = length(i + 1)
        if tag == 0x30:
            i = start
            continue
        if tag == 0x03:
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


async def telethon_session(lib, info, out, phone, code, password):
    import telethon
    from telethon import TelegramClient
    from telethon.crypto import rsa
    from telethon.sessions import StringSession

    rsa.add_key(info["rsa_public_key_pem"], old=False)
    client = TelegramClient(str(out / "telethon"), API_ID, API_HASH)
    client.session.set_dc(2, *endpoint(info, 2))
    await client.connect()
    await client.start(phone=phone, code_callback=lambda: code, password=password)
    me = await client.get_me()
    sent = await client.send_message("me", "made by Telethon")
    assert sent.id > 0
    session = client.session
    made = {"library": f"{lib} {telethon.__version__}", "user_id": me.id,
            "dc_id": session.dc_id, "auth_key": session.auth_key.key.hex()}
    string = StringSession.save(session)
    await client.disconnect()
    return made, string


async def pyrogram_session(lib, info, out, phone, code, password):
    import pyrogram
    from pyrogram import Client
    from pyrogram.crypto import rsa

    body = "".join(l for l in info["rsa_public_key_pem"].splitlines() if not l.startswith("-----"))
    n, e = der_integers(base64.b64decode(body))[:2]
    rsa.server_public_keys[int(info["rsa_fingerprint"])] = rsa.PublicKey(n, e)
    try:
        from pyrogram.session.internals import data_center
    except ImportError:
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
    client = Client("pyrogram", api_id=API_ID, api_hash=API_HASH, workdir=str(out),
                    phone_number=phone, phone_code=code, password=password)
    await client.start()
    me = await client.get_me()
    sent = await client.send_message("me", "made by Pyrogram")
    assert sent.id > 0
    made = {"library": f"{lib} {pyrogram.__version__}", "user_id": me.id,
            "dc_id": await client.storage.dc_id(),
            "auth_key": (await client.storage.auth_key()).hex()}
    string = await client.export_session_string()
    await client.stop()
    return made, string


async def main():
    lib, ann, out, phone, code = sys.argv[1:6]
    password = sys.argv[6] if len(sys.argv) > 6 else None
    info = json.loads(Path(ann).read_text().splitlines()[0])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    make = telethon_session if lib == "telethon" else pyrogram_session
    made, string = await asyncio.wait_for(make(lib, info, out, phone, code, password), 120)
    (out / "string.txt").write_text(string)
    (out / "made.json").write_text(json.dumps(made))


asyncio.run(main())
