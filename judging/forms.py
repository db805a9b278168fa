"""Every WTForms class, on one CSRF base form. Shape checks only (required, length, pattern, range);
existence and uniqueness checks belong to the services. Choices of select fields the database
decides are filled in by the views.

Sections follow the screens: signing in, the judge's tablet, the organizer's tabs (set-up,
intake, judges, the day, results, documents, audit), the councils, the audience panel, approval
and objections.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from judging.inputs import bounded_id, has_control_characters
from judging.patterns import DECIMAL_PATTERN, KEY_PATTERN, SLUG_PATTERN


class BaseForm(FlaskForm):
    """All forms carry the CSRF token, and no field accepts control characters (NUL and the like:
    PostgreSQL refuses NUL in text and nobody types the others); each such field gets a message."""

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        ok = super().validate(extra_validators)
        for field in self:
            if isinstance(field.data, str) and has_control_characters(field.data):
                field.errors = [*field.errors, _l("입력에 쓸 수 없는 제어 문자(NUL 등)가 들어 있습니다. 글자만 입력해 주세요.")]
                ok = False
        return ok


def _choices(pairs: list[tuple[str, object]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


KEY = Regexp(KEY_PATTERN, message=_l("영문 소문자·숫자·-·_ 로 1~40자여야 합니다."))
NUMBER = Regexp(DECIMAL_PATTERN, message=_l("숫자를 입력해 주세요 (예: 20, 0.5)."))
#: what a key field shows the browser: no capitals, no spelling marks
KEY_INPUT = {"autocapitalize": "none", "spellcheck": "false"}


def _key_field(label: str, placeholder: str) -> StringField:
    return StringField(label, validators=[DataRequired(_l("키를 입력해 주세요.")), KEY],
                       render_kw={"placeholder": placeholder, **KEY_INPUT})


def _reason(label: str, required: str, most: int) -> StringField:
    return StringField(label, validators=[DataRequired(required), Length(max=most)])


def _minutes() -> TextAreaField:
    return TextAreaField(_l("회의록"), validators=[Optional(), Length(max=10000)], render_kw={"rows": 3})


# --- signing in ---------------------------------------------------------------------------------

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


class LinkSignInForm(BaseForm):
    """The one button behind a judge's card link (QR) or a council's invitation link: the GET only
    shows it, the POST signs in."""

    submit = SubmitField(_l("심사 시작"))


class SignOutForm(BaseForm):
    submit = SubmitField(_l("로그아웃"))


class ActionForm(BaseForm):
    """A button that only needs the CSRF token (open a round, accept an entry, delete a row...)."""

    submit = SubmitField(_l("확인"))


#: a page of the organizer area of this site (never another site: no ``//``, no backslash)
ORGANIZER_PAGE = Regexp(r"^/organizer/[^\\]*$", message=_l("돌아갈 곳은 이 사이트의 주최 측 화면이어야 합니다."))


class BackForm(BaseForm):
    """Where a button returns to: the hidden ``back`` field a page posts beside its action's form
    (the action's form checks the CSRF token and may carry a prefix; this one is read unprefixed).
    Only a page of the organizer area is followed; anything else falls back to the view's own page."""

    class Meta:
        csrf = False

    back = StringField(validators=[Optional(), Length(max=2000), ORGANIZER_PAGE])

    def page(self, default: str) -> str:
        """The page to return to: the posted one when it is valid, else ``default``."""
        return (self.back.data if self.validate() else "") or default


# --- the judge's tablet: pledge, conflict declaration, the no-JavaScript rubric, submit ----------

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
            _l("이해충돌"), choices=[SelectChoice("none", _l("해당 없음")), SelectChoice("conflict", _l("이해충돌 있음"))],
            validators=[DataRequired(_l("해당 없음 또는 이해충돌 있음을 골라 주세요."))])
        attrs[f"reason-{entry_id}"] = StringField(_l("사유"), validators=[Optional(), Length(max=500)])
    form_class = type("ConflictDeclarationForm", (ConflictDeclarationBase,), attrs)
    return form_class(**kwargs)


class RubricBase(BaseForm):
    """The entry screen as a plain form (the no-JavaScript fallback); built by ``rubric_form``."""

    criterion_ids: tuple[int, ...] = ()
    comment = TextAreaField(_l("의견"), validators=[Optional(), Length(max=4000)])
    comment_version = HiddenField()
    save = SubmitField(_l("저장"))


