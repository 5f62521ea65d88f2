"""Writes vectors.txt: session strings packed the way Pyrogram (storage.py,
`export_session_string` and the two older layouts read in memory_storage.py)
and Telethon (sessions/string.py, `StringSession.save`) pack them, for the
known-answer tests in src/. Run: python3 make_vectors.py > vectors.txt

Each line: NAME FIELDS... STRING. The key is bytes (7 * i + 3) mod 256.
"""

import base64
import ipaddress
import struct

KEY = bytes((i * 7 + 3) % 256 for i in range(256))


def pyrogram(layout, *fields):
    return base64.urlsafe_b64encode(struct.pack(layout, *fields)).decode().rstrip("=")


def telethon(dc_id, ip, port):
    packed_ip = ipaddress.ip_address(ip).packed
    body = struct.pack(">B{}sH256s".format(len(packed_ip)), dc_id, packed_ip, port, KEY)
    return "1" + base64.urlsafe_b64encode(body).decode("ascii")


# name dc api_id test user bot
print("pyrogram-current 4 123456 0 5000000001 1", pyrogram(">BI?256sQ?", 4, 123456, False, KEY, 5000000001, True))
print("pyrogram-old32 2 - 1 777000 0", pyrogram(">B?256sI?", 2, True, KEY, 777000, False))
print("pyrogram-old64 5 - 0 9000000000 0", pyrogram(">B?256sQ?", 5, False, KEY, 9000000000, False))
# name dc host port
print("telethon-v4 2 127.0.0.1 40002", telethon(2, "127.0.0.1", 40002))
print("telethon-v6 4 ::1 443", telethon(4, "::1", 443))
