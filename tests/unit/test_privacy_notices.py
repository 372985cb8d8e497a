"""What the privacy and cookies pages say that comes from the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lms.accessibility import notices
from lms.config import LAWFUL_BASES, load_config


@pytest.mark.parametrize(
    ("span", "said"),
    [
        (timedelta(days=30), "30 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=12), "12 hours"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(minutes=90), "90 minutes"),
        (60 * 60 * 24 * 30, "30 days"),  # Flask-Login also takes seconds
        (45, "45 seconds"),
    ],
)
def test_durations_are_said_as_a_person_would(span, said):
    assert notices.duration(span) == said


@pytest.mark.parametrize(
    ("privacy", "contact_email", "expected"),
    [
        ("dpo@trust.example", "help@trust.example", notices.Contact("dpo@trust.example", "mailto:dpo@trust.example")),
        ("", "help@trust.example", notices.Contact("help@trust.example", "mailto:help@trust.example")),
        (
            " https://trust.example/privacy ",
            "",
            notices.Contact("https://trust.example/privacy", "https://trust.example/privacy"),
        ),
        ("the Data Protection Officer", "help@trust.example", notices.Contact("the Data Protection Officer")),
        ("", "", notices.Contact("your course facilitator", facilitator=True)),
    ],
)
def test_the_privacy_contact_falls_back_to_the_contact_email_then_the_facilitator(privacy, contact_email, expected):
    assert notices.contact({"LMS_PRIVACY_CONTACT": privacy, "LMS_CONTACT_EMAIL": contact_email}) == expected


def test_the_lawful_basis_is_one_of_those_the_notice_can_explain(tmp_path):
    environ = {"LMS_SECRET_KEY": "k" * 40}
    assert load_config(environ, tmp_path)["LMS_PRIVACY_LAWFUL_BASIS"] == ""
    assert load_config({**environ, "LMS_PRIVACY_LAWFUL_BASIS": " Public-Task "}, tmp_path)[
        "LMS_PRIVACY_LAWFUL_BASIS"
    ] == ("public-task")
    with pytest.raises(ValueError, match="LMS_PRIVACY_LAWFUL_BASIS must be one of"):
        load_config({**environ, "LMS_PRIVACY_LAWFUL_BASIS": "consent"}, tmp_path)
    assert set(notices.LAWFUL_BASES) == set(LAWFUL_BASES) - {""}  # every setting has its words
