"""Properties that hold for every input, checked with Hypothesis on a few hundred generated ones:

- substitution (mailer.substitution): text without tags comes back unchanged, every tag is
  replaced by exactly its value, values are inserted once and never substituted again (no
  injection), an unknown tag is refused or, in previews, kept as written;
- mail addresses (addressbook.addresses, mailer.mime): every address of the documented syntax
  is accepted and its stored form is valid and stable, any other text is refused without an
  exception, and splitting, de-duplicating and the To header give the addresses back (the
  Subject header its title);
- the signature check (console.api.authenticate): a signature made with the secret verifies,
  changing the method, the URL, the timestamp, the access key or the secret refuses it, and
  no header text, however odd, raises anything but the 401's SignatureError.

Derandomized, so CI sees the same examples on every run.
"""

from __future__ import annotations

import re
import string
from email.header import decode_header, make_header
from email.utils import parseaddr
from urllib.parse import quote

import pytest
from django.test import RequestFactory
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from addressbook.addresses import (
    MAX_LENGTH,
    AddressList,
    is_valid_address,
    normalise_address,
    split_addresses,
    stored_forms,
)
from console.api import authenticate
from console.signature import SIGNATURE_HEADER, SignatureError, sign, signed_headers
from mailer.acceptance import recipient_problem
from mailer.mime import format_address, header_text
from mailer.substitution import CompiledText, Unresolved, metadata_values
from tests.factories import make_api_key

