"""Mail address syntax and normalisation, shared by the address book and the mailer.

Deliberately a little lenient where real mail is: UTF-8 local parts and internationalised domains
(sent with SMTPUTF8), and underscores in domain labels, which DNS allows (the cloud mailer's own
examples use hongildong@naver_.com). Quoted local parts and IP literals are refused.
"""

from __future__ import annotations

import re

_ATEXT = r"A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\U0010FFFF"
_LABEL_CHARS = r"A-Za-z0-9_\u0080-\U0010FFFF"
_ADDRESS = re.compile(
    rf"^[{_ATEXT}]+(?:\.[{_ATEXT}]+)*"
    rf"@(?:[{_LABEL_CHARS}](?:[{_LABEL_CHARS}\-]{{0,61}}[{_LABEL_CHARS}])?\.)+"
    rf"[{_LABEL_CHARS}](?:[{_LABEL_CHARS}\-]{{0,61}}[{_LABEL_CHARS}])?$"
)
MAX_LENGTH = 320


def is_valid_address(address: str) -> bool:
    if not address or len(address) > MAX_LENGTH or not _ADDRESS.match(address):
        return False
    local, _at, domain = address.rpartition("@")
    if len(local) > 64 or len(domain) > 255:
        return False
    top = domain.rsplit(".", 1)[-1]
    return not top.isdigit()


def normalise_address(address: str) -> str:
    """The form addresses are compared and stored in: trimmed and lower-cased."""
    return address.strip().lower()
