"""Mail address syntax and normalisation, shared by the address book and the mailer.

Deliberately a little lenient where real mail is: UTF-8 local parts and internationalised domains
(sent with SMTPUTF8), and underscores in domain labels, which DNS allows (the cloud mailer's own
examples use hongildong@naver_.com). Quoted local parts and IP literals are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ASCII_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-"
_ASCII_LABEL_CHARS = r"A-Za-z0-9_"
_ATEXT = _ASCII_ATEXT + r"\u0080-\U0010FFFF"
_LABEL_CHARS = _ASCII_LABEL_CHARS + r"\u0080-\U0010FFFF"
_ADDRESS = re.compile(
    rf"^[{_ATEXT}]+(?:\.[{_ATEXT}]+)*"
    rf"@(?:[{_LABEL_CHARS}](?:[{_LABEL_CHARS}\-]{{0,61}}[{_LABEL_CHARS}])?\.)+"
    rf"[{_LABEL_CHARS}](?:[{_LABEL_CHARS}\-]{{0,61}}[{_LABEL_CHARS}])?$"
)
MAX_LENGTH = 320
# Lines of plain addresses, each ended by a newline: the syntax above in ASCII, up to 64
# characters (so within every length limit), the top label not all digits. Every such address
# passes is_valid_address and is stored lower-cased; the possessive repeats never backtrack.
_PLAIN_LABEL = rf"[{_ASCII_LABEL_CHARS}](?:[{_ASCII_LABEL_CHARS}\-]{{0,61}}[{_ASCII_LABEL_CHARS}])?"
_PLAIN_LINES = re.compile(
    rf"(?:(?=.{{1,64}}\n)[{_ASCII_ATEXT}]++(?:\.[{_ASCII_ATEXT}]++)*+"
    rf"@(?:{_PLAIN_LABEL}\.)++(?![0-9]+\n){_PLAIN_LABEL}\n)*+"
)
# Typed or pasted addresses are separated by Tab, Space, Enter, comma or semicolon.
_SEPARATORS = re.compile(r"[\t \r\n,;]+")


def is_valid_address(address: str) -> bool:
    """The syntax of the whole text (a trailing newline too), and the lengths of the form it is
    stored in: lower-casing lengthens a few letters (İ → i̇), past what the columns hold."""
    if not address or len(address) > MAX_LENGTH or not _ADDRESS.fullmatch(address):
        return False
    stored = address if address.isascii() else normalise_address(address)
    local, _at, domain = stored.rpartition("@")
    if len(stored) > MAX_LENGTH or len(local) > 64 or len(domain) > 255:
        return False
    top = domain.rsplit(".", 1)[-1]
    return not top.isdigit()


def normalise_address(address: str) -> str:
    """The form addresses are compared and stored in: trimmed and lower-cased."""
    return address.strip().lower()


def stored_forms(addresses: list[str]) -> list[str | None]:
    """Each address trimmed, checked and normalised: its stored form, or None where
    is_valid_address refuses it. Runs of plain addresses, nearly all of them, are checked in one
    pass of a regex (100,000 one by one take a tenth of a second); the rest one by one."""
    text = "\n".join(addresses) + "\n"
    if text.count("\n") != len(addresses):  # an address holds a newline: lines would shift
        return [_stored_form(address) for address in addresses]
    forms: list[str | None] = []
    start = index = 0
    while index < len(addresses):
        end = _PLAIN_LINES.match(text, start).end()
        plain = text.count("\n", start, end)
        forms += [address.lower() for address in addresses[index:index + plain]]
        index += plain
        if index < len(addresses):
            forms.append(_stored_form(addresses[index]))
            end += len(addresses[index]) + 1
            index += 1
        start = end
    return forms


def _stored_form(address: str) -> str | None:
    address = address.strip()
    return normalise_address(address) if is_valid_address(address) else None


def split_addresses(text: str) -> list[str]:
    """Typed or pasted addresses, split on Tab, Space, Enter, comma and semicolon."""
    return [part for part in _SEPARATORS.split(text) if part]


@dataclass
class AddressList:
    """Addresses as they come in (typed, from a file): each checked and normalised, repeats
    dropped, and what was wrong with the rest counted with a few examples to show."""

    EXAMPLES = 5

    addresses: dict[str, None] = field(default_factory=dict)  # ordered and unique
    received: int = 0
    duplicates: int = 0
    invalid: int = 0
    # (row number or None, value as given), to show what was wrong
    invalid_examples: list[tuple[int | None, str]] = field(default_factory=list)
    duplicate_examples: list[tuple[int | None, str]] = field(default_factory=list)

    def add(self, value: str, row: int | None = None) -> None:
        self.received += 1
        value = value.strip()
        if not is_valid_address(value):
            self.invalid += 1
            if len(self.invalid_examples) < self.EXAMPLES:
                self.invalid_examples.append((row, value[:MAX_LENGTH]))
            return
        key = normalise_address(value)
        if key in self.addresses:
            self.duplicates += 1
            if len(self.duplicate_examples) < self.EXAMPLES:
                self.duplicate_examples.append((row, value))
            return
        self.addresses[key] = None

    @property
    def valid(self) -> list[str]:
        return list(self.addresses)
