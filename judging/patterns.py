"""The shapes of the short identifiers people type, defined once.

Forms check them on the way in (a message beside the field), the contest file and the services
check them again (the CLI and the TOML file skip the forms). Standard library only.
"""

from __future__ import annotations

import re

__all__ = ["DECIMAL_PATTERN", "EMAIL_PATTERN", "KEY_PATTERN", "LOGIN_PATTERN", "ORGANIZATION_SLUG_PATTERN",
           "SLUG_PATTERN"]

#: a key inside a contest (round, criterion, tier, special award, entrant, judge): ``final``, ``j5``
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

#: a contest's address name, the last part of its links: ``goyang-2024``
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")

#: an organization's address name: ``goyang-welfare``
ORGANIZATION_SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")

#: an e-mail address, loosely: something@something.something, no spaces
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

#: a non-negative decimal number as typed into a form: ``20``, ``0.5`` (spaces around allowed)
DECIMAL_PATTERN = re.compile(r"^\s*\d+(\.\d+)?\s*$")

#: an organizer's sign-in name: ``kim.minji``
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
