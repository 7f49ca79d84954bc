"""combine_groups: AND = in every group, OR = in any, checked against sets computed here."""

from __future__ import annotations

import itertools
import random

import pytest

from addressbook.combination import combine_groups, missing_groups
from tests.addressbook.factories import make_group
from tests.factories import make_project

NAMES = ["alpha", "beta", "gamma", "delta"]


@pytest.fixture
def memberships(project) -> dict[str, set[str]]:
    """Four overlapping groups over 300 addresses, drawn at random (fixed seed), plus
    addresses in no group; the expected sets are plain Python sets."""
    draw = random.Random(5)
    everyone = [f"user{n:03d}@example.com" for n in range(300)]
    chosen = {name: {a for a in everyone if draw.random() < share}
              for name, share in zip(NAMES, [0.6, 0.5, 0.3, 0.05], strict=True)}
    for name in NAMES:
        make_group(project, name, sorted(chosen[name]))
    return chosen


def _combined(project, names, and_filter) -> list[str]:
    return list(combine_groups(project, names, and_filter=and_filter)
                .values_list("address", flat=True))


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_it_combines_every_choice_of_groups_with_and(project, memberships, size):
    for names in itertools.combinations(NAMES, size):
        expected = set.intersection(*(memberships[n] for n in names))
        found = _combined(project, list(names), True)
        assert sorted(found) == sorted(expected), names  # and no address twice


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_it_combines_every_choice_of_groups_with_or(project, memberships, size):
    for names in itertools.combinations(NAMES, size):
        expected = set.union(*(memberships[n] for n in names))
        found = _combined(project, list(names), False)
        assert sorted(found) == sorted(expected), names


def test_it_counts_the_combination_in_one_query(project, memberships,
                                                django_assert_max_num_queries):
    expected = len(memberships["alpha"] & memberships["beta"] & memberships["gamma"])
    with django_assert_max_num_queries(2):  # the group ids, then the count
        assert combine_groups(project, ["alpha", "beta", "gamma"], and_filter=True).count() == (
            expected)


def test_it_pages_through_the_combination_by_id_like_the_mailer(project, memberships):
    expected = memberships["alpha"] | memberships["delta"]
    addresses = combine_groups(project, ["alpha", "delta"], and_filter=False).order_by("id")
    seen, cursor = [], 0
    while rows := list(addresses.filter(id__gt=cursor).values_list("id", "address")[:50]):
        cursor = rows[-1][0]
        seen += [address for _id, address in rows]
    assert sorted(seen) == sorted(expected)


def test_it_ignores_a_repeated_name(project, memberships):
    assert set(_combined(project, ["beta", "beta"], True)) == memberships["beta"]


def test_an_unknown_group_empties_and_but_not_or(project, memberships):
    assert _combined(project, ["alpha", "nope"], True) == []
    assert set(_combined(project, ["alpha", "nope"], False)) == memberships["alpha"]
    assert missing_groups(project, ["alpha", "nope"]) == ["nope"]


def test_it_never_takes_groups_of_another_project(project, memberships):
    other = make_project("other")
    make_group(other, "alpha", ["stranger@example.com"])
    assert "stranger@example.com" not in _combined(project, ["alpha"], False)
    assert _combined(other, ["alpha", "beta"], False) == ["stranger@example.com"]
