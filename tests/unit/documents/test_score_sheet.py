import pytest

from judging.documents import render_score_sheet
from tests.support.document_data import score_sheet
from tests.support.documents import pdf_pages, pdf_text, squeeze


def test_score_sheet_names_the_judge_and_the_submission_time():
    text = squeeze(pdf_text(render_score_sheet(score_sheet())))
    assert "채점표" in text and "김심사(○○대학교사회복지학과)" in text
    assert "2024.12.4.15:20" in text
    assert "발표심사" in text


def test_score_sheet_lists_scores_totals_comments_and_recusals():
    text = squeeze(pdf_text(render_score_sheet(score_sheet())))
    assert "1817.5131214" in text and "87.5" in text
    assert "의견:주민참여가돋보임" in text
    assert "이해충돌회피(채점하지않음)" in text


def test_score_sheet_has_pledge_and_signature_box():
    text = squeeze(pdf_text(render_score_sheet(score_sheet())))
    assert "공정하게수행하였으며" in text
    assert "(서명)" in text


def test_unsubmitted_sheet_says_so():
    assert "미제출" in pdf_text(render_score_sheet(score_sheet(submitted=None)))


def test_score_sheet_is_a4():
    page = pdf_pages(render_score_sheet(score_sheet()))[0]
    assert float(page.mediabox.width) == pytest.approx(595.2756, abs=0.01)
    assert float(page.mediabox.height) == pytest.approx(841.8898, abs=0.01)
