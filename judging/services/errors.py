"""Domain errors: refusals the rules make, each with a message id and its parameters.

The kinds say what went wrong, not how to answer it: the web edge maps a kind to an HTTP status
(``judging.views.common.http_status``) and the CLI to an exit message.
"""

from __future__ import annotations

from typing import Any

from judging.messages import Message, Refusal


class DomainError(Refusal):
    """A request the rules refuse. ``field`` names the form field the message belongs beside;
    ``details`` are machine-readable extras for JSON callers."""

    def __init__(self, message: str | Message, /, *, field: str | None = None, details: dict | None = None,
                 **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field
        self.details = details or {}


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know it does."""


class Forbidden(DomainError):
    """The caller may not do this."""


class WrongState(DomainError):
    """The thing's present state does not allow the action; nothing was changed."""


class StaleWrite(WrongState):
    """Someone else changed the thing first (optimistic concurrency)."""


class Invalid(DomainError):
    """Well-formed but not acceptable (a value off the scale, a criterion of another round)."""


class TooLarge(DomainError):
    """More than the limit allows (an upload's size)."""


class Throttled(DomainError):
    """Too many attempts; try again later."""
