"""What every command shares: the reader's language, messages and refusals, the one unit of work,
the contest a command names (scoped by ``--org``), and tables that line up Hangul.

The language is Korean unless ``JUDGING_LANG`` starts with ``en`` (``JUDGING_LANG=en``); the
system's ``LANG`` is not consulted, since servers run with ``en_US.UTF-8`` or ``C.UTF-8`` whatever
their operators read. Every message a command prints is marked with ``_`` (its id is the Korean
text with ``{name}`` placeholders, as everywhere in the catalogue) and rendered in that language;
a refusal raised by a service is rendered the same way.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, TypeVar

import click
from babel.support import Translations
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import orm

from judging import db
from judging.i18n import TRANSLATIONS, compile_catalogues
from judging.messages import N_, Message, Refusal
from judging.services.errors import DomainError

T = TypeVar("T")

#: how the audit record names whoever ran a command
CLI_ACTOR = "cli"
#: where ``--org`` is kept for the command that runs (see ``scope_by_organization``)
ORG_META = "judging.org"


# --- the reader's language ----------------------------------------------------------------------

def language() -> str:
    """``en`` when ``JUDGING_LANG`` starts with "en", else ``ko``."""
    return "en" if os.environ.get("JUDGING_LANG", "").strip().lower().startswith("en") else "ko"


@functools.cache
def _catalogue(lang: str) -> Callable[[str], str]:
    if lang == "ko":
        return lambda message: message
    compile_catalogues()
    return Translations.load(str(TRANSLATIONS), [lang]).gettext


def translate(message: str) -> str:
    """``message`` (a Korean message id) in the reader's language."""
    return _catalogue(language())(message)


def _(message: str, **params: Any) -> str:
    """Translate ``message`` and fill its ``{name}`` placeholders with ``params``."""
    return Message(message, params).render(translate)


def shown(value: object) -> str:
    """A value a service handed over, in the reader's language: a ``Message`` or a refusal is
    rendered; a label (a Korean message id) is looked up; anything else is data and shown as is."""
    if isinstance(value, Message | Refusal):
        return value.render(translate)
    return translate(value) if isinstance(value, str) and value else str(value if value is not None else "")


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` (already in the reader's language) as an error and exit with ``code``."""
    click.echo(click.style(_("오류: "), fg="red") + message, err=True)
    sys.exit(code)


def refuse(error: Refusal, prefix: str = "") -> NoReturn:
    """Exit with a service's refusal, rendered in the reader's language."""
    fail(prefix + error.render(translate))


# --- help in the reader's language -----------------------------------------------------------------

class HelpInReadersLanguage:
    """Help texts given as message ids (``help=N_("...")`` on the command and its options) are
    shown in the reader's language when ``--help`` or the command list asks for them."""

    help: str | None
    params: list[click.Parameter]

    @contextlib.contextmanager
    def _in_readers_language(self) -> Iterator[None]:
        holders: list[Any] = [self, *(p for p in self.params if isinstance(p, click.Option))]
        source = [holder.help for holder in holders]
        try:
            for holder, text in zip(holders, source, strict=True):
                holder.help = translate(text) if text else text
            yield
        finally:
            for holder, text in zip(holders, source, strict=True):
                holder.help = text

    def get_short_help_str(self, limit: int = 45) -> str:
        with self._in_readers_language():
            return super().get_short_help_str(limit)  # type: ignore[misc]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with self._in_readers_language():
            super().format_help(ctx, formatter)  # type: ignore[misc]


class Command(HelpInReadersLanguage, click.Command):
    """A ``judging`` command (``@click.command(..., cls=Command, help=N_(...))``)."""


class Group(HelpInReadersLanguage, AppGroup):
    """A group of ``judging`` commands; its commands run in the app context and are :class:`Command`."""

    command_class = Command


# --- the one unit of work -----------------------------------------------------------------------

def run_unit(action: Callable[[orm.Session], T], prefix: str = "") -> T:
    """The command's one unit of work: run ``action(session)`` and commit (rerun on SQLite's
    "database is locked"); on a refusal nothing is kept and the command exits non-zero with the
    reason, after ``prefix``."""
    try:
        return db.commit_retrying(action, keep_refused=False)
    except DomainError as error:
        refuse(error, prefix)


def public_base_url() -> str:
    """The address judges' links and certificates' QR codes point at."""
    return current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")


# --- the contest a command names ------------------------------------------------------------------

def _remember_org(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[ORG_META] = value


def scope_by_organization(group: click.Group) -> None:
    """Give every command with a ``slug`` argument an ``--org SLUG`` option: with it, a contest of
    another organization is answered exactly like one that does not exist."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            scope_by_organization(command)
        elif any(p.name == "slug" for p in command.params) and not any(p.name == "org" for p in command.params):
            command.params.append(click.Option(
                ["--org"], metavar="SLUG", expose_value=False, callback=_remember_org,
                help=N_("이 기관의 공모전만 다룹니다 (다른 기관의 공모전은 없는 것으로 답합니다).")))


def cli_contest(slug: str, missing: str | None = None):  # noqa: ANN201
    """The contest ``slug`` (of the ``--org`` organization when given); exits with ``missing`` (or the
    usual sentence) otherwise."""
    from judging.services import organizations

    session = db.session()
    ctx = click.get_current_context(silent=True)
    org_slug = ctx.meta.get(ORG_META) if ctx is not None else None
    try:
        org_id = organizations.get_organization(session, org_slug).id if org_slug else None
        return organizations.contest_of(session, slug, org_id)
    except DomainError:
        if missing:
            fail(missing)
        if org_slug:
            fail(_("공모전 '{slug}'이(가) 없습니다. (기관 '{org}')", slug=slug, org=org_slug))
        fail(_("공모전 '{slug}'이(가) 없습니다.", slug=slug))


def split_keys(text: str | None) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


# --- tables ---------------------------------------------------------------------------------------

def display_width(text: str) -> int:
    """Terminal columns of ``text``: Hangul and other wide characters take two."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(headers: list[str], rows: list[list[str]], right: Iterable[int] = ()) -> list[str]:
    """Align columns by display width (Hangul is double width); columns in ``right`` align right."""
    right = set(right)
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, widths[i], i in right) for i, h in enumerate(headers)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(cell, widths[i], i in right) for i, cell in enumerate(row)).rstrip())
    return lines
