"""The certificates and export commands through the CLI runner."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.demo import load_demo
from tests.support.documents import pdf_pages, workbook_text


def test_certificates_command_writes_one_pdf_per_award_and_a_batch(runner, session, published_demo, tmp_path):
    out = tmp_path / "certs"
    result = runner.invoke(args=["certificates", "goyang-2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "상장 번호 12개를 새로 부여했습니다" in result.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 13 and "goyang-2024-상장-전체.pdf" in files
    assert files[0] == "2024-001_최우수상_고봉동 지역사회보장협의체.pdf"
    assert len(pdf_pages((out / "goyang-2024-상장-전체.pdf").read_bytes())) == 12
    # not a terminal: one plain line per step with its count, no control characters
    for step in ("상장 자료: 12/12", "상장 PDF: 12/12", "일괄 PDF: 12/12"):
        assert step in result.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.output.replace("\n", ""))
    again = runner.invoke(args=["certificates", "goyang-2024", "--out", str(tmp_path / "again")])
    assert again.exit_code == 0 and "새로 부여" not in again.output
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == files


def test_certificates_command_refuses_an_unpublished_contest(runner, session, tmp_path):
    load_demo(session)
    session.commit()
    result = runner.invoke(args=["certificates", "goyang-2024", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "아직 공개된 결과가 없습니다" in result.output
    missing = runner.invoke(args=["certificates", "nope", "--out", str(tmp_path / "x")])
    assert missing.exit_code == 1 and "공모전을 찾을 수 없습니다" in missing.output


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_export_command(runner, published_demo, tmp_path, fmt):
    out = tmp_path / f"result.{fmt}"
    result = runner.invoke(args=["export", "goyang-2024", "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "xlsx":
        assert re.search(r"발표심사 점수: (\d+)/\1 ", result.output)
        assert "김정희" in workbook_text(data)  # the organizer's export has the per-judge sheet
    elif fmt == "csv":
        assert data.decode("utf-8-sig").splitlines()[0] == "순위,참가 단위,지역,사업명,점수,심사위원 수,시상,심사위원별 합계"
    else:
        assert json.loads(data)["entries"][0]["entry"] == "gobong"


def test_export_command_refuses_an_unknown_format(runner, published_demo, tmp_path):
    result = runner.invoke(args=["export", "goyang-2024", "--format", "pdf", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
