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
