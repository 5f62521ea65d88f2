"""Pyrogram's side of hearth-fileid's interoperability test (tests/pyrogram.rs).

    python pyrogram_ids.py generate SEED COUNT OUT.json
        Writes COUNT random ids of every file type, photo-size source and version, each
        encoded by Pyrogram where its encoder writes a readable id (and otherwise laid out
        with Pyrogram's own primitives), with the fields Pyrogram decodes from it and the
        file_unique_id Pyrogram derives.
    python pyrogram_ids.py check IN.json
        Decodes each id of IN.json (written by hearth-fileid) with Pyrogram and compares
        its fields with the ones given; prints every mismatch, exits 1 if any.

The JSON form is hearth-fileid's `fields` module: Pyrogram's attribute names, enum names in
lower case, the file reference in hex, absent attributes left out.
"""

import json
import random
import struct
import sys

from pyrogram.file_id import (
    FILE_REFERENCE_FLAG,
    PHOTO_TYPES,
    WEB_LOCATION_FLAG,
    FileId,
    FileType,
    FileUniqueId,
    FileUniqueType,
    ThumbnailSource,
    b64_encode,
    rle_encode,
)
from pyrogram.raw.core import Bytes, String

INT_FIELDS = [
    "url", "media_id", "access_hash", "volume_id", "secret", "local_id", "chat_id",
    "chat_access_hash", "sticker_set_id", "sticker_set_access_hash", "sticker_set_version",
]


def dump_file_id(f):
    d = {
        "kind": "file_id",
        "major": f.major,
        "minor": f.minor,
        "file_type": FileType(f.file_type).name.lower(),
        "dc_id": f.dc_id,
        "file_reference": f.file_reference.hex(),
    }
    for k in INT_FIELDS:
        if getattr(f, k) is not None:
            d[k] = getattr(f, k)
    if f.thumbnail_source is not None:
        d["thumbnail_source"] = ThumbnailSource(f.thumbnail_source).name.lower()
    if f.thumbnail_file_type is not None:
        d["thumbnail_file_type"] = FileType(f.thumbnail_file_type).name.lower()
    if f.thumbnail_size:
        d["thumbnail_size"] = f.thumbnail_size
    return d


