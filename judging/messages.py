"""Messages are data until the edge.

A refusal raised by the scoring core or a service carries a message id (the Korean source text,
as everywhere in this app's catalogue) and its parameters. The view or CLI that shows it renders
it in the reader's language with :meth:`Message.render`. Standard library only: the scoring core
imports this module too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark ``message`` for extraction (``make translations``) without translating it."""
    return message


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    """A message id with ``{name}`` placeholders and the values to put in them.

    A parameter that is itself a :class:`Message` (a state's label, say) is rendered in the same
    language; any other value is shown as ``str(value)``, since it is data (a name, a number).
    """

    id: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, translate: Translate = _same) -> str:
        text = translate(self.id)
        if not self.params:
            return text
        values = {key: value.render(translate) if isinstance(value, (Message, Text)) else value
                  for key, value in self.params.items()}
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            # A translation that lost or mangled a placeholder must not hide the refusal.
            return self.id.format(**values)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class Joined(Message):
    """Several messages shown as one text (the problems that block a step, say): each part is
    rendered in the same language and the rendered texts are joined by ``sep``. Make one with
    :func:`joined`; a part that is a plain string is data and is shown as it is."""

    parts: tuple[Message | str, ...] = ()
    sep: str = " "

    def render(self, translate: Translate = _same) -> str:
        return self.sep.join(part.render(translate) if isinstance(part, Message) else str(part)
                             for part in self.parts)


def joined(parts: Iterable[Message | str], sep: str = " ") -> Joined:
    """The messages ``parts`` as one message, joined by ``sep`` once rendered."""
    return Joined("", {}, tuple(parts), sep)


class Refusal(Exception):
    """Base of every refusal that carries a :class:`Message`.

    ``Refusal(N_("점수는 {top}점 이하여야 합니다."), top=10)``: the id is marked for extraction and
    the parameters stay values. ``str(error)`` and ``error.message`` give the Korean text (logs,
    tests); the edge calls ``error.render(gettext)``.
    """

    def __init__(self, message: str | Message, /, **params: Any) -> None:
        if isinstance(message, Text) and not params:
            message = message.message  # a core result's words refused as they are: keep their id
        self.text = message if isinstance(message, Message) else Message(message, params)
        super().__init__(self.text.render())

    @property
    def message_id(self) -> str:
        return self.text.id

    @property
    def params(self) -> Mapping[str, Any]:
        return self.text.params

    @property
    def message(self) -> str:
        """The message in the source language (Korean)."""
        return self.text.render()

    def render(self, translate: Translate = _same) -> str:
        return self.text.render(translate)


class Text(str):
    """A finished text in the source language (Korean) that remembers the :class:`Message` it came from.

    The scoring core's results carry their words (a tier rule, an explanation line, a method) as
    ``Text``: everything that treats them as strings (a published snapshot's JSON, a PDF, a test, an
    f-string) sees the Korean text as before, while the web edge renders ``text.render(gettext)`` in the
    reader's language (the templates' ``finalize`` hook does it for every ``{{ value }}``). Built into a
    larger string, a ``Text`` is Korean only: pass it on as a parameter of a message instead.
    """

    message: Message

    def __new__(cls, message: Message | str, /, **params: Any) -> Text:
        message = message if isinstance(message, Message) else Message(message, params)
        self = super().__new__(cls, message.render())
        self.message = message
        return self

    def render(self, translate: Translate = _same) -> str:
        return self.message.render(translate)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.message,))

