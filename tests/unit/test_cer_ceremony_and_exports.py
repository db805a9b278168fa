"""Ceremony sequence, certificate helpers and exports over plain values (no database)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from judging.services import ceremony, certificates, exports
from judging.services.errors import DomainError
from judging.services.published import (
    Published,
    PublishedAward,
    PublishedContest,
    PublishedEntry,
    PublishedResult,
    PublishedRound,
)

SEAL = (Path(__file__).resolve().parents[2] / "judging" / "demo" / "seal.png").read_bytes()
JUDGE_NAMES = ("김정희", "박성민")


def _contest(order=(), public_scores=False):  # noqa: ANN001, ANN202
    tiers = [SimpleNamespace(key="best", title="최우수", award_name="최우수상", position=1),
             SimpleNamespace(key="excellence", title="우수", award_name="우수상", position=2),
             SimpleNamespace(key="encouragement", title="장려", award_name="장려상", position=3)]
    specials = [SimpleNamespace(key="special", title="특별상", award_name="", position=1)]
    return SimpleNamespace(slug="t-2024", title="2024년 테스트 성과보고회", organizer="테스트시", venue="시청",
                           held_on=dt.date(2024, 12, 4), tiers=tiers, special_awards=specials,
                           ceremony_order=list(order), public_scores=public_scores)


def _entry(key, name, rank, tier, award, score, n=4):  # noqa: ANN001, ANN202
    return PublishedEntry(key=key, entry_id=rank, name=name, district=f"테스트시 {name.split()[0]}",
                          title=f"{name.split()[0]} 사업", rank=rank, tier=tier,
                          tier_title=award[:-1] if award else None, award_name=award, score=score, n=n,
                          dropped=("j1", "j4"))


def _published() -> Published:
    entries = (
        _entry("a", "가동 협의체", 1, "best", "최우수상", "95.50"),
        _entry("b", "나동 협의체", 2, "excellence", "우수상", "90.25"),
        _entry("d", "라동 협의체", 3, "encouragement", "장려상", "88.00"),
        _entry("c", "다동 협의체", 4, "encouragement", "장려상", "80.00", n=3),
        _entry("e", "마동 협의체", 5, None, None, "70.00"),
    )
    special = PublishedEntry(key="z", entry_id=99, name="하동 협의체", district="테스트시 하동", title="하동 사업",
                             rank=None, tier=None, tier_title=None, award_name=None, score=None, n=0)
    awards = (
        PublishedAward("best", "tier", "최우수", "최우수상", 0, entries[0]),
        PublishedAward("excellence", "tier", "우수", "우수상", 1, entries[1]),
        PublishedAward("encouragement", "tier", "장려", "장려상", 2, entries[2]),
        PublishedAward("encouragement", "tier", "장려", "장려상", 2, entries[3]),
        PublishedAward("special", "special", "특별상", "특별상", 3, special, "주민 발굴 활동이 돋보임"),
    )
    payload = {"entries": [{"entry": e.key, "tie_break": None, "dropped": ["j1", "j4"]} for e in entries],
               "rounds": [{"key": "final", "method": "trimmed_mean k=1"}],
               "organizer_only": {"judges": [{"key": "j1", "name": JUDGE_NAMES[0]}]}}
    content = PublishedResult(
        schema=1, contest=PublishedContest(method="trimmed_mean k=1"),
        rounds=(PublishedRound("final", "", method="trimmed_mean k=1"),), tiers=(), entries=entries,
        awards=awards, decisions=(), unresolved_ties=(), payload=payload)
    return Published(contest_id=1, slug="t-2024", version=2, published_at=dt.datetime(2024, 12, 4, 6, 0),
                     digest="d" * 64, content=content)


# --- ceremony --------------------------------------------------------------------------------

def test_default_order_goes_from_the_lowest_tier_up_then_special_awards():
    assert ceremony.default_order(_contest()) == ["encouragement", "excellence", "best", "special"]


def test_stored_order_drops_unknown_awards_and_appends_forgotten_ones():
    contest = _contest(order=["special", "nope", "best", "special"])
    assert ceremony.effective_order(contest) == ["special", "best", "encouragement", "excellence"]


def test_sequence_reveals_one_recipient_at_a_time_in_ceremony_order():
    slides = ceremony.sequence(_contest(), _published())
    kinds = [s["kind"] for s in slides]
    assert kinds == ["title", "award", "reveal", "reveal", "award", "reveal", "award", "reveal", "award", "reveal",
                     "closing"]
    reveals = [(s["award"], s["recipient"]) for s in slides if s["kind"] == "reveal"]
    # 장려 first, its recipients in 가나다 order (not by rank: 라동 ranked above 다동), then up to 최우수.
    assert reveals == [("장려상", "다동 협의체"), ("장려상", "라동 협의체"), ("우수상", "나동 협의체"),
                       ("최우수상", "가동 협의체"), ("특별상", "하동 협의체")]
    assert [s["index"] for s in slides] == list(range(len(slides)))
    assert slides[0]["heading"] == "2024년 테스트 성과보고회" and slides[0]["date"] == "2024년 12월 4일"


def test_sequence_follows_a_configured_order_and_closes_best_award_first():
    slides = ceremony.sequence(_contest(order=["special", "best", "excellence", "encouragement"]), _published())
    awards = [s["award"] for s in slides if s["kind"] == "award"]
    assert awards == ["특별상", "최우수상", "우수상", "장려상"]
    closing = slides[-1]["winners"]
    assert [w["award"] for w in closing] == ["최우수상", "우수상", "장려상", "장려상", "특별상"]


def test_sequence_carries_no_score_rank_or_judge():
    text = json.dumps(ceremony.sequence(_contest(), _published()), ensure_ascii=False)
    for forbidden in ("95.50", "90.25", '"rank"', '"score"', *JUDGE_NAMES, "j1"):
        assert forbidden not in text


def test_set_order_refuses_unknown_repeated_or_missing_awards():
    class Session:
        def flush(self) -> None:
            raise AssertionError("nothing may be written")

    contest = _contest()
    with pytest.raises(DomainError, match="없는 상"):
        ceremony.set_order(Session(), contest, ["best", "excellence", "encouragement", "special", "gold"])
    with pytest.raises(DomainError, match="두 번"):
        ceremony.set_order(Session(), contest, ["best", "best", "excellence", "encouragement", "special"])
    with pytest.raises(DomainError, match="빠진 상이 있습니다: 특별상"):
        ceremony.set_order(Session(), contest, ["best", "excellence", "encouragement"])
    assert contest.ceremony_order == []


# --- certificate helpers ---------------------------------------------------------------------

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


# --- exports ---------------------------------------------------------------------------------

def test_public_csv_lists_award_holders_without_scores_or_judges():
    rows = exports.csv_rows(_contest(), _published(), exports.PUBLIC)
    assert rows[0] == exports.PUBLIC_CSV_HEADERS
    names = [r[0] for r in rows[1:]]
    assert names == ["가동 협의체", "나동 협의체", "라동 협의체", "다동 협의체", "하동 협의체"]
    text = json.dumps(rows, ensure_ascii=False)
    for forbidden in ("95.50", "마동", *JUDGE_NAMES):
        assert forbidden not in text


def test_public_csv_shows_scores_only_when_the_organizer_made_them_public():
    rows = exports.csv_rows(_contest(public_scores=True), _published(), exports.PUBLIC)
    assert rows[0] == exports.PUBLIC_CSV_HEADERS_SCORED
    assert rows[1] == (1, "가동 협의체", "테스트시 가동", "가동 사업", "95.50", "최우수상")
    assert "마동 협의체" in [r[1] for r in rows]


def test_organizer_csv_has_every_entry_with_score_and_n():
    rows = exports.csv_rows(_contest(), _published(), exports.ORGANIZER)
    assert rows[0] == exports.CSV_HEADERS + (exports.JUDGE_TOTALS_HEADER,)
    assert rows[4][:7] == (4, "다동 협의체", "테스트시 다동", "다동 사업", "80.00", 3, "장려상")
    assert rows[-1][1] == "하동 협의체" and rows[-1][6] == "특별상"


def test_public_tally_json_names_no_judge_and_hides_scores():
    data = exports.tally(_contest(), _published(), exports.PUBLIC)
    text = json.dumps(data, ensure_ascii=False)
    for forbidden in ("dropped", "j1", "95.50", "judges", *JUDGE_NAMES):
        assert forbidden not in text
    assert [e["entry"] for e in data["entries"]] == ["a", "b", "d", "c"]
    assert data["special_awards"] == [{"entry": "z", "name": "하동 협의체", "award": "special",
                                       "reason": "주민 발굴 활동이 돋보임"}]


def test_organizer_tally_json_has_the_documented_fields():
    data = exports.tally(_contest(), _published(), exports.ORGANIZER)
    assert data["contest"] == "t-2024" and data["round"] == "final" and data["method"] == "trimmed_mean k=1"
    first = data["entries"][0]
    assert first == {"entry": "a", "name": "가동 협의체", "score": "95.50", "rank": 1, "tier": "best", "judges": 4,
                     "dropped": ["j1", "j4"], "tie_break": None}
    assert data["snapshot"] == {"version": 2, "digest": "d" * 64}
    assert data["unresolved_ties"] == []
