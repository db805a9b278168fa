"""Command-line interface: ``judging <command>``, one module per group of commands.

``common`` holds what they share (the reader's language, refusals, the one unit of work, the
contest a command names); ``database`` (``db``), ``contest`` (contest files), ``demo``, ``people``
(organizations, organizers, judges' codes), ``lifecycle`` (status, open, start-judging, lock,
unlock, reopen-sheet, publish), ``results`` (scores import, tally, decisions), ``documents``
(certificates, export), ``ballots``, ``audit`` and ``backup`` (backup, restore) hold the commands.
The factory registers them all on ``app.cli`` (:func:`register_cli`).

Every command runs in the app context, commits once through ``db.commit_retrying`` and prints in
the reader's language (``JUDGING_LANG=en`` for English, Korean otherwise); a refusal exits 1 with
its reason.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup

from judging.cli import audit, backup, ballots, contest, database, demo, documents, lifecycle, people, results
from judging.cli.common import HelpInReadersLanguage, scope_by_organization
from judging.messages import N_

COMMANDS: tuple[click.Command, ...] = (
    database.db_group,
    contest.contest_group,
    demo.demo_command,
    people.user_group,
    people.org_group,
    people.judges_command,
    backup.backup_command,
    backup.restore_command,
    results.scores_group,
    results.tally_command,
    results.decide_command,
    results.special_command,
    results.withdraw_decision_command,
    lifecycle.publish_command,
    lifecycle.status_command,
    lifecycle.open_command,
    lifecycle.start_judging_command,
    lifecycle.lock_command,
    lifecycle.unlock_command,
    lifecycle.reopen_sheet_command,
    audit.audit_group,
    documents.certificates_command,
    documents.export_command,
    ballots.ballots_group,
)


def _create_app() -> Flask:
    from judging import create_app

    return create_app()


class Main(HelpInReadersLanguage, FlaskGroup):
    """The ``judging`` console script: Flask's group (``run``, ``shell``, ``routes``) with every command
    of this package, its help in the reader's language."""


@click.group(cls=Main, create_app=_create_app, add_version_option=False, load_dotenv=False,
             help=N_("공모전 심사 시스템 (judging) 명령."))
def main() -> None:
    pass


def register_cli(app: Flask) -> None:
    """Add every command to ``app.cli``; each command naming a contest gets ``--org``."""
    for command in COMMANDS:
        app.cli.add_command(command)
    scope_by_organization(app.cli)
