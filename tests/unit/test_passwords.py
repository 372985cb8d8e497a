import pytest

from lms.accounts.passwords import common_passwords, hash_password, password_problem, verify_password, visible_length


def test_hash_is_argon2id_and_verifies():
    hashed = hash_password("a long enough password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "a long enough password")
    assert not verify_password(hashed, "a long enough passwore")


def test_missing_or_broken_hash_never_verifies():
    assert not verify_password(None, "anything at all here")
    assert not verify_password("not a hash", "anything at all here")


def test_length_is_the_only_rule():
    assert password_problem("short") == "Password must be at least 12 characters"
    assert password_problem("x" * 129) == "Password must be 128 characters or fewer"
    assert password_problem("twelve chars") is None
    assert password_problem("alllowercase") is None


def test_common_passwords_are_refused_whatever_their_case():
    assert "too common" in password_problem("q1w2e3r4t5y6")
    assert "too common" in password_problem("Q1W2E3R4T5Y6")
    assert password_problem("quiet river lamp orange") is None


def test_no_composition_rules_and_long_passphrases_are_fine():
    assert password_problem("correct horse battery staple " * 4) is None
    assert password_problem("only lowercase words here") is None
    assert password_problem("ÉCOLE été forêt") is None


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "............",
        "AAAAAAAAAAAAAAAAAAAA",
        "abababababab",
        "abcabcabcabc",
        "abcdefghijklmnop",
        "ABCDEFGHIJKL",
        "zyxwvutsrqpo",
        "123456789012",  # round the digits again
        "987654321098",
        "qwertyuiopasdf",
        "lkjhgfdsapoiuy",
        "asdfghjklzxc",
        "azertyuiopqs",
        "1qaz2wsx3edc4rfv",
        "абвгдежзийкл",  # the alphabet of another script
        "a b c d e f g h i j k l",
    ],
)
def test_one_repeated_character_or_a_sequence_is_refused(password):
    assert "repeated or a sequence" in password_problem(password)


@pytest.mark.parametrize(
    "password",
    ["abcdef ghijkl river", "aaaa bbbb cccc", "123 Main Street flat 4", "qwerty is not my password"],
)
def test_a_pattern_inside_a_longer_password_is_fine(password):
    assert password_problem(password) is None


def test_invisible_characters_do_not_count_towards_the_length():
    zero_width = "\u200b\u200c\u200d\u2060\ufeff"
    assert visible_length("short" + zero_width * 3) == 5
    assert password_problem("short" + zero_width * 3) == "Password must be at least 12 characters"
    bidi = "\u202e\u202d\u2066\u2069"
    assert password_problem("tiny" + bidi * 3) == "Password must be at least 12 characters"
    assert password_problem("soft\u00adhyphen\u00ad") == "Password must be at least 12 characters"  # 10 seen


def test_a_letter_and_its_accents_count_as_one_character():
    assert visible_length("e\u0301") == 1  # e + combining acute, as typed on some keyboards
    assert visible_length("\u1100\u1161") == 1  # Hangul jamo shown as one syllable
    assert visible_length("a\u0308\u0301\u0323") == 1  # several marks on one letter
    assert visible_length("👍🏽") == 2  # an emoji and its skin tone: counted generously, not less
    assert password_problem("cafe\u0301" * 2 + "ab") == "Password must be at least 12 characters"  # 10 seen
    assert password_problem("cafe\u0301 au lait") is None  # 12 seen


def test_invisible_characters_cannot_hide_a_common_password_or_a_pattern():
    assert "too common" in password_problem("q1w2\u200be3r4t5y6")
    assert "repeated or a sequence" in password_problem("a\u200ba" * 8)


def test_the_common_password_list_is_large_and_read_once():
    common_passwords.cache_clear()
    words = common_passwords()
    assert common_passwords() is words
    assert "password1234" in words and "qwerty123456" in words  # from the 100,000
    assert all(len(word) >= 12 for word in words)  # shorter ones are refused by length alone
    assert "correct horse battery staple" not in words  # the tests' own password


def test_the_shipped_list_holds_the_100000_most_common_and_names_its_sources():
    import gzip
    from pathlib import Path

    import lms.accounts

    path = Path(lms.accounts.__file__).with_name("common_passwords.txt.gz")
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        text = lines.read()
    header, passwords = text.split("\n\n", 1)
    assert "SecLists" in header and "MIT licence" in header and "Django" in header
    passwords = passwords.splitlines()
    assert len(passwords) > 100_000 and passwords[:3] == ["123456", "password", "12345678"]
    assert "#NAME?" in passwords[:100_000]  # a password starting with "#" is not a comment
