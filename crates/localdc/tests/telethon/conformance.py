"""Telethon (from PyPI) conformance against a running localdc binary.

Usage: python3 conformance.py LOCALDC_BINARY WORLD_FILE
Starts localdc, adds its RSA key to Telethon's key table, points Telethon's
session at localdc's DC addresses, then runs each step below and asserts
its outcome. A failing step does not stop the later ones. Prints one line
per check and last "telethon: N passed, N failed"; exits non-zero on any
failure.

Steps: auth-key exchange and help.getConfig; sign-in of a test number with
its code, first contacting a DC that is not the number's home (PHONE_MIGRATE
recovery); sign-in of the 2FA account with its password (SRP); a bot login;
a message to Saved Messages and one to another account whose own client gets
it live, with getState/getDifference agreeing; iterating dialogs; resolving the
public channel by username, iterating its posts, listing the channel and the
supergroup among the dialogs, a live supergroup post, joining the channel and
a live post there; a message,
an edit and a revoked deletion in the demo basic group reaching another
member's client live, unread counts and read marks, and
messages.getFullChat; uploading and
downloading a 5 MB file byte for byte; photos: every size of a world photo,
its stripped thumbnail, a photo upload, references expired through the
control port and renewed by refetching the message; recovering from a FLOOD_WAIT set
through the control port; a fresh key over every Telethon transport; QR login
accepted by another signed-in client; downloading a file that lives on
another DC (auth.exportAuthorization/importAuthorization); listing
authorizations and ending a second client with account.resetAuthorization; 20
rounds through localdc's MTProxy endpoint (dd secret, randomized intermediate):
fresh key, help.getConfig, sign-in and a message, each round with a deadline
so a hang fails the step instead of stalling it.
"""
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import warnings

from telethon import TelegramClient, functions
from telethon.network import (
    ConnectionTcpAbridged,
    ConnectionTcpFull,
    ConnectionTcpIntermediate,
    ConnectionTcpObfuscated,
    ConnectionTcpMTProxyRandomizedIntermediate,
)
from telethon.crypto import rsa
from telethon.sessions import MemorySession

API_ID, API_HASH = 12345, "0123456789abcdef0123456789abcdef"


def endpoint(info, dc_id):
    d = next(d for d in info["dcs"] if d["id"] == dc_id and not d["media_only"])
    return d["host"], d["port"]


def client_for(info, dc_id, connection=ConnectionTcpFull, **kwargs):
    session = MemorySession()
    session.set_dc(dc_id, *endpoint(info, dc_id))
    return TelegramClient(session, API_ID, API_HASH, connection=connection, **kwargs)


async def step_config(info, checks):
    client = client_for(info, 2)
    try:
        await client.connect()
        cfg = await client(functions.help.GetConfigRequest())
        ports = {(d["id"], d["port"], d["media_only"]) for d in info["dcs"]}
        got = {(o.id, o.port, bool(o.media_only)) for o in cfg.dc_options}
        checks.append(("auth key exchange; help.getConfig lists localdc's endpoints",
                       cfg.this_dc == 2 and got == ports))
        nearest = await client(functions.help.GetNearestDcRequest())
        checks.append(("help.getNearestDc names this DC", nearest.this_dc == 2))
    finally:
        await client.disconnect()


async def step_phone_migrate(info, checks):
    # alice (9996621234) lives on DC 2; Telethon first contacts DC 4.
    client = client_for(info, 4)
    try:
        await client.connect()
        await client.start(phone="9996621234", code_callback=lambda: "22222")
        me = await client.get_me()
        checks.append(("sign-in with code after PHONE_MIGRATE_2 from DC 4",
                       me.first_name == "Alice" and me.phone == "9996621234"
                       and client.session.dc_id == 2))
    finally:
        await client.disconnect()


async def step_two_factor(info, checks):
    client = client_for(info, 2)
    try:
        await client.connect()
        try:
            await client.sign_in(phone="9996625555")
            await client.sign_in(phone="9996625555", code="22222")
            wrong_refused = False
        except Exception as e:  # SessionPasswordNeededError is expected
            wrong_refused = type(e).__name__ == "SessionPasswordNeededError"
        try:
            await client.sign_in(password="not the password")
            bad_password = False
        except Exception as e:
            bad_password = type(e).__name__ == "PasswordHashInvalidError"
        await client.sign_in(password="correct horse battery staple")
        me = await client.get_me()
        checks.append(("2FA: SESSION_PASSWORD_NEEDED after the code", wrong_refused))
        checks.append(("2FA: a wrong password is PASSWORD_HASH_INVALID", bad_password))
        checks.append(("2FA: sign-in with the password (SRP)", me.first_name == "Carol"))
    finally:
        await client.disconnect()


