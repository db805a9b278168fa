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
