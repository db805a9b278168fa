"""Certificate helpers over plain values (no database): district path, file names, the body
template and the seal check."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from PIL import Image

from judging.services import certificates
from judging.services.errors import DomainError
from tests.support.document_data import SEAL


@pytest.mark.parametrize(("district", "recipient", "expected"), [
    ("고양특례시 일산동구 고봉동", "고봉동 지역사회보장협의체", "고양특례시 일산동구"),
    ("고양특례시 일산동구", "고봉동 지역사회보장협의체", "고양특례시 일산동구"),
    ("고봉동", "고봉동 지역사회보장협의체", None),
    ("", "고봉동 지역사회보장협의체", None),
])
def test_district_path_does_not_repeat_the_dong_of_the_name(district, recipient, expected):
    assert certificates.district_path(district, recipient) == expected


def test_file_names_are_safe_on_every_file_system():
    cert = SimpleNamespace(year=2024, serial=7, award_title="장려상", recipient='가/나:다*동 "협의체"?')
    name = certificates.file_name(cert)
    assert name.startswith("2024-007_장려상_") and name.endswith(".pdf")
    assert not any(ch in name for ch in '/\\:*?"<>|')


def test_the_default_body_fills_every_placeholder():
    contest = SimpleNamespace(certificate_body="", title="2024년 테스트", held_on=dt.date(2024, 12, 4))
    body = certificates.fill(contest, "우수상", "가동 협의체")
    assert "「2024년 테스트」" in body and "우수상" in body and "{" not in body


def test_a_broken_stored_template_is_refused_with_a_korean_message():
    contest = SimpleNamespace(certificate_body="위 {단체}는", title="t", held_on=dt.date(2024, 12, 4))
    with pytest.raises(DomainError, match="자리표시자"):
        certificates.fill(contest, "우수상", "가동")


def _png(mode: str, size=(200, 200)) -> bytes:  # noqa: ANN001
    buf = io.BytesIO()
    Image.new(mode, size, (200, 0, 0, 0) if mode == "RGBA" else (200, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def test_a_transparent_png_seal_is_accepted():
    info = certificates.check_seal(SEAL)
    assert info.transparent and info.width >= 32
    assert certificates.check_seal(_png("RGBA")).transparent
    assert certificates.check_seal(_png("RGB")).transparent is False


@pytest.mark.parametrize(("data", "message"), [
    (b"", "빈 파일"),
    (b"\xff\xd8\xff\xe0" + b"JFIF" + b"\x00" * 200, "PNG 이미지가 아닙니다"),  # a JPEG, whatever its name
    (b"GIF89a" + b"\x00" * 100, "PNG 이미지가 아닙니다"),
    (SEAL[:200], "손상"),  # a truncated PNG
    (certificates.PNG_SIGNATURE + b"\x00" * 64, "손상"),
])
def test_anything_but_a_sound_png_is_refused(data, message):
    with pytest.raises(DomainError, match=message):
        certificates.check_seal(data)


def test_seal_size_limits():
    with pytest.raises(DomainError, match="32~4000"):
        certificates.check_seal(_png("RGBA", (10, 10)))
    with pytest.raises(DomainError, match="MB"):
        certificates.check_seal(certificates.PNG_SIGNATURE + b"\x00" * (certificates.SEAL_MAX_BYTES + 1))
