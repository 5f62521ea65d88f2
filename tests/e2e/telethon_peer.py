"""A Telethon client (from PyPI) that the app's end-to-end test drives as a
second device on the app's built-in Local test network.

Usage: python3 telethon_peer.py ANNOUNCEMENT_JSON

ANNOUNCEMENT_JSON is `<data dir>/localdc/announcement.json`, which the app
writes while its Local test network runs (DC ports and RSA public key). The
peer adds that key to Telethon's key table, then reads one JSON command per
line on stdin and answers each with one JSON line on stdout (logs go to
stderr):

  {"cmd": "sign_in", "phone": "9996621234", "device": "…"}
      signs in with the test number's code (99966XYYYY: DC X, code X five
      times) -> {"ok": true, "user_id": …, "first_name": …, "dc": X}
  {"cmd": "accept_login_token", "url": "tg://login?token=…"}
      auth.acceptLoginToken for a QR code shown elsewhere
      -> {"ok": true, "hash": …, "device": …}
  {"cmd": "sign_in", …, "updates": true}
      the same, receiving updates, so the wait_* commands below see them
  {"cmd": "sign_in", …, "session_file": "/path/bob.session"}
      the same, keeping the session in Telethon's SQLite session file, as a
      script would (for the import test)
  {"cmd": "disconnect"}
      stops using the session (the file is closed) -> {"ok": true}
  {"cmd": "send", "to": "alice", "text": "…"} -> {"ok": true, "id": …}
  {"cmd": "send_many", "to": "alice", "texts": […]} -> {"ok": true, "ids": […]}
  {"cmd": "send_chat_photo", "from": "alice", "to": "@bot", "caption": "…"}
      sends the newest photo of the chat with "from" to "to" again (an
      inputMediaPhoto with this account's access hash) -> {"ok": true,
      "id": …, "photo": {"id": "…", "access_hash": "…", "file_reference": hex,
      "dc_id": …, "largest": "y"}} as this account sees the sent photo (ids as
      decimal strings: they use all 64 bits)
  {"cmd": "edit", "to": "alice", "id": …, "text": "…"}
  {"cmd": "delete", "to": "alice", "ids": […]}  (for both sides)
  {"cmd": "read", "to": "alice"}  marks the chat read (the sender sees it)
  {"cmd": "wait_new", "text": "…", "timeout": 30}
      waits for an incoming message with this text (plain, entities
      stripped) -> {"ok": true, "id": …, "entities": ["MessageEntityBold", …]}
  {"cmd": "wait_edit", "id": …, "timeout": 30} -> {"ok": true, "text": …}
  {"cmd": "wait_delete", "id": …, "timeout": 30} -> {"ok": true}
  {"cmd": "get_state"}
      updates.getState -> {"ok": true, "pts": …}; a failed call answers
      {"ok": false, "error": "AUTH_KEY_UNREGISTERED", "type": "…"}
  {"cmd": "quit"}

Any failure is answered, never raised: {"ok": false, "error": NAME, …}.
"""
import asyncio
import base64
import json
import sys
import warnings

from telethon import TelegramClient, errors, events, functions
from telethon.crypto import rsa
from telethon.errors.rpcerrorlist import rpc_errors_dict
from telethon.network import ConnectionTcpFull
from telethon.sessions import MemorySession, SQLiteSession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"


def answer(**fields):
    print(json.dumps(fields), flush=True)


def endpoint(info, dc_id):
    d = next(d for d in info["dcs"] if d["id"] == dc_id and not d["media_only"])
    return d["host"], d["port"]


def login_token(url):
    """The token bytes of a tg://login?token=<base64url> URL (padding optional)."""
    prefix = "tg://login?token="
    if not url.startswith(prefix):
        raise ValueError(f"not a login URL: {url!r}")
    raw = url[len(prefix):]
    return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))


# Telethon raises one class per known RPC error; its `message` is the
# generic one of the code (e.g. UNAUTHORIZED), so name it from the table.
ERROR_NAMES = {cls: name for name, cls in rpc_errors_dict.items()}


def error_name(e):
    if isinstance(e, errors.RPCError):
        return ERROR_NAMES.get(type(e), e.message)
    return type(e).__name__