async def step_bot(info, checks):
    client = client_for(info, 2)
    try:
        await client.connect()
        try:
            await client.sign_in(bot_token="7000001:not-the-token")
            bad_token = False
        except Exception as e:
            bad_token = type(e).__name__ == "AccessTokenInvalidError"
        await client.sign_in(bot_token="7000001:AAHearthDemoBotSecretToken")
        me = await client.get_me()
        checks.append(("bot: a wrong token is ACCESS_TOKEN_INVALID", bad_token))
        checks.append(("bot: login with its token", me.bot and me.username == "hearth_helper_bot"))
    finally:
        await client.disconnect()


async def signed_in(info, phone, dc_id=2, **kwargs):
    client = client_for(info, dc_id, **kwargs)
    await client.connect()
    await client.start(phone=phone, code_callback=lambda: str(dc_id) * 5)
    return client


async def step_messages(info, checks):
    from telethon import events
    alice = await signed_in(info, "9996621234")
    bob = await signed_in(info, "9996641111", 4)
    try:
        me = await alice.send_message("me", "note to self")
        saved = await alice.get_messages("me", limit=1)
        checks.append(("send a message to Saved Messages",
                       me.id > 0 and saved and saved[0].message == "note to self"))
        got = asyncio.get_running_loop().create_future()

        @bob.on(events.NewMessage(incoming=True))
        async def on_new(event):
            if not got.done():
                got.set_result(event.message)

        bob_entity = await alice.get_entity("bob_builder")
        full = await alice(functions.users.GetFullUserRequest(bob_entity))
        checks.append(("contacts.resolveUsername and users.getFullUser",
                       full.full_user.id == bob_entity.id and bob_entity.first_name == "Bob"))
        sent = await alice.send_message(bob_entity, "hello bob, live")
        live = await asyncio.wait_for(got, 10)
        alice_id = (await alice.get_me()).id
        checks.append(("another account's client receives the message live (updateShortMessage)",
                       live.message == "hello bob, live" and live.sender_id == alice_id and sent.out))
        state = await bob(functions.updates.GetStateRequest())
        checks.append(("updates.getState pts counts the new message", state.pts == 2))
        diff = await bob(functions.updates.GetDifferenceRequest(pts=1, date=state.date, qts=0))
        checks.append(("updates.getDifference returns it",
                       [m.message for m in getattr(diff, "new_messages", [])] == ["hello bob, live"]))
        dialogs = [d async for d in alice.iter_dialogs()]
        # Alice signed in before this step, so, as on Telegram, the login code of this
        # sign-in reached her earlier session from the service account 777000.
        service = [d for d in dialogs if d.id == 777000]
        names = [d.name for d in dialogs if d.id != 777000]
        checks.append(("iterate dialogs (private chats first, then the demo's groups and channels: only history)",
                       names[:2] == ["Bob", "Alice Liddell"]
                       and sorted(names[2:]) == ["Hearth lounge", "Hearth news", "Hearth testers"]
                       and all("Login code" in (d.message.message or "") for d in service)))
    finally:
        await alice.disconnect()
        await bob.disconnect()


