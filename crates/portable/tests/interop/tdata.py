"""Telegram Desktop tdata made by opentele (from PyPI) for accounts that
Telethon signed in to a running localdc: the fixture of hearth-cli's
`keyring_tdata` test (run by crates/portable/tests/interop/run.sh).

    python3 tdata.py ANNOUNCEMENT OUT

ANNOUNCEMENT is localdc's announcement file (its DCs on loopback and its RSA
key). Alice and Bob of the demo world sign in with their codes; opentele
converts both sessions (the same keys, UseCurrentSession) into one tdata
folder without a passcode (OUT/plain) and one with the passcode
OUT/passcode.txt holds (OUT/locked); OUT/accounts.json lists user id, DC and
key of each. Only loopback is contacted.
"""

import asyncio
import json
import sys
from pathlib import Path

from opentele.api import APIData, UseCurrentSession
from opentele.td import Account, TDesktop
from opentele.tl import TelegramClient
from telethon.crypto import rsa
from telethon.sessions import MemorySession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"
PEOPLE = [("9996621234", "22222"), ("9996641111", "44444")]
PASSCODE = "correct passcode 42"


# A plain APIData: opentele compares APIs by exact type, and its own presets
# (subclasses) recurse forever when set on a TDesktop and its accounts.
API = APIData(api_id=API_ID, api_hash=API_HASH, device_model="tdata fixture",
              system_version="Linux", app_version="4.6.5", lang_code="en",
              system_lang_code="en", lang_pack="tdesktop")


async def signed_in(info, phone, code):
    d = next(d for d in info["dcs"] if d["id"] == 2 and not d["media_only"])
    session = MemorySession()
    session.set_dc(2, d["host"], d["port"])
    client = TelegramClient(session, api=API)
    await client.connect()
    await client.start(phone=phone, code_callback=lambda: code)
    me = await client.get_me()
    return client, me


async def main():
    info = json.loads(Path(sys.argv[1]).read_text().splitlines()[0])
    out = Path(sys.argv[2])
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    clients, listed = [], []
    for phone, code in PEOPLE:
        client, me = await signed_in(info, phone, code)
        clients.append(client)
        listed.append({"phone": phone, "user_id": me.id, "dc_id": client.session.dc_id,
                       "auth_key": client.session.auth_key.key.hex()})
    tdesk = await TDesktop.FromTelethon(clients[0], flag=UseCurrentSession, api=API)
    for client in clients[1:]:
        await Account.FromTelethon(client, flag=UseCurrentSession, api=API, owner=tdesk)
    tdesk.SaveTData(str(out / "plain"))
    tdesk.SaveTData(str(out / "locked"), passcode=PASSCODE)
    for client in clients:
        await client.disconnect()
    (out / "passcode.txt").write_text(PASSCODE)
    (out / "accounts.json").write_text(json.dumps(listed))


asyncio.run(main())
