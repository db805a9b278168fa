"""Every WTForms class, on a CSRF base form. Shape checks only; existence and uniqueness
checks belong to the services."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class BaseForm(FlaskForm):
    """All forms carry the CSRF token."""


class SignInForm(BaseForm):
    login = StringField(_l("아이디"), validators=[DataRequired(_l("아이디를 입력해 주세요.")), Length(max=80)],
                        render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField(_l("비밀번호"), validators=[DataRequired(_l("비밀번호를 입력해 주세요.")),
                                                        Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("로그인"))


class CodeForm(BaseForm):
    code = StringField(_l("심사위원 코드"), validators=[DataRequired(_l("코드를 입력해 주세요.")), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters",
                                  "inputmode": "latin", "placeholder": "ABCD-2345", "spellcheck": "false"})
    submit = SubmitField(_l("코드로 입장"))


class SignOutForm(BaseForm):
    submit = SubmitField(_l("로그아웃"))


# --- ceremony and documents (issue 6) --------------------------------------------------------

from flask_wtf.file import FileField as _FileField  # noqa: E402
from flask_wtf.file import FileRequired as _FileRequired  # noqa: E402
from wtforms import HiddenField as _HiddenField  # noqa: E402
from wtforms import TextAreaField as _TextAreaField  # noqa: E402


class SealUploadForm(BaseForm):
    seal = _FileField(_l("직인 이미지 (PNG)"), validators=[_FileRequired(_l("직인 PNG 파일을 골라 주세요."))],
                      render_kw={"accept": "image/png"})
    submit = SubmitField(_l("직인 올리기"))


class ClearSealForm(BaseForm):
    submit = SubmitField(_l("직인 지우기"))


class CertificateBodyForm(BaseForm):
    body = _TextAreaField(_l("상장 본문"), validators=[DataRequired(_l("상장 본문을 입력해 주세요.")), Length(max=2000)],
                          render_kw={"rows": 5})
    submit = SubmitField(_l("본문 저장"))


class AllocateCertificatesForm(BaseForm):
    submit = SubmitField(_l("상장 번호 부여"))


class RevokeCertificateForm(BaseForm):
    reason = StringField(_l("폐기 사유"), validators=[DataRequired(_l("폐기 사유를 입력해 주세요.")), Length(max=500)])
    submit = SubmitField(_l("폐기"))


class CeremonyOrderForm(BaseForm):
    order = _HiddenField(validators=[DataRequired(_l("발표 순서가 비어 있습니다."))])


# --- issue 4: judges (pledge, conflict declaration, rubric fallback, submit) -------------------

from wtforms import BooleanField, HiddenField, RadioField, TextAreaField  # noqa: E402
from wtforms.validators import Optional as OptionalValue  # noqa: E402


class PledgeForm(BaseForm):
    agree = BooleanField(_l("위 서약 내용을 읽었으며 이에 동의합니다."),
                         validators=[DataRequired(_l("서약 내용에 동의해 주세요."))])
    submit = SubmitField(_l("서약하고 계속"))


class ConflictDeclarationBase(BaseForm):
    """Per entry: ``choice-<id>`` (none | conflict) and ``reason-<id>``; built by ``conflict_declaration_form``."""

    entry_ids: tuple[int, ...] = ()
    submit = SubmitField(_l("신고 내용 제출"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        for entry_id in self.entry_ids:
            choice, reason = self[f"choice-{entry_id}"], self[f"reason-{entry_id}"]
            if choice.data == "conflict" and not (reason.data or "").strip():
                reason.errors = [*reason.errors, _l("이해충돌 사유를 적어 주세요.")]
                ok = False
        return ok

    def choices(self) -> dict[int, str | None]:
        return {i: (self[f"reason-{i}"].data or "").strip() if self[f"choice-{i}"].data == "conflict" else None
                for i in self.entry_ids}


def conflict_declaration_form(entry_ids: list[int], **kwargs) -> ConflictDeclarationBase:  # noqa: ANN003
    """A declaration form with one none/conflict choice and one reason box per entry."""
    attrs: dict = {"entry_ids": tuple(entry_ids)}
    for entry_id in entry_ids:
        attrs[f"choice-{entry_id}"] = RadioField(
            _l("이해충돌"), choices=[("none", _l("해당 없음")), ("conflict", _l("이해충돌 있음"))],
            validators=[DataRequired(_l("해당 없음 또는 이해충돌 있음을 골라 주세요."))])
        attrs[f"reason-{entry_id}"] = StringField(_l("사유"), validators=[OptionalValue(), Length(max=500)])
    form_class = type("ConflictDeclarationForm", (ConflictDeclarationBase,), attrs)
    return form_class(**kwargs)


class RubricBase(BaseForm):
    """The entry screen as a plain form (the no-JavaScript fallback); built by ``rubric_form``."""

    criterion_ids: tuple[int, ...] = ()
    comment = TextAreaField(_l("의견"), validators=[OptionalValue(), Length(max=4000)])
    comment_version = HiddenField()
    save = SubmitField(_l("저장"))


def rubric_form(criteria: list[tuple[int, list[str]]], **kwargs) -> RubricBase:  # noqa: ANN003
    """``criteria`` is [(criterion id, allowed value texts)]: a ``score-<id>`` radio (or empty) and a
    ``version-<id>`` hidden field each."""
    attrs: dict = {"criterion_ids": tuple(cid for cid, _ in criteria)}
    for cid, values in criteria:
        attrs[f"score-{cid}"] = RadioField(choices=[("", _l("비움"))] + [(v, v) for v in values],
                                           validators=[OptionalValue()], validate_choice=True)
        attrs[f"version-{cid}"] = HiddenField()
    form_class = type("RubricForm", (RubricBase,), attrs)
    return form_class(**kwargs)


class SubmitSheetForm(BaseForm):
    confirm = SubmitField(_l("제출합니다"))
