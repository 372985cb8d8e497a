"""'an admin', never 'a admin': the article helper every message about roles uses."""

import pytest

from lms.templating import with_article


@pytest.mark.parametrize(
    "noun, expected",
    [
        ("admin", "an admin"),
        ("facilitator", "a facilitator"),
        ("learner", "a learner"),
        ("educator", "an educator"),
        ("Admin", "an Admin"),
        ("hour", "an hour"),
        ("honest mistake", "an honest mistake"),
        ("user", "a user"),
        ("one-off", "a one-off"),
        ("unit", "a unit"),
        ("umbrella", "an umbrella"),
        (" owner ", "an owner"),
    ],
)
def test_the_article_goes_by_the_first_sound(noun, expected):
    assert with_article(noun) == expected


def test_an_empty_noun_gets_a():
    assert with_article("") == "a "
