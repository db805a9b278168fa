"""Certificates (상장): numbers allocated once per award, the data the renderer draws, revocation,
verification, and the organizer's certificate settings (seal image, body template).

Numbering: one series per (contest, year). A Certificate row is unique per (contest, entry, award);
its serial is the next after the highest ever issued in the series, revoked ones included, so a
number is never reused. Allocation walks the published awards in a fixed order (tiers best first,
rank order within a tier, then special awards), so who asks first never changes the numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from judging.documents.data import CertificateData
from judging.documents.text import TemplateError, check_body_template, fill_body
from judging.formatting import byte_size, certificate_number, date_korean, local_time
from judging.messages import N_, Message
from judging.models import AwardRevocation, Certificate, Contest, Entrant, Entry, User, utcnow
from judging.services import audit, published
from judging.services.errors import DomainError, NotFound

DEFAULT_BODY = (
    "위 단체는 「{contest}」에서 {award}을 수상하였기에 그 공적을 높이 치하하여 이 상장을 수여합니다."
)
BODY_MAX_CHARS = 2000
REASON_MAX_CHARS = 500
SEAL_MAX_BYTES = 2 * 1024 * 1024
SEAL_MIN_PIXELS, SEAL_MAX_PIXELS = 32, 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

VALID, REVOKED, STALE = "valid", "revoked", "stale"


def series_year(contest: Contest) -> int:
    """The year of the contest's certificate series: ``certificate_year`` or the ceremony's year."""
    return contest.certificate_year or contest.held_on.year


# --- allocation ------------------------------------------------------------------------------

def allocate(session: orm.Session, contest: Contest, *, actor: User | None = None,
             result: published.Published | None = None) -> list[Certificate]:
    """Give every award of the latest snapshot a number, if it has none yet; return the new rows.

    Idempotent: awards that already have a certificate (valid or revoked) keep it, and a revoked
    award gets no new one. Raises DomainError when nothing has been published.
    """
    result = result or published.load(session, contest, public=False)
    if result is None:
        raise DomainError(N_("아직 공개된 결과가 없어 상장 번호를 부여할 수 없습니다."))
    # Serialise allocations of one contest (PostgreSQL row lock; SQLite writes are serial anyway).
    session.execute(sa.select(Contest.id).where(Contest.id == contest.id).with_for_update())
    year = series_year(contest)
    existing = {
        (c.entry_id, c.award_key)
        for c in session.scalars(sa.select(Certificate).where(Certificate.contest_id == contest.id))
    }
    last = session.scalar(
        sa.select(sa.func.max(Certificate.serial)).where(Certificate.contest_id == contest.id, Certificate.year == year)
    ) or 0
    created: list[Certificate] = []
    for award in result.awards:
        if award.entry.entry_id is None or (award.entry.entry_id, award.key) in existing:
            continue
        last += 1
        cert = Certificate(
            contest_id=contest.id,
            entry_id=award.entry.entry_id,
            award_key=award.key,
            award_title=award.award_name[:80],
            year=year,
            serial=last,
            number=certificate_number(year, last),
            verify_token=secrets.token_urlsafe(24),
            recipient=award.entry.name[:200],
            snapshot_version=result.version,
        )
        session.add(cert)
        existing.add((award.entry.entry_id, award.key))
        created.append(cert)
    if created:
        session.flush()
        audit.record(
            session, "certificates.allocate", actor=actor, contest_id=contest.id, target_type="contest",
            target_id=contest.slug, after={"numbers": [c.number for c in created], "snapshot": result.version},
        )
    return created


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """A certificate as the organizer's list shows it."""

    certificate: Certificate
    status: str  # valid | revoked | stale (its award is not in the latest snapshot any more)
    entrant: str
    award_position: int


def list_certificates(session: orm.Session, contest: Contest,
                      result: published.Published | None = None) -> list[CertificateRow]:
    """All certificates of the contest in number order, with their status."""
    result = result if result is not None else published.load(session, contest, public=False)
    current = {(a.entry.entry_id, a.key): a.position for a in result.awards} if result else {}
    rows = []
    for cert, entrant in session.execute(
        sa.select(Certificate, Entrant.name)
        .join(Entry, Entry.id == Certificate.entry_id)
        .join(Entrant, Entrant.id == Entry.entrant_id)
        .where(Certificate.contest_id == contest.id)
        .order_by(Certificate.year, Certificate.serial)
    ):
        if cert.revoked_at is not None:
            status = REVOKED
        elif (cert.entry_id, cert.award_key) not in current:
            status = STALE
        else:
            status = VALID
        rows.append(CertificateRow(cert, status, entrant, current.get((cert.entry_id, cert.award_key), 10**6)))
    return rows


