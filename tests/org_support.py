"""Helpers for the organizer and council tests (issue 5): real files of every accepted type, built
here byte by byte, and small contest texts."""

from __future__ import annotations

import io
import struct
import textwrap
import zipfile

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


# A contest where a tie at the 최우수/우수 boundary is easy to make: mean of 3 judges, the
# cascade stops at one criterion, no "decision" step.
DAY_CONTEST = textwrap.dedent(
    """
    [contest]
    slug = "{slug}"
    title = "2024년 복지업무 우수 동 성과보고회"
    organizer = "고양특례시"
    issuer = "고양특례시장"
    issuer_name = "홍길동"
    held_on = 2024-12-04
    tie_break = ["criterion:partnership"]

    [[rounds]]
    key = "final"
    title = "발표심사"
    aggregation = "mean"
    entries = ["alpha", "beta", "gamma"]
    criteria = [
      {{ key = "need", title = "사업의 필요성", max = 20, scale = "grades" }},
      {{ key = "partnership", title = "민관협력", max = 20, scale = "grades" }},
      {{ key = "outcome", title = "성과", max = 10, scale = "grades" }},
    ]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[tiers]]
    key = "excellence"
    title = "우수"
    count = 2

    [[special_awards]]
    key = "special"
    title = "특별상"

    [[entrants]]
    key = "alpha"
    name = "고봉동 지역사회보장협의체"
    district = "고양특례시 일산동구 고봉동"
    title = "고봉 이웃 돌봄망"

    [[entrants]]
    key = "beta"
    name = "탄현1동 지역사회보장협의체"
    district = "고양특례시 일산서구 탄현1동"
    title = "탄현 안부 나눔"

    [[entrants]]
    key = "gamma"
    name = "원신동 지역사회보장협의체"
    district = "고양특례시 덕양구 원신동"
    title = "원신 마을 밥상"

    [[entrants]]
    key = "delta"
    name = "주엽1동 지역사회보장협의체"
    district = "고양특례시 일산서구 주엽1동"

    [[judges]]
    key = "j1"
    name = "김정희"
    affiliation = "가대학교 사회복지학과"

    [[judges]]
    key = "j2"
    name = "이수민"

    [[judges]]
    key = "j3"
    name = "박영호"

    [[conflicts]]
    judge = "j3"
    entry = "gamma"
    reason = "협력기관 관계"
    """
)


# A screening round (top 2 advance) and a final, one judge.
SCREENING = textwrap.dedent(
    """
    [contest]
    slug = "screen-2024"
    title = "서류와 발표"
    organizer = "테스트시"
    issuer = "테스트시장"
    held_on = 2024-12-04

    [[rounds]]
    key = "document"
    title = "서류심사"
    advance = 2
    entries = ["a", "b", "c"]
    criteria = [{ key = "doc", title = "서류", max = 10, scale = "points" }]

    [[rounds]]
    key = "final"
    title = "발표심사"
    criteria = [{ key = "talk", title = "발표", max = 10, scale = "points" }]

    [[tiers]]
    key = "best"
    title = "최우수"
    count = 1

    [[entrants]]
    key = "a"
    name = "가"
    title = "가 사업"

    [[entrants]]
    key = "b"
    name = "나"
    title = "나 사업"

    [[entrants]]
    key = "c"
    name = "다"
    title = "다 사업"

    [[judges]]
    key = "j1"
    name = "하나"
    """
)