async def step_groups(info, checks):
    from telethon import events
    alice = await signed_in(info, "9996621234")
    bob = await signed_in(info, "9996641111", 4)
    try:
        loop = asyncio.get_running_loop()
        got, edited, deleted = loop.create_future(), loop.create_future(), loop.create_future()

        @bob.on(events.NewMessage(incoming=True))
        async def on_new(event):
            if event.is_group and not got.done():
                got.set_result(event.message)

        @bob.on(events.MessageEdited)
        async def on_edit(event):
            if not edited.done():
                edited.set_result(event.message)

        @bob.on(events.MessageDeleted)
        async def on_delete(event):
            if not deleted.done():
                deleted.set_result(list(event.deleted_ids))

        group = next(iter([d async for d in alice.iter_dialogs() if d.name == "Hearth testers"]))
        [d async for d in bob.iter_dialogs()]
        sent = await alice.send_message(group.entity, "hello testers")
        live = await asyncio.wait_for(got, 10)
        checks.append(("a basic-group message reaches another member live (updateShortChatMessage)",
                       live.message == "hello testers" and live.chat_id == group.id and sent.out))
        await alice.edit_message(group.entity, sent.id, "hello testers, edited")
        edit = await asyncio.wait_for(edited, 10)
        checks.append(("an edit reaches the other member live (updateEditMessage)",
                       edit.id == live.id and edit.message == "hello testers, edited"))
        await alice.delete_messages(group.entity, [sent.id], revoke=True)
        gone = await asyncio.wait_for(deleted, 10)
        checks.append(("a revoked deletion reaches the other member live (updateDeleteMessages)",
                       gone == [live.id]))
        read = loop.create_future()

        @alice.on(events.MessageRead(inbox=False))
        async def on_read(event):
            if not read.done():
                read.set_result(event.max_id)

        mark = await alice.send_message(group.entity, "read me")
        unread = [d.unread_count async for d in bob.iter_dialogs() if d.name == "Hearth testers"]
        await bob.send_read_acknowledge(group.id)
        after = [d.unread_count async for d in bob.iter_dialogs() if d.name == "Hearth testers"]
        checks.append(("getDialogs counts the unread group message, readHistory clears it",
                       unread == [1] and after == [0]))
        seen = await asyncio.wait_for(read, 10)
        checks.append(("the sender sees it read live (updateReadHistoryOutbox)", seen == mark.id))
        full = await alice(functions.messages.GetFullChatRequest(group.entity.id))
        checks.append(("messages.getFullChat lists the group's three members",
                       len(full.full_chat.participants.participants) == 3 and len(full.users) == 3))
    finally:
        await alice.disconnect()
        await bob.disconnect()


async def step_channels(info, checks):
    from telethon import events, utils
    alice = await signed_in(info, "9996621234")
    bob = await signed_in(info, "9996641111", 4)
    try:
        news = await bob.get_entity("hearth_news")
        checks.append(("resolve the public channel by username (peerChannel, chats filled)",
                       news.broadcast and not news.megagroup and news.title == "Hearth news"
                       and news.username == "hearth_news"))
        posts = [m.message async for m in bob.iter_messages(news) if m.message]
        checks.append(("iterate the public channel's messages",
                       posts == ["Release notes", "Supergroups too.", "Channels have their own pts.", "localdc is up."]))
        dialogs = [d async for d in alice.iter_dialogs()]
        kinds = {d.name: (d.is_channel, d.is_group) for d in dialogs}
        checks.append(("iter_dialogs lists the channel and the supergroup",
                       kinds.get("Hearth news") == (True, False)
                       and kinds.get("Hearth lounge") == (True, True)))
        lounge = next(d.entity for d in dialogs if d.name == "Hearth lounge")
        got = asyncio.get_running_loop().create_future()
        post = asyncio.get_running_loop().create_future()

        @bob.on(events.NewMessage(incoming=True))
        async def on_new(event):
            if event.is_group and not got.done():
                got.set_result(event.message)
            elif event.is_channel and not event.is_group and not post.done():
                post.set_result(event.message)

        sent = await alice.send_message(lounge, "live in the lounge")
        live = await asyncio.wait_for(got, 10)
        alice_id = (await alice.get_me()).id
        checks.append(("a supergroup member's client receives a post live (updateNewChannelMessage)",
                       live.message == "live in the lounge" and live.sender_id == alice_id
                       and live.chat_id == utils.get_peer_id(lounge) and live.id == sent.id
                       and sent.out))
        await bob(functions.channels.JoinChannelRequest(news))
        await alice.send_message(next(d.entity for d in dialogs if d.name == "Hearth news"), "news for bob")
        live = await asyncio.wait_for(post, 10)
        checks.append(("join a public channel; its posts arrive live with the post flag",
                       live.message == "news for bob" and live.post and live.chat_id == utils.get_peer_id(news)))
        edited = asyncio.get_running_loop().create_future()

        @bob.on(events.MessageEdited(chats=[lounge.id]))
        async def on_edit(event):
            if not edited.done():
                edited.set_result(event.message)

        await alice.edit_message(lounge, sent.id, "edited in the lounge")
        live = await asyncio.wait_for(edited, 10)
        checks.append(("a supergroup edit reaches another member live (updateEditChannelMessage)",
                       live.id == sent.id and live.message == "edited in the lounge"
                       and live.edit_date is not None))
    finally:
        await alice.disconnect()
        await bob.disconnect()