def issuable(session: orm.Session, contest: Contest) -> list[Certificate]:
    """The certificates to print: allocated, not revoked, and still matching the latest snapshot."""
    return [row.certificate for row in list_certificates(session, contest) if row.status == VALID]


def get(session: orm.Session, contest: Contest, certificate_id: int) -> Certificate:
    """One certificate of the contest. Raises NotFound (also for another contest's certificate)."""
    cert = session.get(Certificate, certificate_id)
    if cert is None or cert.contest_id != contest.id:
        raise NotFound(N_("상장을 찾을 수 없습니다."))
    return cert


def revoke(session: orm.Session, contest: Contest, certificate_id: int, reason: str, *,
           actor: User | None = None, address: str = "") -> Certificate:
    """Revoke a certificate with a reason. Its number stays taken; the verification page says it
    was revoked. Raises NotFound, or DomainError for a missing reason or a second revocation."""
    cert = get(session, contest, certificate_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError(N_("폐기 사유를 입력해 주세요."), field="reason")
    if len(reason) > REASON_MAX_CHARS:
        raise DomainError(N_("폐기 사유는 {most}자 이내로 적어 주세요."), most=REASON_MAX_CHARS, field="reason")
    if cert.revoked_at is not None:
        raise DomainError(N_("{number}은(는) 이미 폐기된 상장입니다."), number=cert.number)
    cert.revoked_at = utcnow()
    cert.revoke_reason = reason
    session.flush()
    audit.record(
        session, "certificate.revoke", actor=actor, contest_id=contest.id, target_type="certificate",
        target_id=cert.number, before={"revoked": False}, after={"revoked": True, "reason": reason}, address=address,
    )
    return cert


def reissue(session: orm.Session, contest: Contest, certificate_id: int, *, actor: User | None = None,
            address: str = "") -> Certificate:
    """Reissue a revoked certificate under a new number (the next of the series), for the same award
    of the latest published result, to the entrant's current name (a misspelt name corrected since).
    The old certificate stays revoked and points at the new one. Raises NotFound, or DomainError when
    the certificate is valid, already reissued, or its award is no longer in the latest result."""
    old = get(session, contest, certificate_id)
    if old.revoked_at is None:
        raise DomainError(N_("{number}은(는) 유효한 상장입니다. 다시 발급하려면 먼저 사유를 적어 폐기해 주세요."), number=old.number)
    if old.replaced_by_id is not None:
        replacement = session.get(Certificate, old.replaced_by_id)
        raise DomainError(N_("{number}은(는) 이미 {new}(으)로 다시 발급되었습니다."), number=old.number,
                          new=replacement.number if replacement else Message(N_("새 번호")))
    result = published.load(session, contest, public=False)
    award = next((a for a in (result.awards if result else ())
                  if a.entry.entry_id == old.entry_id and a.key == old.award_key), None)
    if award is None or result is None:
        raise DomainError(N_("{number}의 상은 최신 공개 결과에 없어 다시 발급할 수 없습니다."), number=old.number)
    session.execute(sa.select(Contest.id).where(Contest.id == contest.id).with_for_update())
    year = series_year(contest)
    last = session.scalar(
        sa.select(sa.func.max(Certificate.serial)).where(Certificate.contest_id == contest.id, Certificate.year == year)
    ) or 0
    entrant = session.scalar(sa.select(Entrant).join(Entry, Entry.entrant_id == Entrant.id)
                             .where(Entry.id == old.entry_id))
    new = Certificate(contest_id=contest.id, entry_id=old.entry_id, award_key=old.award_key,
                      award_title=award.award_name[:80], year=year, serial=last + 1,
                      number=certificate_number(year, last + 1), verify_token=secrets.token_urlsafe(24),
                      recipient=(entrant.name if entrant else award.entry.name)[:200], snapshot_version=result.version)
    session.add(new)
    session.flush()
    old.replaced_by_id = new.id
    session.flush()
    audit.record(session, "certificate.reissue", actor=actor, contest_id=contest.id, target_type="certificate",
                 target_id=new.number, before={"number": old.number, "recipient": old.recipient},
                 after={"number": new.number, "recipient": new.recipient}, address=address)
    return new


# --- what the renderer draws -----------------------------------------------------------------

def district_path(district: str, recipient: str) -> str | None:
    """The district printed above the recipient, without a last part the name repeats:
    ("고양특례시 일산동구 고봉동", "고봉동 지역사회보장협의체") -> "고양특례시 일산동구"."""
    parts = district.split()
    if parts and recipient.split() and recipient.split()[0] == parts[-1]:
        parts = parts[:-1]
    return " ".join(parts) or None


def body_template(contest: Contest) -> str:
    return contest.certificate_body.strip() or DEFAULT_BODY


def fill(contest: Contest, award: str, recipient: str) -> str:
    """The body with its placeholders filled. Raises DomainError for a broken template."""
    try:
        return fill_body(body_template(contest), contest=contest.title, award=award, recipient=recipient,
                         date=date_korean(contest.held_on))
    except TemplateError as error:
        raise DomainError(N_("상장 본문 서식을 고쳐 주세요: {error}"), error=str(error)) from None


def verify_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{token}"


def certificate_data(session: orm.Session, contest: Contest, cert: Certificate, base_url: str) -> CertificateData:
    """The CertificateData for one allocated certificate (current body template and seal)."""
    entrant = session.scalar(sa.select(Entrant).join(Entry, Entry.entrant_id == Entrant.id)
                             .where(Entry.id == cert.entry_id))
    return CertificateData(
        number=cert.number,
        award_title=cert.award_title,
        recipient=cert.recipient,
        district=district_path(entrant.district if entrant else "", cert.recipient),
        body=fill(contest, cert.award_title, cert.recipient),
        issued_on=contest.held_on,
        issuer_title=contest.issuer,
        issuer_name=contest.issuer_name,
        seal_png=contest.seal_png,
        verify_url=verify_url(base_url, cert.verify_token),
        contest_title=contest.title,
    )


def sample_data(contest: Contest, base_url: str, recipient: str | None = None,
                award: str | None = None, district: str | None = None) -> CertificateData:
    """A specimen (견본) with the contest's current template and seal, for checking before printing."""
    award = award or next((t.award_name or t.title for t in contest.tiers), "최우수상")
    recipient = recipient or (contest.entrants[0].name if contest.entrants else "○○동 지역사회보장협의체")
    if district is None:
        district = district_path(contest.entrants[0].district, recipient) if contest.entrants else None
    return CertificateData(
        number=f"제 {series_year(contest)}-000 호 (견본)",
        award_title=award,
        recipient=recipient,
        district=district,
        body=fill(contest, award, recipient),
        issued_on=contest.held_on,
        issuer_title=contest.issuer,
        issuer_name=contest.issuer_name,
        seal_png=contest.seal_png,
        verify_url=verify_url(base_url, "sample"),
        contest_title=contest.title,
    )


def file_name(cert: Certificate) -> str:
    """E.g. "2024-001_최우수상_고봉동 지역사회보장협의체.pdf" (no characters file systems refuse)."""
    stem = f"{cert.year}-{cert.serial:03d}_{cert.award_title}_{cert.recipient}"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", stem)[:150] + ".pdf"


def for_entrant(session: orm.Session, entrant_id: int) -> list[Certificate]:
    """A council's own certificates that are still valid, once its contest is published."""
    entrant = session.get(Entrant, entrant_id)
    if entrant is None:
        return []
    contest = entrant.contest
    if published.published_snapshot(session, contest) is None:
        return []
    valid = {row.certificate.id for row in list_certificates(session, contest) if row.status == VALID}
    return [c for c in session.scalars(
        sa.select(Certificate).join(Entry, Entry.id == Certificate.entry_id)
        .where(Entry.entrant_id == entrant_id).order_by(Certificate.serial)
    ) if c.id in valid]


# --- verification ----------------------------------------------------------------------------

_NUMBER = re.compile(r"(\d{4})\s*[-–—.]\s*(\d{1,6})")


@dataclass(frozen=True, slots=True)
class Verification:
    """What the public verification page shows for one certificate."""

    number: str
    recipient: str
    district: str
    award: str
    contest_title: str
    organizer: str
    issued_on: dt.date  # the contest's day; the page writes it in the reader's language
    revoked: bool
    revoked_on: dt.date | None  # the day in Korea it was revoked
    replaced_by: str | None = None  # the number that replaced a revoked certificate
    award_revoked: bool = False  # the award itself was taken back (its reason stays with the organizer)


def _korea_date(value: dt.datetime) -> dt.date:
    """Stored times are naive UTC; a date shown to people is the date in Korea."""
    return local_time(value).date()


def verify(session: orm.Session, value: str) -> list[Verification]:
    """Look a certificate up by its verify token (from the QR code) or by its printed number
    ("제 2024-001 호", "2024-001", "2024-1"). A number may exist in more than one contest; all are
    returned. An empty list means the value is unknown."""
    value = (value or "").strip()[:120]
    if not value:
        return []
    certs = list(session.scalars(sa.select(Certificate).where(Certificate.verify_token == value)))
    if not certs:
        match = _NUMBER.search(value)
        if match and int(match.group(2)) > 0:
            number = certificate_number(int(match.group(1)), int(match.group(2)))
            certs = list(session.scalars(sa.select(Certificate).where(Certificate.number == number)
                                         .order_by(Certificate.contest_id)))
    out = []
    for cert in certs:
        contest = session.get_one(Contest, cert.contest_id)
        entrant = session.scalar(sa.select(Entrant).join(Entry, Entry.entrant_id == Entrant.id)
                                 .where(Entry.id == cert.entry_id))
        out.append(Verification(
            number=cert.number,
            recipient=cert.recipient,
            district=(entrant.district if entrant else ""),
            award=cert.award_title,
            contest_title=contest.title,
            organizer=contest.organizer,
            issued_on=contest.held_on,
            revoked=cert.revoked_at is not None,
            revoked_on=_korea_date(cert.revoked_at) if cert.revoked_at else None,
            replaced_by=_replacement_number(session, cert),
            award_revoked=cert.revoked_at is not None and (session.scalar(
                sa.select(sa.func.count()).select_from(AwardRevocation).where(
                    AwardRevocation.contest_id == cert.contest_id, AwardRevocation.entry_id == cert.entry_id,
                    AwardRevocation.award_key == cert.award_key)) or 0) > 0,
        ))
    return out


def _replacement_number(session: orm.Session, cert: Certificate) -> str | None:
    replacement = session.get(Certificate, cert.replaced_by_id) if cert.replaced_by_id else None
    return replacement.number if replacement is not None else None


# --- the organizer's settings ----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SealInfo:
    width: int
    height: int
    transparent: bool


def check_seal(data: bytes) -> SealInfo:
    """Check that ``data`` is a PNG by its content, of a sensible size, that decodes. Raises
    DomainError with the reason."""
    if not data:
        raise DomainError(N_("빈 파일입니다. 직인 PNG 파일을 골라 주세요."), field="seal")
    if len(data) > SEAL_MAX_BYTES:
        raise DomainError(N_("직인 이미지는 {most} 이하여야 합니다."), most=byte_size(SEAL_MAX_BYTES), field="seal")
    if not data.startswith(PNG_SIGNATURE):
        raise DomainError(N_("PNG 이미지가 아닙니다. 파일 이름이 아니라 내용을 확인합니다: 투명 배경 PNG로 저장해 올려 주세요."),
                          field="seal")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise DomainError(N_("PNG 이미지가 아닙니다."), field="seal")
            width, height = image.size
            if not (SEAL_MIN_PIXELS <= width <= SEAL_MAX_PIXELS and SEAL_MIN_PIXELS <= height <= SEAL_MAX_PIXELS):
                raise DomainError(
                    N_("직인 이미지는 가로·세로 {least}~{most}픽셀이어야 합니다 (지금 {width}×{height})."),
                    least=SEAL_MIN_PIXELS, most=SEAL_MAX_PIXELS, width=width, height=height,
                    field="seal")
            image.load()
            transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(N_("손상되었거나 읽을 수 없는 PNG 파일입니다."), field="seal") from None
    return SealInfo(width, height, transparent)


def set_seal(session: orm.Session, contest: Contest, data: bytes, *, actor: User | None = None,
             address: str = "") -> SealInfo:
    """Store the seal image as uploaded (bytes unchanged, so its transparency is kept)."""
    info = check_seal(data)
    had = contest.seal_png is not None
    contest.seal_png = data
    session.flush()
    audit.record(session, "contest.seal", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"seal": had},
                 after={"seal": True, "width": info.width, "height": info.height, "bytes": len(data)},
                 address=address)
    return info


def clear_seal(session: orm.Session, contest: Contest, *, actor: User | None = None, address: str = "") -> None:
    if contest.seal_png is None:
        return
    contest.seal_png = None
    session.flush()
    audit.record(session, "contest.seal", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"seal": True}, after={"seal": False}, address=address)


def set_body(session: orm.Session, contest: Contest, text: str, *, actor: User | None = None,
             address: str = "") -> None:
    """Store the certificate body template. Raises DomainError for an empty, too long or broken
    template (an unknown placeholder is named in the message)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError(N_("상장 본문을 입력해 주세요."), field="body")
    if len(text) > BODY_MAX_CHARS:
        raise DomainError(N_("상장 본문은 {most}자 이내여야 합니다."), most=BODY_MAX_CHARS, field="body")
    try:
        check_body_template(text)
    except TemplateError as error:
        raise DomainError(str(error), field="body") from None
    before = contest.certificate_body
    contest.certificate_body = text
    session.flush()
    audit.record(session, "contest.certificate_body", actor=actor, contest_id=contest.id, target_type="contest",
                 target_id=contest.slug, before={"body": before}, after={"body": text}, address=address)
