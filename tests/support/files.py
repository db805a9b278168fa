"""Real files of every type an upload accepts (PDF, HWP, HWPX, Office, JPEG, PNG), built here byte
by byte, and workbooks of given rows."""

from __future__ import annotations

import io
import struct
import zipfile

from openpyxl import Workbook

ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def _dir_entry(name: str, kind: int, start: int, size: int, child: int = NOSTREAM) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<H", len(encoded)) + bytes([kind, 1])
            + struct.pack("<III", NOSTREAM, NOSTREAM, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size))


def make_hwp(extra: int = 0) -> bytes:
    """A minimal but well-formed OLE2 compound file (CFB v3, 512-byte sectors) holding one stream,
    ``FileHeader``, that starts with the HWP 5 signature "HWP Document File". ``extra`` pads the
    stream to make bigger files."""
    stream = b"HWP Document File".ljust(32, b"\0") + struct.pack("<I", 0x05000300) + b"\0" * (256 - 36 + extra)
    sectors = -(-len(stream) // 512)
    fat = [FATSECT, ENDOFCHAIN] + [3 + i if i < sectors - 1 else ENDOFCHAIN for i in range(sectors)]
    fat += [FREESECT] * (128 - len(fat))
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 0)  # mini stream cutoff 0: every stream is in regular sectors
    struct.pack_into("<II", header, 60, ENDOFCHAIN, 0)  # no mini FAT
    struct.pack_into("<II", header, 68, ENDOFCHAIN, 0)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0] = sector 0 holds the FAT
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, FREESECT)
    fat_sector = b"".join(struct.pack("<I", v) for v in fat)
    directory = (_dir_entry("Root Entry", 5, ENDOFCHAIN, 0, child=1)
                 + _dir_entry("FileHeader", 2, 2, len(stream))).ljust(512, b"\0")
    body = stream.ljust(sectors * 512, b"\0")
    return bytes(header) + fat_sector + directory + body


def make_pdf(text: str = "case report") -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + text.encode() + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")


def make_png() -> bytes:
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\xff\xff"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def make_jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_hwpx() -> bytes:
    return _zip({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<sec/>",
                 "META-INF/container.xml": b"<container/>"})


def make_ooxml(kind: str) -> bytes:
    folder = {"docx": "word", "xlsx": "xl", "pptx": "ppt"}[kind]
    return _zip({"[Content_Types].xml": b"<Types/>", f"{folder}/document.xml": b"<doc/>", "_rels/.rels": b"<r/>"})


FILES = {
    "pdf": make_pdf,
    "hwp": make_hwp,
    "hwpx": make_hwpx,
    "docx": lambda: make_ooxml("docx"),
    "xlsx": lambda: make_ooxml("xlsx"),
    "pptx": lambda: make_ooxml("pptx"),
    "jpg": make_jpeg,
    "png": make_png,
}


def make_xlsx(rows: list[list[object]]) -> bytes:
    """A workbook whose first sheet holds ``rows``."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