async def step_files(info, checks):
    import hashlib
    import io
    import os
    alice = await signed_in(info, "9996621234")
    try:
        data = os.urandom(5 * 1024 * 1024 + 12345)
        f = io.BytesIO(data)
        f.name = "five-megabytes.bin"
        msg = await alice.send_file("me", f, force_document=True)
        back = await alice.download_media(msg, file=bytes)
        checks.append(("upload and download a 5 MB file byte for byte",
                       back is not None and hashlib.sha256(back).digest() == hashlib.sha256(data).digest()))
    finally:
        await alice.disconnect()


async def step_photos(info, checks):
    import io
    from telethon import errors, types
    alice = await signed_in(info, "9996621234")
    try:
        async def world_photo():
            return next(m for m in await alice.get_messages("bob_builder", limit=20) if m.photo)
        msg = await world_photo()
        sizes = {s.type: s for s in msg.photo.sizes if isinstance(s, types.PhotoSize)}
        checks.append(("a world photo has sizes s, m, x, y (1280x853)",
                       sorted(sizes) == ["m", "s", "x", "y"] and (sizes["y"].w, sizes["y"].h) == (1280, 853)))
        ok = True
        for kind, size in sizes.items():
            got = await alice.download_media(msg, file=bytes, thumb=size)
            ok = ok and got is not None and len(got) == size.size and got[:2] == b"\xff\xd8"
        checks.append(("every photo size downloads as a JPEG of its announced size", ok))
        stripped = next(s for s in msg.photo.sizes if isinstance(s, types.PhotoStrippedSize))
        inflated = await alice.download_media(msg, file=bytes, thumb=stripped)
        checks.append(("the stripped thumbnail inflates to a JPEG of its size",
                       inflated[:2] == b"\xff\xd8" and (inflated[164], inflated[166]) == tuple(stripped.bytes[1:3])
                       and max(stripped.bytes[1:3]) == 40))
        biggest = await alice.download_media(msg, file=bytes)
        f = io.BytesIO(biggest)
        f.name = "again.jpg"
        sent = await alice.send_file("me", f)
        again = {s.type: (s.w, s.h) for s in sent.photo.sizes if isinstance(s, types.PhotoSize)}
        checks.append(("an uploaded JPEG becomes a photo with downscaled sizes",
                       again == {"s": (100, 67), "m": (320, 213), "x": (800, 533), "y": (1280, 853)}))
        await control(info, {"cmd": "expire_file_references"})
        try:
            await alice.download_media(msg, file=bytes, thumb=sizes["s"])
            expired = False
        except errors.FileReferenceExpiredError:
            expired = True
        msg = await world_photo()
        renewed = await alice.download_media(msg, file=bytes, thumb=sizes["s"])
        checks.append(("an expired file reference is refused and refetching the message renews it",
                       expired and renewed is not None and len(renewed) == sizes["s"].size))
    finally:
        await alice.disconnect()


async def control(info, request):
    host, port = info["control"].rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write((json.dumps(request) + "\n").encode())
    await writer.drain()
    answer = json.loads(await reader.readline())
    writer.close()
    return answer


async def step_flood_wait(info, checks):
    import time
    from telethon import errors
    alice = await signed_in(info, "9996621234")
    try:
        rule = {"cmd": "flood", "method": "messages.sendMessage", "limit": 1,
                "window_secs": 60, "wait_secs": 2}
        checks.append(("control port installs a flood rule", (await control(info, rule))["ok"]))
        await alice.send_message("me", "first")
        alice.flood_sleep_threshold = 0
        try:
            await alice.send_message("me", "second")
            seconds = None
        except errors.FloodWaitError as e:
            seconds = e.seconds
        checks.append(("the next call is 420 FLOOD_WAIT_2", seconds == 2))
        alice.flood_sleep_threshold = 60
        start = time.monotonic()
        sent = await alice.send_message("me", "after waiting")
        waited = time.monotonic() - start
        checks.append(("Telethon sleeps through FLOOD_WAIT and the retry succeeds",
                       sent.message == "after waiting" and waited >= 1.0))
        await control(info, {"cmd": "flood", "method": "messages.sendMessage", "clear": True})
    finally:
        await alice.disconnect()