BOUNDED = settings(max_examples=200, deadline=None, derandomize=True)
# The signature properties read the key from the database that the test's fixtures filled once;
# examples only read it (and the key's last_used, at most once a minute).
WITH_DATABASE = settings(BOUNDED, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Substitution

TAG_NAME = st.text(st.characters(exclude_characters="{}", exclude_categories=["Cs"])
                   .filter(lambda c: not re.match(r"\s", c)), min_size=1, max_size=12)
# Literal text holds no "{", so no tag can form inside it or across a literal and a tag.
LITERAL = st.text(st.characters(exclude_characters="{", exclude_categories=["Cs"]), max_size=20)
SIGIL_TEXT = st.text(st.sampled_from("$#{}ab \n"), max_size=30)
META = metadata_values(recipient_name="홍길동", recipient_address="hong@example.com",
                       sender_name="Shop", sender_address="shop@example.com",
                       unsubscribe_url="https://x/u/1/", unsubscribe_message="bye")


def _tag(sigil: str, name: str) -> str:
    return f"{sigil}{{{name}}}"


@BOUNDED
@given(st.one_of(st.text(), SIGIL_TEXT))
def test_text_without_tags_is_unchanged(text):
    compiled = CompiledText.compile(text)
    assume(not compiled.has_tags)
    assert compiled.render({}, {}) == text


@BOUNDED
@given(st.lists(st.tuples(LITERAL, st.sampled_from("$#"), TAG_NAME, st.text(max_size=20)),
                max_size=6), LITERAL)
def test_every_tag_is_replaced_by_exactly_its_value(pieces, tail):
    values: dict[str, dict[str, str]] = {"$": {}, "#": {}}  # user tags, metadata tags
    for _literal, sigil, name, value in pieces:
        values[sigil].setdefault(name, value)  # a tag that comes again has the same value
    text = "".join(literal + _tag(sigil, name) for literal, sigil, name, _v in pieces) + tail
    expected = "".join(literal + values[sigil][name]
                       for literal, sigil, name, _v in pieces) + tail
    compiled = CompiledText.compile(text)
    assert compiled.user_tags() == set(values["$"])
    assert compiled.metadata_tags() == set(values["#"])
    assert compiled.render(values["$"], values["#"]) == expected


@BOUNDED
@given(TAG_NAME, TAG_NAME, st.sampled_from("$#"), LITERAL, LITERAL)
@example("A", "B", "$", "", "")
@example("A", "RECIPIENT_NAME", "#", "<p>", "</p>")
def test_a_value_holding_a_tag_is_inserted_as_given(name, other, sigil, before, after):
    """A value is never read for tags: ${A} = "${B}" stays "${B}", even when B has a value."""
    value = before + _tag(sigil, other) + after
    rendered = CompiledText.compile(f"[${{{name}}}]").render(
        {other: "INJECTED", name: value}, {**META, other: "INJECTED"})
    assert rendered == f"[{value}]"


@BOUNDED
@given(st.one_of(st.text(), SIGIL_TEXT))
def test_a_preview_keeps_every_unresolved_tag_as_written(text):
    assert CompiledText.compile(text).render({}, {}, strict=False) == text


@BOUNDED
@given(LITERAL, st.sampled_from("$#"), TAG_NAME, LITERAL)
def test_a_tag_without_a_value_is_refused_naming_it(before, sigil, name, after):
    assume(sigil == "$" or name not in META)
    with pytest.raises(Unresolved) as refused:
        CompiledText.compile(before + _tag(sigil, name) + after).render({}, META)
    assert refused.value.tag == _tag(sigil, name)


# Mail addresses

NON_ASCII_LETTERS = "가힣ÄäÖößİıΣσЖж例え"
ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-" + NON_ASCII_LETTERS
LABEL_CHARS = string.ascii_letters + string.digits + "_" + NON_ASCII_LETTERS
# Long enough to reach the limits: 64 characters of local part, labels of 63, 255 of domain.
ATOM = st.text(st.sampled_from(ATEXT), min_size=1, max_size=64)
LABEL = st.builds(lambda first, rest: (first + rest).rstrip("-"), st.sampled_from(LABEL_CHARS),
                  st.text(st.sampled_from(LABEL_CHARS + "-"), max_size=62))
TOP_LABEL = LABEL.filter(lambda label: not label.isdigit())
SYNTACTIC_ADDRESSES = st.builds(
    lambda atoms, labels, top: ".".join(atoms) + "@" + ".".join([*labels, top]),
    st.lists(ATOM, min_size=1, max_size=3), st.lists(LABEL, min_size=1, max_size=4), TOP_LABEL)
# Well inside every limit, even when lower-casing doubles every letter.
SHORT_LABEL = st.builds(lambda first, rest: (first + rest).rstrip("-"),
                        st.sampled_from(LABEL_CHARS),
                        st.text(st.sampled_from(LABEL_CHARS + "-"), max_size=15))
SHORT_ADDRESSES = st.builds(
    lambda atoms, labels, top: ".".join(atoms) + "@" + ".".join([*labels, top]),
    st.lists(st.text(st.sampled_from(ATEXT), min_size=1, max_size=10), min_size=1, max_size=3),
    st.lists(SHORT_LABEL, min_size=1, max_size=3),
    SHORT_LABEL.filter(lambda label: not label.isdigit()))
SEPARATORS = st.text(st.sampled_from("\t \r\n,;"), min_size=1, max_size=3)
# Regressions: a trailing newline matched the pattern's "$"; "İ" lower-cases to two characters,
# so a valid address could be stored longer than its column.
NEWLINE_AFTER = "hong@example.com\n"
LONGER_WHEN_STORED = "x@" + ".".join(["İ" * 63] * 3) + ".com"


@BOUNDED
@given(SHORT_ADDRESSES)
@example("hongildong@naver_.com")
def test_an_address_of_the_documented_syntax_is_accepted_and_stored_stably(address):
    assert is_valid_address(address)
    stored = normalise_address(address)
    assert is_valid_address(stored)
    assert normalise_address(stored) == stored
    assert normalise_address(f" {address}\n") == stored


@BOUNDED
@given(st.one_of(SYNTACTIC_ADDRESSES, st.text(), SYNTACTIC_ADDRESSES.map(lambda a: a + "\n")))
@example(NEWLINE_AFTER)
@example(LONGER_WHEN_STORED)
@example("hong@example.123")
def test_any_text_is_accepted_only_if_its_stored_form_fits(text):
    if not is_valid_address(text):
        return
    stored = normalise_address(text)
    local, _at, domain = stored.rpartition("@")
    assert len(stored) <= MAX_LENGTH and len(local) <= 64 and len(domain) <= 255
    assert is_valid_address(stored)
    assert text.count("@") == 1 and not domain.rsplit(".", 1)[-1].isdigit()
    assert not any(c in string.whitespace or c in "\x00\"(),:;<>[\\]" for c in text)


@BOUNDED
@given(st.text())
@example(NEWLINE_AFTER)
@example(LONGER_WHEN_STORED)
def test_a_recipient_is_refused_with_the_documented_reason_or_accepted(text):
    problem = recipient_problem(text, None)
    assert problem is None if is_valid_address(text) else problem[0] == "address"


@BOUNDED
@given(st.lists(st.one_of(SHORT_ADDRESSES, SYNTACTIC_ADDRESSES, SHORT_ADDRESSES.map(str.upper),
                          SHORT_ADDRESSES.map(lambda a: f" {a}\n"), st.text()), max_size=12))
def test_addresses_checked_together_are_checked_as_one_by_one(values):
    one_by_one = [normalise_address(v.strip()) if is_valid_address(v.strip()) else None
                  for v in values]
    assert stored_forms(values) == one_by_one


@BOUNDED
@given(st.lists(SHORT_ADDRESSES, max_size=8), st.lists(SEPARATORS, min_size=9, max_size=9),
       SEPARATORS | st.just(""))
def test_typed_addresses_split_back_into_the_addresses(addresses, separators, lead):
    text = lead + "".join(a + s for a, s in zip(addresses, separators, strict=False))
    assert split_addresses(text) == addresses


@BOUNDED
@given(st.lists(st.one_of(SHORT_ADDRESSES, SHORT_ADDRESSES.map(str.upper), st.text()),
                max_size=12))
def test_an_address_list_keeps_each_valid_address_once_in_its_stored_form(values):
    found = AddressList()
    for value in values:
        found.add(value)
    valid = [v.strip() for v in values if is_valid_address(v.strip())]
    assert found.valid == list(dict.fromkeys(normalise_address(v) for v in valid))
    assert found.received == len(values) == len(found.valid) + found.duplicates + found.invalid


def _read_back(header: str) -> tuple[str, str]:
    """The name and address a mail client reads in a To header: RFC 5322 then RFC 2047 (which
    joins adjacent encoded words, ignoring the folding between them)."""
    display, address = parseaddr(header.replace("\r\n ", " "))
    return str(make_header(decode_header(display))), address


@BOUNDED
@given(st.one_of(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)),
                 st.text(st.characters(exclude_categories=["Cs", "Cc"]))),
       SHORT_ADDRESSES)