class Peer:
    def __init__(self, info):
        self.info = info
        self.client = None
        # What arrived live (with "updates": true): (kind, message or ids).
        self.seen = []

    async def sign_in(self, phone, device, updates=False, session_file=None):
        digits = phone.lstrip("+")
        dc_id = int(digits[5])
        session = SQLiteSession(session_file) if session_file else MemorySession()
        session.set_dc(dc_id, *endpoint(self.info, dc_id))
        self.client = TelegramClient(session, API_ID, API_HASH, connection=ConnectionTcpFull,
                                     device_model=device, app_version="e2e peer",
                                     receive_updates=updates)
        if updates:
            self.client.add_event_handler(lambda e: self.seen.append(("new", e.message)), events.NewMessage(incoming=True))
            self.client.add_event_handler(lambda e: self.seen.append(("edit", e.message)), events.MessageEdited())
            self.client.add_event_handler(lambda e: self.seen.append(("delete", e.deleted_ids)), events.MessageDeleted())
        await self.client.connect()
        await self.client.sign_in(phone=digits)
        await self.client.sign_in(phone=digits, code=str(dc_id) * 5)
        me = await self.client.get_me()
        if updates:
            # Fetches the update state, so what follows arrives live.
            await self.client.catch_up()
        return dict(user_id=me.id, first_name=me.first_name, dc=self.client.session.dc_id)

    async def accept_login_token(self, url):
        auth = await self.client(functions.auth.AcceptLoginTokenRequest(token=login_token(url)))
        return dict(hash=str(auth.hash), device=auth.device_model, app=auth.app_name)

    async def get_state(self):
        state = await self.client(functions.updates.GetStateRequest())
        return dict(pts=state.pts)

    async def send(self, to, text):
        m = await self.client.send_message(to, text)
        return dict(id=m.id)

    async def send_many(self, to, texts):
        ids = [(await self.client.send_message(to, t)).id for t in texts]
        return dict(ids=ids)

    async def send_chat_photo(self, source, to, caption):
        found = [m async for m in self.client.iter_messages(source, limit=100) if m.photo]
        if not found:
            raise LookupError(f"no photo in the chat with {source}")
        m = await self.client.send_file(to, found[0].photo, caption=caption)
        p = m.photo
        sizes = [s for s in p.sizes if hasattr(s, "w") and hasattr(s, "size") or hasattr(s, "sizes")]
        largest = max(sizes, key=lambda s: s.w * s.h).type if sizes else None
        return dict(id=m.id, photo=dict(id=str(p.id), access_hash=str(p.access_hash),
                                        file_reference=p.file_reference.hex(), dc_id=p.dc_id,
                                        largest=largest))

    async def edit(self, to, id, text):
        await self.client.edit_message(to, id, text)
        return {}

    async def delete(self, to, ids):
        await self.client.delete_messages(to, ids, revoke=True)
        return {}

    async def read(self, to):
        await self.client.send_read_acknowledge(to)
        return {}

    async def wait_for(self, match, timeout):
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for kind, item in self.seen:
                found = match(kind, item)
                if found is not None:
                    return found
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"nothing matched in {timeout} s; seen {[(k, getattr(i, 'message', i)) for k, i in self.seen]}")
            await asyncio.sleep(0.1)

    async def wait_new(self, text, timeout):
        def match(kind, m):
            if kind == "new" and m.message == text:
                return dict(id=m.id, entities=[type(e).__name__ for e in (m.entities or [])])
        return await self.wait_for(match, timeout)

    async def wait_edit(self, id, timeout):
        def match(kind, m):
            if kind == "edit" and m.id == id:
                return dict(text=m.message)
        return await self.wait_for(match, timeout)

    async def wait_delete(self, id, timeout):
        def match(kind, ids):
            if kind == "delete" and id in ids:
                return {}
        return await self.wait_for(match, timeout)

    async def disconnect(self):
        await self.client.disconnect()
        return {}

    async def close(self):
        if self.client is not None:
            await self.client.disconnect()


async def serve(info):
    peer = Peer(info)
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            try:
                command = json.loads(line)
                name = command.get("cmd")
                if name == "quit":
                    answer(ok=True)
                    return
                if peer.client is None and name != "sign_in":
                    raise RuntimeError("sign_in first")
                if name == "sign_in":
                    result = await peer.sign_in(command["phone"], command.get("device", "Telethon"),
                                                command.get("updates", False), command.get("session_file"))
                elif name == "accept_login_token":
                    result = await peer.accept_login_token(command["url"])
                elif name == "send":
                    result = await peer.send(command["to"], command["text"])
                elif name == "send_many":
                    result = await peer.send_many(command["to"], command["texts"])
                elif name == "send_chat_photo":
                    result = await peer.send_chat_photo(command["from"], command["to"], command.get("caption", ""))
                elif name == "edit":
                    result = await peer.edit(command["to"], command["id"], command["text"])
                elif name == "delete":
                    result = await peer.delete(command["to"], command["ids"])
                elif name == "read":
                    result = await peer.read(command["to"])
                elif name in ("wait_new", "wait_edit", "wait_delete"):
                    key = "text" if name == "wait_new" else "id"
                    result = await getattr(peer, name)(command[key], command.get("timeout", 30))
                elif name == "disconnect":
                    result = await peer.disconnect()
                elif name == "get_state":
                    result = await peer.get_state()
                else:
                    raise ValueError(f"unknown command {name!r}")
                answer(ok=True, **result)
            except Exception as e:  # answered, so the test can assert on it
                answer(ok=False, error=error_name(e), type=type(e).__name__, message=str(e))
    finally:
        await peer.close()


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        info = json.load(f)
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    # Telethon warns that cryptg is missing; speed does not matter here.
    warnings.simplefilter("ignore")
    asyncio.run(serve(info))


main()
