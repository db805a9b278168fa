"""Entry attachments: PDF, HWP, HWPX, PPTX, DOCX, XLSX, JPG, PNG.

* Size limits (per file and per entry) are enforced while the upload is read, chunk by chunk: the
  moment a limit is passed, reading stops and the partial file is deleted.
* The type is checked by the name's LAST extension (``사업보고서.최종.hwp`` is HWP) and by the
  content (magic bytes; for the ZIP-based formats, the entries inside the archive).
* The original name is kept for display only: normalised to NFC, path parts stripped, control
  characters removed, at most 255 characters (longer names are refused with a message). Files are
  stored under random names in the upload folder, which lies outside any static folder.
* Downloads carry a Content-Disposition with an ASCII fallback and the RFC 5987 UTF-8 name.

This module does not import Flask: the view hands in the upload's stream and name.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlalchemy as sa
from sqlalchemy import orm

from judging.formatting import byte_size
from judging.labels import file_kind
from judging.messages import N_, Message
from judging.models import Attachment, Entry, Round, User, utcnow
from judging.services import audit
from judging.services.assignments import expected_pairs
from judging.services.errors import DomainError, NotFound, TooLarge

CHUNK = 64 * 1024
MAX_NAME = 255
MAX_FILES_PER_ENTRY = 20


@dataclass(frozen=True)
class Kind:
    key: str
    content_type: str
    extensions: tuple[str, ...]

    @property
    def label(self) -> Message:
        """The format's name (its words live in :mod:`judging.labels`)."""
        return file_kind(self.key)


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("pdf", "application/pdf", ("pdf",)),
    Kind("hwp", "application/x-hwp", ("hwp",)),
    Kind("hwpx", "application/hwp+zip", ("hwpx",)),
    Kind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    Kind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    Kind("jpg", "image/jpeg", ("jpg", "jpeg")),
    Kind("png", "image/png", ("png",)),
)}
BY_EXTENSION = {ext: kind for kind in KINDS.values() for ext in kind.extensions}
ALLOWED_TEXT = "PDF, HWP, HWPX, PPTX, DOCX, XLSX, JPG, PNG"
ACCEPT_ATTRIBUTE = ",".join("." + ext for ext in BY_EXTENSION)

OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
ZIP = b"PK\x03\x04"
OOXML_FOLDERS = {"pptx": "ppt/", "docx": "word/", "xlsx": "xl/"}


class UploadRefused(DomainError):
    """An upload refused with the reason; nothing was stored."""


class UploadTooLarge(UploadRefused, TooLarge):
    """An upload over the size limit; nothing was stored."""


# ---------------------------------------------------------------------------------------------
# Names


def display_name(raw: str | None) -> str:
    """The name to keep for display: NFC, no path parts, no control characters, ≤ 255 characters.

    Raises ``UploadRefused`` for a name that climbs out of a folder (``..``), an empty name, or a
    name over 255 characters.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.sub(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", "", name)
    parts = re.split(r"[/\\]", name)
    if any(part.strip() == ".." for part in parts):
        raise UploadRefused(N_("파일 이름에 상위 폴더 경로(../)가 들어 있어 받을 수 없습니다. "
                               "파일 이름만 있는 파일을 올려 주세요."))
    # Old browsers send "C:\\Users\\...\\name.pdf": keep the last part only.
    name = parts[-1].strip().strip(".").strip()
    if not name:
        raise UploadRefused(N_("파일 이름이 비어 있습니다."))
    if len(name) > MAX_NAME:
        raise UploadRefused(N_("파일 이름이 너무 깁니다 ({length}자). {limit}자 이하로 줄여 주세요."),
                            length=len(name), limit=MAX_NAME)
    return name


def kind_of_name(name: str) -> Kind:
    """The kind from the LAST extension of the name; raises ``UploadRefused`` for any other."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip():
        raise UploadRefused(N_("'{name}'은(는) 확장자가 없어 받을 수 없습니다. 올릴 수 있는 형식: {allowed}"),
                            name=name, allowed=ALLOWED_TEXT)
    kind = BY_EXTENSION.get(ext.lower())
    if kind is None:
        raise UploadRefused(N_("'.{ext}' 파일은 받을 수 없습니다. 올릴 수 있는 형식: {allowed}"),
                            ext=ext, allowed=ALLOWED_TEXT)
    return kind


# ---------------------------------------------------------------------------------------------
# Content


