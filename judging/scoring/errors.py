"""Errors raised by the scoring core. All are ``ValueError`` subclasses carrying a message id and its
parameters (:class:`judging.messages.Refusal`); the edge renders them in the reader's language."""

from __future__ import annotations

from judging.messages import Refusal


class ScoringError(Refusal, ValueError):
    """Base class: the input to the scoring core cannot be scored as given."""


class ScaleError(ScoringError):
    """A score or a maximum does not fit the criterion's scale; the message says why."""


class SpecError(ScoringError):
    """The contest specification is inconsistent (unknown keys, bad tie-break step, ...)."""


class ScoreInputError(ScoringError):
    """A score row cannot be used (unknown round/judge/entry/criterion, duplicate, off scale)."""


class DecisionError(ScoringError):
    """Recorded decisions contradict each other."""


class AwardConflictError(ScoringError):
    """A special award would give an entry a second award for the same result."""
