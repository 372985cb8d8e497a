"""Every audit action reads as a sentence; an entry kept before its details existed, or an
action nobody wrote words for, still reads as something."""

import pytest

from lms.audit.words import NAMES, WORDS, action_name, describe

FULL = {
    "from": "learner",
    "to": "admin",
    "name": "Priya Ward",
    "user_id": 7,
    "role": "admin",
    "learners": 3,
    "facilitators": 1,
    "number": "1.2",
    "title": "Welcome",
    "revision": 3,
    "direction": "up",
    "activity": "the-evidence",
    "count": 2,
}


@pytest.mark.parametrize(
    "action, details, expected",
    [
        ("step.publish", {"number": "1.2", "revision": 3}, "published step 1.2, revision 3"),
        ("step.publish", {"revision": 3}, "published the step Target, revision 3"),
        ("step.unpublish", {}, "unpublished the step Target"),
        ("user.role", {"from": "learner", "to": "admin"}, "changed Target's role from learner to admin"),
        ("cohort.add_member", {"name": "Priya Ward", "role": "admin"}, "added Priya Ward to Target as an admin"),
        ("cohort.add_member", {"user_id": 7, "role": "learner"}, "added person 7 to Target as a learner"),
        ("step.move", {"number": "2.1", "activity": "reading"}, "moved step 2.1 to the activity reading"),
        ("mail.test", {}, "sent themself a test message"),
        ("something.new", {}, "something: new (Target)"),
    ],
)
def test_actions_in_words(action, details, expected):
    assert describe(action, "Target", details) == expected


@pytest.mark.parametrize("action", sorted(WORDS))
def test_every_action_has_words_and_a_name(action):
    sentence = describe(action, "Target", FULL)
    assert "{" not in sentence and "." not in sentence.replace("1.2", "") and action not in sentence
    assert action_name(action) == NAMES[action] != action
    assert isinstance(NAMES[action], str) and "{" not in NAMES[action]  # a name for the filter, not a sentence


def test_an_action_without_a_name_is_listed_by_its_code():
    assert action_name("something.new") == "something.new"
