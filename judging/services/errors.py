"""Domain errors: each carries a message the user can act on (Korean) and an HTTP status."""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. ``message`` is shown to the user as is."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class StaleWrite(DomainError):
    """Someone else changed the thing first (optimistic concurrency)."""

    status = 409


class Throttled(DomainError):
    status = 429