@example("=?UTF-8?B?7ZmN6ri464+Z?=", "hong@example.com")
@example('Kim "CS", Lee \\', "k@example.com")
def test_the_to_header_gives_back_the_name_and_the_address(name, address):
    expected = name.replace("\r", " ").replace("\n", " ").strip()
    assert _read_back(format_address(name, address)) == (expected, address)


@BOUNDED
@given(st.one_of(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E)),
                 st.text(st.characters(exclude_categories=["Cs", "Cc"]))))
@example("=?UTF-8?B?7ZmN6ri464+Z?=")
def test_the_subject_header_gives_back_the_title(title):
    read = str(make_header(decode_header(header_text(title).replace("\r\n ", " "))))
    assert read == title.replace("\r", " ").replace("\n", " ")


# The signature check

NOW_MS = 1_767_225_600_000  # 2026-01-01 00:00 UTC
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
URL_CHARS = string.ascii_letters + string.digits + "-._~%!$&'()*+,;=:@/?"
PATHS = st.text(st.sampled_from(URL_CHARS), max_size=60).map(lambda rest: "/api/v1/" + rest)
# What WSGI gives for a header: its bytes as latin-1 text.
HEADER_TEXT = st.text(st.characters(max_codepoint=0xFF), max_size=40)


@pytest.fixture
def key(project, owner) -> tuple[str, str]:
    key, secret = make_api_key(project, owner)
    return key.access_key, secret