def rubric_form(criteria: list[tuple[int, list[str]]], **kwargs) -> RubricBase:  # noqa: ANN003
    """``criteria`` is [(criterion id, allowed value texts)]: a ``score-<id>`` radio (or empty) and a
    ``version-<id>`` hidden field each."""
    attrs: dict = {"criterion_ids": tuple(cid for cid, _ in criteria)}
    for cid, values in criteria:
        attrs[f"score-{cid}"] = RadioField(choices=[SelectChoice("", _l("비움"))] + [SelectChoice(v, v) for v in values],
                                           validators=[Optional()], validate_choice=True)
        attrs[f"version-{cid}"] = HiddenField()
    form_class = type("RubricForm", (RubricBase,), attrs)
    return form_class(**kwargs)


class SubmitSheetForm(BaseForm):
    # The signature drawn on the tablet: JSON strokes (judge-sign.js); empty without JavaScript.
    signature = HiddenField(validators=[Length(max=200_000)])
    confirm = SubmitField(_l("제출합니다"))


# --- organizer: set-up (contest, rounds, criteria, tiers, special awards, tie-break) -------------

class ContestCreateForm(BaseForm):
    title = StringField(_l("공모전 이름"), validators=[DataRequired(_l("공모전 이름을 입력해 주세요.")), Length(max=200)],
                        render_kw={"placeholder": _l("2025년 복지업무 우수 동 성과보고회")})
    slug = StringField(_l("주소 이름 (영문)"),
                       validators=[DataRequired(_l("주소 이름을 입력해 주세요.")), Length(max=80),
                                   Regexp(SLUG_PATTERN, message=_l("영문 소문자·숫자·- 만 쓸 수 있습니다."))],
                       render_kw={"placeholder": "goyang-2025", **KEY_INPUT})
    organizer = StringField(_l("주최"), validators=[DataRequired(_l("주최를 입력해 주세요.")), Length(max=120)],
                            render_kw={"placeholder": _l("고양특례시")})
    issuer = StringField(_l("상장 발급자(직함)"), validators=[DataRequired(_l("발급자를 입력해 주세요.")), Length(max=120)],
                         render_kw={"placeholder": _l("고양특례시장")})
    issuer_name = StringField(_l("발급자 이름"), validators=[Optional(), Length(max=80)])
    held_on = DateField(_l("개최일"), validators=[DataRequired(_l("개최일을 입력해 주세요."))])
    venue = StringField(_l("장소"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("공모전 만들기"))


class ContestEditForm(BaseForm):
    title = StringField(_l("공모전 이름"), validators=[DataRequired(_l("공모전 이름을 입력해 주세요.")), Length(max=200)])
    organizer = StringField(_l("주최"), validators=[DataRequired(_l("주최를 입력해 주세요.")), Length(max=120)])
    issuer = StringField(_l("상장 발급자(직함)"), validators=[DataRequired(_l("발급자를 입력해 주세요.")), Length(max=120)])
    issuer_name = StringField(_l("발급자 이름"), validators=[Optional(), Length(max=80)])
    held_on = DateField(_l("개최일"), validators=[DataRequired(_l("개최일을 입력해 주세요."))])
    venue = StringField(_l("장소"), validators=[Optional(), Length(max=200)])
    final_mode = SelectField(_l("최종 순위 방식"), choices=_choices([("last", _l("마지막 라운드 점수로 순위")),
                                                                 ("weighted", _l("라운드 가중 합산"))]))
    rank_precision = SelectField(
        _l("순위 비교 자릿수"), default=None, validate_choice=False,  # the service checks the value
        choices=_choices([("0", _l("정수로 반올림해 비교")), ("1", _l("소수 첫째 자리까지")),
                          ("2", _l("소수 둘째 자리까지 (표시 점수)")), ("3", _l("소수 셋째 자리까지")),
                          ("4", _l("소수 넷째 자리까지")), ("exact", _l("반올림하지 않은 정확한 값"))]),
        description=_l("순위·동점·수상 기준·진출 경계와 동점 처리의 모든 단계가 이 자릿수에서 반올림한 점수로 비교됩니다."))
    certificate_year = IntegerField(_l("상장 번호 연도"), validators=[Optional(), NumberRange(1901, 2999)])
    public_scores = BooleanField(_l("공개 결과 화면에 점수도 보입니다"))
    review_notes = TextAreaField(_l("심사평 (시상식에서 읽는 글)"), validators=[Optional(), Length(max=5000)],
                                 render_kw={"rows": 4})
    submit = SubmitField(_l("공모전 정보 저장"))


class ContestFileUploadForm(BaseForm):
    file = FileField(_l("공모전 파일 (TOML)"), validators=[FileRequired(_l("파일을 골라 주세요."))],
                     render_kw={"accept": ".toml,text/plain"})
    replace = BooleanField(_l("같은 주소 이름의 준비 중인 공모전을 이 파일로 바꿉니다"))
    submit = SubmitField(_l("공모전 파일 올리기"))


class RoundForm(BaseForm):
    key = _key_field(_l("라운드 키 (영문)"), "final")
    title = StringField(_l("라운드 이름"), validators=[DataRequired(_l("라운드 이름을 입력해 주세요.")), Length(max=120)],
                        render_kw={"placeholder": _l("발표심사")})
    aggregation = SelectField(_l("집계 방식"), choices=_choices([
        ("mean", _l("평균")), ("trimmed_mean", _l("최고점·최저점 제외 평균")),
        ("median", _l("중앙값")), ("zscore_mean", _l("표준점수(z) 평균"))]))
    trim = IntegerField(_l("제외 개수 (위·아래 각각)"), default=0, validators=[Optional(), NumberRange(0, 10)])
    weight = StringField(_l("라운드 가중치"), default="1", validators=[Optional(), NUMBER])
    advance = IntegerField(_l("다음 라운드 진출 수 (서류심사만)"), validators=[Optional(), NumberRange(1, 1000)])
    submit = SubmitField(_l("라운드 저장"))


class CriterionForm(BaseForm):
    key = _key_field(_l("기준 키 (영문)"), "need")
    title = StringField(_l("심사 기준"), validators=[DataRequired(_l("심사 기준 이름을 입력해 주세요.")), Length(max=120)],
                        render_kw={"placeholder": _l("사업의 필요성·적절성")})
    max_points = StringField(_l("배점"), validators=[DataRequired(_l("배점을 입력해 주세요.")), NUMBER],
                             render_kw={"inputmode": "decimal", "placeholder": "20"})
    scale = SelectField(_l("채점 척도"), choices=_choices([("grades", _l("5등급 (100/90/80/70/60%)")),
                                                       ("points", _l("1점 단위")),
                                                       ("half_points", _l("0.5점 단위"))]))
    weight = StringField(_l("기준 가중치"), default="1", validators=[Optional(), NUMBER])
    guidance = TextAreaField(_l("채점 안내"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField(_l("심사 기준 저장"))


class TierForm(BaseForm):
    key = _key_field(_l("등급 키 (영문)"), "best")
    title = StringField(_l("등급 이름"), validators=[DataRequired(_l("등급 이름을 입력해 주세요.")), Length(max=80)],
                        render_kw={"placeholder": _l("최우수")})
    award_name = StringField(_l("상 이름"), validators=[Optional(), Length(max=80)],
                             render_kw={"placeholder": _l("최우수상")})
    count = IntegerField(_l("정원"), validators=[Optional(), NumberRange(1, 1000)])
    threshold = StringField(_l("또는 기준 점수"), validators=[Optional(), NUMBER])
    submit = SubmitField(_l("등급 저장"))


class SpecialAwardForm(BaseForm):
    key = _key_field(_l("특별상 키 (영문)"), "special")
    title = StringField(_l("특별상 이름"), validators=[DataRequired(_l("이름을 입력해 주세요.")), Length(max=80)],
                        render_kw={"placeholder": _l("특별상")})
    award_name = StringField(_l("상 이름"), validators=[Optional(), Length(max=80)])
    submit = SubmitField(_l("특별상 저장"))


class TieBreakBase(BaseForm):
    steps_count = 6
    submit = SubmitField(_l("동점 처리 순서 저장"))

    def steps(self) -> list[str]:
        return [self[f"step{i}"].data for i in range(1, self.steps_count + 1) if self[f"step{i}"].data]


def tie_break_form(choices: list[tuple[str, str]], current: list[str], **kwargs) -> TieBreakBase:  # noqa: ANN003
    """One select per cascade place (1st, 2nd, ...), each with every step or "(없음)"."""
    count = max(TieBreakBase.steps_count, len(current) + 1)
    attrs: dict = {"steps_count": count}
    options = _choices([("", _l("(없음)")), *choices])
    for i in range(1, count + 1):
        attrs[f"step{i}"] = SelectField(_l("%(n)s순위", n=i), choices=options,
                                        default=current[i - 1] if i <= len(current) else "")
    form_class = type("TieBreakForm", (TieBreakBase,), attrs)
    return form_class(**kwargs)


class StatusForm(BaseForm):
    target = HiddenField(validators=[DataRequired()])
    confirm = BooleanField(_l("위 확인 사항을 알고 진행합니다"))
    submit = SubmitField(_l("진행"))


class UnlockForm(BaseForm):
    reason = _reason(_l("확정을 푸는 사유"), _l("사유를 입력해 주세요."), 500)
    submit = SubmitField(_l("확정 풀기"))


# --- organizer: entrants and intake ---------------------------------------------------------------

class EntrantForm(BaseForm):
    """One entrant, added or corrected in the browser. The key is given only when adding."""

    key = StringField(_l("키 (영문, 비우면 자동)"), validators=[Optional(), Length(max=40)],
                      render_kw={**KEY_INPUT, "placeholder": "gobong"})
    name = StringField(_l("이름"), validators=[DataRequired(_l("이름을 입력해 주세요.")), Length(max=120)],
                       render_kw={"placeholder": _l("고봉동 지역사회보장협의체")})
    district = StringField(_l("행정구역"), validators=[Optional(), Length(max=160)],
                           render_kw={"placeholder": _l("고양특례시 일산동구 고봉동")})
    contact_name = StringField(_l("담당자"), validators=[Optional(), Length(max=80)])
    contact_email = StringField(_l("이메일"), validators=[Optional(), Email(_l("이메일 형식이 아닙니다.")),
                                                        Length(max=200)])
    submit = SubmitField(_l("참가자 저장"))


class EntrantImportForm(BaseForm):
    file = FileField(_l("참가자 파일 (CSV 또는 Excel .xlsx)"), validators=[FileRequired(_l("파일을 골라 주세요."))],
                     render_kw={"accept": ".csv,.xlsx,text/csv"})
    submit = SubmitField(_l("참가자 불러오기"))


class DeadlineForm(BaseForm):
    deadline = DateTimeLocalField(_l("접수 마감 일시"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    submit = SubmitField(_l("마감 일시 저장"))


class ReturnEntryForm(BaseForm):
    reason = TextAreaField(_l("반려 사유 (협의체에 보입니다)"),
                           validators=[DataRequired(_l("반려 사유를 입력해 주세요.")), Length(max=2000)],
                           render_kw={"rows": 2})
    submit = SubmitField(_l("반려"))


class FinalistsForm(BaseForm):
    entries = CheckboxListField(_l("심사 대상"), coerce=int, validate_choice=True)
    submit = SubmitField(_l("심사 대상 저장"))


class AdvanceTopForm(BaseForm):
    source = SelectField(_l("서류심사 라운드"), coerce=int)
    target = SelectField(_l("진출할 라운드"), coerce=int)
    count = IntegerField(_l("진출 수"), validators=[DataRequired(_l("진출 수를 입력해 주세요.")), NumberRange(1, 1000)])
    submit = SubmitField(_l("상위 작품 진출"))


# --- organizer: judges, conflicts, assignments, the day --------------------------------------------

class JudgeForm(BaseForm):
    name = StringField(_l("이름"), validators=[DataRequired(_l("이름을 입력해 주세요.")), Length(max=80)])
    affiliation = StringField(_l("소속"), validators=[Optional(), Length(max=160)])
    email = StringField(_l("이메일"), validators=[Optional(), Email(_l("이메일 형식이 아닙니다.")), Length(max=200)])
    key = StringField(_l("키 (비우면 자동)"), validators=[Optional(), KEY], render_kw=KEY_INPUT)
    submit = SubmitField(_l("심사위원 등록"))


class ConflictForm(BaseForm):
    judge = SelectField(_l("심사위원"), coerce=int)
    entry = SelectField(_l("참가작"), coerce=int)
    reason = _reason(_l("사유"), _l("사유를 입력해 주세요."), 500)
    submit = SubmitField(_l("이해충돌 기록"))


class BalancedAssignmentForm(BaseForm):
    per_entry = IntegerField(_l("참가작마다 심사위원 수"),
                             validators=[DataRequired(_l("인원을 입력해 주세요.")), NumberRange(1, 100)])
    submit = SubmitField(_l("자동 균형 배정"))


class AssignmentMatrixForm(BaseForm):
    """The judge × entry matrix as ticked: each ``pair`` is ``judge id:entry id``."""

    pair = SelectMultipleField(validate_choice=False)

    def validate_pair(self, field: SelectMultipleField) -> None:
        for raw in field.data or []:
            judge_id, _sep, entry_id = raw.partition(":")
            if bounded_id(judge_id) is None or bounded_id(entry_id) is None:
                raise ValidationError(_l("배정 칸의 값이 올바르지 않습니다. 페이지를 새로 고친 뒤 다시 저장해 주세요."))

    def pairs(self) -> set[tuple[int, int]]:
        """The ticked (judge id, entry id) pairs; call after a successful validation."""
        return {(int(judge_id), int(entry_id))
                for judge_id, _sep, entry_id in (raw.partition(":") for raw in self.pair.data or [])}


class ReopenSheetForm(BaseForm):
    judge = SelectField(_l("심사위원"), coerce=int)
    reason = _reason(_l("다시 여는 사유"), _l("사유를 입력해 주세요."), 500)
    submit = SubmitField(_l("채점표 다시 열기"))


# --- organizer: results (tie decisions, special awards, publishing) ----------------------------------

class TierDecisionForm(BaseForm):
    tier = HiddenField(validators=[DataRequired()])
    entries = CheckboxListField(_l("윗 등급을 받을 참가작"), validate_choice=True)
    reason = _reason(_l("결정 사유"), _l("결정 사유를 입력해 주세요."), 1000)
    minutes = _minutes()
    submit = SubmitField(_l("동점 결정 기록"))


class DecisionTargetForm(BaseForm):
    """Which tie a decision form answers: a tier's key, a round's key or a shared rank, posted
    unprefixed beside the decision form, whose fields carry it as their prefix (that form checks
    the CSRF token)."""

    class Meta:
        csrf = False

    tier_key = StringField(_l("등급"), validators=[Optional(), KEY])
    round_key_prefix = StringField(_l("라운드"), validators=[Optional(), KEY])
    rank = IntegerField(_l("순위"), validators=[Optional(), NumberRange(1, 1_000_000)])


class OrderDecisionForm(BaseForm):
    order = _reason(_l("순서 (앞이 윗순위, 쉼표로 구분한 키)"), _l("순서를 입력해 주세요."), 2000)
    reason = _reason(_l("결정 사유"), _l("결정 사유를 입력해 주세요."), 1000)
    minutes = _minutes()
    submit = SubmitField(_l("순서 결정 기록"))


class AdvanceDecisionForm(BaseForm):
    round_key = HiddenField(validators=[DataRequired()])
    entries = CheckboxListField(_l("진출할 참가작"), validate_choice=True)
    reason = _reason(_l("결정 사유"), _l("결정 사유를 입력해 주세요."), 1000)
    minutes = _minutes()
    submit = SubmitField(_l("진출 결정 기록"))


class SpecialDesignationForm(BaseForm):
    award = SelectField(_l("특별상"), validators=[DataRequired(_l("특별상을 골라 주세요."))])
    entry = SelectField(_l("받을 참가작"), validators=[DataRequired(_l("받을 참가작을 골라 주세요."))])
    reason = _reason(_l("선정 사유"), _l("선정 사유를 입력해 주세요."), 1000)
    submit = SubmitField(_l("특별상 지정"))


class WithdrawDecisionForm(BaseForm):
    reason = _reason(_l("철회 사유"), _l("철회 사유를 입력해 주세요."), 500)
    submit = SubmitField(_l("철회"))


class PublishForm(BaseForm):
    note = StringField(_l("발표 메모 (새 판의 변경 이유 등)"), validators=[Optional(), Length(max=500)])
    confirm = BooleanField(_l("위 내용이 공개되는 것을 확인했습니다"),
                           validators=[DataRequired(_l("공개할 내용을 확인했다고 표시해 주세요."))])
    accept_weights = BooleanField(_l("실제 가중치 경고를 확인했고 이대로 공개합니다"))
    submit = SubmitField(_l("결과 공개"))


class RevokeAwardForm(BaseForm):
    award = SelectField(_l("취소할 상"), validators=[DataRequired(_l("취소할 상을 골라 주세요."))])
    reason = _reason(_l("취소 사유"), _l("취소 사유를 적어 주세요."), 1000)
    submit = SubmitField(_l("수상 취소하기"))


# --- organizer: documents and the ceremony -----------------------------------------------------------

class SealUploadForm(BaseForm):
    seal = FileField(_l("직인 이미지 (PNG)"), validators=[FileRequired(_l("직인 PNG 파일을 골라 주세요."))],
                     render_kw={"accept": "image/png"})
    submit = SubmitField(_l("직인 올리기"))


class ClearSealForm(BaseForm):
    submit = SubmitField(_l("직인 지우기"))


class CertificateBodyForm(BaseForm):
    body = TextAreaField(_l("상장 본문"), validators=[DataRequired(_l("상장 본문을 입력해 주세요.")), Length(max=2000)],
                         render_kw={"rows": 5})
    submit = SubmitField(_l("본문 저장"))


class AllocateCertificatesForm(BaseForm):
    submit = SubmitField(_l("상장 번호 부여"))


class RevokeCertificateForm(BaseForm):
    reason = _reason(_l("폐기 사유"), _l("폐기 사유를 입력해 주세요."), 500)
    submit = SubmitField(_l("폐기"))


class CeremonyOrderForm(BaseForm):
    order = HiddenField(validators=[DataRequired(_l("발표 순서가 비어 있습니다."))])


# --- organizer: the audit record ------------------------------------------------------------------------

class AuditFilterForm(BaseForm):
    """A GET filter: no CSRF token needed (it changes nothing)."""

    class Meta:
        csrf = False

    action = SelectField(_l("동작"), validators=[Optional()])
    actor = StringField(_l("누가 (이름·아이디 일부)"), validators=[Optional(), Length(max=80)])
    date_from = DateField(_l("시작일"), validators=[Optional()])
    date_to = DateField(_l("종료일"), validators=[Optional()])
    submit = SubmitField(_l("찾기"))


# --- councils: password, the entry, its attachments ------------------------------------------------------

class CouncilPasswordForm(BaseForm):
    current = PasswordField(_l("현재 비밀번호"), validators=[DataRequired(_l("현재 비밀번호를 입력해 주세요.")),
                                                         Length(max=200)],
                            render_kw={"autocomplete": "current-password"})
    password = PasswordField(_l("새 비밀번호 (8자 이상)"),
                             validators=[DataRequired(_l("비밀번호를 입력해 주세요.")),
                                         Length(min=8, max=200, message=_l("비밀번호는 8자 이상이어야 합니다."))],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("새 비밀번호 확인"), validators=[DataRequired(_l("한 번 더 입력해 주세요."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("비밀번호 정하기"))


class EntryForm(BaseForm):
    title = StringField(_l("사업명"), validators=[Optional(), Length(max=200)])
    summary = TextAreaField(_l("사업 요약"), validators=[Optional(), Length(max=4000)], render_kw={"rows": 5})
    partners = TextAreaField(_l("협력 기관"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    period = StringField(_l("사업 기간"), validators=[Optional(), Length(max=120)],
                         render_kw={"placeholder": _l("2024. 3. ~ 2024. 11.")})
    budget = StringField(_l("사업 예산"), validators=[Optional(), Length(max=120)],
                         render_kw={"placeholder": _l("12,000,000원")})
    body = TextAreaField(_l("자유 기술 (추진 과정, 성과, 주민 반응 등)"), validators=[Optional(), Length(max=20000)],
                         render_kw={"rows": 8})
    submit = SubmitField(_l("임시 저장"))


class AttachmentForm(BaseForm):
    file = FileField(_l("올릴 파일"), validators=[FileRequired(_l("파일을 골라 주세요."))])
    submit = SubmitField(_l("올리기"))


class SubmitEntryForm(BaseForm):
    confirm = BooleanField(_l("제출한 뒤에는 고칠 수 없음을 확인했습니다"),
                           validators=[DataRequired(_l("확인란에 표시해 주세요."))])
    submit = SubmitField(_l("제출하기"))


# --- the audience panel (현장평가단) ------------------------------------------------------------------------

class VoteForm(BaseForm):
    """The voting page: one radio group ``r<entry id>`` per entry, built in the template from the
    ballot's entries (their number varies); ``ratings()`` collects them for the service, which checks
    them."""

    submit = SubmitField(_l("투표 제출"))

    def ratings(self, formdata) -> dict[str, str]:  # noqa: ANN001
        return {key[1:]: value for key, value in formdata.items() if key.startswith("r") and key[1:].isdigit()}


class BallotIssueForm(BaseForm):
    count = IntegerField(_l("발급할 투표권 수"), validators=[InputRequired(_l("투표권 수를 입력해 주세요.")),
                                                          NumberRange(1, 2000, _l("1장부터 2000장까지 발급할 수 있습니다."))],
                         render_kw={"inputmode": "numeric"})
    submit = SubmitField(_l("발급하고 PDF 받기"))


class BallotRevokeForm(BaseForm):
    serial = IntegerField(_l("투표권 번호"), validators=[DataRequired(_l("카드에 찍힌 번호를 입력해 주세요."))],
                          render_kw={"inputmode": "numeric"})
    reason = StringField(_l("취소 사유"), validators=[DataRequired(_l("취소 사유를 적어 주세요.")), Length(max=200)],
                         render_kw={"placeholder": _l("분실")})
    submit = SubmitField(_l("투표권 취소"))


class AudienceRoundForm(BaseForm):
    key = _key_field(_l("라운드 키 (영문)"), "crowd")
    title = StringField(_l("라운드 이름"), validators=[DataRequired(_l("라운드 이름을 입력해 주세요.")), Length(max=120)],
                        render_kw={"placeholder": _l("현장평가단")})
    weight = StringField(_l("라운드 가중치"), default="1", validators=[Optional(), NUMBER])
    max_points = StringField(_l("배점 (환산 만점)"), default="100", validators=[Optional(), NUMBER])
    submit = SubmitField(_l("현장평가단 라운드 저장"))


class WeightMarginForm(BaseForm):
    margin = StringField(_l("실제 가중치 허용 차이 (%p)"), validators=[DataRequired(_l("허용 차이를 입력해 주세요.")), NUMBER],
                         render_kw={"inputmode": "decimal"})
    submit = SubmitField(_l("허용 차이 저장"))


# --- approval (결재) and objections (이의신청) -----------------------------------------------------------------

class ApprovalSettingsForm(BaseForm):
    approval_required = BooleanField(_l("공개 전에 다른 주최자의 결재(2인 승인)를 받습니다"))
    organization_approval = BooleanField(_l("기관의 모든 공모전에 2인 결재를 적용합니다"))
    objection_days = StringField(_l("이의신청 기간 (공개 후 일수)"),
                                 validators=[DataRequired(_l("이의신청 기간을 적어 주세요.")), Length(max=3)])
    submit = SubmitField(_l("결재·이의신청 설정 저장"))

    def validate_objection_days(self, field) -> None:  # noqa: ANN001
        text = (field.data or "").strip()
        if not text.isdigit() or not 0 <= int(text) <= 365:
            raise ValidationError(_l("이의신청 기간은 0일부터 365일 사이의 정수로 적어 주세요."))


class ApprovalRequestForm(BaseForm):
    note = StringField(_l("결재 요청 메모"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("결재 요청"))


class ApprovalApproveForm(BaseForm):
    submit = SubmitField(_l("승인"))


class ApprovalRefuseForm(BaseForm):
    reason = _reason(_l("반려 사유"), _l("반려 사유를 적어 주세요."), 1000)
    submit = SubmitField(_l("반려"))


class ObjectionForm(BaseForm):
    grounds = TextAreaField(_l("이의신청 사유"), validators=[DataRequired(_l("이의신청 사유를 적어 주세요.")),
                                                         Length(max=5000)])
    attachment = FileField(_l("근거 자료 첨부 (선택: PDF, 한글, 사진 등)"))
    submit = SubmitField(_l("이의신청"))


class ObjectionAnswerForm(BaseForm):
    decision = RadioField(_l("처리"), choices=[SelectChoice("accept", _l("인용 (정정: 확정을 풀고 고친 뒤 새 판 공개)")),
                                              SelectChoice("reject", _l("기각"))],
                          validators=[DataRequired(_l("인용 또는 기각을 골라 주세요."))])
    answer = TextAreaField(_l("답변 (협의체에 보입니다)"), validators=[DataRequired(_l("답변을 적어 주세요.")),
                                                              Length(max=5000)])
    submit = SubmitField(_l("답변 등록"))
