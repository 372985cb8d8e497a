from lms.accounts.passwords import hash_password, password_problem, verify_password


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
    assert password_problem("a" * 64) is None
    assert password_problem("correct horse battery staple " * 4) is None