def _call(method: str, path_with_query: str, headers: dict[str, str]):
    """authenticate() on a request as gunicorn passes it (RAW_URI: the target as sent)."""
    request = RequestFactory().generic(method, path_with_query, headers=headers,
                                       RAW_URI=path_with_query)
    return authenticate(request, now_ms=NOW_MS)


def _signed(method: str, path: str, access_key: str, secret: str) -> dict[str, str]:
    return signed_headers(method, path, access_key, secret, timestamp=str(NOW_MS))


def _changed(text: str, data, alphabet: str, start: int = 0) -> str:
    """`text` with one character, at or after `start`, replaced by another one."""
    index = data.draw(st.integers(start, len(text) - 1))
    other = data.draw(st.sampled_from(alphabet).filter(lambda c: c != text[index]))
    return text[:index] + other + text[index + 1:]


@WITH_DATABASE
@given(method=st.sampled_from(METHODS), path=PATHS)
def test_a_signature_made_with_the_secret_verifies(key, project, method, path):
    access_key, secret = key
    headers = _signed(method, path, access_key, secret)
    assert headers[SIGNATURE_HEADER] == sign(method, path, str(NOW_MS), access_key, secret)
    assert _call(method, path, headers).project.pk == project.pk


@WITH_DATABASE
@given(path=st.text(st.characters(exclude_categories=["Cs"]), max_size=30))
@example(path="recipient-groups?groupName=20대")
def test_a_signature_over_the_target_before_percent_encoding_verifies(key, project, path):
    access_key, secret = key
    path = "/api/v1/" + path
    sent = quote(path, safe="/?=&")
    assert _call("GET", sent, _signed("GET", path, access_key, secret)).project.pk == project.pk


@WITH_DATABASE
@given(method=st.sampled_from(METHODS), path=PATHS, data=st.data())
def test_changing_the_method_or_a_character_of_the_url_refuses_it(key, method, path, data):
    access_key, secret = key
    headers = _signed(method, path, access_key, secret)
    other_method = data.draw(st.sampled_from(METHODS).filter(lambda m: m != method))
    with pytest.raises(SignatureError):
        _call(other_method, path, headers)
    other_path = _changed(path, data, URL_CHARS, start=1)
    with pytest.raises(SignatureError):
        _call(method, other_path, headers)


@WITH_DATABASE
@given(path=PATHS, data=st.data())
def test_changing_the_timestamp_the_access_key_or_the_secret_refuses_it(key, path, data):
    access_key, secret = key
    headers = _signed("GET", path, access_key, secret)
    timestamp = {**headers, "x-ncp-apigw-timestamp": _changed(str(NOW_MS), data, string.digits)}
    other_key = {**headers, "x-ncp-iam-access-key": _changed(access_key, data, URL_CHARS)}
    other_secret = _signed("GET", path, access_key, _changed(secret, data, URL_CHARS))
    for changed in (timestamp, other_key, other_secret):
        with pytest.raises(SignatureError):
            _call("GET", path, changed)


@WITH_DATABASE
@given(timestamp=HEADER_TEXT, access_key=HEADER_TEXT, signature=HEADER_TEXT)
@example(timestamp="²", access_key="", signature="x")
@example(timestamp="9" * 5000, access_key="x", signature="x")
@example(timestamp=str(NOW_MS), access_key="\x00", signature="x")
def test_any_header_text_is_refused_with_a_signature_error(key, timestamp, access_key,
                                                          signature):
    """"²" passed isdigit() and a number of 5,000 digits reached int(): both were 500s."""
    headers = {"x-ncp-apigw-timestamp": timestamp, "x-ncp-iam-access-key": access_key,
               "x-ncp-apigw-signature-v2": signature}
    with pytest.raises(SignatureError):
        _call("GET", "/api/v1/address-book", headers)
