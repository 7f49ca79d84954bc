"""addressbook.addresses: splitting typed input, checking and de-duplicating what comes in."""

from __future__ import annotations

from addressbook.addresses import (
    AddressList,
    is_valid_address,
    normalise_address,
    split_addresses,
    stored_forms,
)


def test_it_splits_on_tab_space_enter_comma_and_semicolon():
    text = "a@x.com\tb@x.com c@x.com\nd@x.com,e@x.com;f@x.com\r\n ,; g@x.com"
    assert split_addresses(text) == [f"{c}@x.com" for c in "abcdefg"]


def test_it_gives_nothing_for_blank_input():
    assert split_addresses(" \n\t,;") == []


def test_it_counts_invalid_and_repeated_addresses_with_examples():
    found = AddressList()
    for value in ["A@X.com", "a@x.com", "not an address", "b@x.com", "@x.com"]:
        found.add(value)
    assert found.valid == ["a@x.com", "b@x.com"]
    assert (found.received, found.duplicates, found.invalid) == (5, 1, 2)
    assert found.invalid_examples == [(None, "not an address"), (None, "@x.com")]
    assert found.duplicate_examples == [(None, "a@x.com")]


def test_it_keeps_only_a_few_examples_with_their_row():
    found = AddressList()
    for row in range(1, 21):
        found.add("bad", row=row)
    assert found.invalid == 20
    assert found.invalid_examples == [(row, "bad") for row in range(1, 6)]


def test_it_normalises_like_the_mailer():
    assert normalise_address("  Hong@Example.COM ") == "hong@example.com"
    assert is_valid_address("hong@example.com")
    assert not is_valid_address("hong@@example.com")


def _one_by_one(value: str) -> str | None:
    value = value.strip()
    return normalise_address(value) if is_valid_address(value) else None


# Beside and among plain addresses (checked in bulk), ones the full check decides.
TRICKY = ["Hong@Example.COM", " pad@x.com ", "nl@x.com\n", "a@b", "a@x.123", "a@x.1a",
          "x" * 60 + "@b.com", "x" * 70 + "@b.com", "a..b@x.com", ".a@x.com", "a@-b.com",
          "a@b-.com", "hongildong@naver_.com", "ü@x.com", "İ@x.com", "two@x.com\nlines@x.com",
          "", "@x.com", "a@x..com", "o'neil@x.org", "a b@x.com", "a@" + "b" * 64 + ".com"]


def test_it_checks_many_addresses_at_once_as_one_by_one():
    values = [f"user{n}@example.com" for n in range(3)] + TRICKY + ["Last@Example.com"]
    assert stored_forms(values) == [_one_by_one(value) for value in values]
    for value in TRICKY:
        assert stored_forms([value, "plain@x.com"]) == [_one_by_one(value), "plain@x.com"]
