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

