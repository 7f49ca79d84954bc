"""Substitution tags: ${name} user tags and #{NAME} metadata tags, in the title and the body.

A text is compiled once per request into literal and tag segments; rendering a recipient's copy
is then a join. Per-recipient parameters override the request's; values are inserted as given.
A tag left without a value makes the recipient CONTENT_HAS_TAG_FORM (not sent).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

USER_TAG = re.compile(r"\$\{([^{}\s]+)\}")
METADATA_TAG = re.compile(r"#\{([^{}\s]+)\}")
ANY_TAG = re.compile(r"(\$|#)\{([^{}\s]+)\}")

METADATA_NAMES = frozenset({
    "RECIPIENT_NAME", "RECIPIENT_ADDRESS", "SENDER_NAME", "SENDER_ADDRESS",
    "UNSUBSCRIBE_URL", "UNSUBSCRIBE_MESSAGE",
})
# Metadata that becomes the empty string when there is no value.
OPTIONAL_METADATA = frozenset({"RECIPIENT_NAME", "SENDER_NAME"})


class Unresolved(Exception):
    """A tag had no value; the message names it."""

    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


@dataclass(frozen=True)
class CompiledText:
    """A text split into literals (even positions) and tags (odd positions: (sigil, name))."""

    parts: tuple

    @classmethod
    def compile(cls, text: str) -> CompiledText:
        parts: list = []
        position = 0
        for match in ANY_TAG.finditer(text):
            parts.append(text[position:match.start()])
            parts.append((match[1], match[2]))
            position = match.end()
        parts.append(text[position:])
        return cls(tuple(parts))

    @property
    def has_tags(self) -> bool:
        return len(self.parts) > 1

    def user_tags(self) -> set[str]:
        return {name for sigil, name in self.parts[1::2] if sigil == "$"}

    def metadata_tags(self) -> set[str]:
        return {name for sigil, name in self.parts[1::2] if sigil == "#"}

    def render(self, user: Mapping[str, str], metadata: Mapping[str, str],
               strict: bool = True) -> str:
        """The text with its tags filled in; an unfilled tag raises Unresolved, or with
        strict=False stays as it was written (for previews)."""
        if not self.has_tags:
            return self.parts[0]
        out = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
                continue
            sigil, name = part
            values = user if sigil == "$" else metadata
            value = values.get(name)
            if value is None:
                if strict:
                    raise Unresolved(f"{sigil}{{{name}}}")
                value = f"{sigil}{{{name}}}"
            out.append(value)
        return "".join(out)


def stringify(parameters: Mapping | None) -> dict[str, str]:
    """Parameter values as the text they are inserted as (numbers and booleans as JSON writes
    them)."""
    if not parameters:
        return {}
    result = {}
    for key, value in parameters.items():
        if isinstance(value, bool):
            result[key] = "true" if value else "false"
        else:
            result[key] = str(value)
    return result


def merged_parameters(request_parameters: Mapping[str, str],
                      recipient_parameters: Mapping | None) -> dict[str, str]:
    if not recipient_parameters:
        return dict(request_parameters)
    return {**request_parameters, **stringify(recipient_parameters)}


def metadata_values(*, recipient_name: str, recipient_address: str, sender_name: str,
                    sender_address: str, unsubscribe_url: str | None = None,
                    unsubscribe_message: str | None = None) -> dict[str, str]:
    values = {
        "RECIPIENT_NAME": recipient_name or "",
        "RECIPIENT_ADDRESS": recipient_address,
        "SENDER_NAME": sender_name or "",
        "SENDER_ADDRESS": sender_address,
    }
    if unsubscribe_url is not None:
        values["UNSUBSCRIBE_URL"] = unsubscribe_url
    if unsubscribe_message is not None:
        values["UNSUBSCRIBE_MESSAGE"] = unsubscribe_message
    return values


def unknown_metadata(*texts: str) -> set[str]:
    """Metadata tags that are not one of the six known names."""
    found = set()
    for text in texts:
        found |= {name for name in METADATA_TAG.findall(text) if name not in METADATA_NAMES}
    return found