async def step_transports(info, checks):
    for conn in (ConnectionTcpFull, ConnectionTcpAbridged, ConnectionTcpIntermediate, ConnectionTcpObfuscated):
        client = client_for(info, 4, conn)
        try:
            await client.connect()
            cfg = await client(functions.help.GetConfigRequest())
            checks.append((f"new key and help.getConfig over {conn.__name__}", cfg.this_dc == 4))
        finally:
            await client.disconnect()


async def step_qr_login(info, checks):
    new = client_for(info, 2)
    alice = await signed_in(info, "9996621234")
    try:
        await new.connect()
        qr = await new.qr_login()
        checks.append(("QR login: auth.exportLoginToken gives a tg://login URL",
                       qr.url.startswith("tg://login?token=") and len(qr.token) > 0))
        waiting = asyncio.ensure_future(qr.wait(20))
        await asyncio.sleep(0.2)
        granted = await alice(functions.auth.AcceptLoginTokenRequest(token=qr.token))
        user = await waiting
        me = await new.get_me()
        checks.append(("QR login: another client's auth.acceptLoginToken signs the new client in",
                       user.first_name == "Alice" and me is not None and me.phone == "9996621234"
                       and granted.hash != 0 and not granted.current))
        # A client that started on DC 4 follows loginTokenMigrateTo to DC 2.
        far = client_for(info, 4)
        try:
            await far.connect()
            qr = await far.qr_login()
            waiting = asyncio.ensure_future(qr.wait(20))
            await asyncio.sleep(0.2)
            await alice(functions.auth.AcceptLoginTokenRequest(token=qr.token))
            user = await waiting
            me = await far.get_me()
            checks.append(("QR login from DC 4: loginTokenMigrateTo and auth.importLoginToken on DC 2",
                           user.first_name == "Alice" and me is not None and far.session.dc_id == 2))
        finally:
            await far.disconnect()
    finally:
        await new.disconnect()
        await alice.disconnect()


async def step_cross_dc_download(info, checks):
    import io
    import os
    alice = await signed_in(info, "9996621234")
    bob = await signed_in(info, "9996641111", 4)
    try:
        data = os.urandom(300 * 1024 + 7)
        f = io.BytesIO(data)
        f.name = "from-dc-2.bin"
        bob_entity = await alice.get_entity("bob_builder")
        await alice.send_file(bob_entity, f, force_document=True)
        alice_entity = await bob.get_entity("alice")
        msg = (await bob.get_messages(alice_entity, limit=1))[0]
        back = await bob.download_media(msg, file=bytes)
        checks.append(("download a file of DC 2 from a DC 4 account (exportAuthorization/importAuthorization)",
                       msg.document is not None and msg.document.dc_id == 2 and back == data
                       and 2 in bob._borrowed_senders))
    finally:
        await alice.disconnect()
        await bob.disconnect()


async def step_authorizations(info, checks):
    from telethon import errors
    first = await signed_in(info, "9996621234")
    second = await signed_in(info, "9996621234", device_model="Conformance second device")
    try:
        auths = (await first(functions.account.GetAuthorizationsRequest())).authorizations
        current = [a for a in auths if a.current]
        others = [a for a in auths if a.device_model == "Conformance second device"]
        checks.append(("account.getAuthorizations lists both clients, the caller's as current",
                       len(current) == 1 and current[0].hash == 0 and len(others) == 1
                       and others[0].hash != 0 and others[0].api_id == API_ID
                       and others[0].ip == "127.0.0.1"))
        ok = await first(functions.account.ResetAuthorizationRequest(hash=others[0].hash))
        try:
            await second(functions.updates.GetStateRequest())
            ended = False
        except errors.AuthKeyUnregisteredError:
            ended = True
        still = await first(functions.updates.GetStateRequest())
        checks.append(("account.resetAuthorization ends the second client (401 AUTH_KEY_UNREGISTERED)",
                       ok is True and ended and still.pts >= 1))
    finally:
        await first.disconnect()
        await second.disconnect()