def sniff(path: Path, expected: Kind) -> Message | None:
    """Why the file's content is not ``expected``, or None when it is."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    key = expected.key
    if key == "pdf":
        ok = b"%PDF-" in head
    elif key == "png":
        ok = head.startswith(PNG)
    elif key == "jpg":
        ok = head.startswith(JPEG)
    elif key == "hwp":
        ok = head.startswith(OLE2)
    else:
        ok = head.startswith(ZIP) and _zip_matches(path, key)
    if ok:
        return None
    actual = _guess(path, head)
    if actual is None:
        return Message(N_("파일 이름은 {expected} 형식인데 내용이 그 형식이 아닙니다. "
                          "파일이 손상되었거나 확장자가 바뀌지 않았는지 확인해 주세요."), {"expected": expected.label})
    return Message(N_("파일 이름은 {expected} 형식인데 내용은 {actual} 파일입니다. "
                      "파일이 손상되었거나 확장자가 바뀌지 않았는지 확인해 주세요."),
                   {"expected": expected.label, "actual": actual})


def _zip_names(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _zip_matches(path: Path, key: str) -> bool:
    names = _zip_names(path)
    if names is None:
        return False
    if key == "hwpx":
        if "mimetype" not in names:
            return False
        try:
            with zipfile.ZipFile(path) as archive, archive.open("mimetype") as fh:
                mimetype = fh.read(64)
        except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
            return False
        return mimetype.strip().startswith(b"application/hwp")
    folder = OOXML_FOLDERS[key]
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def _guess(path: Path, head: bytes) -> Message | None:
    if head.startswith(PNG):
        return Message(N_("PNG 그림"))
    if head.startswith(JPEG):
        return Message(N_("JPG 사진"))
    if b"%PDF-" in head:
        return Message("PDF")
    if head.startswith(OLE2):
        return Message(N_("HWP 또는 옛 오피스(OLE2)"))
    if head.startswith(ZIP):
        for key in ("hwpx", "pptx", "docx", "xlsx"):
            if _zip_matches(path, key):
                return KINDS[key].label
        return Message(N_("ZIP 압축"))
    return None


# ---------------------------------------------------------------------------------------------
# Storing


def entry_bytes(session: orm.Session, entry: Entry) -> int:
    return session.scalar(sa.select(sa.func.coalesce(sa.func.sum(Attachment.size), 0))
                          .where(Attachment.entry_id == entry.id)) or 0


def store_stream(stream: BinaryIO, name: str, kind: Kind, *, folder: str, max_file: int, room: int,
                 whole: Message) -> tuple[str, int, str]:
    """Read ``stream`` in chunks into a new randomly named file in ``folder``, stopping (and deleting
    the partial file) as soon as ``max_file`` or the ``room`` left (``whole`` names that limit in the
    message) is passed; then check the content against ``kind``. Returns (stored name, size, sha256).
    Raises ``UploadRefused``/``UploadTooLarge``; on any refusal nothing is left on disk."""
    directory = Path(folder)
    directory.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + "." + kind.extensions[0]
    path = directory / stored
    digest = hashlib.sha256()
    size = 0
    try:
        # O_EXCL: never overwrite, never follow a planted link.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_file:
                    raise UploadTooLarge(N_("'{name}'이(가) 파일 한도({limit})를 넘어 받지 않았습니다."),
                                         name=name, limit=byte_size(max_file))
                if size > room:
                    raise UploadTooLarge(N_("'{name}'을(를) 더하면 {whole}를 넘습니다. 남은 용량은 {room}입니다."),
                                         name=name, whole=whole, room=byte_size(max(room, 0)))
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRefused(N_("'{name}'은(는) 빈 파일(0바이트)입니다."), name=name)
        reason = sniff(path, kind)
        if reason:
            raise UploadRefused(N_("'{name}': {reason}"), name=name, reason=reason)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return stored, size, digest.hexdigest()


def save_upload(session: orm.Session, entry: Entry, stream: BinaryIO, filename: str | None, *, folder: str,
                max_file: int, max_entry: int, actor: User | None = None) -> Attachment:
    """Store one upload for ``entry``. Checks the name first, then reads ``stream`` in chunks into a
    randomly named file, stopping (and deleting the partial file) as soon as the per-file or per-entry
    limit is passed, then checks the content. Raises ``UploadRefused``/``UploadTooLarge`` with the reason;
    on any refusal nothing is stored.

    The caller commits; if that fails it must delete ``Path(folder) / attachment.stored_name``.
    """
    name = display_name(filename)
    kind = kind_of_name(name)
    count = session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(Attachment.entry_id == entry.id)) or 0
    if count >= MAX_FILES_PER_ENTRY:
        raise UploadRefused(N_("첨부 파일은 참가작마다 {limit}개까지입니다."), limit=MAX_FILES_PER_ENTRY)
    used = entry_bytes(session, entry)
    room = max_entry - used
    if room <= 0:
        raise UploadTooLarge(N_("참가작의 첨부 파일이 이미 전체 한도({limit})를 채웠습니다."), limit=byte_size(max_entry))
    stored, size, sha256 = store_stream(stream, name, kind, folder=folder, max_file=max_file, room=room,
                                        whole=Message(N_("참가작 전체 한도({limit})"), {"limit": byte_size(max_entry)}))
    attachment = Attachment(original_name=name, stored_name=stored, kind=kind.key,
                            content_type=kind.content_type, size=size, sha256=sha256,
                            uploaded_by=None if actor is None else actor.id, uploaded_at=utcnow())
    entry.attachments.append(attachment)
    session.flush()
    audit.record(session, "attachment.upload", actor=actor, contest_id=entry.contest_id, target_type="attachment",
                 target_id=attachment.id, after={"entry": entry.id, "name": name, "kind": kind.key, "size": size,
                                                 "sha256": attachment.sha256})
    return attachment


def delete_attachment(session: orm.Session, attachment: Attachment, *, actor: User | None = None) -> str:
    """Remove an attachment's record; returns the stored name so the caller deletes the file after
    committing (a failed commit then leaves both in place)."""
    entry = attachment.entry
    before = {"entry": entry.id, "name": attachment.original_name, "size": attachment.size,
              "sha256": attachment.sha256}
    stored = attachment.stored_name
    entry.attachments.remove(attachment)
    session.delete(attachment)
    session.flush()
    audit.record(session, "attachment.delete", actor=actor, contest_id=entry.contest_id, target_type="attachment",
                 target_id=before["entry"], before=before)
    return stored


def stored_path(folder: str, attachment: Attachment) -> Path:
    """The file of an attachment; refuses a stored name that is not a plain file name."""
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", attachment.stored_name):
        raise NotFound(N_("첨부 파일을 찾을 수 없습니다."))
    path = Path(folder) / attachment.stored_name
    if not path.is_file():
        raise NotFound(N_("첨부 파일이 저장소에 없습니다. 담당자에게 알려 주세요."))
    return path


def remove_file(folder: str, stored_name: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name):
        (Path(folder) / stored_name).unlink(missing_ok=True)


class StoredFiles:
    """The files one unit of work wrote to the upload folder, so that a rerun or a failure leaves
    none behind: ``discard()`` at the start of each attempt, ``removed_on_failure()`` around the
    whole unit (the database rows and the files are kept or dropped together)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.names: list[str] = []

    def add(self, stored_name: str) -> None:
        self.names.append(stored_name)

    def discard(self) -> None:
        for name in self.names:
            remove_file(self.folder, name)
        self.names.clear()

    @contextmanager
    def removed_on_failure(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            self.discard()
            raise


# ---------------------------------------------------------------------------------------------
# Reading


def content_disposition(name: str, attachment_id: int | None = None, *, inline: bool = False) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` (RFC 6266 / RFC 5987)."""
    kind = "inline" if inline else "attachment"
    stem, dot, ext = name.rpartition(".")
    ascii_stem = unicodedata.normalize("NFKD", stem if dot else name).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_stem).strip(" ._")
    ascii_ext = re.sub(r"[^A-Za-z0-9]", "", ext) if dot else ""
    if not ascii_stem or set(ascii_stem) <= {"_"}:
        ascii_stem = f"attachment-{attachment_id}" if attachment_id else "attachment"
    fallback = ascii_stem + ("." + ascii_ext if ascii_ext else "")
    encoded = urllib.parse.quote(name, safe="")
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"


def can_read(session: orm.Session, user: User, attachment: Attachment) -> bool:
    """Organizers read everything; a council only its own entry's files; a judge only the files of
    entries it is to score in a round of its contest (never a conflicted one)."""
    entry = attachment.entry
    if user.role == "organizer":
        return True
    if user.role == "council":
        return user.entrant_id is not None and entry.entrant_id == user.entrant_id
    if user.role == "judge":
        if user.contest_id != entry.contest_id:
            return False
        for rnd in session.scalars(sa.select(Round).where(Round.contest_id == entry.contest_id)):
            if entry.id in expected_pairs(session, rnd).get(user.id, []):
                return True
    return False


def get_attachment(session: orm.Session, user: User, attachment_id: int) -> Attachment:
    """The attachment if ``user`` may read it; otherwise ``NotFound`` (never revealing that it exists)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or not can_read(session, user, attachment):
        raise NotFound(N_("첨부 파일을 찾을 수 없습니다."))
    return attachment
