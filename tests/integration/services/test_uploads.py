"""Attachments: type by content and by the last extension, size limits while streaming, names kept
for display only, random stored names, RFC 5987 downloads."""

from __future__ import annotations

import io
import os
import re
import unicodedata

import pytest
import sqlalchemy as sa

from judging.models import Attachment, AuditEvent
from judging.services import uploads
from judging.services.errors import TooLarge
from judging.services.uploads import UploadRefused, UploadTooLarge
from tests.support.files import FILES, make_hwp, make_pdf, make_png

MB = 1024 * 1024


@pytest.fixture()
def entry(make_contest):  # noqa: ANN001, ANN201
    contest = make_contest(status="open")
    return next(e for e in contest.entrants if e.key == "delta").entry


def _save(session, entry, data, name, folder, max_file=2 * MB, max_entry=3 * MB):  # noqa: ANN001, ANN202
    return uploads.save_upload(session, entry, io.BytesIO(data), name, folder=str(folder), max_file=max_file,
                               max_entry=max_entry)


def _stored(folder) -> list[str]:  # noqa: ANN001
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_accepted_type_is_stored_under_a_random_name(session, entry, tmp_path, kind):
    data = FILES[kind]()
    attachment = _save(session, entry, data, f"자료.{kind}", tmp_path)
    assert attachment.kind == ("jpg" if kind == "jpg" else kind)
    assert attachment.original_name == f"자료.{kind}"
    assert re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", attachment.stored_name)
    assert (tmp_path / attachment.stored_name).read_bytes() == data
    assert attachment.size == len(data)
    assert _stored(tmp_path) == [attachment.stored_name]


def test_the_last_dot_decides_the_type_and_the_korean_name_is_kept(session, entry, tmp_path):
    attachment = _save(session, entry, make_hwp(), "사업보고서.최종.hwp", tmp_path)
    assert attachment.kind == "hwp" and attachment.content_type == "application/x-hwp"
    assert attachment.original_name == "사업보고서.최종.hwp"
    assert attachment in entry.attachments
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "attachment.upload"))
    assert event.after["name"] == "사업보고서.최종.hwp"


def test_names_are_normalised_nfc_without_control_characters_or_folders(session, entry, tmp_path):
    decomposed = unicodedata.normalize("NFD", "사진.png")
    assert decomposed != "사진.png"
    attachment = _save(session, entry, make_png(), decomposed, tmp_path)
    assert attachment.original_name == "사진.png"
    attachment = _save(session, entry, make_pdf(), "C:\\Users\\동\\Desktop\\보고\x07서\u202e.pdf", tmp_path)
    assert attachment.original_name == "보고서.pdf"


@pytest.mark.parametrize(("data", "name", "message"), [
    (make_png(), "보고서.pdf", "파일 이름은 PDF 형식인데 내용은 PNG 그림 파일입니다"),
    (make_pdf(), "사진.png", "내용은 PDF 파일입니다"),
    (make_pdf(), "보고서.pdf.exe", "'.exe' 파일은 받을 수 없습니다"),
    (make_pdf(), "../../etc/passwd", "상위 폴더 경로"),
    (make_pdf(), "..\\..\\windows\\win.ini.pdf", "상위 폴더 경로"),
    (b"root:x:0:0:root:/root:/bin/bash\n", "/etc/passwd", "확장자가 없어"),
    (make_pdf(), "/", "파일 이름이 비어 있습니다"),
    (b"", "빈파일.pdf", "빈 파일(0바이트)"),
    (make_pdf(), "가" * 296 + ".pdf", "파일 이름이 너무 깁니다 (300자)"),
    (b"PK\x03\x04" + b"\0" * 40, "문서.docx", "워드(DOCX) 형식인데"),
    (FILES["docx"](), "문서.hwpx", "한글(HWPX) 형식인데 내용은 워드(DOCX) 파일입니다"),
    (make_hwp(), "문서.docx", "HWP 또는 옛 오피스"),
])
def test_upload_attacks_are_refused_with_a_message_and_nothing_is_stored(session, entry, tmp_path, data, name,
                                                                          message):
    with pytest.raises(UploadRefused) as info:
        _save(session, entry, data, name, tmp_path)
    assert message in info.value.message
    assert _stored(tmp_path) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert not (tmp_path.parent / "etc").exists()


class CountingStream(io.RawIOBase):
    """An endless upload that records how much was read from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        return b"%PDF-1.4 " + b"x" * (size - 9) if self.read_bytes == size else b"x" * size


def test_an_oversized_file_is_stopped_while_streaming_and_the_partial_file_deleted(session, entry, tmp_path):
    stream = CountingStream()
    with pytest.raises(UploadTooLarge) as info:
        uploads.save_upload(session, entry, stream, "큰파일.pdf", folder=str(tmp_path), max_file=1 * MB,
                            max_entry=100 * MB)
    assert "파일 한도(1 MB)" in info.value.message and isinstance(info.value, TooLarge)
    assert stream.read_bytes <= 1 * MB + uploads.CHUNK  # reading stopped at the limit, not at the end
    assert _stored(tmp_path) == []


def test_the_per_entry_limit_counts_what_is_already_there(session, entry, tmp_path):
    first = _save(session, entry, make_pdf() + b"x" * (600 * 1024), "첫째.pdf", tmp_path, max_file=1 * MB,
                  max_entry=1 * MB)
    with pytest.raises(UploadTooLarge) as info:
        _save(session, entry, make_pdf() + b"x" * (600 * 1024), "둘째.pdf", tmp_path, max_file=1 * MB,
              max_entry=1 * MB)
    assert "참가작 전체 한도(1 MB)" in info.value.message
    assert _stored(tmp_path) == [first.stored_name]


def test_deleting_returns_the_stored_name_for_removal_after_commit(session, entry, tmp_path):
    attachment = _save(session, entry, make_pdf(), "보고서.pdf", tmp_path)
    stored = uploads.delete_attachment(session, attachment)
    assert stored == attachment.stored_name and (tmp_path / stored).exists()
    uploads.remove_file(str(tmp_path), stored)
    assert _stored(tmp_path) == []
    assert entry.attachments == []
    uploads.remove_file(str(tmp_path), "../../etc/passwd")  # never touches anything but stored names


def test_content_disposition_has_an_ascii_fallback_and_the_rfc5987_utf8_name():
    header = uploads.content_disposition("사업보고서.최종.hwp", 7)
    assert header == ("attachment; filename=\"attachment-7.hwp\"; "
                      "filename*=UTF-8''%EC%82%AC%EC%97%85%EB%B3%B4%EA%B3%A0%EC%84%9C.%EC%B5%9C%EC%A2%85.hwp")
    assert uploads.content_disposition("report final.pdf", 3).startswith('attachment; filename="report final.pdf";')
    assert '"' not in uploads.content_disposition('a"b;c.pdf', 1).split("filename=")[1].split(";")[0].strip('"')