# The MTProxy endpoint localdc serves for this run (see main()).
MTPROXY_SECRET = "dd" + os.urandom(16).hex()
MTPROXY_ROUNDS = 20


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def step_mtproxy(info, checks):
    # Telethon waits up to 2 s after the proxy handshake for the proxy to
    # close an unwanted connection; a round takes about that long.
    host, port = info["mtproxy"]
    ok_rounds, failures = 0, []
    for n in range(MTPROXY_ROUNDS):
        session = MemorySession()
        session.set_dc(2, *endpoint(info, 2))
        # Telethon warns that python-socks is missing; MTProxy does not use it.
        warnings.filterwarnings("ignore", message="proxy argument will be ignored")
        client = TelegramClient(session, API_ID, API_HASH,
                                connection=ConnectionTcpMTProxyRandomizedIntermediate,
                                proxy=(host, port, MTPROXY_SECRET))

        async def one_round():
            await client.connect()
            cfg = await client(functions.help.GetConfigRequest())
            await client.start(phone="9996621234", code_callback=lambda: "22222")
            sent = await client.send_message("me", f"through the proxy, round {n}")
            return cfg.this_dc == 2 and sent.message == f"through the proxy, round {n}"

        try:
            if await asyncio.wait_for(one_round(), 15):
                ok_rounds += 1
            else:
                failures.append(f"round {n}: wrong answer")
        except Exception as e:
            failures.append(f"round {n}: {type(e).__name__}: {e}")
        finally:
            await client.disconnect()
    checks.append((f"MTProxy (dd secret, randomized intermediate): {ok_rounds}/{MTPROXY_ROUNDS} rounds "
                   f"of new key, help.getConfig, sign-in and a message"
                   + (f"; {failures[:3]}" if failures else ""),
                   ok_rounds == MTPROXY_ROUNDS))


STEPS = [step_config, step_phone_migrate, step_two_factor, step_bot, step_messages, step_groups, step_channels,
         step_files, step_photos, step_flood_wait, step_transports, step_qr_login, step_cross_dc_download,
         step_authorizations, step_mtproxy]
# Seconds each step may take before it counts as hung.
DEADLINES = {step_mtproxy: 20 * MTPROXY_ROUNDS}


async def scenario(info):
    rsa.add_key(info["rsa_public_key_pem"], old=False)
    checks = []
    # CONFORMANCE_STEPS=step_a,step_b runs only those (for debugging one step).
    only = [n for n in os.environ.get("CONFORMANCE_STEPS", "").split(",") if n]
    for step in [s for s in STEPS if not only or s.__name__ in only]:
        try:
            await asyncio.wait_for(step(info, checks), DEADLINES.get(step, 60))
        except Exception as e:  # a step that raises counts as one failed check
            checks.append((f"{step.__name__} raised {type(e).__name__}: {e}", False))
    return checks


def with_mtproxy(world, port):
    """The world file's text with an MTProxy endpoint on `port` added to [server]."""
    lines = open(world).read().splitlines()
    at = lines.index("[server]") + 1
    lines[at:at] = [f'mtproxy_secret = "{MTPROXY_SECRET}"', f"mtproxy_port = {port}"]
    return "\n".join(lines) + "\n"


def main():
    binary, world = sys.argv[1], sys.argv[2]
    port = free_port()
    world_file = tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False)
    world_file.write(with_mtproxy(world, port))
    world_file.close()
    proc = subprocess.Popen([binary, "--world", world_file.name], stdout=subprocess.PIPE)
    try:
        info = json.loads(proc.stdout.readline())
        info["mtproxy"] = ("127.0.0.1", port)
        checks = asyncio.run(scenario(info))
    except Exception as e:  # any failure counts as one failed check
        checks = [(f"scenario raised {type(e).__name__}: {e}", False)]
    finally:
        proc.terminate()
        proc.wait(10)
        os.unlink(world_file.name)
    for name, ok in checks:
        print(("ok   " if ok else "FAIL ") + name)
    passed = sum(1 for _, ok in checks if ok)
    failed = len(checks) - passed
    print(f"telethon: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


main()
