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


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` with a message context (as ``pgettext(context, message)`` reads it) for
    extraction without translating it; the edge translates it with ``pgettext``."""
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



# --- messages kept in JSON (a published snapshot, docs/results.md) ---------------------------
# A message as JSON: {"id": "<Korean source text>", "params": {name: value}}; a parameter that is
# itself a message is such an object (recursively), any other value is JSON as it is (a Decimal or
# anything else as its text). Joined messages: {"parts": [<text or message>, ...], "sep": " "}.

def message_json(message: Message | Text) -> dict[str, Any]:
    """``message`` (a :class:`Text`'s message) as plain JSON values (see above)."""
    if isinstance(message, Text):
        message = message.message
    if isinstance(message, Joined):
        return {"parts": [message_json(part) if isinstance(part, (Message, Text)) else str(part)
                          for part in message.parts], "sep": message.sep}
    return {"id": message.id, "params": {str(key): _param_json(value) for key, value in message.params.items()}}


def _param_json(value: Any) -> Any:
    if isinstance(value, (Message, Text)):
        return message_json(value)
    if value is None or isinstance(value, (bool, int, float)) or type(value) is str:
        return value
    return str(value)


def message_from_json(data: object) -> Message | None:
    """The message :func:`message_json` wrote; None for anything that is not one."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("parts"), list):
        parts = [message_from_json(part) if isinstance(part, dict) else str(part) for part in data["parts"]]
        return joined((part for part in parts if part is not None), str(data.get("sep", " ")))
    if not isinstance(data.get("id"), str):
        return None
    params = data.get("params")
    values = {str(key): message_from_json(value) if isinstance(value, dict) else value
              for key, value in (params.items() if isinstance(params, dict) else ())}
    return Message(data["id"], values)


def kept_text(text: object, data: object) -> str | None:
    """A stored text read back: :class:`Text` when ``data`` holds the message it was rendered from
    (and that message still renders to exactly ``text``), otherwise ``text`` as a plain string
    (None stays None). The stored text always wins: what was published is what reads in Korean."""
    if text is None:
        return None
    message = message_from_json(data)
    if message is not None:
        try:
            found = Text(message)
        except (KeyError, IndexError, ValueError):
            return str(text)
        if str(found) == text:
            return found
    return str(text)


def keep_messages(tree: Any) -> Any:
    """A JSON tree (dicts, lists, plain values) where each :class:`Message` or :class:`Text` value
    becomes its text in the source language (a ``Text``, still a str) and its message is kept beside
    it: a dict holding such values gets a ``"messages"`` dict naming them, ``{key: message}`` for a
    value and ``{key: [message or None, ...]}`` for a list of texts (None for an item that is data)."""
    if isinstance(tree, list | tuple):
        return [keep_messages(item) for item in tree]
    if not isinstance(tree, dict):
        return Text(tree) if isinstance(tree, Message) else tree
    out: dict[Any, Any] = {}
    kept: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, (Message, Text)):
            out[key] = value if isinstance(value, Text) else Text(value)
            kept[str(key)] = message_json(value)
        elif isinstance(value, list | tuple) and any(isinstance(item, (Message, Text)) for item in value):
            out[key] = [keep_messages(item) for item in value]
            kept[str(key)] = [message_json(item) if isinstance(item, (Message, Text)) else None for item in value]
        else:
            out[key] = keep_messages(value)
    if kept:
        out["messages"] = kept
    return out
