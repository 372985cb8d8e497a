"""Display names and email addresses with the invisible taken out (lms.accounts.names)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.accounts.names import clean_display_name, email_skeleton, normalise_email


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("  Nia   Nurse ", "Nia Nurse"),
        ("Lee\u202eLearner", "LeeLearner"),  # right-to-left override
        ("\u2067Ada\u2069 Admin", "Ada Admin"),  # isolates
        ("A\u200bd\u200ca\u200d\u2060\ufeff", "Ada"),  # zero-width
        ("Bo\x00b\x07\x1b\x85\x9f", "Bob"),  # C0 and C1 controls
        ("Ｆｕｌｌ Ｗｉｄｔｈ", "Full Width"),  # NFKC
        ("𝐁𝐨𝐥𝐝", "Bold"),
        ("Line\u2028Break\tTab", "Line Break Tab"),
        ("José Núñez", "José Núñez"),
        ("علي", "علي"),  # right-to-left script itself is kept
        ("李小龍", "李小龍"),
        ("Zoë\u00ad", "Zoë"),  # soft hyphen
        ("\u3164Hidden\u3164", "Hidden"),  # Hangul filler
        ("★", "★"),  # a symbol is visible
        ("R2-D2", "R2-D2"),
    ],
)
def test_a_name_keeps_what_shows(typed, shown):
    assert clean_display_name(typed) == shown


@pytest.mark.parametrize(
    "typed",
    ["", "   ", "\u200e\u200f", "\u202a\u202c", "\u0301\u0301", "\u200b \u2060", "\x00\x01", "\u3164\u3164", "\u2800"],
)
def test_a_name_with_nothing_visible_is_empty(typed):
    assert clean_display_name(typed) == ""


@given(st.text())
def test_a_cleaned_name_has_nothing_invisible_and_is_stable(typed):
    name = clean_display_name(typed)
    assert name == clean_display_name(name)
    assert name == name.strip() and "  " not in name
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in name)
    assert name == "" or any(unicodedata.category(c)[0] in "LNS" for c in name)


def test_an_email_is_stored_lowercased_and_nfkc():
    assert normalise_email("  Ａda@Example.ORG ") == "ada@example.org"


@pytest.mark.parametrize(
    "lookalike",
    [
        "\u0131vy@example.org",  # dotless i
        "IVY@EXAMPLE.ORG",
        "ｉvy@example.org",
        "iv\u0443@example.org",  # Cyrillic u, looking like y
        "ivy@ex\u0430mple.org",  # Cyrillic a
        "ivy@\u0435xample.org",  # Cyrillic e
        "i\u0307vy@example.org",  # a combining dot above
        "ívy@example.org",
        "ivy@examp\u217ce.org",  # small roman numeral fifty
        "ivy@example.\u03bfrg",  # Greek omicron
    ],
)
def test_lookalike_addresses_share_a_skeleton(lookalike):
    assert email_skeleton(lookalike) == email_skeleton("ivy@example.org") == "ivy@example.org"


@pytest.mark.parametrize("other", ["ivo@example.org", "ivy@example.com", "ivy1@example.org", "ivy@examp1e.org"])
def test_different_addresses_have_different_skeletons(other):
    assert email_skeleton(other) != email_skeleton("ivy@example.org")


@given(st.emails())
def test_a_plain_address_is_its_own_skeleton(email):
    if email.isascii():
        assert email_skeleton(email) == email.lower().strip()
