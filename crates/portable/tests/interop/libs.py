"""The libraries' side of hearth-portable's interoperability test
(crates/portable/tests/interop.rs): sessions made and read by the real
Telethon, Pyrogram, kurigram or pyrofork from PyPI, whichever this Python has.
Nothing here touches the network: only the libraries' session storage is used.

    python3 libs.py make DIR      # writes sessions into DIR, lists them in DIR/fixtures.json
    python3 libs.py check FILE    # loads every session FILE (a manifest) lists, compares fields

The keys are random bytes made here (test data, not accounts).
"""

import asyncio
import json
import os
import sys
from importlib import metadata
from pathlib import Path


def distribution():
    for name in ("kurigram", "pyrofork", "pyrogram"):
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None, None


def has_telethon():
    try:
        import telethon  # noqa: F401
        return True
    except ImportError:
        return False


# ------------------------------------------------------------------ Telethon

def telethon_make(out):
    from telethon.crypto import AuthKey
    from telethon.sessions import SQLiteSession, StringSession

    made = []
    key = os.urandom(256)
    session = SQLiteSession(str(out / "telethon"))
    session.set_dc(4, "127.0.0.1", 40004)
    session.auth_key = AuthKey(key)
    session.save()
    session.close()
    made.append(fixture("telethon-file", "file", str(out / "telethon.session"), 4, key,
                        server=["127.0.0.1", 40004]))
    for host, port in (("127.0.0.1", 40002), ("::1", 443)):
        key = os.urandom(256)
        s = StringSession()
        s.set_dc(2, host, port)
        s.auth_key = AuthKey(key)
        made.append(fixture(f"telethon-string-{host}", "string", s.save(), 2, key, server=[host, port]))
    return made


def telethon_check(item):
    from telethon.sessions import SQLiteSession, StringSession

    if item["kind"] == "file":
        s = SQLiteSession(item["value"][: -len(".session")])
    else:
        s = StringSession(item["value"])
    got = {"dc_id": s.dc_id, "auth_key": s.auth_key.key.hex(), "server": [s.server_address, s.port]}
    return compare(item, got)


# ------------------------------------------------------------------ Pyrogram and forks

def storage(workdir=None, name="pyrogram", string=None):
    import pyrogram.storage as st

    if hasattr(st, "FileStorage"):  # Pyrogram 2.0, pyrofork
        return st.MemoryStorage(name, string) if workdir is None else st.FileStorage(name, Path(workdir))
    # kurigram: one SQLite storage for files and memory
    if workdir is None:
        return st.SQLiteStorage(name, Path("."), session_string=string, in_memory=True)
    return st.SQLiteStorage(name, Path(workdir))


async def pyrogram_fields(s):
    got = {
        "dc_id": await s.dc_id(), "api_id": await s.api_id(), "test_mode": bool(await s.test_mode()),
        "auth_key": (await s.auth_key()).hex(), "user_id": await s.user_id(), "is_bot": bool(await s.is_bot()),
    }
    if hasattr(s, "server_address"):
        got["server"] = [await s.server_address(), await s.port()]
    return got


async def pyrogram_make(out, dist):
    made = []
    key = os.urandom(256)
    s = storage(out, "pyrogram")
    await s.open()
    for setter, value in (("dc_id", 2), ("api_id", 611335), ("test_mode", False), ("auth_key", key),
                          ("user_id", 7_000_000_123), ("is_bot", False)):
        await getattr(s, setter)(value)
    server = None
    if hasattr(s, "server_address"):
        await s.server_address("127.0.0.1")
        await s.port(40002)
        server = ["127.0.0.1", 40002]
    await s.save()
    string = await s.export_session_string()
    await s.close()
    made.append(fixture(f"{dist}-file", "file", str(out / "pyrogram.session"), 2, key, api_id=611335,
                        test_mode=False, user_id=7_000_000_123, is_bot=False, server=server))
    made.append(fixture(f"{dist}-string", "string", string, 2, key, api_id=611335, test_mode=False,
                        user_id=7_000_000_123, is_bot=False))
    return made


async def pyrogram_check(item):
    if item["kind"] == "file":
        path = Path(item["value"])
        s = storage(path.parent, path.name[: -len(".session")])
    else:
        s = storage(None, "check", item["value"])
    await s.open()
    try:
        got = await pyrogram_fields(s)
    finally:
        await s.close()
    if item["kind"] == "string":
        got.pop("server", None)  # strings carry no address; kurigram fills in its own table's
    elif "server" not in item["expect"]:
        got.pop("server", None)  # kurigram upgrading an older schema fills in its table's address
    return compare(item, got)


# ------------------------------------------------------------------ common

def fixture(name, kind, value, dc_id, key, **fields):
    expect = {"dc_id": dc_id, "auth_key": key.hex()}
    expect.update({k: v for k, v in fields.items() if v is not None})
    return {"name": name, "kind": kind, "value": value, "expect": expect}


def compare(item, got):
    wrong = {k: (v, got.get(k)) for k, v in item["expect"].items() if got.get(k) != v}
    return [f"{k}: wanted {w!r}, the library read {g!r}" for k, (w, g) in wrong.items()]


def main():
    command, where = sys.argv[1], Path(sys.argv[2])
    dist, version = distribution()
    if command == "make":
        made = []
        if has_telethon():
            made += telethon_make(where)
        if dist:
            made += asyncio.run(pyrogram_make(where, dist))
        (where / "fixtures.json").write_text(json.dumps({"library": [dist, version], "telethon": has_telethon(),
                                                          "fixtures": made}))
        return 0
    manifest = json.loads(where.read_text())
    passed = failed = 0
    for item in manifest:
        if item["library"] == "telethon" and not has_telethon():
            continue
        if item["library"] == "pyrogram" and not dist:
            continue
        try:
            problems = telethon_check(item) if item["library"] == "telethon" else asyncio.run(pyrogram_check(item))
        except Exception as error:  # a library refusing the input is a finding, not a crash
            problems = [f"the library refused it: {type(error).__name__}: {error}"]
        label = "telethon" if item["library"] == "telethon" else f"{dist} {version}"
        if problems:
            failed += 1
            print(f"FAIL {label} reads {item['name']}: {'; '.join(problems)}")
        else:
            passed += 1
            print(f"ok   {label} reads {item['name']}")
    # Not the "N passed, N failed" form: the Rust test is the one that counts.
    print(f"{dist or 'telethon'}: {passed} sessions read as written, {failed} not")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
