from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from judging.documents.fonts import SERIF, SERIF_BOLD, register_fonts
from judging.documents.text import (
    BODY_PLACEHOLDERS,
    TemplateError,
    check_body_template,
    fill_body,
    fit_lines,
    wrap_label,
    wrap_words,
)

register_fonts()

hangul = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
word = st.text(alphabet=st.one_of(hangul, st.sampled_from("0123456789·「」()-.,")), min_size=1, max_size=14)
words = st.lists(word, min_size=1, max_size=40)
spaces = st.sampled_from([" ", "  ", " \t"])


@settings(max_examples=200, deadline=None)
@given(words=words, sep=spaces, size=st.floats(8, 30), width=st.floats(40, 450), font=st.sampled_from([SERIF, SERIF_BOLD]))
def test_wrapping_breaks_only_at_spaces_and_keeps_every_word_in_order(words, sep, size, width, font):
    text = sep.join(words)
    lines = wrap_words(text, font, size, width)
    # No word is split or lost: the words of the lines, in order, are the words of the text.
    assert [w for line in lines for w in line.split(" ")] == words
    for line in lines:
        assert line == line.strip() and "  " not in line
        if " " in line:  # a line of several words never overflows; a lone word may
            assert stringWidth(line, font, size) <= width + 1e-6


@settings(max_examples=100, deadline=None)
@given(words=words, width=st.floats(40, 450))
def test_wrapping_is_greedy_so_the_next_word_would_not_have_fitted(words, width):
    text = " ".join(words)
    lines = wrap_words(text, SERIF, 12, width)
    for line, following in pairwise(lines):
        first_next = following.split(" ")[0]
        assert stringWidth(f"{line} {first_next}", SERIF, 12) > width


@settings(max_examples=100, deadline=None)
@given(words=words, width=st.floats(30, 300))
def test_fitting_shrinks_type_until_no_word_overflows(words, width):
    size, lines = fit_lines(" ".join(words), SERIF_BOLD, width, 24, 10)
    assert size <= 24
    for line in lines:
        assert stringWidth(line, SERIF_BOLD, size) <= width + 1e-6
    assert " ".join(lines).split() == words


def test_fitting_to_a_line_count_shrinks_then_wraps():
    text = "고봉동 지역사회보장협의체 민관협력 특화사업추진단 및 고봉동행정복지센터 맞춤형복지팀"
    size, lines = fit_lines(text, SERIF_BOLD, 300, 24, 16, max_lines=1)
    assert len(lines) > 1 and size == pytest.approx(16, abs=0.5)
    size2, lines2 = fit_lines(text, SERIF_BOLD, 300, 16, 8, max_lines=2)
    assert len(lines2) == 2 and all(stringWidth(line, SERIF_BOLD, size2) <= 300 for line in lines2)


def test_blank_text_wraps_to_nothing():
    assert wrap_words("   ", SERIF, 12, 100) == []


def test_labels_may_break_after_a_middle_dot_but_not_inside_a_word():
    lines = wrap_label("지속가능성·확산가능성 (10)", SERIF_BOLD, 8, 50)
    assert lines == ["지속가능성·", "확산가능성", "(10)"]


def test_body_template_is_filled():
    body = fill_body(
        "위 단체는 「{contest}」에서 {award}을 받았으며 {recipient}에 {date} 수여합니다. {{괄호}}",
        contest="2024년 성과보고회",
        award="최우수상",
        recipient="고봉동",
        date="2024년 12월 4일",
    )
    assert body == "위 단체는 「2024년 성과보고회」에서 최우수상을 받았으며 고봉동에 2024년 12월 4일 수여합니다. {괄호}"


def test_unknown_placeholder_is_refused_with_the_allowed_names():
    with pytest.raises(TemplateError) as err:
        fill_body("{contest}에서 {prize}", contest="대회", award="상")
    assert "{prize}" in str(err.value) and "{contest}" in str(err.value) and "{award}" in str(err.value)


@pytest.mark.parametrize(
    "template",
    ["{}", "{0}", "{contest.__class__}", "{contest[0]}", "{contest!r}", "{contest:>10}", "{contest", "contest}"],
)
def test_positional_attribute_and_format_fields_are_refused(template):
    with pytest.raises(TemplateError):
        check_body_template(template)


def test_template_check_accepts_every_offered_placeholder():
    check_body_template(" ".join("{" + name + "}" for name in BODY_PLACEHOLDERS))