def dump_unique(u):
    d = {"kind": "file_unique_id", "type": FileUniqueType(u.file_unique_type).name.lower()}
    for k in ("url", "volume_id", "local_id", "media_id"):
        if getattr(u, k) is not None:
            d[k] = getattr(u, k)
    return d


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)

    def i64(self):
        # Zeros and small values exercise the zero runs; extremes the signs.
        return self.r.choice([
            0, self.r.randint(1, 300), self.r.randint(-(2**63), 2**63 - 1),
            self.r.randint(-(2**63), 2**63 - 1), -(2**63), 2**63 - 1, -1,
        ])

    def i32(self):
        return self.r.choice([0, self.r.randint(1, 300), self.r.randint(-(2**31), 2**31 - 1), -1])

    def blob(self):
        n = self.r.choice([0, 1, 2, 3, 4, 5, self.r.randint(6, 253), 253, 254, 255, self.r.randint(256, 600)])
        return bytes(self.r.choice([0, self.r.randint(1, 255)]) for _ in range(n))

    def size_letter(self):
        if self.r.random() < 0.9:
            return self.r.choice("sabcdmxyijkwu")
        c = self.r.randint(1, 0x10FFFF)
        return chr(c) if not 0xD800 <= c <= 0xDFFF else "m"

    def url(self):
        return "https://example.org/" + "".join(
            self.r.choice("abcé/_-.0ü") for _ in range(self.r.randint(0, 300))
        )

    def photo_kwargs(self, minor):
        src = ThumbnailSource(self.r.randrange(len(ThumbnailSource)))
        kw = {"thumbnail_source": src}
        vol = {"volume_id": self.i64(), "local_id": self.i32()}
        if minor < 32:
            kw.update(vol)
        if src in (ThumbnailSource.LEGACY, ThumbnailSource.FULL_LEGACY):
            kw["secret"] = self.i64()
        if src == ThumbnailSource.THUMBNAIL:
            kw["thumbnail_file_type"] = FileType(self.r.randrange(len(FileType)))
            kw["thumbnail_size"] = self.size_letter()
        if src.name.startswith("CHAT_PHOTO"):
            kw.update(chat_id=self.i64(), chat_access_hash=self.i64())
        if src.name.startswith("STICKER_SET"):
            kw.update(sticker_set_id=self.i64(), sticker_set_access_hash=self.i64())
        if src == ThumbnailSource.STICKER_SET_THUMBNAIL_VERSION:
            kw["sticker_set_version"] = self.i32()
        if src.name.endswith("_LEGACY") or src == ThumbnailSource.FULL_LEGACY:
            kw.update(vol)
        return kw

    def pyrogram_file_id(self):
        """An id from Pyrogram's own encoder (version 4; it writes the sub-version signed)."""
        minor = self.r.randint(0, 127)
        file_type = FileType(self.r.randrange(len(FileType)))
        kw = {"file_type": file_type, "dc_id": self.r.choice([1, 2, 3, 4, 5, self.i32()]),
              "media_id": self.i64(), "access_hash": self.i64(), "minor": minor,
              "file_reference": self.blob() if self.r.random() < 0.6 else b""}
        if file_type in PHOTO_TYPES:
            kw.update(self.photo_kwargs(minor))
        f = FileId(**kw)
        s = f.encode()
        padded = file_type not in PHOTO_TYPES and not f.file_reference
        return s, f, padded

    def hand_file_id(self):
        """What Pyrogram reads but cannot write: web locations, versions 2 and 3."""
        file_type = FileType(self.r.randrange(len(FileType)))
        dc = self.r.randint(1, 5)
        if self.r.random() < 0.5:
            url, h, minor = self.url(), self.i64(), self.r.randint(0, 255)
            body = struct.pack("<ii", file_type | WEB_LOCATION_FLAG, dc) + String(url)
            body += struct.pack("<qBB", h, minor, 4)
            return b64_encode(rle_encode(body)), None, False
        major = self.r.choice([2, 3])
        ref = self.blob() if self.r.random() < 0.5 else b""
        body = struct.pack("<ii", file_type | (FILE_REFERENCE_FLAG if ref else 0), dc)
        body += (Bytes(ref) if ref else b"") + struct.pack("<qq", self.i64(), self.i64())
        if file_type in PHOTO_TYPES:
            body += struct.pack("<qqi", self.i64(), self.i64(), self.i32())
        return b64_encode(rle_encode(body + bytes([major]))), None, False

    def unique(self):
        t = self.r.choice([FileUniqueType.WEB, FileUniqueType.PHOTO, FileUniqueType.DOCUMENT])
        if t == FileUniqueType.WEB:
            # Pyrogram's encoder keeps one byte of the URL ("<is"); laid out by hand.
            return b64_encode(rle_encode(struct.pack("<i", t) + String(self.url())))
        if t == FileUniqueType.PHOTO:
            u = FileUniqueId(file_unique_type=t, volume_id=self.i64(), local_id=self.i32())
        else:
            u = FileUniqueId(file_unique_type=t, media_id=self.i64())
        return u.encode()


def generate(seed, count, out):
    g = Gen(seed)
    cases = []
    for n in range(count):
        if n % 4 == 3:
            s = g.unique()
            cases.append({"id": s, "fields": dump_unique(FileUniqueId.decode(s))})
            continue
        s, made, padded = g.pyrogram_file_id() if n % 4 != 2 else g.hand_file_id()
        decoded = FileId.decode(s)
        fields = dump_file_id(decoded)
        if made is not None:
            # Pyrogram must read back what it wrote, or the comparison means nothing.
            assert dump_file_id(made) == fields, (s, dump_file_id(made), fields)
        if padded:
            fields["pyrogram_padding"] = True
        case = {"id": s, "fields": fields}
        if decoded.url is None:
            case["unique_id"] = FileUniqueId(
                file_unique_type=FileUniqueType.DOCUMENT, media_id=decoded.media_id
            ).encode()
        cases.append(case)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(cases, f, ensure_ascii=False)


def check(path):
    with open(path, encoding="utf-8") as f:
        cases = json.load(f)
    bad = 0
    for case in cases:
        want = dict(case["fields"])
        try:
            if want["kind"] == "file_unique_id":
                got = dump_unique(FileUniqueId.decode(case["id"]))
            else:
                # Pyrogram's decoder skips its padding without noting it.
                want.pop("pyrogram_padding", None)
                got = dump_file_id(FileId.decode(case["id"]))
        except Exception as e:  # noqa: BLE001 - any failure is a mismatch to report
            got = f"error: {e!r}"
        if got != want:
            bad += 1
            print(f"MISMATCH {case['id']}\n  hearth:   {want}\n  pyrogram: {got}")
    print(f"pyrogram decoded {len(cases) - bad} of {len(cases)} hearth-encoded ids")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"]:
        generate(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1:2] == ["check"]:
        check(sys.argv[2])
    else:
        sys.exit(__doc__)
